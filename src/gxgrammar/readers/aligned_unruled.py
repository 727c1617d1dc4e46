"""Unruled tables for the aligned reader: lynx's dumps and pdftotext -layout.

A line ending in numbers is a row. The number of value columns is what the full rows
hold; their numbers, column by column, give each column's bounds (in display columns
or in characters, whichever lines the numbers up better). A row with fewer numbers has
its blanks where no number stands in a column, unless that is not certain; then the
row comes out short. Text lines between rows are the pieces of a label wrapped over
lines (or written down the side); lines with text above the numbers are header rows.
Page numbers and running heads are furniture.
"""
from __future__ import annotations

import re

from gxgrammar.cache import regex
from gxgrammar.readers.aligned_split import join_split_rows, split_cells, stacked_rows
from gxgrammar.readers.aligned_text import join_pieces

_VALUE = regex(r"[-+]?\d[\d,]*(?:\.\d+)?(?:万元|元|%)?|[—–/]{1,3}|-{1,2}")
# Page furniture of a PDF's text: 「- 3 -」, 「第 3 页 共 9 页」, 「3/9」.
_PAGE_NUMBER = regex(r"[ \t\f]*(?:[-—–][ \t]?\d{1,4}[ \t]?[-—–]|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[,，/]?[ \t]*"
                     r"共[ \t]*\d{1,4}[ \t]*页)?|共[ \t]*\d{1,4}[ \t]*页[ \t]*第[ \t]*\d{1,4}[ \t]*页|"
                     r"\d{1,4}[ \t]*/[ \t]*\d{1,4})[ \t]*")


def _values(line):
    """The words at the end of a line that are numbers (or a dash for a blank), in order,
    and how many words come before them (measured once a line)."""
    if line.values is None:
        words = line.words
        k = len(words)
        while k > 0 and _VALUE.fullmatch(words[k - 1][2]):
            k -= 1
        line.values = (k, words[k:])
    return line.values


def furniture_lines(lines):
    """The lines that are a page's furniture: page numbers (「- 3 -」, 「第 3 页」, 「3/9」,
    or a bare number just before the form feed that ends its page) and running heads
    (the line after a form feed, when a blank line follows it, and it ends in no row of
    numbers)."""
    out, next_content = set(), None
    for i in range(len(lines) - 1, -1, -1):
        raw = lines[i].raw
        if lines[i].blank:
            continue
        breaks_after = next_content is not None and lines[next_content].raw.lstrip(" \t").startswith("\f")
        if _PAGE_NUMBER.fullmatch(raw) or (breaks_after and _BARE_NUMBER.fullmatch(raw)):
            out.add(i)
        elif raw.lstrip(" \t").startswith("\f") and (i + 1 == len(lines) or lines[i + 1].blank) \
                and len(_values(lines[i])[1]) < 2:
            out.add(i)          # (a line ending in numbers is a row at the top of the page)
        next_content = i
    return out


_BARE_NUMBER = regex(r"[ \t]*\d{1,4}[ \t]*")


def _page_gaps(lines, furniture):
    """The blank lines that only end a page (a page number, or a form feed, before the
    next line of content): a row's label goes on across them."""
    gaps, ahead = set(), False
    for i in range(len(lines) - 1, -1, -1):
        if i in furniture:
            ahead = True
        elif lines[i].blank:
            if ahead:
                gaps.add(i)
        else:
            ahead = lines[i].raw.lstrip(" \t").startswith("\f")
    return gaps


def _columns(lines, data, measure, k):
    """The bounds of the k value columns in a measure, from the rows that fill them all,
    and how far their numbers stray from one line; None when they overlap."""
    full = [i for i in data if len(_values(lines[i])[1]) == k]
    spans = []
    for i in full:
        pos = lines[i].pos(measure)
        spans.append([(pos[s], pos[e]) for s, e, _ in _values(lines[i])[1]])
    if not spans:
        return None, 0
    # Rows lined up with the others: each number overlaps the middle row's number.
    middle = [sorted(s[c] for s in spans)[len(spans) // 2] for c in range(k)]
    aligned = [s for s in spans if all(a < mb + 1 and b > ma - 1 for (a, b), (ma, mb) in zip(s, middle))]
    if len(aligned) * 2 < len(spans):
        return None, 0
    hulls = [(min(s[c][0] for s in aligned), max(s[c][1] for s in aligned)) for c in range(k)]
    if any(hulls[c][1] > hulls[c + 1][0] for c in range(k - 1)):
        return None, 0
    stray = sum(h[1] - h[0] - max(s[c][1] - s[c][0] for s in aligned) for c, h in enumerate(hulls))
    return hulls, stray


def _value_count(lines, data):
    """The number of value columns: the most values that two rows hold (one row: its own).
    Rows of one number each tell nothing of the columns (the small tables of 二, one
    column each, under a table of three): then the most values any row holds."""
    counts = {}
    for i in data:
        n = len(_values(lines[i])[1])
        counts[n] = counts.get(n, 0) + 1
    shared = [n for n, c in counts.items() if c >= 2]
    k = max(shared or counts)
    return max(counts) if k == 1 else k


def unruled_rows(lines, indexes, furniture):
    """Rows of the unruled table among `indexes` (lines of no ruled table):
    ([(kind, line index, cells)], first line, last line), kind 'row' or 'text'; None when
    there is no such table."""
    usable = [i for i in indexes if not lines[i].blank and i not in furniture]
    data = [i for i in usable if _values(lines[i])[1]]
    if not data:
        return None
    k = _value_count(lines, data)
    best = None
    for measure in ("display", "chars"):
        hulls, stray = _columns(lines, data, measure, k)
        if hulls is None:
            continue
        # Fewer strays first; on a tie (one full row, say), the measure that puts more of
        # the shorter rows' numbers one in each column.
        fit = (stray, -sum(1 for i in data if 0 < len(_values(lines[i])[1]) < k and
                           _slots(lines[i], _values(lines[i])[1], hulls, measure) is not None))
        if best is None or fit < best[2]:
            best = (measure, hulls, fit)
    measure, hulls = (best[0], best[1]) if best else ("display", None)
    value_start = hulls[0][0] if hulls else min(lines[i].pos(measure)[_values(lines[i])[1][0][0]] for i in data)

    def in_value_area(i):
        pos = lines[i].pos(measure)
        return any(pos[a] >= value_start for a, _, _ in lines[i].words)

    first, last = data[0], data[-1]
    # Above the first row: header lines (text over the value columns) and the first
    # label's own lines, back to a line of text alone after a blank line.
    top = first
    at = indexes.index(first)
    while at > 0:
        i = indexes[at - 1]
        if lines[i].blank or i in furniture:
            at -= 1
            continue
        if in_value_area(i) or not lines[indexes[at]].blank:
            top, at = i, at - 1
            continue
        break
    bottom = last
    at = indexes.index(last)
    if at + 1 < len(indexes) and not lines[indexes[at + 1]].blank and not in_value_area(indexes[at + 1]) \
            and (at + 2 >= len(indexes) or lines[indexes[at + 2]].blank):
        # The last label's line below its numbers, where the table ends with it. A line
        # that more text follows may as well be the label of a row left blank (its
        # values all empty): it is not taken for the end of the label above.
        bottom = indexes[at + 1]
    inside = [i for i in indexes if top <= i <= bottom]
    rows = _assemble(lines, inside, set(data), k, hulls, measure, in_value_area, furniture,
                     _page_gaps(lines, furniture))
    return rows, top, bottom


def _assemble(lines, inside, data, k, hulls, measure, in_value_area, furniture, page_gaps):
    """Rows from the lines of one unruled table: labels joined to their numbers.

    A label's lines above its numbers wait for them; lines right below a row's numbers
    that a blank line ends (and no numbers follow first) are the end of its label, and so
    are the lines below a row up to the next line that opens with a list number.
    """
    out, pending = [], []
    previous, touching = None, False   # the last row; no blank line since it
    for i in inside:
        line = lines[i]
        if i in furniture or i in page_gaps:
            continue
        if line.blank:
            if pending and touching:
                previous[2].extend(pending)
                pending = []
            touching = False
            continue
        if i in data:
            if pending and touching:
                # Label lines between two rows: the first that opens with a list number
                # (（一）, 1., 一、) opens the next label; with none, the next row's own
                # numbered label says they close the row above.
                opening = [n for n, j in enumerate(pending) if _NUMBERED.match(lines[j].text)]
                split = opening[-1] if opening else \
                    (len(pending) if _values(line)[0] and _NUMBERED.match(line.text) else 0)
                previous[2].extend(pending[:split])
                pending = pending[split:]
            previous = ["row", i, pending + [i]]
            out.append(previous)
            pending, touching = [], True
        elif in_value_area(i):
            _flush(out, pending)
            out.append(["text", i, [i]])
            pending, previous, touching = [], None, False
        else:
            pending.append(i)
    if pending and previous is not None and touching:
        previous[2].extend(pending)
    else:
        _flush(out, pending)
    out = stacked_rows(lines, join_split_rows(lines, out, k, hulls, measure, _values, _slots),
                       k, hulls, measure, _values, _slots)
    rows = []
    for kind, i, group in out:
        if kind == "stacked":
            rows += [("row", i, [(label, place)] + values) for label, place, values in group]
        elif kind == "split":
            rows.append(("row", i, split_cells(*group, lambda e: _label_cells(lines, e), lines, hulls, measure,
                                               _values, _slots)))
        else:
            rows.append((kind, i, _cells(lines, group, i, data, k, hulls, measure) if kind == "row"
                         else _text_cells(lines, group)))
    return rows


def _label_cells(lines, entry):
    """The label of a row entry as one cell ([] when it has none)."""
    _, at, group = entry
    parts, place = [], None
    for i in group:
        cut = _values(lines[i])[0] if i == at else len(lines[i].words)
        words = lines[i].words[:cut]
        if words:
            parts.append(" ".join(w[2] for w in words))
            place = place or (i + 1, words[0][0] + 1)
    return [(join_pieces(parts), place)] if parts else []


def _flush(out, pending):
    if pending:
        out.append(["text", pending[0], pending])


def _text_cells(lines, group):
    """A line (or lines) of text in the table: cells split at runs of two spaces or more."""
    cells = []
    for i in group:
        text = lines[i].text
        for m in re.finditer(r"\S+(?: \S+)*", text):
            cells.append((m.group(), (i + 1, m.start() + 1)))
    return cells


def _cells(lines, group, at, data, k, hulls, measure):
    """A row: its label (the text of its lines before the numbers) and its values."""
    label_parts, label_place = [], None
    for i in group:
        line = lines[i]
        cut = _values(line)[0] if i == at else len(line.words)
        words = line.words[:cut]
        if words:
            label_parts.append(" ".join(w[2] for w in words))
            label_place = label_place or (i + 1, words[0][0] + 1)
    cells = [(join_pieces(label_parts), label_place)] if label_parts else []
    values = _values(lines[at])[1]
    # 「02」: digits of two rows run together, not a count.
    clean = [v for v in values if not _RUN_TOGETHER.match(v[2])]
    in_order = cells + [(v[2], (at + 1, v[0] + 1)) for v in clean]
    if len(clean) < len(values):
        return in_order                      # short: the mapping reports the row
    if len(values) == k or hulls is None:
        return in_order                      # every column holds one number (or unknown columns)
    slots = _slots(lines[at], values, hulls, measure)
    if slots is None:
        return in_order                      # not one number in each column: short
    blank = {c for c, s in enumerate(slots) if s is None}
    for near in (at - 1, at + 1):
        # Numbers of a short row next to it in a blank's column: one row's numbers may
        # have been split over two lines, so the blank is not certain.
        if near in data and len(_values(lines[near])[1]) < k:
            other = _slots(lines[near], _values(lines[near])[1], hulls, measure, strict=False)
            if any(s is not None and c in blank for c, s in enumerate(other)):
                return in_order
    return cells + [((v[2], (at + 1, v[0] + 1)) if v else ("", None)) for v in slots]


_NUMBERED = regex(r"[ \t]*(?:\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、])")
_RUN_TOGETHER = regex(r"[-+]?0\d")


def _slots(line, values, hulls, measure, strict=True):
    """Each value column's number on a line, None where it is blank; None when the numbers
    do not stand one in each column (with strict=False: the columns that could be told)."""
    pos = line.pos(measure)
    slots, last = [None] * len(hulls), -1
    for value in values:
        a, b = pos[value[0]], pos[value[1]]
        hit = [c for c, (hs, he) in enumerate(hulls) if a < he and b > hs]
        if len(hit) != 1 or hit[0] <= last:
            if strict:
                return None
            continue
        last = hit[0]
        slots[last] = value
    return slots
