"""A page laid out in a table, as a converter draws it: the report inside a box's cell.

Older sites lay a page out with a table: a menu in one cell, the report in another.
pandoc's plain and Markdown writers draw such a table as a grid, and the whole report
goes on inside one of its cells, wrapped to the cell's width:

    +--------------------+--------------------+
    | 政府信息公开指南   | 一、总体情况       |
    |                    | 2020年，本局……     |

A box whose cells hold section headings is the page's frame, not a table of the
report: its cells' lines, cell by cell, become the text the later stages read, each
line keeping its place in the file. Boxes that are the report's own tables stay as
they are, for the box layout.
"""
from __future__ import annotations


from gxgrammar.cache import regex
from gxgrammar.national.sections import inline_heading
from gxgrammar.readers import FRAME_CORNERS, box
from gxgrammar.readers.text import MappedSource, normalise_line
from gxgrammar.structure.running import headings_in

# A line inside a box (asked of the lines as written, before NFKC: a web page's markup is
# never normalised).
_BAR_LINE = regex(r"^\s*[|│┃║｜]")
_CORNER = regex(rf"\+[-=:]|[{FRAME_CORNERS}]")     # a box's top left corner, ASCII or drawn
MIN_HEADINGS = 2          # a cell holding this many section headings holds the report


def unframe(source, text=None):
    """The Source with the boxes that frame the report replaced by their cells' lines
    (itself when no box does). `text`: the Source's text, when the caller has it."""
    if text is not None and not _CORNER.search(text):
        return source               # no box is drawn (the test of a whole text is the cheapest)
    heading = inline_heading()
    inside = sum(1 for line in source.lines if _BAR_LINE.match(line) and headings_in(line, heading))
    if inside < MIN_HEADINGS:       # no box holds the report's headings (a table's rows name none)
        return source
    norm = source.norm
    frames = []
    for b, cells in box.boxes_and_cells(norm):
        reports = [c for c in cells if _headings(c, heading) >= MIN_HEADINGS]
        if reports:
            frames.append((b, cells, reports))
    if not frames:
        return source
    lines, places, normalised = [], [], []

    def keep(n):
        lines.append(source.lines[n])
        places.append([(1, n + 1, 1)])
        normalised.append(norm[n])

    n = 0
    for frame, cells, reports in frames:
        while n < frame.first:
            keep(n)
            n += 1
        for cell in cells:
            if not any(cell is r for r in reports) and any(_beside(cell, r) for r in reports):
                continue        # a menu beside the report: the site's, not the report's
            for block in _blocks(cell, norm):
                for text, pieces in _unwrapped(block):
                    lines.append(text)
                    places.append(pieces)
                    normalised.append(normalise_line(text))
                lines.append("")
                places.append([(1, block[-1][1] + 1, 1)])
                normalised.append("")
        n = frame.last + 1
    while n < len(norm):
        keep(n)
        n += 1
    return MappedSource(source, lines, places, norm=normalised)


def _blocks(cell, norm):
    """A cell's lines as blocks (runs of lines that are not blank): [(text, line, column)],
    the text without the space a grid keeps by its bar."""
    blocks, block = [], []
    for piece in cell:
        raw = norm[piece.n][piece.start:piece.end]
        pad = 1 if raw.startswith(" ") else 0
        text = raw[pad:].rstrip()
        if text.strip():
            block.append((text, piece.n, piece.start + pad))
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks


def _unwrapped(block):
    """A block's lines with the breaks a converter made to fit the cell's width taken out:
    prose wrapped between two Chinese characters (「全年新收政」 / 「府信息公开申请…」,
    「三」 / 「、收到和处理…」) is one line again. A block laid out in columns (a table:
    runs of spaces, rules of dashes) is left as it is: where its breaks were cannot be told."""
    if any(_COLUMNS.search(text.strip()) or _RULE.fullmatch(text.strip()) for text, _, _ in block):
        return [(text, [(1, n + 1, column + 1)]) for text, n, column in block]
    out = []
    for text, n, column in block:
        if out and _one_line(out[-1][0], text.lstrip()):
            joined, pieces = out[-1]
            lead = len(text) - len(text.lstrip())
            out[-1] = (joined + text.lstrip(), pieces + [(len(joined) + 1, n + 1, column + lead + 1)])
        else:
            out.append((text, [(1, n + 1, column + 1)]))
    return out


def _one_line(before, after):
    """Whether a break between two lines of prose was made to fit the width: between two
    Chinese characters or digits (「全年新收政」 / 「府信息…」, 「自2」 / 「022年」: Chinese
    prose writes no space there), or inside the name of a table's tag in raw HTML
    (「<t」 / 「d>2.其他…」: no tag is named t) or a Markdown link's address. Latin words
    keep their break."""
    if _unspaced(before[-1]) and _unspaced(after[0]):
        return True
    if _OPEN_LINK.search(before):
        return True             # inside a Markdown link's address, which has no spaces
    cut = _TAG_START.search(before)
    rest = _TAG_REST.match(after)
    return bool(cut and rest) and cut.group(1).lower() not in _TAGS and \
        (cut.group(1) + rest.group()).lower() in _TAGS


def _unspaced(ch):
    return not ch.isascii() or ch.isdigit()


_OPEN_LINK = regex(r"\]\([^)\s]*$")
_TAGS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "colgroup", "col", "p", "br", "span", "div"}
_TAG_START = regex(r"</?([A-Za-z]+)$")
_TAG_REST = regex(r"[A-Za-z]+(?=[\s>/])")
_COLUMNS = regex(r"\S {2,}\S")
_RULE = regex(r"[-=: ]*[-=][-=: ]*|\[TABLE\]")   # a table's rule (a Markdown div's ::: is none)


def _headings(cell, heading):
    """How many of a cell's lines are a section heading, whole."""
    return sum(1 for p in cell if heading.fullmatch(p.text.strip()))


def _beside(cell, other):
    """Whether two cells stand side by side (their lines overlap)."""
    return cell[0].n <= other[-1].n and other[0].n <= cell[-1].n
