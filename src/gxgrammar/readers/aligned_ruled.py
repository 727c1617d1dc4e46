"""Ruled tables for the aligned reader: pandoc's simple and multiline tables.

The rule of dashes gives the columns (`------ ------`); a header stands above the rule;
rows are one a line, or (a multiline table, or a table closed by a second rule with
blank lines inside) groups of lines between blank lines. Every word falls in the column
whose bounds hold it; NFKC made each full-width character before it one column
narrower, so a word may stand that many columns left of where it was drawn and is
placed only where that leaves one column.
"""
from __future__ import annotations

from bisect import bisect_right

from gxgrammar.cache import regex
from gxgrammar.readers.aligned_text import join_pieces

# pandoc draws an empty column of a table as a run of two dashes (`---- -- --`).
_DASHES = regex(r"-{2,}")
_RULE = regex(r"[ \t]*-{2,}(?:[ \t]+-{2,})*[ \t]*")


def _rule_runs(line):
    """The dash runs of a rule line as (start, end) display columns, or None."""
    if "---" not in line.text or not _RULE.fullmatch(line.text):
        return None
    pos = line.pos("display")
    return [(pos[m.start()], pos[m.end()]) for m in _DASHES.finditer(line.text)]


def ruled_tables(lines):
    """(first line, last line, columns, rows as lists of line indexes) of each ruled table."""
    rules = [_rule_runs(l) for l in lines]
    tables, i, n = [], 0, len(lines)
    while i < n:
        runs = rules[i]
        if not runs or len(runs) < 2:
            i += 1
            continue
        # The header: the lines right above the rule (up to a blank line or a full rule).
        h = i
        while h > 0 and not lines[h - 1].blank and rules[h - 1] is None:
            h -= 1
        full_above = h > 0 and rules[h - 1] is not None and len(rules[h - 1]) == 1
        close = None
        for j in range(i + 1, n):
            if rules[j] is not None and (len(rules[j]) == 1 if full_above else len(rules[j]) == len(runs)):
                close = j
                break
            if close is None and not full_above and h < i and lines[j].blank:
                break          # a simple table with a header ends at a blank line
        if close is None:
            end = i + 1
            while end < n and not lines[end].blank and rules[end] is None:
                end += 1
            body, last = list(range(i + 1, end)), end - 1
        else:
            body, last = list(range(i + 1, close)), close
        multiline = full_above or (close is not None and any(lines[k].blank for k in body))
        rows = [list(range(h, i))] if h < i else []
        if multiline:
            group = []
            for k in body:
                if lines[k].blank:
                    if group:
                        rows.append(group)
                    group = []
                else:
                    group.append(k)
            if group:
                rows.append(group)
        else:
            rows.extend([k] for k in body if not lines[k].blank)
        if rows:
            tables.append((h - 1 if full_above else h, last, runs, rows))
        i = last + 1
    return tables


def left_aligned(lines, rows, columns):
    """The columns whose text starts at the column's left edge wherever it could not
    have moved (no full-width character before it on its line)."""
    starts = [cs for cs, _ in columns]
    seen, left = set(), set(range(len(columns)))
    for row in rows:
        for k in row:
            line = lines[k]
            pos = line.pos("display")
            for (a, b, _), slack in zip(line.words, line.narrowed_before()):
                if slack:
                    break
                c = _column_holding(pos[a], pos[b], columns, starts)
                if c is not None and c not in seen:
                    seen.add(c)
                    if pos[a] != columns[c][0]:
                        left.discard(c)
                elif c is not None:
                    seen.add(c)
    return left & seen


def ruled_row(lines, indexes, columns, left=frozenset()):
    """The cells of one row of a ruled table: [(text, place)], doubtful cells left out."""
    pieces = [[] for _ in columns]
    places = [None] * len(columns)
    doubtful = set()
    starts = [cs for cs, _ in columns]
    for k in indexes:
        per_column = {}
        for words, column_of in _placed(lines[k], columns, starts, doubtful, left):
            for (start, _, text), c in zip(words, column_of):
                per_column.setdefault(c, []).append(text)
                if places[c] is None:
                    places[c] = (k + 1, start + 1)
        for c, words in sorted(per_column.items()):
            pieces[c].append(" ".join(words))
    return [(join_pieces(pieces[c]), places[c]) for c in range(len(columns)) if c not in doubtful]


_MAX_SHIFTS = 16


def _placed(line, columns, starts, doubtful, left):
    """The words of a line with the column each stands in.

    Words after the same full-width characters (now narrowed by NFKC) moved left by
    the same unknown amount: each run of them is placed with the shifts that put every
    word of the run inside a column; where no shift, or shifts placing them differently,
    do, the columns they may stand in are doubtful and the words are left out. Of several
    placings, the one that starts each cell at the left edge of a column whose text
    starts there wherever it could not have moved is taken, if it is the only such one.
    """
    pos = line.pos("display")
    slack = line.narrowed_before()
    shifts, seen = {0}, 0
    before = None          # (column, end) of the last word placed
    n = len(line.words)
    i = 0
    while i < n:
        j = i
        while j < n and slack[j] == slack[i]:
            j += 1
        run = line.words[i:j]
        grow = slack[i] - seen
        seen = slack[i]
        # Too many shifts to try are kept as their range: a line of thousands of narrowed
        # characters costs one step each, not a set as wide as the line.
        if grow:
            if isinstance(shifts, range):
                shifts = range(shifts.start, shifts.stop + grow)
            else:
                shifts = {s + d for s in shifts for d in range(grow + 1)}
        if not isinstance(shifts, range) and len(shifts) > _MAX_SHIFTS:
            shifts = range(min(shifts), max(shifts) + 1)
        found = {}
        if len(shifts) <= _MAX_SHIFTS:
            for s in sorted(shifts):
                column_of = [_column_holding(pos[a] + s, pos[b] + s, columns, starts) for a, b, _ in run]
                if None not in column_of and _one_cell_one_space(run, column_of, before):
                    found.setdefault(tuple(column_of), set()).add(s)
        if len(found) > 1:
            found = {cols: kept for cols, fit in found.items()
                     for kept in [{s for s in fit if _starts_left(pos, run, cols, s, columns, left)}] if kept}
        if len(found) == 1:
            (column_of, fitting), = found.items()
            shifts = fitting
            before = (column_of[-1], run[-1][1])
            yield run, column_of
        else:
            before = None
            lo, hi = (shifts.start, shifts.stop - 1) if isinstance(shifts, range) else (min(shifts), max(shifts))
            for a, b, _ in run:
                doubtful.update(c for c, (cs, ce) in enumerate(columns) if pos[a] + lo < ce and pos[b] + hi > cs)
        i = j


def _one_cell_one_space(run, column_of, before):
    """Words of one cell on a line stand one space apart: more spaces part two cells."""
    previous = before
    for (a, b, _), c in zip(run, column_of):
        if previous is not None and previous[0] == c and a - previous[1] > 1:
            return False
        previous = (c, b)
    return True


def _starts_left(pos, run, column_of, shift, columns, left):
    """Each word that opens its cell on the line starts at its column's left edge, where
    that column's text is left-aligned (and at least one such word does)."""
    opened, checked = set(), False
    for (a, _, _), c in zip(run, column_of):
        if c in opened:
            continue
        opened.add(c)
        if c in left:
            checked = True
            if pos[a] + shift != columns[c][0]:
                return False
    return checked


def _column_holding(a, b, columns, starts):
    """The column whose bounds hold [a, b), or None."""
    c = bisect_right(starts, a) - 1
    if c >= 0 and b <= columns[c][1]:
        return c
    return None
