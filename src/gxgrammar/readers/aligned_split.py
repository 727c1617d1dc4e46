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


from gxgrammar.cache import regex

REACH = 3                       # short rows above a line of numbers that it may complete
_OPENS_ROW = regex(r"\s*(?:\d{1,2}[.、]|[一二三四五六七八九十]{1,3}、)")


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
    taken, joins, firsts = set(), {}, set()
    for n in sorted(covers):
        if n in taken or _opens_row(lines, out[n], values):
            continue
        if n in squeezed:
            continue            # the second line's numbers stand in their columns
        near = [m for m in range(max(0, n - REACH), n) if m in covers and m not in taken
                and m not in firsts and not covers[m] & covers[n] and covers[m] | covers[n] == every]
        if len(near) == 1 and all(kind == "row" for kind, _, _ in out[near[0]:n]):
            joins[n] = near[0]
            firsts.add(near[0])
            taken.update((n, near[0]))
    if not joins:
        return out
    merged, second_of = [], {first: second for second, first in joins.items()}
    for n, entry in enumerate(out):
        if n in joins:
            continue
        partner = second_of.get(n)
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


# --- rows written down their columns together -------------------------------------------------

_ITEM = regex(r"(?<![\d.])\d{1,2}[.、](?!\d)")


def stacked_rows(lines, out, k, hulls, measure, values, slots):
    """`out` with each run of rows stacked down the columns made m rows: m labels with no
    numbers of their own, then lines of one number each that go down the columns in order,
    each column m times (the first of each column the first label's):

        5.属于三类内部事务信息
        6.属于四类过程性信息
                              1
                              3
                                 0
                                 0   …

    Each such run becomes ["stacked", line, [(label, place, [value or None] * k)]]."""
    if hulls is None or k < 2:
        return out
    merged, n = [], 0
    while n < len(out):
        run = _stack(lines, out, n, k, hulls, measure, values, slots)
        if run is None:
            merged.append(out[n])
            n += 1
            continue
        end, rows = run
        merged.append(["stacked", out[n][1], rows])
        n = end
    return merged


def _stack(lines, out, n, k, hulls, measure, values, slots):
    kind, at, group = out[n]
    if kind != "row" or len(values(lines[at])[1]) != 1:
        return None
    label_lines = [i for i in group if i != at] + ([at] if values(lines[at])[0] else [])
    text, starts = "", []
    for i in label_lines:
        cut = values(lines[i])[0] if i == at else len(lines[i].words)
        piece = " ".join(w[2] for w in lines[i].words[:cut])
        starts += [len(text) + m.start() for m in _ITEM.finditer(piece)]
        text += piece
    m = len(starts)
    if m < 2 or n + m * k > len(out):
        return None
    columns, cells = [], []
    for kind2, at2, group2 in out[n:n + m * k]:
        found = values(lines[at2])[1]
        if kind2 != "row" or len(found) != 1 or (at2 != at and (len(group2) > 1 or values(lines[at2])[0])):
            return None
        placed = slots(lines[at2], found, hulls, measure, strict=False)
        column = next((c for c, v in enumerate(placed) if v is not None), None)
        if column is None:
            return None
        columns.append(column)
        cells.append((found[0][2], (at2 + 1, found[0][0] + 1)))
    if columns != [c for c in range(k) for _ in range(m)]:
        return None
    place = (label_lines[0] + 1, lines[label_lines[0]].words[0][0] + 1)
    rows = []
    for j in range(m):
        label = text[starts[j]:starts[j + 1] if j + 1 < m else len(text)]
        rows.append((label, place, [cells[c * m + j] for c in range(k)]))
    return n + m * k, rows
