"""A report page saved from a website: its lines of text and its tables' rows, from the markup.

The document grammar reads lines of text, and a layout grammar reads one table
section; a web page is neither. This reader turns the page, parsed with lxml's HTML
parser, into both:

- every block of text (a paragraph, a heading, a list item, a line ended by <br>)
  becomes one line;
- every data table (one that holds no other table) becomes cell rows
  (readers.rows): one line per row, ␞ then the cells separated by ␟. The cells are
  placed as the HTML table model places them (html.spec.whatwg.org, "forming a
  table"; readers.html_table): a cell takes the first slot of its row that no cell
  from above spans, a merged cell's text stands in its first slot and the slots it
  spans are empty cells, blank cells (`&nbsp;`, an empty <td>) keep their column, and
  a row one cell short or long stays so, for the mapping to report. Paragraphs and
  line breaks inside a cell are joined. A row with a single cell that spans the table
  (a caption such as 「第二十条第（一）项」) is a line of text.

Page furniture is left out: scripts and styles; navigation, banners and footers
(HTML5 elements, ARIA roles, and class or id names such as nav, menu, breadcrumb, print,
footer); and whatever stands before the report's title or after the element that
holds the title and the tables. Every line keeps the place in the file it came from,
and every table cell the line and column of its first character, for provenance.

The page is read whole or refused: deep nesting and huge text nodes are read (lxml's
`huge_tree`; every walk here is iterative), and markup nested deeper than the parser
goes is refused with that reason, never cut short in silence.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import accumulate

from gxgrammar.cache import regex
from gxgrammar.errors import InputError
from gxgrammar.i18n import _
from gxgrammar.readers.html_table import form_table
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK, clean
from gxgrammar.readers.text import MappedSource


_LOOKS_HTML = regex(r"<(?:!doctype\s+html|html|body|table)[\s>]", re.I)
_XML_DECL = regex(r"^\s*<\?xml[^>]*\?>")
_SPACE = regex(r"[ \t\r\n\f]+")          # HTML's whitespace (not U+00A0: &nbsp; is a cell's blank)
# In the markup: comments and scripts (whose <td> is no cell), or a cell's start tag and
# what stands before its text (spaces, &nbsp;, tags other than a row's or a cell's).
# Letters in classes, not re.I: a pattern that starts with a plain "<" is searched fast.
_MARKUP = regex(r"<(?:!--.*?(?:-->|\Z)|([sS][cC][rR][iI][pP][tT]|[sS][tT][yY][lL][eE])\b.*?(?:</\1\s*>|\Z)"
                r"|([tT][dDhH](?=[\s>/])[^>]*>)(?:\s+|&nbsp;|&#160;|<(?!/?[tT][dDhHrR][\s>/]|!--)[^>]*>)*)",
                re.S)

_TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"}
SKIP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select",
        "button", "input", "textarea", "map"}
BLOCK = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl",
         "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
         "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
         "td", "tfoot", "th", "thead", "tr", "ul"}
FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"}
FURNITURE_NAMES = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
                   "position", "location", "footer", "sidebar", "share", "print", "toolbar", "copyright"}
_NAME_WORDS = regex(r"[a-z]+")
_END = None                 # on a walk's stack: the element below it is finished


def is_html(source):
    """Whether a decoded file is a web page (by its markup, whatever its name): it starts with
    markup and holds <html, <body or <table. Markdown that embeds an HTML table (pandoc and
    OCR tools write them for merged cells) starts with text, and is read as text."""
    first = next((line.lstrip("\ufeff \t") for line in source.lines[:50] if line.strip()), "")
    return first.startswith("<") and bool(_LOOKS_HTML.search("\n".join(source.lines[:2000])))


def read(source):
    """The text and table rows of a Source holding a web page, as a MappedSource."""
    from lxml import etree

    raw = "\n".join(source.lines)
    if raw.lstrip()[:5] == "<?xml":
        # lxml refuses a str that declares its encoding; blank the declaration, keep line numbers.
        raw = _XML_DECL.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), raw, count=1)
    # huge_tree: text nodes over 10 MB and nesting deeper than 256 are read, not cut off.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(raw, parser)
    except (etree.ParserError, ValueError) as e:
        raise InputError(_("looks like a web page but its markup cannot be read ({reason})").format(reason=e)) from None
    _refuse_if_cut_short(parser.error_log)
    if root is None:
        raise InputError(_("looks like a web page but holds no markup to read"))
    return _Reader(source, raw, root).page()


def _refuse_if_cut_short(errors):
    """lxml stops at its limits and keeps what it read so far: say so rather than read half a page."""
    for e in errors:
        if e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message:
            depth = re.search(r"depth in document: (\d+)", e.message)
            if depth:
                raise InputError(_("the page's elements are nested more than {depth} deep, deeper than "
                                   "the HTML parser reads; the rest of the page would be lost")
                                 .format(depth=depth.group(1)), line=e.line or None)
            raise InputError(_("the page exceeds a limit of the HTML parser ({reason}); the rest of the "
                               "page would be lost").format(reason=e.message.strip()), line=e.line or None)


def text_of(el):
    """All the text inside an element (lxml.html's text_content, for plain elements)."""
    from lxml import etree
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


class _Reader:
    def __init__(self, source, raw, root):
        self.source, self.root, self.raw = source, root, raw
        self.line_starts = None               # offsets where the raw text's lines start (for tables)
        self.text_starts = None               # cell -> offset of its text (for tables)
        tables = list(root.iter("table"))
        holding = set()                       # elements that hold a table
        for table in tables:
            holding.update(table.iterancestors())
        self.data_tables = [t for t in tables if t not in holding and _has_two_cells(t)]
        self.table_set = set(self.data_tables)
        self.title, self.page_title = _title_element(root, _looks_furniture, holding)
        marks = self.data_tables + ([self.title] if self.title is not None else [])
        self.report_holders = set(marks)      # the title, the tables and all that holds them
        for el in marks:
            self.report_holders.update(el.iterancestors())
        self.keep = self._report_container()
        self.lines, self.places = [], []
        self.pieces = []          # the line being built: [(text, file line)]
        self.last_line = 1        # the last line of the page the walk has reached

    # --- where the report is ------------------------------------------------------

    def _report_container(self):
        """The element holding the title and every data table (the whole page if unsure).

        When no element shows the title but the page's <title> names the report, the
        element holding every data table (not a table's own part): the article, without
        the lists of related reports and the menus around it."""
        if not self.data_tables or (self.title is None and self.page_title is None):
            return None
        marks = ([self.title] if self.title is not None else []) + self.data_tables
        common = set(marks[0].iterancestors()) | {marks[0]}
        for el in marks[1:]:
            common &= set(el.iterancestors()) | {el}
        if not common:
            return None
        inner = max(common, key=lambda el: sum(1 for _ in el.iterancestors()))
        while inner.tag in _TABLE_PARTS and inner.getparent() is not None:
            inner = inner.getparent()
        return inner

    def _is_furniture(self, el, tag):
        if tag in SKIP:
            return True
        # A container named like furniture that holds the report itself is not furniture.
        return _looks_furniture(el) and el not in self.report_holders

    # --- the text -----------------------------------------------------------------

    def page(self):
        start = self.keep if self.keep is not None else self.root
        if self.keep is not None and self.title is not None and not _inside(self.title, self.keep):
            self._walk(self.title)
            self._end_line()
        self._walk(start)
        self._end_line()
        lines, places = self.lines, self.places
        if self.title is not None and self._before_tables(self.title):
            # The report begins at its title: what stands before is the site's.
            title, at = _squash(text_of(self.title)), self.title.sourceline or 0
            first = next((i for i, p in enumerate(places) if p[0][1] >= at and title in _squash(lines[i])), 0)
            lines, places = lines[first:], places[first:]
        elif self.title is None and self.page_title is not None:
            # No element shows the title: the page's <title> names the report (its site's name cut off).
            text, element = self.page_title
            lines, places = [text, *lines], [[(1, element.sourceline or 1, None)], *places]
        return MappedSource(self.source, lines, places, reader="html")

    def _before_tables(self, element):
        """Whether an element stands before the page's first data table (or the page has none)."""
        if not self.data_tables:
            return True
        at, first = element.sourceline, self.data_tables[0].sourceline
        return at is None or first is None or at <= first

    def _walk(self, top):
        """Text and tables in document order, without recursion (a page may nest deeply)."""
        self.last_line = top.sourceline or 1
        stack = [top]
        while stack:
            el = stack.pop()
            if el is _END:                     # the element below is finished: its end, then its tail
                el = stack.pop()
                if el.tag in BLOCK:
                    self._end_line()
                self._tail(el)
                continue
            tag = el.tag
            if not isinstance(tag, str) or self._is_furniture(el, tag):
                self._skipped(el)
                continue
            if el.sourceline and el.sourceline > self.last_line:
                self.last_line = el.sourceline
            if el in self.table_set:
                self._end_line()
                self._table(el)
                self._skipped(el)
            elif tag == "br":
                self._end_line()
                self._tail(el)
            else:
                if tag in BLOCK:
                    self._end_line()
                self._text(el.text, el.sourceline or self.last_line)
                stack.append(el)
                stack.append(_END)
                stack.extend(reversed(el))

    def _skipped(self, el):
        """An element whose inside was not walked: the walk goes on after its last line."""
        last = el
        while len(last):
            last = last[-1]
        if last.sourceline and last.sourceline > self.last_line:
            self.last_line = last.sourceline
        self._tail(el)

    def _tail(self, el):
        self._text(el.tail, self.last_line)

    def _text(self, text, line):
        if not text:
            return
        if text.isspace():
            if self.pieces:
                self.pieces.append((" ", line))
            return
        lead = len(text) - len(text.lstrip())
        self.pieces.append((text, line + text.count("\n", 0, lead)))

    def _end_line(self):
        if not self.pieces:
            return
        text = clean(_SPACE.sub(" ", "".join(t for t, _ in self.pieces)).strip())
        if text:
            line = next(l for t, l in self.pieces if not t.isspace())
            self.lines.append(text)
            self.places.append([(1, line, None)])
        self.pieces = []

    # --- the tables -----------------------------------------------------------------

    def _table(self, table):
        rows = form_table(table)
        width = max((len(r.slots) for r in rows), default=0)
        texts = {cell: cell_text(cell) for cell in table.iter("td", "th")}    # cell -> (text, probe)
        places = self._cell_places(table, texts)
        for element, row in rows:
            filled = [s for s in row if s is not None and texts[s[0]][0]]
            if len(filled) == 1 and (len(row) == 1 or filled[0][1] >= width):
                cell = filled[0][0]
                self.lines.append(texts[cell][0])
                self.places.append([(1, *places[cell])])
                continue
            parts, pieces = [], []
            column = 1 + len(ROW_MARK)
            for slot in row:
                text = texts[slot[0]][0] if slot is not None else ""
                if text:
                    pieces.append((column, *places[slot[0]]))
                    column += len(text)
                parts.append(text)
                column += len(CELL_MARK)
            line = pieces[0][1] if pieces else element.sourceline or table.sourceline or 1
            self.lines.append(ROW_MARK + CELL_MARK.join(parts))
            self.places.append([(1, line, None)] + pieces)

    def _cell_places(self, table, texts):
        """cell -> (line, column) of the first character of its text in the file, for every
        cell with text; (line, None) where the text is not found where the cell begins."""
        if self.text_starts is None:
            self.text_starts = self._text_starts()
        raw, starts, found, places = self.raw, self.line_starts, self.text_starts, {}
        for cell, (text, probe) in texts.items():
            if not text:
                continue
            at = found.get(cell)
            line = cell.sourceline or 1
            if at is None or not raw.startswith(probe, at):
                places[cell] = (line, None)
                continue
            if not starts[line - 1] <= at < starts[line]:
                line = bisect.bisect_right(starts, at)
            places[cell] = (line, at - starts[line - 1] + 1)
        return places

    def _text_starts(self):
        """cell element -> where the text after its start tag begins in the file.

        One pass over the markup finds every <td>/<th> start tag (not those inside
        comments and scripts); lxml gives each cell element the line where its start tag
        ends. The n-th tag is the n-th cell when their lines agree; where the counts
        differ (markup lxml mended), the cells of a line take the tags of that line if
        their counts agree there. A cell left without a tag gets no column: a guess
        could point at its neighbour."""
        raw = self.raw
        self.line_starts = [0, *accumulate(len(line) + 1 for line in self.source.lines)]
        tags, line, counted = [], 1, 0        # (line where the start tag ends, where its text begins)
        for m in _MARKUP.finditer(raw):
            if m.group(2):
                end = m.end(2) - 1
                line += raw.count("\n", counted, end)
                counted = end
                tags.append((line, m.end()))
        cells = list(self.root.iter("td", "th"))
        if len(tags) == len(cells):
            return {cell: at for cell, (line, at) in zip(cells, tags) if cell.sourceline == line}
        by_line = {}
        for line, at in tags:
            by_line.setdefault(line, []).append(at)
        cells_by_line = {}
        for cell in cells:
            cells_by_line.setdefault(cell.sourceline, []).append(cell)
        found = {}
        for line, on_line in cells_by_line.items():
            if len(by_line.get(line, ())) == len(on_line):
                found.update(zip(on_line, by_line[line]))
        return found


def _has_two_cells(table):
    """Not a layout box: at least two cells."""
    cells = table.iter("td", "th")
    return next(cells, None) is not None and next(cells, None) is not None


def _looks_furniture(el):
    """Navigation, a banner, a footer… by the element's kind, role or class/id names."""
    tag = el.tag
    if tag in ("nav", "aside"):
        return True
    role, names, ident = el.get("role"), el.get("class"), el.get("id")
    if role and role.lower() in FURNITURE_ROLES:
        return True
    if (names is not None or ident is not None) and _furniture_names(names, ident):
        return True
    return tag in ("header", "footer") and not any(True for _ in el.iterancestors("article", "main"))


@lru_cache(maxsize=4096)
def _furniture_names(names, ident):
    return not FURNITURE_NAMES.isdisjoint(_NAME_WORDS.findall(f"{names or ''} {ident or ''}".lower()))


# --- a cell's text ---------------------------------------------------------------------

def cell_text(cell):
    """(text, probe): a cell's paragraphs and line breaks joined (see `join_lines`), and
    its first words as the file writes them (to find where it stands)."""
    if not len(cell):                      # most cells hold their text alone
        text = cell.text
        if not text or text.isspace():
            return "", ""
        text = text.strip()
        if not text.isalnum():             # a number or a word needs no more
            text = clean(_SPACE.sub(" ", text))
        return text, text[:6]
    one = _one_line(cell)
    return one if one is not None else walked_text(cell)


def walked_text(cell):
    """cell_text by a walk of the cell's elements: a block or a line break ends a line."""
    lines, pieces, probe = [], [], ""
    if cell.text:
        pieces.append(cell.text)
    stack = list(reversed(cell))
    while stack:
        el = stack.pop()
        if el is _END:
            el = stack.pop()
            if el.tag in BLOCK:
                _flush(lines, pieces)
            if el.tail:
                pieces.append(el.tail)
            continue
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP:
            if el.tail:
                pieces.append(el.tail)
            continue
        if tag in BLOCK or tag == "br":
            _flush(lines, pieces)
        if el.text:
            pieces.append(el.text)
        stack.append(el)
        stack.append(_END)
        stack.extend(reversed(el))
    _flush(lines, pieces)
    for text in cell.itertext():
        if text.strip():
            probe = text.strip()[:6]
            break
    return clean(join_lines(lines)), probe


def _one_line(cell):
    """(text, probe) of a cell whose text is one line: inline markup alone, or inside one
    paragraph that is all the cell holds (a word processor's <td><p><span>…</span></p></td>).
    lxml then gives its text at once. None for any other cell: cell_text walks it."""
    el, depth, probe = cell, 0, None
    while True:
        if probe is None and el.text and not el.text.isspace():
            probe = el.text.strip()[:6]
        n = len(el)
        if n == 0:
            break
        if n > 1:
            # Several children: inline ones alone keep one line.
            for child in el.iterdescendants():
                tag = child.tag
                if type(tag) is not str or tag in SKIP or tag in BLOCK or tag == "br":
                    return None
            break
        child = el[0]
        tag = child.tag
        if type(tag) is not str or tag in SKIP or tag == "br":
            return None
        if tag in BLOCK:
            # (Text beside a paragraph would be a line of its own.)
            if depth or (el.text and not el.text.isspace()) or (child.tail and not child.tail.isspace()):
                return None
        el, depth = child, depth + 1
    text = _SPACE.sub(" ", _text_of(cell)).strip()
    if not text:
        return "", ""
    if probe is None:
        probe = next((t.strip()[:6] for t in cell.itertext() if t.strip()), "")
    return clean(text), probe


def _text_of(cell):
    """All the text of an element, by lxml's text serialisation. Bound on first use, so that
    reading a text file never imports lxml; after that, the call is lxml's own."""
    global _text_of
    from lxml.etree import tostring

    def _text_of(cell):
        return tostring(cell, method="text", encoding=str, with_tail=False)
    return _text_of(cell)


def _flush(lines, pieces):
    if pieces:
        text = _SPACE.sub(" ", "".join(pieces)).strip()
        if text:
            lines.append(text)
        pieces.clear()


def join_lines(lines):
    """The lines of a cell as one text: run together, with a space only between Latin words
    (「三、本年度」「办理结果」 is 「三、本年度办理结果」, 「Word」「files」 is 「Word files」)."""
    joined = ""
    for line in lines:
        if not line:
            continue
        latin = joined and joined[-1].isascii() and joined[-1].isalnum() and line[0].isascii() and line[0].isalnum()
        joined += (" " if latin else "") + line
    return joined


# --- the title ---------------------------------------------------------------------------

def _names_report(text):
    return "报告" in text or "年报" in text


# A title shown on the page: a year, 政府信息公开 or 政务公开, and 报告 at the end; short, and
# free of the separators of breadcrumbs and menus.
_LOOKS_TITLE = regex(r"^[^>›»|｜]{0,30}(?:19|20)\d\d年[^>›»|｜]{0,20}(?:政府信息公开|政务公开)[^>›»|｜]{0,12}(?:报告|年报)$")
_TITLE_LONGEST = 90         # no title _LOOKS_TITLE accepts is longer


def _title_element(root, furniture, holding_tables):
    """The element that shows the report's title, outside the page's furniture.

    By preference: the element whose text is the part of the page's <title> that names
    a report (site names are joined to it with _ or |); the first <h1> that names a
    report; the first element whose text reads like a report's title and is not the
    text of links (a list of related reports names other reports). Such an element
    holds 报 in its text: only the ancestors of the text nodes holding 报 are looked at,
    from the top down as a walk of the page meets them (it goes into neither furniture
    nor an element it took), so the search costs what those few chains cost.

    Returns the element (or None) and, when the <title> names a report, (that part of
    its text, the <title> element), else None.
    """
    title = next(root.iter("title"), None)
    wanted = ""
    if title is not None:
        parts = [_squash(p) for p in re.split(r"[_|｜]|\s[-—–]\s", text_of(title))]
        wanted = next((p for p in parts if _names_report(p)), "")
    page_title = (wanted, title) if wanted and _LOOKS_TITLE.match(wanted) else None
    longest = max(len(wanted), _TITLE_LONGEST)
    hidden, ranks, candidates, seen = {}, {}, [], set()
    for holder in _holding("报", root):
        chain = [holder, *holder.iterancestors()]
        long = False                      # an element's text is no shorter than its child's
        for el in chain:
            if el not in ranks:
                ranks[el] = _title_rank(el, wanted, longest, long)
            long = long or ranks[el][1]
        for el in reversed(chain):        # from the top, as the walk meets them
            tag = el.tag
            if el not in hidden:
                hidden[el] = not isinstance(tag, str) or tag in SKIP or furniture(el)
            if hidden[el]:
                break
            rank = ranks[el][0]
            if rank is None or tag in ("html", "body") or el in holding_tables:
                continue
            if rank == 0:
                return el, page_title
            if el not in seen:
                seen.add(el)
                candidates.append((rank, len(candidates), el))
            break
    return (min(candidates)[2] if candidates else None), page_title


def _holding(word, root):
    """The elements whose own text holds a word, in the order a walk meets that text
    (the text after an element belongs to its parent)."""
    for el in root.iter():
        text, tail = el.text, el.tail
        if text and word in text:
            yield el
        if tail and word in tail:
            parent = el.getparent()
            if parent is not None:
                yield parent


def _title_rank(el, wanted, longest, long):
    """(rank, too long to be a title): 0 the <title>'s words, 1 an <h1> naming a report,
    2 reads like a title, None none of these. The text of an element inside one too long
    for a title is not needed (an <h1> excepted)."""
    if long and el.tag != "h1":
        return None, True
    text = _squash(text_of(el))
    if el.tag == "h1" and _names_report(text):
        return (0 if wanted and text == wanted else 1), len(text) > longest
    if len(text) > longest:
        return None, True
    if wanted and text == wanted:
        return 0, False
    if _LOOKS_TITLE.match(text) and not _links_only(el):
        return 2, False
    return None, False


def _links_only(el):
    """Whether an element is or holds a link, or is inside one: a title is not a link."""
    return el.tag == "a" or any(True for _ in el.iter("a")) or any(a.tag == "a" for a in el.iterancestors())


def _squash(text):
    return "".join(text.split()) if text else ""


def _inside(el, container):
    return el is container or any(a is container for a in el.iterancestors())
