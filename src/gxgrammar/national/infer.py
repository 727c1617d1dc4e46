"""Rows whose encoding cut cells off: place what was read, infer only what is certain.

A row that gives m values for k columns (m < k) could have lost any k−m of its cells.
Each way of placing the m values in order is a candidate reading. The identities of
the national format then judge the candidates (judge.py): a missing cell that an identity
determines is solved for (and must be a non-negative whole number); a candidate that
breaks an identity whose cells are all known is dropped. A cell gets a value only when
every surviving candidate gives it the same value; every such cell is reported with a
finding that says how it was obtained, and every cell left blank is reported too.

A row whose values arrived run together (801000081) is judged the same way: its
candidates are the ways to cut the digits into its columns (splits.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from math import comb

from gxgrammar import national as nf
from gxgrammar.i18n import _
from gxgrammar.layouts.grid import Cell
from gxgrammar.model import Finding
from gxgrammar.national import judge
from gxgrammar.national.cells import read_cell
from gxgrammar.national.splits import splits, value_of

MAX_CANDIDATES = 5000


@dataclass
class ShortRow:
    keys: tuple          # the row's cell keys, in column order
    values: list         # the values read (None for a read blank), in order
    cells: list          # the grid cells they came from
    label: str
    line: int
    # Other ways to take the row's cells, when empty cells at its ends may be blank values
    # or no values at all: [(values, cells)], each in order (mapping._place). Empty: only
    # `values` and `cells`.
    options: tuple = ()
    width: int = 0       # the row's value cells, empty ones at its ends included (with options)

    def head(self):
        """How the row reads, as a finding begins."""
        k = len(self.keys)
        if self.options:
            return _("the row 「{row}」 at line {line} has {count} cells for {columns} columns, "
                     "with empty cells at its ends").format(row=self.label, line=self.line,
                                                            count=self.width, columns=k)
        return _("the row 「{row}」 at line {line} has {count} values for {columns} columns").format(
            row=self.label, line=self.line, count=len(self.values), columns=k)


@dataclass
class JoinedRow:
    keys: tuple          # the row's cell keys, in column order
    kinds: tuple         # per column: "count", "signed" or "decimal" (see splits.py)
    cell: object         # the grid cell holding the digits run together
    label: str
    line: int
    totals: tuple = ()   # identities within the row, as (total position, part positions)
    plausible: int = 0   # how many splits were plausible before the identities judged them
    parts: dict = field(default_factory=dict)

    def head(self):
        """How the row reads, as a finding begins."""
        return _("the digits 「{digits}」 of the row 「{row}」 at line {line}").format(
            digits=self.cell.text, row=self.label, line=self.line)

    def candidates(self):
        found = splits(self.cell.text, self.kinds, self.totals)
        if found is None:
            return None
        self.plausible = len(found)
        return [{key: ("read", value_of(piece, kind), self._part(piece, offset))
                 for key, kind, (piece, offset) in zip(self.keys, self.kinds, parts)} for parts in found]

    def _part(self, piece, offset):
        """One grid cell per piece of the digits, shared by the candidates that cut it alike."""
        if (piece, offset) not in self.parts:
            column = self.cell.column + offset if self.cell.column else None
            self.parts[(piece, offset)] = Cell(piece, self.cell.line, column)
        return self.parts[(piece, offset)]


def _candidates(row):
    if isinstance(row, JoinedRow):
        return row.candidates()
    k = len(row.keys)
    ways = row.options or ((row.values, row.cells),)
    if sum(comb(k, len(values)) for values, _cells in ways) > MAX_CANDIDATES:
        return []
    out, seen = [], set()
    for values, cells in ways:
        for positions in combinations(range(k), len(values)):
            reading = {key: ("unknown", None) for key in row.keys}
            for pos, value, cell in zip(positions, values, cells):
                reading[row.keys[pos]] = ("read", value, cell)
            same = tuple((e[0], e[1], id(e[2]) if len(e) > 2 else None) for e in reading.values())
            if same not in seen:
                seen.add(same)
                out.append(reading)
    return out


def resolve(known, short_rows, identities):
    """Values, provenance and findings for the short rows (see the module's docstring)."""
    assigned, provenance, findings = {}, {}, []
    pending = {id(r): r for r in short_rows}
    survivors = {id(r): _candidates(r) for r in short_rows}
    # Only an identity that names a cell of the row can judge the row's readings alone.
    identities = tuple(identities)
    touching = {id(r): judge.touching(tuple(r.keys), identities) for r in short_rows}
    for rid in [rid for rid, found in survivors.items() if found is None]:   # too many to judge
        _commit(pending.pop(rid), None, assigned, provenance, findings)
    progress = True
    while progress and pending:
        progress = False
        context = dict(known)
        context.update(assigned)
        for rid, row in list(pending.items()):
            plan = judge.plan(touching[rid], context, row.keys)
            alive = [c for c in (dict(c) for c in survivors[rid]) if judge.settle(c, plan)]
            if alive and _agree(alive, row.keys):
                _commit(row, alive, assigned, provenance, findings)
                del pending[rid]
                context.update({k: assigned[k] for k in row.keys})
                progress = True
            elif alive:
                survivors[rid] = alive
        if not progress and len(pending) > 1:
            progress = judge.together(list(pending.values()), survivors, context, identities)
    for row in pending.values():
        _commit(row, survivors[id(row)] or [], assigned, provenance, findings)
    return assigned, provenance, findings


def _agree(readings, keys):
    return all(len({_plain(r[k]) for r in readings}) == 1 for k in keys)


def _plain(entry):
    return entry[1] if entry[0] != "unknown" else "?"


def _commit(row, readings, assigned, provenance, findings):
    if isinstance(row, JoinedRow):
        _commit_joined(row, readings, assigned, provenance, findings)
        return
    if not readings:
        for key in row.keys:
            assigned[key] = None
            provenance[key] = {"line": row.line, "inferred": True}
        findings.append(Finding("table.cells_unplaced", "warning",
                                _("{head}, and no placement of them satisfies the identities; the row is left "
                                  "blank").format(head=row.head()), list(row.keys), row.line))
        return
    inferred, blank, how, placed = [], [], set(), []
    for key in row.keys:
        entries = [r[key] for r in readings]
        values = {_plain(e) for e in entries}
        same_cell = all(e[0] == "read" for e in entries) and len({id(e[2]) for e in entries}) == 1
        if len(values) == 1 and "?" not in values:
            assigned[key] = entries[0][1]
            if same_cell:
                cell = entries[0][2]
                if entries[0][1] is not None or read_cell(cell.text).kind == "blank":
                    # (an unreadable cell is not read: it has no place, its finding says why)
                    provenance[key] = {"line": cell.line, **({"column": cell.column} if cell.column else {})}
                placed.append(key)
                continue
            if entries[0][1] is None or all(e[0] == "read" for e in entries):
                # Read alike (or blank) whichever way the row's cells are taken, though from
                # different cells (zeros, say): read from the row's line.
                provenance[key] = {"line": row.line}
                continue
            provenance[key] = {"line": row.line, "inferred": True}
            inferred.append(key)
            how.update(_describe(e[2]) for e in entries if e[0] == "solved")
        else:
            assigned[key] = None
            provenance[key] = {"line": row.line, "inferred": True}
            blank.append(key)
    if row.options and placed and not blank:
        # Several ways to take the row's cells, and the identities kept one: say so.
        values = ", ".join(f"{_column(key)} {_shown(assigned[key])}" for key in placed)
        findings.append(Finding("table.cells_placed", "info",
                                _("{head}; only one way of placing its values satisfies the identities: "
                                  "{values}").format(head=row.head(), values=values), placed, row.line))
    if inferred:
        basis = "; ".join(sorted(how)) or _("the values read, whichever column was cut off")
        values = ", ".join(f"{nf.cell_label(key).split('·')[-1]} {assigned[key]}" for key in inferred)
        findings.append(Finding("table.cell_inferred", "info",
                                _("{head}; inferred {values} ({basis})").format(head=row.head(), values=values, basis=basis),
                                inferred, row.line))
    if blank:
        options = _options(readings, blank)
        names = _names(blank)
        one = len(blank) == 1
        if row.options:
            message = (_("{head}; where its values stand cannot be told, so {cells} is left blank "
                         "(possible readings of {cells}: {options})") if one else
                       _("{head}; where its values stand cannot be told, so {cells} are left blank "
                         "(possible readings of {cells}: {options})"))
        else:
            message = (_("{head}; which cell was cut off cannot be told, so {cells} is left blank "
                         "(possible readings of {cells}: {options})") if one else
                       _("{head}; which cell was cut off cannot be told, so {cells} are left blank "
                         "(possible readings of {cells}: {options})"))
        findings.append(Finding("table.cell_ambiguous", "warning",
                                message.format(head=row.head(), cells=names, options=options),
                                blank, row.line))


def _column(key):
    """A cell's column label (its row's label where the row has one column only)."""
    return nf.cell_label(key).rsplit("·", 1)[-1]


def _shown(value):
    return _("blank") if value is None else str(value)


def _names(keys):
    """Cells of one row as 「row」 col, col …; of several rows, by their full labels."""
    labels = [(nf.cell_label(k).rsplit("·", 1) + [""])[:2] for k in keys]
    rows = {row for row, _col in labels}
    if len(rows) == 1:
        return f"{rows.pop()}: " + ", ".join(col for _row, col in labels)
    return ", ".join("·".join(pair) for pair in labels)


def _commit_joined(row, readings, assigned, provenance, findings):
    """Values of a row of digits run together: those every surviving cut gives alike."""
    k = len(row.keys)
    if not readings:
        for key in row.keys:
            assigned[key] = None
            provenance[key] = {"line": row.line, "inferred": True}
        message = (_("{head} can be cut into {count} values in too many ways to judge; the row is left blank")
                   if readings is None else
                   _("{head} cannot be cut into {count} values that satisfy the identities; the row is left blank"))
        findings.append(Finding("table.split_impossible" if readings is not None else "table.split_unresolved",
                                "warning", message.format(head=row.head(), count=k), list(row.keys), row.line))
        return
    blank = []
    for key in row.keys:
        cells = {id(r[key][2]) for r in readings}
        if len(cells) == 1:
            cell = readings[0][key][2]
            assigned[key] = readings[0][key][1]
            provenance[key] = {"line": cell.line, **({"column": cell.column} if cell.column else {})}
        else:
            assigned[key] = None
            provenance[key] = {"line": row.line, "inferred": True}
            blank.append(key)
    if blank:
        findings.append(Finding("table.split_ambiguous", "warning",
                                (_("{head} can be cut into {count} values in {ways} ways that the identities do "
                                   "not tell apart ({cuts}); {cells} is left blank") if len(blank) == 1 else
                                 _("{head} can be cut into {count} values in {ways} ways that the identities do "
                                   "not tell apart ({cuts}); {cells} are left blank")).format(
                                    head=row.head(), count=k, ways=len(readings), cuts=_cuts(readings, row.keys),
                                    cells=_names(blank)), blank, row.line))
    elif row.plausible > 1:
        findings.append(Finding("table.split_inferred", "info",
                                _("{head} are read as {cut}, the only one of its {plausible} cuts into {count} "
                                  "plausible values (that agree with the row's own totals) that satisfies the "
                                  "identities with the other rows").format(
                                    head=row.head(), cut=_cuts(readings, row.keys), plausible=row.plausible, count=k),
                                list(row.keys), row.line))


def _cuts(readings, keys, limit=6):
    shown = ["|".join(r[k][2].text for k in keys) for r in readings[:limit]]
    more = _(" … {count} more").format(count=len(readings) - limit) if len(readings) > limit else ""
    return "; ".join(shown) + more


def _describe(identity):
    """The identity that determined a cell, in the words the national format gives it."""
    return _(identity.rule.formula)


def _options(readings, keys, limit=4):
    shown = list(dict.fromkeys("/".join(_shown(_plain(r[k])) for k in keys) for r in readings))
    more = _(" … {count} more").format(count=len(shown) - limit) if len(shown) > limit else ""
    return "; ".join(shown[:limit]) + more
