"""Tables drawn without rulings, rebuilt from the positions of their words.

Where a page draws no ruling, a table is still there to see: lines whose words stand
apart in columns. A line cut at its wide gaps (more than an em) gives segments; a run
of such lines holding at least two rows of numbers is a table. In each block of rows
(between header or caption lines) the numbers line up in columns: their centres,
gathered, give the value columns, so that a row missing a number has a blank cell
where the others have one; the words left of the first column are the row's labels,
in label columns by where they start. A line holding only labels (a label wrapped
over lines) belongs to the row above it (cells are written from their top). Header and caption lines are written as rows of their segments.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gxgrammar.cache import regex
from gxgrammar.readers.pdf.lines import _line, join_lines

GAP = 1.2             # ems: a wider gap separates two cells of a line
NUMBER = regex(r"^(?:[-−+]?\d[\d,]*(?:\.\d+)?|[—–\-/／]+)$")


@dataclass
class Segment:
    text: str
    x0: float
    x1: float
    first: object        # its first character

    @property
    def middle(self):
        return (self.x0 + self.x1) / 2

    @property
    def number(self):
        return bool(NUMBER.match(self.text))


@dataclass
class _Cell:
    text: str
    first: object
    columns: int = 1


@dataclass
class AlignedTable:
    page: int
    top: float
    x0: float
    x1: float
    grid: list = field(default_factory=list)     # rows of _Cell or None
    xs: list = field(default_factory=list)

    def rows(self):
        return self.grid


def _segments(line):
    pieces, start = [], 0
    chars = line.chars
    for i in range(1, len(chars)):
        em = max(chars[i].bottom - chars[i].top, 1.0)
        if chars[i].x0 - chars[i - 1].x1 > GAP * em:
            pieces.append(chars[start:i])
            start = i
    pieces.append(chars[start:])
    out = []
    for p in pieces:
        text = _line(p).text
        out.append(Segment(text, p[0].x0, p[-1].x1, p[0]))
    return out


def _is_row(segs):
    return len(segs) >= 2 and any(s.number for s in segs[1:])


def find_aligned(page, lines):
    """(tables rebuilt from the lines' word positions, the lines that are not in one)."""
    segs = [_segments(line) for line in lines]
    rows = [_is_row(s) for s in segs]
    tables, rest, i, n = [], [], 0, len(lines)
    while i < n:
        if not rows[i]:
            rest.append(lines[i])
            i += 1
            continue
        # Header lines above the first row: lines of several segments (and a single line
        # between two of them).
        top = i
        while top > 0 and lines[top - 1] is rest[-1] if rest else False:
            ss = segs[top - 1]
            if len(ss) >= 2 or (top >= 2 and len(segs[top - 2]) >= 2 and lines[top - 2] in rest[-2:]):
                top -= 1
                rest.pop()
            else:
                break
        # Down: rows, labels wrapped under them, and up to two other lines between rows.
        block = [segs[k] for k in range(i, i + 1)]
        j = i + 1
        while j < n:
            if rows[j] or _continues(segs[j], block):
                block.append(segs[j])
                j += 1
                continue
            ahead = next((k for k in range(j + 1, min(j + 3, n)) if rows[k]), None)
            if ahead is None:
                break
            j = ahead
        tables.append(_table(page, lines[top:j], segs[top:j]))
        i = j
    return tables, rest


def _continues(ss, block):
    """Whether a line of words only is a label wrapped from the rows above: in their type
    size, each word starting where a label of theirs starts and ending before their numbers."""
    if any(s.number for s in ss):
        return False
    row_segs = [row for row in block if _is_row(row)]
    if not row_segs:
        return False
    first_value = min(s.x0 for row in row_segs for s in row[1:] if s.number)
    starts = [s.x0 for row in row_segs for s in row if s.x1 < first_value]
    widest = max((s.x1 for row in row_segs for s in row if s.x1 < first_value), default=first_value)
    height = max(s.first.bottom - s.first.top for row in row_segs for s in row)
    for s in ss:
        em = max(s.first.bottom - s.first.top, 1.0)
        if em > height * 1.08:             # a larger type: a heading after the table
            return False
        if s.x1 > max(widest, first_value - em) + em or not any(abs(s.x0 - x) <= em for x in starts):
            return False
    return True


def _table(page, lines, segs):
    table = AlignedTable(page.number, lines[0].top, min(l.x0 for l in lines), max(l.x1 for l in lines))
    block = []
    for line, ss in zip(lines, segs):
        if _is_row(ss) or _continues(ss, [b for _l, b in block]):
            block.append((line, ss))
            continue
        _block(table, block)
        block = []
        table.grid.append([_Cell(s.text, s.first) for s in ss])
    _block(table, block)
    return table


def _clusters(values, reach):
    out = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= reach:
            out[-1].append(v)
        else:
            out.append([v])
    return out


def _block(table, block):
    """A block of rows: value columns from the numbers' centres, label columns from where
    the labels start; labels wrapped over lines joined to their row."""
    if not block:
        return
    rows = [(line, ss) for line, ss in block if _is_row(ss)]
    if not rows:
        for _line_, ss in block:
            table.grid.append([_Cell(s.text, s.first) for s in ss])
        return
    em = max(l.bottom - l.top for l, _s in rows)
    values = [s for _l, ss in rows for s in ss[1:] if s.number]
    columns = [sum(c) / len(c) for c in _clusters([s.middle for s in values], em * 1.5)]
    start = min(s.x0 for s in values) - 0.5 * em
    labels = [sum(c) / len(c) for c in _clusters([s.x0 for _l, ss in block for s in ss if s.x1 <= start],
                                                  em)] or [table.x0]
    width = len(labels) + len(columns)
    table.xs = sorted(set(table.xs) | {round(x, 1) for x in labels + columns})
    built = []                      # [middle of the row's line, {slot: [segments]}]
    for line, ss in block:
        middle = (line.top + line.bottom) / 2
        slots = {}
        for s in ss:
            if s.x1 <= start:
                slot = min(range(len(labels)), key=lambda k: abs(labels[k] - s.x0))
            else:
                slot = len(labels) + min(range(len(columns)), key=lambda k: abs(columns[k] - s.middle))
            slots.setdefault(slot, []).append(s)
        built.append([middle, slots, _is_row(ss)])
    merged = [[middle, slots] for middle, slots, is_row in built if is_row]
    for middle, slots, is_row in built:
        if is_row:
            continue
        # A line of labels only: the row's above (cells are written from their top), or the
        # first row's when it comes before any.
        target = next((r for r in reversed(merged) if r[0] < middle), merged[0])
        for slot, ss in slots.items():
            target[1].setdefault(slot, []).extend(ss)
    for middle, slots in merged:
        row = [None] * width
        for slot, ss in slots.items():
            ss.sort(key=lambda s: (s.first.top, s.x0))
            row[slot] = _Cell(join_lines(s.text for s in ss), ss[0].first)
        table.grid.append(row)
