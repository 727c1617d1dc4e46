"""Tables rebuilt from their ruling lines.

The rulings that touch one another make one table. Their positions give the grid: a
column boundary at every x where a vertical ruling stands, a row boundary at every y
where a horizontal one does. Two neighbouring slots of the grid are one (merged) cell
where no ruling separates them, so a cell's rowspan and colspan are what the page draws,
and a cell whose rulings enclose no character is blank: the drawing says exactly which.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from gxgrammar.readers.pdf.lines import group_lines, join_lines

TOLERANCE = 3.0        # points: rulings this close are the same line
MAX_RULINGS = 4000     # per page; beyond, the page is a drawing and no table is looked for


@dataclass
class Cell:
    row: int
    column: int
    rows: int
    columns: int
    chars: list = field(default_factory=list)
    text: str = ""
    first: object = None        # the cell's first character (its place on the page)


@dataclass
class Table:
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    xs: list                    # column boundaries
    ys: list                    # row boundaries
    hs: list = field(default_factory=list, repr=False)   # its rulings
    vs: list = field(default_factory=list, repr=False)
    cells: list = field(default_factory=list)

    def rows(self):
        """[(cells of the row, in their slots: Cell where a cell starts, None where one is spanned)]."""
        grid = [[None] * (len(self.xs) - 1) for _ in range(len(self.ys) - 1)]
        for cell in self.cells:
            grid[cell.row][cell.column] = cell
        return grid


def _cluster(values):
    """Positions within TOLERANCE of each other, as one (their mean)."""
    out, group = [], []
    for v in sorted(values):
        if group and v - group[-1] > TOLERANCE:
            out.append(sum(group) / len(group))
            group = []
        group.append(v)
    if group:
        out.append(sum(group) / len(group))
    return out


def _merge(segments):
    """Collinear rulings that touch or overlap, as one (a border drawn cell by cell, or
    as the two edges of a thin rectangle, is one line)."""
    out, group = [], []
    for seg in sorted(segments, key=lambda s: s.at) + [None]:
        if group and (seg is None or seg.at - group[-1].at > TOLERANCE):
            at = sum(s.at for s in group) / len(group)
            run = None
            for s in sorted(group, key=lambda s: s.start):
                if run is not None and s.start <= run.end + TOLERANCE:
                    run.end = max(run.end, s.end)
                else:
                    run = type(s)(s.horizontal, at, s.start, s.end)
                    out.append(run)
            group = []
        if seg is not None:
            group.append(seg)
    return out


def find_tables(page):
    """The ruled tables of a Page, each with its cells (not yet their text: see `fill`)."""
    rulings = page.rulings
    if not rulings or len(rulings) > MAX_RULINGS:
        return []
    hs = _merge([r for r in rulings if r.horizontal])
    vs = _merge([r for r in rulings if not r.horizontal])
    parent = list(range(len(hs) + len(vs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    t = TOLERANCE
    by_x = sorted(range(len(vs)), key=lambda j: vs[j].at)
    xs_sorted = [vs[j].at for j in by_x]
    for i, h in enumerate(hs):
        lo = bisect.bisect_left(xs_sorted, h.start - t)
        hi = bisect.bisect_right(xs_sorted, h.end + t)
        for j in by_x[lo:hi]:
            v = vs[j]
            if v.start - t <= h.at <= v.end + t:
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[a] = b
    groups = {}
    for i, seg in enumerate(hs + vs):
        groups.setdefault(find(i), []).append(seg)
    tables = []
    for segs in groups.values():
        h = [s for s in segs if s.horizontal]
        v = [s for s in segs if not s.horizontal]
        if len(h) < 2 or len(v) < 2:
            continue
        table = _grid(page.number, h, v)
        if table is not None:
            tables.append(table)
    tables.sort(key=lambda tb: tb.top)
    return tables


def _grid(number, hs, vs):
    x0 = min(min(s.start for s in hs), min(s.at for s in vs))
    x1 = max(max(s.end for s in hs), max(s.at for s in vs))
    top = min(min(s.at for s in hs), min(s.start for s in vs))
    bottom = max(max(s.at for s in hs), max(s.end for s in vs))
    xs = _cluster([s.at for s in vs] + [x0, x1])
    ys = _cluster([s.at for s in hs] + [top, bottom])
    if len(xs) < 2 or len(ys) < 2:
        return None
    table = Table(number, x0, top, x1, bottom, xs, ys, hs, vs)
    regrid(table, xs)
    return table


def regrid(table, xs):
    """The table's cells on the column boundaries `xs` (those of a table it goes on from
    or into, on another page, besides its own: a boundary no ruling draws here is spanned)."""
    table.xs = xs = _cluster(xs)
    ys, hs, vs = table.ys, table.hs, table.vs
    table.__dict__.pop("_slots", None)
    rows, cols = len(ys) - 1, len(xs) - 1
    right_open = [[_covered(vs, xs[c + 1], (ys[r] + ys[r + 1]) / 2) is None for c in range(cols - 1)]
                  for r in range(rows)]
    down_open = [[_covered(hs, ys[r + 1], (xs[c] + xs[c + 1]) / 2) is None for c in range(cols)]
                 for r in range(rows - 1)]
    slot = {}
    cells = []
    for r in range(rows):
        for c in range(cols):
            if (r, c) in slot:
                continue
            # The merged cell starting here: as wide as no ruling stops it, then as tall.
            w = 1
            while c + w < cols and right_open[r][c + w - 1] and (r, c + w) not in slot:
                w += 1
            h = 1
            while r + h < rows and all(down_open[r + h - 1][c + k] for k in range(w)) \
                    and not any((r + h, c + k) in slot for k in range(w)):
                h += 1
            cell = Cell(r, c, h, w)
            for dr in range(h):
                for dc in range(w):
                    slot[(r + dr, c + dc)] = cell
            cells.append(cell)
    table.cells = cells


def _covered(segments, at, middle):
    """The ruling at `at` that passes `middle` (the middle of a row or column), if any."""
    for s in segments:
        if abs(s.at - at) <= TOLERANCE and s.start - TOLERANCE <= middle <= s.end + TOLERANCE:
            return s
    return None


def inside(tables, chars):
    """The characters (by id) that stand in the tables."""
    used = set()
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, ch.middle
        for table in tables:
            if table.x0 <= cx <= table.x1 and table.top <= cy <= table.bottom:
                used.add(id(ch))
                break
    return used


def fill(tables, chars):
    """Give each table's cells the characters that stand in them, and their text."""
    used = set()
    if not tables:
        return used
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, ch.middle
        for table in tables:
            if table.x0 <= cx <= table.x1 and table.top <= cy <= table.bottom:
                c = min(max(bisect.bisect_right(table.xs, cx) - 1, 0), len(table.xs) - 2)
                r = min(max(bisect.bisect_right(table.ys, cy) - 1, 0), len(table.ys) - 2)
                _slot_cell(table, r, c).chars.append(ch)
                used.add(id(ch))
                break
    for table in tables:
        for cell in table.cells:
            if cell.chars:
                lines = group_lines(cell.chars)
                cell.text = join_lines(line.text for line in lines)
                cell.first = lines[0].chars[0] if lines and lines[0].chars else cell.chars[0]
    return used


def _slot_cell(table, r, c):
    cache = getattr(table, "_slots", None)
    if cache is None:
        cache = {}
        for cell in table.cells:
            for dr in range(cell.rows):
                for dc in range(cell.columns):
                    cache[(cell.row + dr, cell.column + dc)] = cell
        table._slots = cache
    return cache[(r, c)]
