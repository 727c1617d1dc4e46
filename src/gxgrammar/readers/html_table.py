"""The HTML table model: which slot of the grid each cell of a <table> takes.

As the HTML standard forms a table (html.spec.whatwg.org/multipage/tables.html#forming-a-table)
and browsers draw it:

- rows come in row groups: each <thead> and <tbody> in document order, the rows outside
  them (consecutive) as one group, and the <tfoot> groups last;
- a cell takes the first slot of its row that no cell from a row above covers, and
  covers colspan × rowspan slots from there;
- colspan and rowspan are read as the standard reads a non-negative integer: leading
  spaces, digits, anything after them ignored ("2;" is 2); a colspan that is not a
  number or 0 is 1, at most 1000; a rowspan that is not a number is 1, at most 65534;
- rowspan="0" spans to the end of the row group, and no rowspan reaches past it (the
  next group starts below, as browsers draw it);
- a colspan past the other rows' end widens the table; the other rows stay as long as
  their cells make them, so that a row one cell short or long is seen as such.

A stray cell outside any <tr> (libxml2 keeps `<table><td>` as written) starts a row of
its own, as the HTML parser of a browser would put it in one.
"""
from __future__ import annotations

from typing import NamedTuple

from gxgrammar.cache import regex
from gxgrammar.errors import InputError
from gxgrammar.i18n import _

SECTIONS = ("thead", "tbody", "tfoot")
CELLS = ("td", "th")
MAX_COLSPAN, MAX_ROWSPAN = 1000, 65534
_NON_NEGATIVE = regex(r"[ \t\n\f\r]*(?:\+|(-))?([0-9]+)")


class Row(NamedTuple):
    element: object      # the <tr> (or the stray cell that opened the row)
    slots: list          # (cell, colspan) where a cell starts; None where a cell from the left
                         # or above spans (or, in a row with no cells, none does)


def form_table(table, slot_limit=None):
    """The rows of a <table> with its cells placed in their slots, row groups in order."""
    groups, cells = _row_groups(table)
    limit = slot_limit if slot_limit is not None else 100_000 + 64 * cells
    rows, used = [], 0
    for group in groups:
        start, end = len(rows), len(rows) + len(group)
        grid = [{} for _ in group]           # per row of the group: column -> (cell, colspan) or None
        for y, (element, row_cells) in enumerate(group, start=start):
            taken, x = grid[y - start], 0
            for cell in row_cells:
                while x in taken:
                    x += 1
                colspan, rowspan = cell.get("colspan"), cell.get("rowspan")
                if colspan is None and rowspan is None:     # most cells span one slot
                    taken[x] = (cell, 1)
                    x += 1
                    used += 1
                    continue
                colspan = min(_non_negative(colspan) or 1, MAX_COLSPAN)
                rowspan = _non_negative(rowspan)
                rowspan = end - y if rowspan == 0 else min(rowspan or 1, MAX_ROWSPAN, end - y)
                used += colspan * rowspan
                if used > limit:
                    raise InputError(_("the table at line {line} spans more than {limit} slots with its "
                                       "colspan and rowspan values, too many for its {cells} cells")
                                     .format(line=table.sourceline, limit=limit, cells=cells),
                                     line=table.sourceline)
                taken[x] = (cell, colspan)
                for dx in range(x + 1, x + colspan):
                    taken.setdefault(dx, None)
                for below in grid[y - start + 1:y - start + rowspan]:
                    for dx in range(x, x + colspan):
                        below.setdefault(dx, None)
                x += colspan
            width = max(taken, default=-1) + 1
            rows.append(Row(element, [taken.get(x) for x in range(width)]))
    return rows


def _non_negative(value):
    """The standard's rules for parsing non-negative integers; None where they fail."""
    if value is None:
        return None
    m = _NON_NEGATIVE.match(value)
    if not m or (m.group(1) and int(m.group(2))):
        return None
    return int(m.group(2))


def _row_groups(table):
    """([[(row element, [cell elements])]] per row group, in the order the table model takes
    them; the number of cells)."""
    rows = [(tr, list(tr.iterchildren(*CELLS))) for tr in table.iter("tr")]
    cells = sum(len(c) for _, c in rows)
    if cells != sum(1 for _ in table.iter(*CELLS)):
        rows = _with_stray_cells(table)
    groups, feet, current, current_section = [], [], None, False
    for element, row_cells in rows:
        parent = element.getparent()
        section = parent if parent is not None and parent.tag in SECTIONS else _section(element, table)
        if current is None or section is not current_section:
            current, current_section = [], section
            (feet if section is not None and section.tag == "tfoot" else groups).append(current)
        current.append((element, row_cells))
    return groups + feet, sum(len(c) for _, c in rows)


def _with_stray_cells(table):
    """The rows, with each run of cells outside any <tr> as a row of its own."""
    rows, stray_parent = [], None
    for el in table.iter("tr", *CELLS):
        if el.tag == "tr":
            rows.append((el, list(el.iterchildren(*CELLS))))
            stray_parent = None
            continue
        parent = el.getparent()
        if parent is not None and parent.tag == "tr":
            continue
        if stray_parent is not None and stray_parent is parent:
            rows[-1][1].append(el)
        else:
            rows.append((el, [el]))
            stray_parent = parent
    return rows


def _section(el, table):
    """The thead, tbody or tfoot of this table that holds a row (None: none does)."""
    parent = el.getparent()
    while parent is not None and parent is not table:
        if parent.tag in SECTIONS:
            return parent
        parent = parent.getparent()
    return None
