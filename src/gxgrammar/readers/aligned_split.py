"""A row of an unruled table whose numbers stand on two lines (the aligned reader).

pdftotext -layout writes a cell on the line of its baseline: where the first columns of
a row sit a little higher than the others (a label wrapped over lines, cells of another
padding), the row's numbers come on two lines, and the next row's first numbers may
come between them:

    4.无正当理由大量反复申请        0
    5.要求行政机关确认或重新出具已获 1 0
                                   0   0   0   0   0   0
    取信息                                 0   0   0   0   1

A short line of numbers is joined to the one short row before it (of the few just above)
whose columns it completes exactly: neither holds a number in a column of the other, and
together they fill every column. (A row's first numbers squeezed left by a long label,
「…已获 1 0」, stand in no column of their own; m of them all left of the column where the
other line's numbers begin, those being the last columns but m, are the first m.) Where two rows could take it, or its own words open a
row of their own (a list number: 「2.」, 「二、」), it stays as it is, and the mapping
reports what it lacks.
"""
from __future__ import annotations

import re

REACH = 3                       # short rows above a line of numbers that it may complete
_OPENS_ROW = re.compile(r"\s*(?:\d{1,2}[.、]|[一二三四五六七八九十]{1,3}、)")


def join_split_rows(lines, out, k, hulls, measure, values, slots):
    """`out` ([kind, line, group]) with each completed pair made one ["split", line, (first,
    second)] entry in the first's place; `values` and `slots` are aligned_unruled's."""
    if hulls is None:
        return out
    covers, squeezed = {}, {}
    for n, (kind, i, _group) in enumerate(out):
        if kind != "row":
            continue
        found = values(lines[i])[1]
        if 0 < len(found) < k:
            placed = slots(lines[i], found, hulls, measure)
            if placed is not None:
                covers[n] = frozenset(c for c, v in enumerate(placed) if v is not None)
            elif lines[i].pos(measure)[found[-1][1]] <= hulls[len(found)][0]:
                covers[n] = frozenset(range(len(found)))
                squeezed[n] = found
    every = frozenset(range(k))
    taken, joins = set(), {}
    for n in sorted(covers):
        if n in taken or _opens_row(lines, out[n], values):
            continue
        if n in squeezed:
            continue            # the second line's numbers stand in their columns
        near = [m for m in covers if n - REACH <= m < n and m not in taken and m not in joins.values()
                and not covers[m] & covers[n] and covers[m] | covers[n] == every]
        if len(near) == 1 and all(kind == "row" for kind, _, _ in out[near[0]:n]):
            joins[n] = near[0]
            taken.update((n, near[0]))
    if not joins:
        return out
    merged = []
    for n, entry in enumerate(out):
        if n in joins:
            continue
        partner = next((m for m, first in joins.items() if first == n), None)
        merged.append(entry if partner is None else
                      ["split", entry[1], (entry, out[partner], squeezed.get(n))])
    return merged


def _opens_row(lines, entry, values):
    """Whether the words of a row's lines (before its numbers) open a row of their own."""
    _, at, group = entry
    words = []
    for i in group:
        cut = values(lines[i])[0] if i == at else len(lines[i].words)
        words += [w[2] for w in lines[i].words[:cut]]
    return bool(words) and bool(_OPENS_ROW.match(" ".join(words)))


def split_cells(first, second, squeezed, label_cells, lines, hulls, measure, values, slots):
    """The cells of a row joined from two: the label of both, each number in its column."""
    label = label_cells(first) + label_cells(second)
    text = "".join(t for t, _ in label)
    place = next((p for _, p in label if p), None)
    cells = [(text, place)] if text else []
    columns = [None] * len(hulls)
    for (_, at, _group), squeezed_here in ((first, squeezed), (second, None)):
        placed = squeezed_here or slots(lines[at], values(lines[at])[1], hulls, measure)
        for c, v in enumerate(placed):
            if v is not None:
                columns[c] = (v[2], (at + 1, v[0] + 1))
    return cells + [v if v else ("", None) for v in columns]
