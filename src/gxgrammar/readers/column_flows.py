"""Readings of table 三 when the text gives each page of it in two flows (readers/columns.py).

A PDF's text extractor reads a page in flows of blocks: Chromium's print of a web page's
table often makes the label column and the first one or two columns of numbers one flow,
read down the page (a row's numbers just before, on or just after its label's line), and
the other columns a second flow, read after it row by row. Which columns go with the
labels is not written anywhere; it may change from page to page. So every split is a
candidate, page by page, under two rules of place that make a flow a flow:

- a number of the first flow stands between the labels of the rows above and below its
  row (the label of a row is found on its line by national.match_row, in order);
- a number of the second flow stands after the last label of its page, on that page.

Numbers on a label's line are that row's first cells, in the first flow. The identities
then judge these readings with the others (column_readings.settle).

When no such reading keeps the identities, a row's total may stand apart: the extractor
can leave the 总计 cells of a row or two out of the second flow and give them after it,
in row order. Those readings are tried next (totals_apart), one total, then two, each
row's own identity choosing where its total is, and judged the same way.
"""
from __future__ import annotations

from bisect import bisect_left
from itertools import product

from gxgrammar import national as nf

MAX_STEPS = 200_000             # placements tried per block, at most (beyond: too many to judge)
MAX_PAGES = 4                   # pages of one table whose splits are tried (7 ** 4 of table 三's)
MAX_WALK = 20_000               # rows tried, at most, when rows' totals may stand apart


class TooMany(Exception):
    """More readings than can be judged: the block stays open."""


def _label_lines(table, template, shape, worded):
    """{row index: the line its label starts on}, found in order, each after the one before
    (each line's words matched once: linear in the lines)."""
    lines_of = {}
    for i, words in enumerate(worded):
        if words:
            row = nf.match_row(table, words, template)
            if row is not None:
                lines_of.setdefault(row.key, []).append(i)
    found, at = {}, 1
    for r, (key, _, _) in enumerate(shape.rows):
        places = lines_of.get(key, ())
        k = bisect_left(places, at)
        if k < len(places):
            found[r] = places[k]
            at = places[k] + 1
    return found


def _pages(lines):
    """The page of each line (1-based; index 0 unused): a line that starts with a form feed
    starts a page."""
    pages, page = [0], 0
    for line in lines:
        if line.startswith("\f"):
            page += 1
        pages.append(page)
    return pages


def flows_with_order(table, template, shape, pieces, worded, lines):
    """The readings in two flows a page, each with the cells of its second flow in the
    text's order (a page after another): [] when the table is not one of equal rows with
    its labels found; TooMany when there are too many to judge. `worded`: each line's
    words (readers/columns.py)."""
    widths = {n for _, _, n in shape.rows}
    if table != "requests" or len(widths) != 1 or len(shape.rows) < 2:
        return []
    width = widths.pop()
    labels = _label_lines(table, template, shape, worded)
    if len(labels) * 2 < len(shape.rows):
        return []
    page_of = _pages(lines)
    bands = _bands(shape, labels, page_of)
    if bands is None or len(bands) > MAX_PAGES:
        return []               # (a table over more pages is read as before: row by row)
    first_line = {}
    for i in range(len(page_of) - 1, 0, -1):
        first_line[page_of[i]] = i
    last_line = {page_of[i]: i for i in range(1, len(page_of))}
    spans = _spans(shape, labels, bands, first_line, last_line)
    out = []
    steps = [0]
    for splits in product(range(1, width + 1), repeat=len(bands)):
        if all(s == width for s in splits):
            continue                # row by row on every page: column_readings reads that
        order = []              # (cell index, lowest line, highest line), in the text's order
        second = []             # the second flow's cells, in the text's order
        for (page, rows), s in zip(bands, splits):
            after = max(labels[r] for r in rows if r in labels)
            order += [(r * width + c, *spans[r]) for r in rows for c in range(s)]
            second += [r * width + c for r in rows for c in range(s, width)]
            order += [(r * width + c, after + 1, last_line[page]) for r in rows for c in range(s, width)]
        out += [(reading, second) for reading in
                _place(order, pieces, dict(zip((r for _, rows in bands for r in rows),
                                               (s for (_, rows), s in zip(bands, splits) for _ in rows))),
                       width, steps)]
    return out


def totals_apart(reading, second, width, row_holds, holds, most):
    """The readings of a second flow (cells `second` in the text's order, as `reading` has
    them) that take one row's total, or up to `most` rows' totals, to stand after it in row
    order, and keep every identity (`holds`): walked row by row, each row read whole or
    with its total from the end, a way kept only while each row's own identity holds
    (`row_holds(row, {cell: value})`). Fewer totals apart are tried first. TooMany when
    the rows leave too many ways open (rows of zeros hold either way)."""
    rows = list(dict.fromkeys(k // width for k in second))
    cells_of = {r: [k for k in second if k // width == r] for r in rows}
    if any(cells_of[r][-1] % width != width - 1 for r in rows):
        return []               # (a row whose total is not in the second flow)
    stream = [reading[k] for k in second]
    out, walked = [], [0]
    for apart in range(1, most + 1):
        body, tail = stream[:-apart], stream[-apart:]

        def walk(i, at, used, placed):
            walked[0] += 1
            if walked[0] > MAX_WALK:
                raise TooMany
            if i == len(rows):
                if at == len(body) and used == apart and holds(whole := {**reading, **placed}):
                    out.append(whole)
                return
            r, cells = rows[i], cells_of[rows[i]]
            ways = [(body[at:at + len(cells)], at + len(cells), used)]
            if used < apart:
                ways.append((body[at:at + len(cells) - 1] + [tail[used]], at + len(cells) - 1, used + 1))
            for values, next_at, next_used in ways:
                if len(values) != len(cells) or next_at > len(body):
                    continue
                row = dict(zip(cells, values))
                if row_holds(r, row):
                    walk(i + 1, next_at, next_used, {**placed, **row})

        walk(0, 0, 0, {})
        if out:
            return out
    return out


def _bands(shape, labels, page_of):
    """The rows of each page, in order: [(page, [row indexes])]; None when a row whose label
    was not found lies between two pages."""
    pages = {}
    known = sorted(labels)
    for r in range(len(shape.rows)):
        if r in labels:
            pages[r] = page_of[labels[r]]
            continue
        before = [page_of[labels[k]] for k in known if k < r][-1:]
        after = [page_of[labels[k]] for k in known if k > r][:1]
        near = set(before + after)
        if len(near) != 1:
            return None
        pages[r] = near.pop()
    bands = []
    for r in range(len(shape.rows)):
        if bands and bands[-1][0] == pages[r]:
            bands[-1][1].append(r)
        elif any(p == pages[r] for p, _ in bands):
            return None             # pages out of order
        else:
            bands.append((pages[r], [r]))
    if any(not any(r in labels for r in rows) for _, rows in bands):
        return None
    return bands


def _spans(shape, labels, bands, first_line, last_line):
    """Where each row's first-flow numbers may stand: after the label of the row above and
    before the label of the row below (a page's own lines at its ends)."""
    spans = {}
    for page, rows in bands:
        for r in rows:
            above = [labels[k] for k in rows if k < r and k in labels]
            below = [labels[k] for k in rows if k > r and k in labels]
            spans[r] = (above[-1] + 1 if above else first_line[page],
                        below[0] - 1 if below else last_line[page])
    return spans


def _place(order, pieces, split_of, width, steps):
    """Every reading that puts the numbers in `order`'s cells keeping the rules of place:
    a label line's numbers in its row's first cells, the others in order, a cell left
    blank where the numbers run short."""
    soft = [p for p in pieces if len(p.options) > 1]
    out = []
    for combo in product(*(p.options for p in soft)):
        role = {id(p): o for p, o in zip(soft, combo)}
        claimed, free, ok = {}, [], True
        for p in pieces:
            r = role.get(id(p), p.options[0])
            if r is None:
                free.extend(p.values)
                continue
            start = sum(1 for k in claimed if k // width == r)
            if start + len(p.values) > split_of.get(r, 0):
                ok = False          # a label line's numbers are cells of the first flow
                break
            for c, v in enumerate(p.values, start):
                claimed[r * width + c] = v
        if not ok:
            continue
        cells = [(k, lo, hi) for k, lo, hi in order if k not in claimed]
        blanks = len(cells) - len(free)
        if blanks < 0:
            continue
        out.extend(_fill(cells, free, blanks, claimed, steps))
    return out


def _fill(cells, values, blanks, claimed, steps):
    """The fillings of `cells` by `values` in order, `blanks` of them left blank, each value
    on a line its cell allows (depth first; a dead end is remembered)."""
    out, dead = [], set()
    chosen = []

    def go(k, j, b):
        steps[0] += 1
        if steps[0] > MAX_STEPS:
            raise TooMany
        if k == len(cells):
            out.append({**claimed, **{cells[n][0]: v for n, v in enumerate(chosen)}})
            steps[0] += len(cells)      # (a reading made costs its cells: blanks multiply readings)
            return True
        if (k, j, b) in dead:
            return False
        any_found = False
        _, lo, hi = cells[k]
        if j < len(values) and lo <= values[j][1] <= hi:
            chosen.append(values[j])
            any_found |= go(k + 1, j + 1, b)
            chosen.pop()
        if b:
            chosen.append("")
            any_found |= go(k + 1, j, b - 1)
            chosen.pop()
        if not any_found:
            dead.add((k, j, b))
        return any_found

    go(0, 0, blanks)
    return out
