"""A report page saved from a website: its lines of text and its tables' rows, from the markup.

The document grammar reads lines of text, and a layout grammar reads one table
section; a web page is neither. This reader turns the page, parsed with lxml's HTML
parser, into both:

- every block of text (a paragraph, a heading, a list item, a line ended by <br>)
  becomes one line;
- every data table (one that holds no other table) becomes one line per row in a
  simple encoding that the `html` layout grammar reads: the row starts with ␞, its
  cells are separated by ␟. Merged cells are expanded: the text stands in the first
  slot of a rowspan/colspan cell, the other slots are empty cells (as a tab-separated
  table writes merged cells), so every row has its cells in their columns. Paragraphs
  and line breaks inside a cell are joined. A row with a single cell that spans the
  table (a caption such as 「第二十条第（一）项」) is a line of text.

Page furniture is left out: scripts and styles; navigation, banners and footers
(HTML5 elements, ARIA roles, and class or id names such as nav, menu, breadcrumb, print,
footer); and whatever stands before the report's title or after the element that
holds the title and the tables. Every line keeps the place in the file it came from,
and every table cell the line and column of its first character, for provenance.
"""
from __future__ import annotations

import bisect
import re

from gxgrammar.errors import InputError
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK
from gxgrammar.readers.text import MappedSource


_LOOKS_HTML = re.compile(r"<(?:!doctype\s+html|html|body|table)[\s>]", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE = re.compile(r"[ \t\r\n\f]+")          # HTML's whitespace (not U+00A0: &nbsp; is a cell's blank)
_CELL_TAG = re.compile(r"<t[dh][\s>/]", re.I)

SKIP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select",
        "button", "input", "textarea", "map"}
BLOCK = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl",
         "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
         "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
         "td", "tfoot", "th", "thead", "tr", "ul"}
FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"}
FURNITURE_NAMES = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
                   "position", "location", "footer", "sidebar", "share", "print", "toolbar", "copyright"}
_NAME_WORDS = re.compile(r"[a-z]+")


def is_html(source):
    """Whether a decoded file is a web page (by its markup, whatever its name): it starts with
    markup and holds <html, <body or <table. Markdown that embeds an HTML table (pandoc and
    OCR tools write them for merged cells) starts with text, and is read as text."""
    first = next((line.lstrip("\ufeff \t") for line in source.lines[:50] if line.strip()), "")
    return first.startswith("<") and bool(_LOOKS_HTML.search("\n".join(source.lines[:2000])))


def read(source):
    """The text and table rows of a Source holding a web page, as a MappedSource."""
    from lxml import etree, html

    raw = "\n".join(source.lines)
    # lxml refuses a str that declares its encoding; blank the declaration, keep line numbers.
    raw = _XML_DECL.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), raw)
    try:
        root = html.document_fromstring(raw, parser=html.HTMLParser(remove_comments=True))
    except (etree.ParserError, ValueError) as e:
        raise InputError(f"looks like a web page but its markup cannot be read ({e})") from None
    return _Reader(source, raw, root).page()


class _Reader:
    def __init__(self, source, raw, root):
        self.source, self.root = source, root
        self.raw = raw
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        self.data_tables = [t for t in root.iter("table") if _is_data_table(t)]
        self.title = _title_element(root, self._looks_furniture)
        self.keep = self._report_container()
        self.cell_tags = self._cell_tag_ordinals()
        self.tags_by_line = {}
        self.lines, self.places = [], []
        self.pieces = []          # the line being built: [(text, file line)]

    # --- where the report is ------------------------------------------------------

    def _report_container(self):
        """The element holding the title and every data table (the whole page if unsure)."""
        marks = ([self.title] if self.title is not None else []) + self.data_tables
        if self.title is None or not self.data_tables:
            return None
        common = set(marks[0].iterancestors()) | {marks[0]}
        for el in marks[1:]:
            common &= set(el.iterancestors()) | {el}
        return max(common, key=lambda el: sum(1 for _ in el.iterancestors())) if common else None

    def _holds_report(self, el):
        return any(el is t or el in set(t.iterancestors()) for t in self.data_tables
                   + ([self.title] if self.title is not None else []))

    @staticmethod
    def _looks_furniture(el):
        """Navigation, a banner, a footer… by the element's kind, role or class/id names."""
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        names = set(_NAME_WORDS.findall(f"{el.get('class', '')} {el.get('id', '')}".lower()))
        return tag in ("nav", "aside") or el.get("role", "").lower() in FURNITURE_ROLES \
            or bool(names & FURNITURE_NAMES) \
            or (tag in ("header", "footer") and not any(a.tag in ("article", "main") for a in el.iterancestors()))

    def _is_furniture(self, el):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in SKIP:
            return True
        # A container named like furniture that holds the report itself is not furniture.
        return self._looks_furniture(el) and not self._holds_report(el)

    # --- the text -----------------------------------------------------------------

    def page(self):
        start = self.keep if self.keep is not None else self.root
        if self.keep is not None and self.title is not None and not _inside(self.title, self.keep):
            self._walk(self.title)
            self._end_line()
        self._walk(start)
        self._end_line()
        lines, places = self.lines, self.places
        if self.title is not None:   # the report begins at its title: what stands before is the site's
            first = next((i for i, p in enumerate(places) if p[0][1] >= (self.title.sourceline or 0)
                          and _squash(self.title.text_content()) in _squash(lines[i])), 0)
            lines, places = lines[first:], places[first:]
        return MappedSource(self.source, lines, places, reader="html")

    def _walk(self, el):
        if not isinstance(el.tag, str) or self._is_furniture(el):
            self._text(el.tail, _tail_line(el))
            return
        tag = el.tag.lower()
        if tag == "table" and any(el is t for t in self.data_tables):
            self._end_line()
            self._table(el)
        elif tag == "br":
            self._end_line()
        else:
            block = tag in BLOCK
            if block:
                self._end_line()
            self._text(el.text, _text_line(el))
            for child in el:
                self._walk(child)
            if block:
                self._end_line()
        self._text(el.tail, _tail_line(el))

    def _text(self, text, line):
        if text and text.strip():
            self.pieces.append((_SPACE.sub(" ", text), line))
        elif text and self.pieces:
            self.pieces.append((" ", line))

    def _end_line(self):
        text = "".join(t for t, _ in self.pieces).strip().replace(ROW_MARK, " ").replace(CELL_MARK, " ")
        if text:
            line = next(l for t, l in self.pieces if t.strip())
            self.lines.append(text)
            self.places.append([(1, line, None)])
        self.pieces = []

    # --- the tables -----------------------------------------------------------------

    def _table(self, table):
        rows = _expand(table)
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            filled = [c for c in row if c is not None and c[0]]
            if len(filled) == 1 and (len(row) == 1 or filled[0][2] >= width):
                text, cell = filled[0][0], filled[0][1]
                self.lines.append(text)
                self.places.append([(1, *self._where(cell, text))])
                continue
            parts, places = [], []
            column = 1 + len(ROW_MARK)
            for slot in row:
                text = slot[0] if slot else ""
                if slot and text:
                    places.append((column, *self._where(slot[1], text)))
                parts.append(text)
                column += len(text) + len(CELL_MARK)
            line = next((p[1] for p in places), table.sourceline or 1)
            self.lines.append(ROW_MARK + CELL_MARK.join(parts))
            self.places.append([(1, line, None)] + places)

    def _cell_tag_ordinals(self):
        """Each td/th element -> which <td or <th it is on its source line (to find its column)."""
        seen, ordinals = {}, {}
        for cell in self.root.iter("td", "th"):
            n = seen.get(cell.sourceline, 0)
            ordinals[cell] = n
            seen[cell.sourceline] = n + 1
        return ordinals

    def _cell_tags_on(self, line):
        """The <td and <th tags of a line of the file (a row's cells often share one line)."""
        tags = self.tags_by_line.get(line)
        if tags is None:
            raw_line = self.raw[self.line_starts[line - 1]:self.line_starts[line] if line < len(self.line_starts)
                                else len(self.raw)]
            tags = self.tags_by_line[line] = list(_CELL_TAG.finditer(raw_line))
        return tags

    def _where(self, cell, text):
        """(line, column) of the first character of a cell's text in the file."""
        line = cell.sourceline or 1
        tags = self._cell_tags_on(line)
        ordinal = self.cell_tags.get(cell, 0)
        if ordinal >= len(tags):
            return line, None
        start = self.line_starts[line - 1] + tags[ordinal].start()
        probe = _first_words(cell)
        found = self.raw.find(probe, start, start + 4000) if probe else -1
        if found < 0:
            return line, None
        at = bisect.bisect_right(self.line_starts, found) - 1
        return at + 1, found - self.line_starts[at] + 1


def _is_data_table(table):
    """A table holding no other table, with at least two rows or two cells (not a layout box)."""
    if any(True for _ in table.iterdescendants("table")):
        return False
    cells = sum(1 for _ in table.iter("td", "th"))
    return cells >= 2


def _names_report(text):
    return "报告" in text or "年报" in text


# A title shown on the page: a year, 政府信息公开 or 政务公开, and 报告 at the end; short, and
# free of the separators of breadcrumbs and menus.
_LOOKS_TITLE = re.compile(r"^[^>›»|｜]{0,30}(?:19|20)\d\d年[^>›»|｜]{0,20}(?:政府信息公开|政务公开)[^>›»|｜]{0,12}(?:报告|年报)$")


def _title_element(root, furniture):
    """The element that shows the report's title, outside the page's furniture.

    By preference: the element whose text is the part of the page's <title> that names
    a report (site names are joined to it with _ or |); the first <h1> that names a
    report; the first element whose text reads like a report's title.
    """
    titles = root.xpath("//title")
    wanted = ""
    if titles:
        parts = [_squash(p) for p in re.split(r"[_|｜]|\s[-—–]\s", titles[0].text_content())]
        wanted = next((p for p in parts if _names_report(p)), "")
    candidates = []
    stack = [root]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag.lower() in SKIP or furniture(el):
            continue
        if el.tag.lower() not in ("html", "body") and not any(True for _ in el.iterdescendants("table")):
            text = _squash(el.text_content())
            rank = 0 if wanted and text == wanted else 1 if el.tag.lower() == "h1" and _names_report(text) \
                else 2 if _LOOKS_TITLE.match(text) else None
            if rank == 0:           # the first element showing the <title>'s words: no better one
                return el
            if rank is not None:
                candidates.append((rank, len(candidates), el))
                continue
        stack.extend(reversed(list(el)))
    return min(candidates)[2] if candidates else None


def _expand(table):
    """The rows of a table with merged cells expanded: [(text, element, colspan) | None | ""]."""
    rows = [tr for tr in table.iter("tr")]
    taken, widths, out = {}, {}, []
    for r, tr in enumerate(rows):
        c, row = 0, []
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            colspan, rowspan = _span(cell.get("colspan"), 200), _span(cell.get("rowspan"), 1000)
            text = _cell_text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = (text, cell, colspan) if dr == dc == 0 else None
                widths[r + dr] = max(widths.get(r + dr, 0), c + colspan)
            c += colspan
        for col in range(widths.get(r, 0)):
            row.append(taken.get((r, col), None))
        out.append(row)
    return out


def _span(value, limit):
    if value is None:           # most cells span one row and one column
        return 1
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), limit)


def _cell_text(cell):
    """A cell's text; its paragraphs and line breaks joined (with a space only between Latin words)."""
    lines, pieces = [], []
    if cell.text:
        pieces.append(cell.text)
    for child in cell:
        _cell_walk(child, lines, pieces)
    _cell_flush(lines, pieces)
    joined = ""
    for line in lines:
        latin = joined and joined[-1].isascii() and joined[-1].isalnum() and line[0].isascii() and line[0].isalnum()
        joined += (" " if latin else "") + line
    return joined.replace(ROW_MARK, " ").replace(CELL_MARK, " ")


def _cell_walk(el, lines, pieces):
    """The text inside a cell's element, a line at each block and <br> (not a closure:
    a recursive closure is a reference cycle)."""
    if not isinstance(el.tag, str) or el.tag in SKIP:
        if el.tail:
            pieces.append(el.tail)
        return
    if el.tag in BLOCK or el.tag == "br":
        _cell_flush(lines, pieces)
    if el.text:
        pieces.append(el.text)
    for child in el:
        _cell_walk(child, lines, pieces)
    if el.tag in BLOCK:
        _cell_flush(lines, pieces)
    if el.tail:
        pieces.append(el.tail)


def _cell_flush(lines, pieces):
    text = _SPACE.sub(" ", "".join(pieces)).strip()
    if text:
        lines.append(text)
    pieces.clear()


def _first_words(cell):
    for text in cell.itertext():
        text = text.strip()
        if text:
            return text[:6]
    return ""


def _squash(text):
    return re.sub(r"\s+", "", text or "")


def _inside(el, container):
    return el is container or container in set(el.iterancestors())


def _text_line(el):
    """The line where an element's own text starts (its start tag's line, plus leading breaks)."""
    lead = re.match(r"\s*", el.text or "").group(0)
    return (el.sourceline or 1) + lead.count("\n")


def _tail_line(el):
    """The line where the text after an element starts (estimated from its last descendant)."""
    last = max((d.sourceline or 0 for d in el.iter()), default=el.sourceline or 1) or 1
    lead = re.match(r"\s*", el.tail or "").group(0)
    return last + lead.count("\n")
