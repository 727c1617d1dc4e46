"""Rows wrapped to a width, for the columns reader (readers/columns.py).

pandoc writes a table inside the cell of a page's layout table as a simple table, and
wraps its lines to the cell's width: a row becomes its label's line (with its first
numbers, or none, when the label filled the width) and lines of numbers after it.

    规章                  0              一、本年新收政府信息公开申
                  0                43    请数量
                                                       99           13
                                         8              122        88
                                                 151            121    719

Each line of numbers is its row's. Where a row has more numbers than cells, the wrap
cut a number in two at a line's end (「13」 / 「8」 is 138 above: the next line starts at
its first column); a row whose own identity (总计 = the six applicants' sum) judges the
ways to put the pieces back together is read where exactly one way keeps it.
"""
from __future__ import annotations

from itertools import combinations

from gxgrammar import national as nf
from gxgrammar.cache import regex
from gxgrammar.readers.column_readings import UNCERTAIN, holds_all, identity_checks, own_identities

MAX_CUTS = 6                # places a row's numbers may have been cut, judged at most


def wrapped(pieces):
    """Whether some row goes on past its label's line: a line of numbers alone just after
    it (a row wrapped to a width: 「规章    0」 / 「   0    0」)."""
    return any(a.label and not b.label and b.line == a.line + 1 for a, b in zip(pieces, pieces[1:]))


def rows_of_lines(table, template, shape, pieces, worded, lines):
    """[[row index, pieces]] when every line of numbers follows its row's label: on the
    label's own line, after the label's line or lines, or after a line of numbers of the
    same row (blank lines between). None when a line of numbers follows no label of the
    block's rows, or a row comes twice."""
    index = {key: i for i, (key, _, _) in enumerate(shape.rows)}
    numbered = {p.line for p in pieces}
    rows, seen = [], set()
    for piece in pieces:
        if piece.label:
            if len(piece.options) != 1 or piece.options[0] is None:
                return None
            r = piece.options[0]
        else:
            r = _row_before(table, template, index, worded, lines, numbered, piece.line)
            if r is None:
                return None
            if r == "same":
                if not rows:
                    return None
                rows[-1][1].append(piece)
                continue
        if r in seen:
            return None
        seen.add(r)
        rows.append([r, [piece]])
    return rows


def _row_before(table, template, index, worded, lines, numbered, n):
    """The row the words just before line n (1-based) name ("same" when a line holding
    numbers stands there); None when they name none of the block's rows. A label whose
    last line comes after its numbers (「2.其他法律行\\」 / numbers / 「政法规禁止公开」, pandoc's
    cell with a <br>) is named with that line, when it opens no label of its own."""
    words, k = [], n - 1
    while k > 0 and len(words) < 3:
        if not lines[k - 1].strip():
            k -= 1
            continue
        if k in numbered:
            if not words:
                return "same"
            break
        words.insert(0, worded[k])
        row = _named(table, template, index, words)
        if row is not None:
            return row
        if _OPENS_LABEL.match(words[0]):
            break               # the label starts here: the lines above are another row's
        k -= 1
    after = next((worded[k] for k in range(n + 1, min(len(worded), n + 6))
                  if lines[k - 1].strip() and k not in numbered), "")
    if words and after and not _OPENS_LABEL.match(after):
        return _named(table, template, index, words + [after])
    return None


# How a row's label opens (一、 （一） 1.): a line of words opening so is a label of its own.
_OPENS_LABEL = regex(r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、．]")


def _named(table, template, index, words):
    row = nf.match_row(table, "".join(words), template)
    return index[row.key] if row is not None and row.key in index else None


def short_rows(table, template, shape, pieces, worded, lines):
    """The rows (indexes) short of numbers in a table wrapped to a width, or None when its
    rows are not whole; each line of numbers is given to its row. A row holding fewer
    numbers than cells has a blank one, which cannot be told apart: none of its cells is
    read. A row holding more (「其他对外管理服务事项 1」 / 「7 -2 95」: a number cut in two)
    is no wrapped row: None, for the row layouts to say what it holds."""
    rows = rows_of_lines(table, template, shape, pieces, worded, lines)
    if rows is None:
        return None
    counts = {}
    for r, group in rows:
        for piece in group:
            piece.options = (r,)
        counts[r] = sum(len(p.values) for p in group)
    if any(n > shape.rows[r][2] for r, n in counts.items()):
        return None
    return {r for r, n in counts.items() if n < shape.rows[r][2]}


def cut_rows(table, template, shape, pieces, worded, lines):
    """{cell index: value or UNCERTAIN} for a table whose rows each follow their label and
    whose numbers a wrap may have cut in two; None when its lines are not so (no row's
    numbers go on over lines, or a row holds more than a wrap's cuts explain), or no row
    has an identity of its own to judge the cuts by."""
    own = own_identities(shape, identity_checks(table, template, shape))
    rows = rows_of_lines(table, template, shape, pieces, worded, lines) if own else None
    if rows is None or all(len(group) == 1 for _, group in rows):
        return None             # rows written whole, one a line: no wrap, for the row layouts
    first = {r: min(k for k, (rr, _) in enumerate(shape.cells) if rr == r) for r in range(len(shape.rows))}
    out = {k: UNCERTAIN for k in range(len(shape.cells))}
    for r, group in rows:
        width, start = shape.rows[r][2], first[r]
        values, cuts = [], []
        for piece in group:
            if values and piece.values[0][2] == 1 and piece.values[0][0].isdigit() and values[-1][0].isdigit():
                cuts.append(len(values))          # the line starts where the last one ended
            values.extend(piece.values)
        needed = len(values) - width
        if needed > len(cuts):
            # The lines of numbers are not each their label's row: plain pdftotext puts a
            # row's numbers before its label too (「8.属于行政查询事项」 / its numbers / the
            # next row's / 「1.本机关不掌握…」), and a row read so takes the next row's.
            return None
        if needed < 0 or len(cuts) > MAX_CUTS:
            continue
        kept = {}
        for joined in combinations(cuts, needed):
            cells = _joined(values, set(joined))
            reading = {start + c: v for c, v in enumerate(cells)}
            if holds_all(reading, own.get(r, ())):
                kept.setdefault(tuple(v[0] for v in cells), reading)
        if len(kept) == 1:
            out.update(next(iter(kept.values())))
    return out


def _joined(values, at):
    """The values with each one at an index in `at` joined to the one before it."""
    out = []
    for i, v in enumerate(values):
        if i in at:
            text, line, column = out[-1]
            out[-1] = (text + v[0], line, column)
        else:
            out.append(v)
    return out
