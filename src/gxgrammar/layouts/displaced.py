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
a line of numbers that names no row. Read as written, the run has a row with no numbers
and a line of numbers with no row. Read a line down, each label takes the next line of
numbers in order: where the run's labels name as many rows as it has lines of numbers,
that reading is kept if the table's identities then hold in every row and column the
run touches (and said, with the lines); otherwise every row from the joined label down
to the numbers without a label is left unread, and reported. Either sign alone is left
to the mapping: a label with no numbers is a row left blank, and a line of numbers that
names no row is not placed anywhere.
"""
from __future__ import annotations


from gxgrammar import national as nf
from gxgrammar.cache import regex
from gxgrammar.i18n import _
from gxgrammar.layouts.grid import Cell, Grid, Row
from gxgrammar.model import Finding
from gxgrammar.national.cells import read_cell
from gxgrammar.national.mapping import named_rows, read_table, split_row

# An item of a list opening a label: 「1.」「2、」 (not a decimal: 0.01), 「（一）」. Each
# pattern starts with a class of characters, looked back on after it, so that `re` skips
# straight to the next digit or bracket instead of trying the pattern at every column.
_AFTER_DIGIT = r"(?<![\d.]\d)\d?[.、．](?!\d)"      # what follows an item's first digit
_ARABIC = regex(r"\d" + _AFTER_DIGIT)
_ITEM = regex(rf"[\d（(](?:(?<=\d){_AFTER_DIGIT}|(?<=[（(])[一二三四五六七八九十][)）])")
_NUMERALS = "一二三四五六七八九十"
_ITEM_ENDS = ".、．)）"
MAX_RUNS_READ_DOWN = 4          # displaced runs a table reads a line down, at most


def _items(text):
    """The list numbers in a label, each as (style, number), in order."""
    return [("chinese", _NUMERALS.index(item[1]) + 1) if item[0] in "（(" else ("arabic", int(item[:-1]))
            for item in _ITEM.findall(text)]


def joins_two_items(text):
    """Whether a label holds two items of one list, one after the other (「1.…2.…」)."""
    # Each item ends in a mark of its own (「1.」「（一）」): a label with fewer than two holds
    # fewer than two items (most rows: told without the pattern).
    if sum(map(text.count, _ITEM_ENDS)) < 2:
        return False
    items = _items(text)
    return len(items) > 1 and any(a[0] == b[0] and b[1] == a[1] + 1 for a, b in zip(items, items[1:]))


def _has_numbers(values):
    return any(v.joined or read_cell(v.text).kind == "number" for v in values)


def displaced_rows(table, grid, template):
    """[(first grid row, grid rows in doubt, the line of numbers with no label)] of a table."""
    if table == "appeals":          # one row of numbers, no labels: nothing to displace
        return []
    runs, start = [], None
    for n, row in enumerate(grid.rows):
        # A run starts at a label that joins two items, and a row's label is the first of
        # its cells: a row whose cells together join none cannot start one (most rows).
        if start is None and not joins_two_items("".join([c.text for c in row.cells])):
            continue
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
    """Read displaced rows a line down where the identities confirm it; else leave their
    cells unread in the mapped table, with a finding each run."""
    for n, (first, rows, orphan) in enumerate(displaced_rows(table, grid, template)):
        # (each try maps the table again: a few runs a table, not thousands)
        if n < MAX_RUNS_READ_DOWN and _read_a_line_down(table, grid, template, read, rows):
            continue
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


def _read_a_line_down(table, grid, template, read, rows):
    """Give each label of a displaced run the next line of numbers, in order, and keep that
    reading (in `read`) if the identities hold in every row and column it touches."""
    labels = _run_labels(table, rows, template)
    if labels is None or len(labels) != len(rows):
        return False
    moved = {id(row): label for row, label in zip(rows, labels)}
    shifted = Grid([Row([Cell(moved[id(row)][1], *moved[id(row)][2])] + split_row(row, table)[1],
                        row.line, row.end_line) if id(row) in moved else row for row in grid.rows],
                   grid.prose_lines)
    again = read_table(table, shifted, template, read.layout)
    touched = {f"{table}.{key}." for key, _, _ in labels}
    checks = [i for i in nf.identities(template) if i.code.split(".")[0] == table
              and any(c.startswith(tuple(touched)) for c in i.cells)]
    values = [[again.values.get(c) for c in i.cells] for i in checks]
    if not checks or any(v is None or isinstance(v, bool) for vs in values for v in vs) or any(
            abs(sum(vs[:len(i.lhs)]) - sum(vs[len(i.lhs):])) > 1e-9 for i, vs in zip(checks, values)):
        return False
    read.values, read.provenance = again.values, again.provenance
    read.findings[:] = again.findings
    read.findings.append(Finding(
        "table.rows_read_a_line_down", "info",
        _("lines {first}–{last}: each label stands a line above its numbers; read a line down, "
          "as the identities of its rows and columns confirm").format(
            first=rows[0].line, last=rows[-1].end_line or rows[-1].line),
        [], rows[0].line))
    return True


def _run_labels(table, rows, template):
    """[(row key, label text, (line, column))] for the labels of a run, in order: the two
    items of its joined label, then each later row's own (the run's last line of numbers
    has none); None where a label names no row, or the rows do not follow one another."""
    cells = rows[0].cells[:len(rows[0].cells) - len(split_row(rows[0], table)[1])]
    text = "".join(c.text for c in cells)
    place = next(((c.line, c.column) for c in cells if c.text), (rows[0].line, None))
    items = [m.start() for m in _ARABIC.finditer(text)]
    if len(items) != 2:
        return None
    out = []
    for part in (text[:items[1]], text[items[1]:]):
        row = nf.match_row(table, nf.normalise_label(part), template)
        if row is None:
            return None
        out.append((row.key, part, place))
    for row in rows[1:-1]:
        named = named_rows(table, row, template)
        label = next((c for c in row.cells if c.text), None)
        if len(named) != 1 or label is None:
            return None
        out.append((named[0].split(".", 1)[1], label.text, (label.line, label.column)))
    order = [r.key for r in nf.rows_for(table, template)]
    keys = [key for key, _, _ in out]
    if any(k not in order for k in keys) or \
            [order.index(k) for k in keys] != list(range(order.index(keys[0]), order.index(keys[0]) + len(keys))):
        return None
    return out
