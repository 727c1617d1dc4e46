"""Readings of rows judged by the identities of the national format.

A reading gives some of a table's cells a value (read, or unknown); the identities
(national/identities.py) judge it against what the rest of the table gives: a cell an
identity determines is solved for, and a reading that breaks an identity is dropped.
Rows whose readings cannot be told apart one by one are judged together (infer.py
says what becomes of them).
"""
from __future__ import annotations

from functools import lru_cache
from math import prod

MAX_JOINT = 2000      # readings of several undecided rows judged together, at most


def plan(identities, context, inside):
    """The identities as readings of the cells `inside` meet them. For each identity that
    such readings can decide: the sum of the cells the context gives on each side, then
    the cells the readings give on each side. An identity left out has a cell that is
    neither in the readings nor known (nothing can decide it) or none in the readings.
    A plan serves every reading judged against one context: each judges only its own
    cells (the readings of a row and its identities' column totals, say)."""
    plan = []
    for ident in identities:
        sums, own = [0, 0], ([], [])
        for side, keys in enumerate((ident.lhs, ident.parts)):
            for k in keys:
                if k in inside:
                    own[side].append(k)
                    continue
                v = context.get(k)
                if v is None:
                    break
                sums[side] += v
            else:
                continue
            break
        else:
            if own[0] or own[1]:
                plan.append((sums[0], sums[1], own[0], own[1], ident))
    return plan


def settle(reading, plan):
    """Solve what the identities determine in one candidate; False if it breaks one."""
    changed = True
    while changed:
        changed = False
        for lhs, parts, own_lhs, own_parts, ident in plan:
            missing = 0
            for k in own_lhs:
                v = reading[k][1]          # None for an unknown cell and for a read blank
                if v is None:
                    missing, gap, on_left = missing + 1, k, True
                else:
                    lhs += v
            for k in own_parts:
                v = reading[k][1]
                if v is None:
                    missing, gap, on_left = missing + 1, k, False
                else:
                    parts += v
            if not missing:
                if lhs != parts:
                    return False
            elif missing == 1 and reading[gap][0] == "unknown":
                solved = parts - lhs if on_left else lhs - parts
                if solved < 0 or solved != int(solved):
                    return False
                reading[gap] = ("solved", int(solved), ident)
                changed = True
    return True


@lru_cache(maxsize=1024)
def touching(keys, identities):
    """The identities that name a cell of the row, in their order (the same rows of the
    same format come back report after report)."""
    keys = set(keys)
    return tuple(i for i in identities if not keys.isdisjoint(i.cells))


def together(rows, survivors, context, identities):
    """Keep only the readings of undecided rows that fit some reading of the others.

    Two rows can each have several readings while only one pair of them satisfies an
    identity they share (a column's 一 + 二 = 三（七） + 四, say). When the readings
    are few enough to try every combination, drop those that fit no combination.
    """
    rows = [r for r in rows if survivors[id(r)]]
    if len(rows) < 2 or prod(len(survivors[id(r)]) for r in rows) > MAX_JOINT:
        return False
    identities = touching(tuple(k for r in rows for k in r.keys), tuple(identities))
    if not identities:           # (table 二's rows: nothing can tell their readings apart)
        return False
    # An identity whose cells all have values once the rows up to its last are read is
    # broken in every reading that goes on from there: such branches are not followed.
    # So the rows are taken in the order that completes identities soonest.
    rows = _soonest_checked(rows, identities, survivors)
    row_of = {k: j for j, r in enumerate(rows) for k in r.keys}
    ready = [[] for _row in rows]
    for ident in identities:
        ready[max(row_of[k] for k in ident.cells if k in row_of)].append(ident)
    checks = [plan(idents, context, row_of) for idents in ready]
    fits = [set() for _row in rows]
    _joint_readings([survivors[id(r)] for r in rows], checks, plan(identities, context, row_of), 0, {}, [], fits)
    narrowed = False
    for row, kept in zip(rows, fits):
        if kept and len(kept) < len(survivors[id(row)]):
            survivors[id(row)] = [c for i, c in enumerate(survivors[id(row)]) if i in kept]
            narrowed = True
    return narrowed


def _soonest_checked(rows, identities, survivors):
    """The rows in an order that lets the joint search check identities early: each next
    row is the one that completes the most identities with the rows before it (the one
    with fewer readings among equals). Which readings fit does not depend on the order."""
    inside = {k for r in rows for k in r.keys}
    cells = [inside.intersection(i.cells) for i in identities]   # each identity's cells in the rows
    ordered, seen, pending = [], set(), list(rows)
    while pending:
        best = max(pending, key=lambda row: (_completed(cells, seen, row.keys), -len(survivors[id(row)])))
        ordered.append(best)
        seen.update(best.keys)
        pending.remove(best)
    return ordered


def _completed(cells, seen, keys):
    """How many identities (their cells in the rows) the keys complete with those seen."""
    with_keys = seen.union(keys)
    return sum(1 for c in cells if not c <= seen and c <= with_keys)


def _joint_readings(candidates, checks, plan, j, reading, chosen, fits):
    """Every combination of the rows' readings from row j on that keeps the identities: the
    index of each of its readings is added to `fits` (depth first; a module-level function,
    as a recursive closure would be a reference cycle). `reading` is one dict throughout:
    each row's readings give the same cells, and row j's checks look at rows up to j only."""
    if j == len(candidates):
        if settle(dict(reading), plan):
            for kept, i in zip(fits, chosen):
                kept.add(i)
        return
    for i, candidate in enumerate(candidates[j]):
        reading.update(candidate)
        if checks[j] and breaks_one(reading, checks[j]):
            continue
        chosen.append(i)
        _joint_readings(candidates, checks, plan, j + 1, reading, chosen, fits)
        chosen.pop()


def breaks_one(reading, plan):
    """Whether a reading breaks an identity all of whose cells have values in it (or are known)."""
    for lhs, parts, own_lhs, own_parts, _ident in plan:
        for k in own_lhs:
            v = reading[k][1]
            if v is None:
                break
            lhs += v
        else:
            for k in own_parts:
                v = reading[k][1]
                if v is None:
                    break
                parts += v
            else:
                if lhs != parts:
                    return True
    return False
