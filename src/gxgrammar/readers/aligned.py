"""The `aligned` table reader: tables drawn as columns of text aligned by spaces.

Converters draw a table in two dimensions: pandoc's plain and Markdown output (simple
and multiline tables, with rules of dashes), lynx's dumps, `pdftotext -layout`. A
cell's text may go on down its column over several lines, so one visual row is many
text lines. This reader finds the columns from the whole table and rebuilds the rows
as cell rows (readers.rows), each cell with the place of its first character.

- **Ruled tables** (pandoc): the rule of dashes gives the columns (`------ ------`).
  A header stands above the rule; rows are one a line, or (a multiline table, or a
  table closed by a second rule with blank lines inside) groups of lines between blank
  lines. Every word falls in the column whose bounds hold it.
- **Unruled tables** (lynx, pdftotext): a line ending in numbers is a row. The number
  of value columns is what the full rows hold; their numbers, column by column, give
  each column's bounds (in display columns, a CJK character two wide, or in characters,
  as pdftotext counts, whichever lines the numbers up better). A row with fewer numbers
  has its blanks where no number stands in a column. Text lines between rows are the
  pieces of a label wrapped over lines (or written down the side); lines with text
  above the numbers are header rows. Page numbers and running heads are left out.

Nothing is guessed: a word that no column holds for certain, or a short row whose
numbers do not sit one in each column, makes the row short (the doubtful cells are left
out), and the national mapping reports a row that comes out short. The lines come
NFKC-normalised, so a full-width bracket drawn two wide is one wide now: a word may
stand up to that many columns left of where it was drawn, and is placed only where
that leaves one column.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from gxgrammar.readers import Rebuilt, register_table_reader
from gxgrammar.readers.rows import CellRowsWriter

_WORD = re.compile(r"\S+")
_DASHES = re.compile(r"-{3,}")
_RULE = re.compile(r"[ \t]*-{3,}(?:[ \t]+-{3,})*[ \t]*")
_VALUE = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:万元|元|%)?|[—–/]{1,3}|-{1,2}")
# Page furniture of a PDF's text: 「- 3 -」, 「第 3 页 共 9 页」, 「3/9」.
_PAGE_NUMBER = re.compile(r"[ \t\f]*(?:[-—–][ \t]?\d{1,4}[ \t]?[-—–]|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[,，/]?[ \t]*"
                          r"共[ \t]*\d{1,4}[ \t]*页)?|共[ \t]*\d{1,4}[ \t]*页[ \t]*第[ \t]*\d{1,4}[ \t]*页|"
                          r"\d{1,4}[ \t]*/[ \t]*\d{1,4})[ \t]*")
# ASCII punctuation: what NFKC makes of full-width punctuation (（）：，；), one column narrower.
_NARROWED = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


# --- measuring ---------------------------------------------------------------------------

def _display_positions(line):
    """The display column where each character starts, and the line's width (last item)."""
    if line.isascii():
        return list(range(len(line) + 1))
    out, x = [], 0
    for ch in line:
        out.append(x)
        x += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    out.append(x)
    return out


def _char_positions(line):
    return range(len(line) + 1)


MEASURES = {"display": _display_positions, "chars": _char_positions}


class _Line:
    """One line: its words, each as (start, end, text) in characters, measured once."""

    __slots__ = ("raw", "text", "words", "_pos", "_narrowed")

    def __init__(self, text):
        self.raw = text
        self.text = text.replace("\f", " ").replace("\t", " ")
        self.words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.text)]
        self._pos = {}
        self._narrowed = None

    def pos(self, measure):
        if measure not in self._pos:
            self._pos[measure] = MEASURES[measure](self.text)
        return self._pos[measure]

    def narrowed_before(self):
        """For each word, how many characters before it NFKC may have made narrower."""
        if self._narrowed is None:
            counts, seen, at = [], 0, 0
            for start, _, _ in self.words:
                seen += sum(1 for ch in self.text[at:start] if ch in _NARROWED)
                at = start
                counts.append(seen)
            self._narrowed = counts
        return self._narrowed

    @property
    def blank(self):
        return not self.words


def _join(parts):
    """Pieces of a cell's text from successive lines: CJK text joins up, words get a space."""
    out = ""
    for part in parts:
        if out and not (_wide(out[-1]) or _wide(part[0])):
            out += " "
        out += part
    return out


def _wide(ch):
    return unicodedata.east_asian_width(ch) in "WF"


# --- ruled tables (pandoc) ---------------------------------------------------------------

def _rule_runs(line):
    """The dash runs of a rule line as (start, end) display columns, or None."""
    if "-" not in line.text or not _RULE.fullmatch(line.text):
        return None
    pos = line.pos("display")
    return [(pos[m.start()], pos[m.end()]) for m in _DASHES.finditer(line.text)]


def _ruled_tables(lines):
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


def _left_aligned(lines, rows, columns):
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


def _ruled_row(lines, indexes, columns, left=frozenset()):
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
    return [(_join(pieces[c]), places[c]) for c in range(len(columns)) if c not in doubtful]


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
        if grow:
            shifts = {s + d for s in shifts for d in range(grow + 1)}
        if len(shifts) > _MAX_SHIFTS:
            shifts = set(range(min(shifts), max(shifts) + 1))
        found = {}
        if len(shifts) <= _MAX_SHIFTS:
            for s in sorted(shifts):
                column_of = [_column_holding(pos[a] + s, pos[b] + s, columns, starts) for a, b, _ in run]
                if None not in column_of and _one_cell_one_space(run, column_of, before):
                    found.setdefault(tuple(column_of), set()).add(s)
        if len(found) > 1:
            found = {cols: fit for cols, fit in found.items()
                     if all(_starts_left(pos, run, cols, s, columns, left) for s in fit)}
        if len(found) == 1:
            (column_of, fitting), = found.items()
            shifts = fitting
            before = (column_of[-1], run[-1][1])
            yield run, column_of
        else:
            before = None
            lo, hi = min(shifts), max(shifts)
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


# --- unruled tables (lynx, pdftotext -layout) --------------------------------------------

def _values(line):
    """The words at the end of a line that are numbers (or a dash for a blank), in order."""
    words = line.words
    k = len(words)
    while k > 0 and _VALUE.fullmatch(words[k - 1][2]):
        k -= 1
    return k, words[k:]


def _furniture(lines):
    """The lines that are a page's furniture: page numbers (「- 3 -」, 「第 3 页」, 「3/9」,
    or a bare number just before the form feed that ends its page) and running heads
    (the line after a form feed, when a blank line follows it)."""
    out, next_content = set(), None
    for i in range(len(lines) - 1, -1, -1):
        raw = lines[i].raw
        if lines[i].blank:
            continue
        breaks_after = next_content is not None and lines[next_content].raw.lstrip(" \t").startswith("\f")
        if _PAGE_NUMBER.fullmatch(raw) or (breaks_after and _BARE_NUMBER.fullmatch(raw)):
            out.add(i)
        elif raw.lstrip(" \t").startswith("\f") and (i + 1 == len(lines) or lines[i + 1].blank):
            out.add(i)
        next_content = i
    return out


_BARE_NUMBER = re.compile(r"[ \t]*\d{1,4}[ \t]*")


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
    """The number of value columns: the most values that two rows hold (one row: its own)."""
    counts = {}
    for i in data:
        n = len(_values(lines[i])[1])
        counts[n] = counts.get(n, 0) + 1
    shared = [n for n, c in counts.items() if c >= 2]
    return max(shared or counts)


def _unruled_rows(lines, indexes, furniture):
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
        if hulls is not None and (best is None or stray < best[2]):
            best = (measure, hulls, stray)
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
    if at + 1 < len(indexes) and not lines[indexes[at + 1]].blank and not in_value_area(indexes[at + 1]):
        bottom = indexes[at + 1]       # the last label's line below its numbers
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
    return [(kind, i, _cells(lines, group, i, data, k, hulls, measure) if kind == "row"
             else _text_cells(lines, group)) for kind, i, group in out]


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
    cells = [(_join(label_parts), label_place)] if label_parts else []
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


_NUMBERED = re.compile(r"[ \t]*(?:\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、])")
_RUN_TOGETHER = re.compile(r"[-+]?0\d")


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


# --- the reader --------------------------------------------------------------------------

@register_table_reader("aligned", "Tables drawn as columns of text aligned by spaces "
                                  "(pandoc plain/Markdown, lynx, pdftotext -layout)")
def read(lines):
    """Rebuild the tables of one section drawn as aligned columns; None when there is none."""
    parsed = [_Line(l) for l in lines]
    writer = CellRowsWriter()
    ruled = _ruled_tables(parsed)
    in_ruled = set()
    for first, last, _, _ in ruled:
        in_ruled.update(range(first, last + 1))
    rest = [i for i in range(len(parsed)) if i not in in_ruled]
    furniture = _furniture(parsed)
    unruled = None if ruled else _unruled_rows(parsed, rest, furniture)
    if not ruled and not unruled:
        return None
    emitted = {}
    for first, last, columns, rows in ruled:
        left = _left_aligned(parsed, rows, columns)
        emitted[first] = [("row", r[0], _ruled_row(parsed, r, columns, left)) for r in rows]
        for i in range(first + 1, last + 1):
            emitted[i] = []
    if unruled:
        unruled, top, bottom = unruled
        for i in range(top, bottom + 1):
            emitted.setdefault(i, [])
        for kind, i, cells in unruled:
            emitted[i].append((kind, i, cells))
    for i, line in enumerate(parsed):
        if i in emitted:
            for kind, at, cells in emitted[i]:
                writer.row(cells, (at + 1, 1))
        elif not line.blank and i not in furniture:
            writer.text(line.text, (i + 1, line.words[0][0] + 1))
    return Rebuilt(writer.lines, writer.places)
