"""Rows whose encoding cut cells off: place what was read, infer only what is certain.

A row that gives m values for k columns (m < k) could have lost any k−m of its cells.
Each way of placing the m values in order is a candidate reading. The identities of
the national format then judge the candidates: a missing cell that an identity
determines is solved for (and must be a non-negative whole number); a candidate that
breaks an identity whose cells are all known is dropped. A cell gets a value only when
every surviving candidate gives it the same value; every such cell is reported with a
finding that says how it was obtained, and every cell left blank is reported too.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import comb

from . import national as nf
from .model import Finding

MAX_CANDIDATES = 5000


@dataclass
class ShortRow:
    keys: tuple          # the row's cell keys, in column order
    values: list         # the values read (None for a read blank), in order
    cells: list          # the grid cells they came from
    label: str
    line: int


def _candidates(row):
    k, m = len(row.keys), len(row.values)
    if comb(k, m) > MAX_CANDIDATES:
        return []
    out = []
    for positions in combinations(range(k), m):
        reading = {key: ("unknown", None) for key in row.keys}
        for pos, value, cell in zip(positions, row.values, row.cells):
            reading[row.keys[pos]] = ("read", value, cell)
        out.append(reading)
    return out


def _value_of(key, known, reading):
    if key in reading:
        entry = reading[key]
        return entry[1] if entry[0] != "unknown" else None
    return known.get(key)


def _settle(reading, known, identities):
    """Solve what the identities determine in one candidate; False if it breaks one."""
    changed = True
    while changed:
        changed = False
        for ident in identities:
            if not any(k in reading for k in ident.cells):
                continue
            vals = {k: _value_of(k, known, reading) for k in ident.cells}
            missing = [k for k, v in vals.items() if v is None]
            if not missing:
                if sum(vals[k] for k in ident.lhs) != sum(vals[k] for k in ident.parts):
                    return False
                continue
            if len(missing) == 1 and missing[0] in reading and reading[missing[0]][0] == "unknown":
                key = missing[0]
                lhs = sum(vals[k] for k in ident.lhs if k != key)
                parts = sum(vals[k] for k in ident.parts if k != key)
                solved = parts - lhs if key in ident.lhs else lhs - parts
                if solved < 0 or solved != int(solved):
                    return False
                reading[key] = ("solved", int(solved), ident)
                changed = True
    return True


def resolve(known, short_rows, identities):
    """Values, provenance and findings for the short rows (see the module's docstring)."""
    assigned, provenance, findings = {}, {}, []
    pending = {id(r): r for r in short_rows}
    survivors = {id(r): _candidates(r) for r in short_rows}
    progress = True
    while progress and pending:
        progress = False
        context = dict(known)
        context.update(assigned)
        for rid, row in list(pending.items()):
            alive = [c for c in (dict(c) for c in survivors[rid]) if _settle(c, context, identities)]
            if alive and _agree(alive, row.keys):
                _commit(row, alive, assigned, provenance, findings)
                del pending[rid]
                context.update({k: assigned[k] for k in row.keys})
                progress = True
            elif alive:
                survivors[rid] = alive
    for row in pending.values():
        _commit(row, survivors[id(row)] or [], assigned, provenance, findings)
    return assigned, provenance, findings


def _agree(readings, keys):
    return all(len({_plain(r[k]) for r in readings}) == 1 for k in keys)


def _plain(entry):
    return entry[1] if entry[0] != "unknown" else "?"


def _commit(row, readings, assigned, provenance, findings):
    k, m = len(row.keys), len(row.values)
    head = f"the row 「{row.label}」 at line {row.line} has {m} values for {k} columns"
    if not readings:
        for key in row.keys:
            assigned[key] = None
            provenance[key] = {"line": row.line, "inferred": True}
        findings.append(Finding("table.cells_unplaced", "warning",
                                f"{head}, and no placement of them satisfies the identities; "
                                f"the row is left blank", list(row.keys), row.line))
        return
    inferred, blank, how = [], [], set()
    for key in row.keys:
        entries = [r[key] for r in readings]
        values = {_plain(e) for e in entries}
        same_cell = all(e[0] == "read" for e in entries) and len({id(e[2]) for e in entries}) == 1
        if len(values) == 1 and "?" not in values:
            assigned[key] = entries[0][1]
            if same_cell:
                cell = entries[0][2]
                provenance[key] = {"line": cell.line, **({"column": cell.column} if cell.column else {})}
                continue
            provenance[key] = {"line": row.line, "inferred": True}
            inferred.append(key)
            how.update(_describe(e[2]) for e in entries if e[0] == "solved")
        else:
            assigned[key] = None
            provenance[key] = {"line": row.line, "inferred": True}
            blank.append(key)
    if inferred:
        basis = "; ".join(sorted(how)) or "the values read, whichever column was cut off"
        values = ", ".join(f"{nf.cell_label(key).split('·')[-1]} {assigned[key]}" for key in inferred)
        findings.append(Finding("table.cell_inferred", "info",
                                f"{head}; inferred {values} ({basis})", inferred, row.line))
    if blank:
        options = _options(readings, blank)
        names = _names(blank)
        findings.append(Finding("table.cell_ambiguous", "warning",
                                f"{head}; which cell was cut off cannot be told, so {names} "
                                f"{'are' if len(blank) > 1 else 'is'} left blank "
                                f"(possible readings of {names}: {options})",
                                blank, row.line))


def _names(keys):
    """Cells of one row as 「row」 col, col …; of several rows, by their full labels."""
    labels = [nf.cell_label(k).rsplit("·", 1) for k in keys]
    rows = {row for row, _ in labels}
    if len(rows) == 1:
        return f"{rows.pop()}: " + ", ".join(col for _, col in labels)
    return ", ".join("·".join(pair) for pair in labels)


def _describe(identity):
    total = nf.cell_label(identity.lhs[0]).split("·")[-1] if len(identity.lhs) == 1 else "一+二"
    if identity.code == "requests.row_total":
        return "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他"
    if identity.code == "appeals.total":
        return "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"
    if identity.code == "requests.results_total":
        return "（七）总计 = the sum of the result rows"
    if identity.code == "requests.balance":
        return "一 + 二 = 三（七）总计 + 四"
    return f"{identity.code} ({total})"


def _options(readings, keys, limit=4):
    shown = []
    for r in readings[:limit]:
        shown.append("/".join(str(_plain(r[k])) for k in keys))
    more = f" … {len(readings) - limit} more" if len(readings) > limit else ""
    return "; ".join(shown) + more
