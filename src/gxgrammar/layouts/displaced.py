"""Rows whose numbers may be the next row's: a label written a line above its numbers.

A converter that sets a table's text line by line (pdftotext -layout, above all) puts a
row's numbers on the line where they stand on the page. When a tall cell (a group label
written down the side, a label wrapped over lines) pushes the numbers down, a label can
come out a line above its own numbers, on the line of the next row's label: each label
then meets the numbers of the row above it, and the last numbers of the run stand on a
line with no label of their own. Read as written, every row of the run takes its
neighbour's numbers, and nothing looks wrong.

Two signs, together, show such a run: a label that joins two items of one list (「1.…」
and 「2.…」 on lines of their own, the first with no numbers of its own), and, below it,
a line of numbers that names no row. Which row owns which numbers cannot be told from
the text, so every row from the joined label down to the numbers without a label is left
unread, and reported. Either sign alone is left to the mapping: a label with no numbers
is a row left blank, and a line of numbers that names no row is not placed anywhere.
"""
from __future__ import annotations

import re

from gxgrammar.i18n import _
from gxgrammar.model import Finding
from gxgrammar.national.cells import read_cell
from gxgrammar.national.mapping import named_rows, split_row

# An item of a list opening a label: 「1.」「2、」 (not a decimal: 0.01), 「（一）」.
_ARABIC = re.compile(r"(?<![\d.])(\d{1,2})[.、．](?!\d)")
_CHINESE = re.compile(r"[（(]([一二三四五六七八九十]{1,3})[)）]")
_NUMERALS = "一二三四五六七八九十"


def _items(text):
    """The list numbers in a label, each as (style, number), in order."""
    found = [(m.start(), ("arabic", int(m.group(1)))) for m in _ARABIC.finditer(text)]
    found += [(m.start(), ("chinese", _NUMERALS.index(m.group(1)) + 1)) for m in _CHINESE.finditer(text)
              if len(m.group(1)) == 1]
    return [item for _at, item in sorted(found)]


def joins_two_items(text):
    """Whether a label holds two items of one list, one after the other (「1.…2.…」)."""
    items = _items(text)
    return any(a[0] == b[0] and b[1] == a[1] + 1 for a, b in zip(items, items[1:]))


def _has_numbers(values):
    return any(v.joined or read_cell(v.text).kind == "number" for v in values)


def displaced_rows(table, grid, template):
    """[(first grid row, grid rows in doubt, the line of numbers with no label)] of a table."""
    if table == "appeals":          # one row of numbers, no labels: nothing to displace
        return []
    runs, start = [], None
    for n, row in enumerate(grid.rows):
        label, values = split_row(row, table)
        if not _has_numbers(values):
            continue
        label_text = "".join(c.text for c in row.cells[:len(row.cells) - len(values)])
        if joins_two_items(label_text) and named_rows(table, row, template):
            start = n
        elif start is not None and not named_rows(table, row, template) and not _items(label_text):
            runs.append((grid.rows[start], grid.rows[start:n + 1], row))
            start = None
    return runs


def leave_displaced_unread(table, grid, template, read):
    """Leave the cells of displaced rows unread in a mapped table, with a finding each run."""
    for first, rows, orphan in displaced_rows(table, grid, template):
        keys = []
        for row in rows:
            for model_row in named_rows(table, row, template):
                keys.extend(k for k in read.values if k.startswith(model_row + "."))
        if not keys:
            continue
        for key in keys:
            read.values[key] = None
            read.provenance.pop(key, None)
        read.findings.append(Finding(
            "table.rows_displaced", "warning",
            _("lines {first}–{last}: a label stands on the line of the next row's label and the "
              "numbers on line {orphan} have no label, so which row owns which numbers cannot be "
              "told; the cells of these rows are not read").format(
                first=first.line, last=orphan.end_line or orphan.line, orphan=orphan.line),
            keys, first.line))
