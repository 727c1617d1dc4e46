"""Tables drawn with box characters: the grid behind the lines, rebuilt as cell rows.

`w3m -dump`, tabulate, rich, pandoc's grid tables and many terminal tools draw a
table in two dimensions, light, heavy or double, or in ASCII:

    ┌────┬──────┐        +------+------+
    │规章│0     │        | 规章 | 0    |
    ├────┼──────┤        +======+======+

One visual row is many lines: a cell's text goes on down its column, a merged cell
has no bar (a cell spanning columns) or no rule (a cell spanning rows) inside it, and
its text may stand at its top or in its middle. A line-based grammar cannot read that,
so this reader rebuilds the grid first:

1. The vertical lines. The top line of a box is all rules, so its junctions (┌ ┬ ┐)
   give the columns of its vertical lines. Each line below continues them: its k-th
   character with a stroke going up (│ ├ ┼ └ …) is the k-th line open from above, in
   order, whatever the text before it. So a line's text may be narrower than it was
   drawn (NFKC makes （ and U+3000 half-width) without moving a cell; display widths
   (unicodedata.east_asian_width: a CJK character takes two columns) are only needed
   where a line starts a vertical line after text.
2. The cells. Between two vertical lines a line holds a rule (─ ═ - =) or text. Text
   that no bar separates from its neighbour on the same line, or no rule from the line
   above, is one cell: a region bounded by rules and bars, however many columns and
   lines it spans. Its pieces, top to bottom, are its text (a label wrapped inside its
   column joins up again: 商业 + 企业).
3. The rows. Every line with a rule on it ends a row; a cell belongs to the row in
   which it starts, and a merged cell's text stands in its first slot with the slots it
   spans left empty, as the web page reader writes rowspan and colspan. Tables drawn
   without rules between their rows (rich, tabulate's outline styles, psql) are split
   at each line that holds numbers, a line of text alone continuing the row above.

The rows are written as readers.rows cell rows; the text around the boxes as lines of
text. Every cell keeps the place of its first character (line of the given lines,
column in it). Work is linear in the input: each line is read once, and the cells are
joined with a union-find over the line's pieces.
"""
from __future__ import annotations

import unicodedata

from gxgrammar.cache import regex
from gxgrammar.readers import Rebuilt, register_table_reader
from gxgrammar.readers.rows import CellRowsWriter

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
_VERTICAL = UP | DOWN


def _stroke_table():
    """The strokes of every box-drawing character (U+2500–U+257F), from its Unicode name:
    「BOX DRAWINGS HEAVY VERTICAL AND LIGHT LEFT」 goes up, down and left."""
    table = {}
    for code in range(0x2500, 0x2580):
        words = unicodedata.name(chr(code), "").split()
        if "DIAGONAL" in words:
            continue
        bits = (UP if "UP" in words else 0) | (DOWN if "DOWN" in words else 0) \
            | (LEFT if "LEFT" in words else 0) | (RIGHT if "RIGHT" in words else 0) \
            | (_VERTICAL if "VERTICAL" in words else 0) | (LEFT | RIGHT if "HORIZONTAL" in words else 0)
        if bits:
            table[chr(code)] = bits
    return table


STROKES = _stroke_table()
_TOP_LEFT = regex(r"[┌┍┎┏╒╓╔╭][─━═┄┅┈┉╌╍]|(?<!\S)\+[-=:]{2}")
_VALUE = regex(r"[-+−]?\d[\d,]*(?:\.\d+)?%?|[-—–/\\]+|无")
MAX_COLUMNS = 256                  # more vertical lines than any report's table: not a table


def width(ch):
    """Display columns of one character: 2 for wide and full-width (CJK), 0 for marks."""
    if ch < "\u0300":
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class _Widths(dict):
    def __missing__(self, ch):
        self[ch] = w = 1 if ch in STROKES else width(ch)
        return w


_WIDTHS = _Widths()


def text_width(text):
    """Display columns of a text (box characters take one)."""
    return len(text) if text.isascii() else sum(map(_WIDTHS.__getitem__, text))


_UNICODE_VERTICAL = regex("[" + "".join(c for c, s in STROKES.items() if s & _VERTICAL) + "]")
_UNICODE_RULE = regex("[" + "".join(c for c, s in STROKES.items() if not s & _VERTICAL) + "]+")
_UNICODE_TOP = regex("[" + "".join(STROKES) + "]+")
_ASCII_VERTICAL = regex(r"[|+]")
_ASCII_RULE = regex(r"[-=:+]+")           # +----+, +====+, +:---:+
_PLAIN = regex(r"[\u2500-\u257f |\-=:+]*")    # nothing between two marks whose width NFKC changes


@register_table_reader("box", "Tables drawn with box characters (┌─┬┐ │ ├─┼┤ └─┴┘, +---+ |): merged and wrapped cells")
def read(lines):
    """The cell rows of the boxes among `lines`, and the lines around them as text; None
    when no box is drawn there."""
    boxes = list(_boxes(lines))
    if not boxes:
        return None
    out = CellRowsWriter()
    y = 0
    for box in boxes:
        for n in range(y, box.first):
            _text_line(out, lines[n], n)
        box.write(out)
        y = box.last + 1
    for n in range(y, len(lines)):
        _text_line(out, lines[n], n)
    return Rebuilt(out.lines, out.places)


def boxes_and_cells(lines):
    """(box, its cells) for every box among the lines: a cell is its pieces top to bottom,
    each with its line (.n), its place between its bars (.start, .end) and its text."""
    for b in _boxes(lines):
        yield b, _cells(b.lines)


def _text_line(out, line, n):
    stripped = line.lstrip()
    if stripped.strip():
        out.text(stripped, (n + 1, len(line) - len(stripped) + 1))


# --- finding the boxes and their vertical lines -----------------------------------------

class _Line:
    """One line of a box: its vertical lines [(index, x, strokes)] and the pieces between them."""
    __slots__ = ("n", "marks", "pieces", "ruled")

    def __init__(self, n, marks):
        self.n, self.marks = n, marks
        self.pieces = []           # [_Piece] of text between two marks (rules left out)
        self.ruled = []            # [(x_left, x_right)] spans that hold a rule


class _Piece:
    """Text between two bars on one line: its line, the columns of the two bars, its
    text (stripped) and the index + 1 of its first character (its place)."""
    __slots__ = ("n", "left", "right", "text", "column", "id", "start", "end")

    def __init__(self, n, left, right, text, column, start=0, end=0):
        self.n, self.left, self.right, self.text, self.column = n, left, right, text, column
        self.start, self.end = start, end      # the piece's place between its bars, unstripped
        self.id = -1


def _boxes(lines):
    """Every box among the lines, in order; a box ends when its vertical lines do."""
    n = 0
    while n < len(lines):
        line = lines[n]
        start = _TOP_LEFT.search(line)
        if start is None:
            n += 1
            continue
        ascii_box = line[start.start()] == "+"
        first = _top_marks(line, start.start(), ascii_box)
        if len(first) < 2 or len(first) > MAX_COLUMNS + 1:
            n += 1
            continue
        box = _Box(n, ascii_box)
        box.add(_Line(n, first), line)
        opened = [x for _, x, s in first if s & DOWN]
        m = n + 1
        while opened and m < len(lines):
            marks = _marks(lines[m], opened, ascii_box)
            if marks is None:
                break
            box.add(_Line(m, marks), lines[m])
            opened = [x for _, x, s in marks if s & DOWN]
            m += 1
        if box.rows_possible():
            yield box
        n = box.last + 1           # lines a box's vertical lines went through start no other box


def _top_marks(line, start, ascii_box):
    """The junctions of a box's top line from its corner on: all open downwards."""
    run = (_ASCII_RULE if ascii_box else _UNICODE_TOP).match(line, start)
    x0 = text_width(line[:start]) - start      # the corner's column, less its index
    if ascii_box:
        return [(m.start(), x0 + m.start(), DOWN) for m in _ASCII_VERTICAL.finditer(line, start, run.end())
                if m.group() == "+"]
    return [(m.start(), x0 + m.start(), STROKES[m.group()]) for m in _UNICODE_VERTICAL.finditer(line, start, run.end())
            if STROKES[m.group()] & DOWN]


def _marks(line, opened, ascii_box):
    """The vertical lines of a line inside a box, matched to those open from above; None
    when the line does not go on with the box."""
    if ascii_box:
        candidates = [(m.start(), _VERTICAL if m.group() == "|" else -1) for m in _ASCII_VERTICAL.finditer(line)]
        if not candidates or line[:candidates[0][0]].strip():   # an ASCII box's line starts with | or +
            return None
        return _match_ascii(line, candidates, opened)
    candidates = [(m.start(), STROKES[m.group()]) for m in _UNICODE_VERTICAL.finditer(line)]
    if not candidates:
        return None
    if sum(1 for _, s in candidates if s & UP) == len(opened):
        return _place(line, candidates, opened)
    return _match_nearest(_measured(line, candidates), opened)


def _measured(line, candidates):
    """Candidates with their display column, and whether only rules and spaces stand
    between each and the one before (then its column is sure; text may have been drawn
    wider than NFKC left it)."""
    out, x, last = [], 0, 0
    for i, s in candidates:
        between = line[last:i]
        x += text_width(between)
        out.append((i, x, s, bool(_PLAIN.fullmatch(between))))
        last = i
    return out


def _place(line, candidates, opened):
    """Marks whose up strokes match the open lines one to one, in order."""
    marks, k, last = [], 0, None
    for i, s in candidates:
        if s & UP:
            true = opened[k]
            k += 1
        elif last is None:         # a line starting here: its column from the last mark's
            true = text_width(line[:i])
        else:
            true = last[1] + text_width(line[last[0]:i])
        marks.append((i, true, s))
        last = (i, true)
    return marks


def _match_nearest(candidates, opened):
    """Marks matched to the open lines by their columns, when the counts differ (an ASCII
    junction that did not go on down, a broken box): each up stroke takes the nearest open
    line not yet taken at or after where it stands; strokes with none near are text."""
    marks, k, drift = [], 0, 0
    taken = 0
    for i, x, s, exact in candidates:
        goes_up = s == -1 or s & UP
        want = x + drift
        if goes_up:
            while k < len(opened) and opened[k] < want - 1:
                k += 1
            if k < len(opened) and (opened[k] - want <= max(2, want // 4) or not exact):
                true = opened[k]
                k += 1
                taken += 1
                drift = true - x
                marks.append((i, true, _VERTICAL if s == -1 else s))
                continue
            if s != -1 and s & DOWN == 0:
                continue
        if s == -1 or s & DOWN:
            marks.append((i, want, DOWN if s == -1 else s & ~UP))
    if not taken:
        return None
    return marks


def _match_ascii(line, candidates, opened):
    """An ASCII line: | goes on down; + is a junction, open below while the next line says so."""
    plus = any(s == -1 for _, s in candidates)
    if not plus and len(candidates) == len(opened):
        return _place(line, candidates, opened)
    measured = _measured(line, candidates)
    if plus and len(candidates) == len(opened) and all(exact for *_, exact in measured):
        # a rule line under a row of cells: every + and | continues a line from above
        return [(i, opened[k], _VERTICAL) for k, (i, *_) in enumerate(candidates)]
    return _match_nearest(measured, opened)


# --- cells and rows -----------------------------------------------------------------------

class _Box:
    def __init__(self, first, ascii_box):
        self.first = self.last = first
        self.ascii = ascii_box
        self.lines = []

    def add(self, box_line, text):
        marks = box_line.marks
        for (i, x, _), (j, x2, _) in zip(marks, marks[1:]):
            between = text[i + 1:j]
            if between and (_ASCII_RULE if self.ascii else _UNICODE_RULE).fullmatch(between):
                box_line.ruled.append((x, x2))
            else:
                stripped = between.strip()
                column = i + 2 + (len(between) - len(between.lstrip()))
                box_line.pieces.append(_Piece(box_line.n, x, x2, stripped, column, i + 1, j))
        self.lines.append(box_line)
        self.last = box_line.n

    def rows_possible(self):
        return len(self.lines) >= 2 and any(l.pieces for l in self.lines)

    def write(self, out):
        columns = sorted({x for l in self.lines for _, x, _ in l.marks})
        if len(columns) > MAX_COLUMNS + 1:
            return
        slot = {x: k for k, x in enumerate(columns)}
        cells = _cells(self.lines)
        # A row ends at every line with a rule on it; a cell is in the row it starts in.
        band, bands = 0, {}
        for l in self.lines:
            bands[l.n] = band
            if l.ruled:
                band += 1
        by_band = {}
        for cell in cells:
            by_band.setdefault(bands[cell[0].n], []).append(cell)
        for b in sorted(by_band):
            for row in _split_unruled(by_band[b]):
                _write_row(out, row, slot, len(columns) - 1)


def _cells(lines):
    """Pieces joined into cells: [pieces of one cell, top to bottom] in order of their start."""
    pieces = [p for l in lines for p in l.pieces]
    for k, p in enumerate(pieces):
        p.id = k
    parent = list(range(len(pieces)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    previous = []
    for l in lines:
        # Pieces of consecutive lines that overlap in their columns are one cell; the
        # two lines' pieces are ordered, so one sweep finds every overlap.
        a = 0
        for p in l.pieces:
            while a < len(previous) and previous[a].right <= p.left:
                a += 1
            b = a
            while b < len(previous) and previous[b].left < p.right:
                ra, rb = find(previous[b].id), find(p.id)
                if ra != rb:
                    parent[rb] = ra
                b += 1
        previous = l.pieces
    groups = {}
    for p in pieces:
        groups.setdefault(find(p.id), []).append(p)
    return sorted(groups.values(), key=lambda g: (g[0].n, g[0].left))


def _split_unruled(cells):
    """The rows of one band: one, unless the band is rows drawn without rules between
    them. A line that holds a row of its own (two values, or a value and a label in the
    band's first column) starts a row; two such lines make the band rows, and then a
    line without one goes on with the row above (a label wrapped in its column, a value
    wrapped in its own)."""
    if all(len(c) == 1 for c in cells) or any(len({(p.left, p.right) for p in c}) > 1 for c in cells):
        return [cells]             # every cell on one line, or cells merged across columns
    first = min(p.left for c in cells for p in c)
    by_line = {}
    for cell in cells:
        for p in cell:
            by_line.setdefault(p.n, []).append(p)
    starts = {n for n, pieces in by_line.items() if _holds_a_row(pieces, first)}
    if len(starts) < 2:
        return [cells]
    rows, current = [], None
    for n in sorted(by_line):
        if n in starts or current is None:
            current = {}
            rows.append(current)
        for p in by_line[n]:
            current.setdefault((p.left, p.right), []).append(p)
    return [sorted(r.values(), key=lambda g: g[0].left) for r in rows]


def _holds_a_row(pieces, first):
    values = sum(1 for p in pieces if _VALUE.fullmatch(p.text))
    labelled = any(p.left == first and p.text and not _VALUE.fullmatch(p.text) for p in pieces)
    return values >= 2 or (values and labelled)


# pandoc's Markdown writes a <span style=…> as a bracketed span, 「[3.其他]{style="…"}」, and
# a <br> as a backslash that ends the line: neither is the cell's text.
_BRACKETED_SPAN = regex(r"\[([^\[\]]*)\]\{[^{}]*\}")


def _joined(pieces):
    """A cell's text: its pieces top to bottom, with a space only between Latin words."""
    text = ""
    for p in pieces:
        if not p.text:
            continue
        if text.endswith("\\"):
            text = text[:-1]
        latin = text and text[-1].isascii() and text[-1].isalpha() and p.text[0].isascii() and p.text[0].isalpha()
        text += (" " if latin else "") + p.text
    return _BRACKETED_SPAN.sub(r"\1", text) if "]{" in text else text


def _write_row(out, cells, slot, count):
    slots = [("", None)] * count
    spans = []
    for cell in cells:
        text = _joined(cell)
        if not text:
            continue
        first = next(p for p in cell if p.text)
        left = min(p.left for p in cell)
        right = max(p.right for p in cell)
        if slot[left] >= len(slots):
            # Text beyond the table's right border: a cell more, for the mapping to report.
            slots.extend([("", None)] * (slot[left] + 1 - len(slots)))
        slots[slot[left]] = (text, (first.n + 1, first.column))
        spans.append(slot[right] - slot[left])
    if not spans:
        return
    line = min(p.n for c in cells for p in c if p.text) + 1
    out.row(slots, (line, 1))
