"""A Word document (.docx): its paragraphs in order, and its tables as cell rows.

A .docx is a zip archive; the document's body is one XML part (word/document.xml, or
whatever _rels/.rels names as the office document), read here with lxml:

- every paragraph of the body becomes a line (a line break inside it starts another);
- every table becomes cell rows (readers.rows), its merged cells expanded
  to the table's grid: a cell spanning columns (gridSpan) has its text in its first
  slot and empty slots after it, a cell merged down (vMerge restart, then continue)
  has its text in the row where the merge starts and empty slots below; the columns
  a row leaves out before or after its cells (gridBefore, gridAfter) are empty slots
  too. A cell's paragraphs are joined as the web page reader joins them
  (readers.html.join_lines). A row whose only text is one cell spanning the table (a
  caption such as 「第二十条第（一）项」) is a line of text, as on a web page.

A table that frames other tables (a page laid out in a table: the tables in its cells
hold more cells than it does) is read as the paragraphs and tables of its cells, in
order, as the web page reader reads a layout table.

Left out, as neither prose nor cells: a table nested in a cell of a table, text boxes and drawings,
deleted text (tracked changes), field codes, and the headers, footers, footnotes and
comments, which live in other parts of the archive.

Provenance: the text made here is what the user is shown (there is no other text to
point into), so each place is a line and column of it, with a locator into the
document: {"paragraph": n} for a line of text (the n-th paragraph read) and
{"table": t, "row": r, "cell": c} for a cell (the t-th table in the document's order,
its r-th row, the c-th column of its grid); all 1-based.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from gxgrammar.cache import regex
from gxgrammar.errors import InputError
from gxgrammar.i18n import _
from gxgrammar.readers.html import join_lines
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK, CellRowsWriter, clean
from gxgrammar.readers.text import MappedSource

NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
              "http://purl.oclc.org/ooxml/wordprocessingml/main")          # transitional, strict
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_FRAMES = 8                    # tables framing tables framing tables…: deeper ones are read as tables
SLIVER = 57                       # twips (1 mm): a grid column narrower than this shows no text
MAX_PART = 256 * 1024 * 1024      # a document part larger than this, unpacked, is not a report
_SPACES = regex(r"[ \t\r\n]+")

# Other kinds of zip archive, by a file they hold: to say what the file is instead.
_OTHER_ZIPS = (("xl/workbook.xml", "an Excel workbook (.xlsx)"), ("ppt/presentation.xml", "a PowerPoint file (.pptx)"),
               ("content.xml", "an OpenDocument file (.odt/.ods)"), ("mimetype", "an OpenDocument file"),
               ("Contents/", "a Hancom/WPS archive"), ("META-INF/container.xml", "an EPUB book"))


def read_file(data, path="<docx>", encoding=None):
    """A .docx file's bytes as a MappedSource of lines of text and cell rows."""
    xml = document_xml(data)
    # remove_blank_text: no indentation between elements (an element's own blank text stays).
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, remove_comments=True,
                             remove_blank_text=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as e:
        line, column = e.position if e.position else (e.lineno, 0)
        raise InputError(_("a damaged Word document: its text (word/document.xml) is not well-formed XML "
                           "(line {line}, column {column})").format(line=line, column=column)) from None
    ns = etree.QName(root).namespace
    if ns not in NAMESPACES:
        raise InputError(_("a zip archive whose main part is not a Word document (its XML is {kind})")
                         .format(kind=etree.QName(root).localname))
    lines, places = _Document(ns).read(root)
    return MappedSource(None, lines, places, reader="docx", path=path, encoding="utf-8")


def document_xml(data):
    """The bytes of the document's main part; InputError saying plainly what the file is not."""
    if not data:
        raise InputError(_("the file is empty"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise InputError(_("a damaged .docx: its zip archive cannot be read ({reason})").format(reason=e)) from None
    with archive:
        names = set(archive.namelist())
        main = _main_part(archive, names)
        if main is None:
            kind = next((what for name, what in _OTHER_ZIPS if name in names or
                         any(n.startswith(name) for n in names if name.endswith("/"))), None)
            raise InputError(_("a zip archive but not a Word document: it holds no word/document.xml{kind}")
                             .format(kind=_(" (it is {what})").format(what=kind) if kind else ""))
        info = archive.getinfo(main)
        if info.file_size > MAX_PART:
            raise InputError(_("the Word document's text unpacks to {size} MB, more than a report holds")
                             .format(size=info.file_size // (1024 * 1024)))
        try:
            return archive.read(main)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
            raise InputError(_("a damaged .docx: its text (word/document.xml) cannot be unpacked ({reason})")
                             .format(reason=e)) from None


def _main_part(archive, names):
    """The office document named by _rels/.rels, else word/document.xml, if the archive has it."""
    if "_rels/.rels" in names:
        try:
            rels = etree.fromstring(archive.read("_rels/.rels"), etree.XMLParser(resolve_entities=False, no_network=True))
            for rel in rels.iter(f"{{{_RELS}}}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    target = rel.get("Target", "").lstrip("/")
                    if target in names:
                        return target
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, KeyError, EOFError):
            pass
    return "word/document.xml" if "word/document.xml" in names else None


class _Document:
    """The body of a document as lines of text and cell rows."""

    def __init__(self, ns):
        w = "{%s}" % ns
        self.w = w
        self.P, self.TBL, self.TR, self.TC = w + "p", w + "tbl", w + "tr", w + "tc"
        self.T, self.TAB, self.PTAB, self.BR, self.CR = w + "t", w + "tab", w + "ptab", w + "br", w + "cr"
        self.HYPHEN = w + "noBreakHyphen"
        self.WRAPPERS = {w + "sdt", w + "sdtContent", w + "customXml", w + "ins", w + "moveTo", w + "smartTag"}
        # Text inside these is no paragraph's: drawings, text boxes, embedded objects, deleted text.
        self.HIDDEN = (w + "drawing", w + "pict", w + "object", w + "txbxContent", w + "del", w + "moveFrom",
                       f"{{{_MC}}}AlternateContent")
        self.SPECIAL = (w + "instrText", w + "delText", w + "sym")
        self.writer = CellRowsWriter()
        self.paragraphs = self.tables = 0
        self.hidden, self.special = set(), set()

    def read(self, root):
        body = root.find(self.w + "body")
        if body is None:
            return [], []
        for el in body.iter(*self.HIDDEN):
            self.hidden.update(el.iter(self.T, self.TAB, self.PTAB, self.BR, self.CR, self.HYPHEN))
        # Paragraphs holding more than runs of text: breaks, tabs, field codes, deleted
        # text, drawings and text boxes. The others' text is their runs' text, joined.
        for el in body.iter(self.TAB, self.PTAB, self.BR, self.CR, self.HYPHEN, *self.SPECIAL, *self.HIDDEN):
            self.special.update(el.iterancestors(self.P))
        self._blocks(body)
        return self.writer.lines, self.writer.places

    def _blocks(self, parent, depth=0):
        """The paragraphs and tables of the body, or of a cell of a page's frame."""
        for el in self._content(parent):
            if el.tag == self.P:
                self.paragraphs += 1
                for line in self._paragraph_lines(el):
                    self.writer.text(line, (len(self.writer.lines) + 1, 1, {"paragraph": self.paragraphs}))
                continue
            self.tables += 1
            if depth < MAX_FRAMES and self._is_frame(el):
                for tr in self._kids(el, (self.TR,)):
                    for tc in self._kids(tr, (self.TC,)):
                        self._blocks(tc, depth + 1)
            else:
                self._table(el)

    def _is_frame(self, table):
        """A table that frames others: the tables in its cells hold more cells than it does
        (a page laid out in a table, its menu in one cell and the report in another). Its
        cells are read as text and the tables in them as tables; a small table inside a
        cell of a real table is left out."""
        own = sum(len(self._kids(tr, (self.TC,))) for tr in self._kids(table, (self.TR,)))
        return sum(1 for _ in table.iter(self.TC)) - own > own

    def _content(self, parent):
        """The paragraphs and tables of a body or a cell, in order, through content controls."""
        return self._inside(parent, (self.P, self.TBL))

    def _kids(self, parent, wanted):
        """As `_inside`, as a list; most rows and cells hold no wrapper, and cost a loop."""
        out = []
        for el in parent:
            tag = el.tag
            if tag in wanted:
                out.append(el)
            elif tag in self.WRAPPERS:
                return list(self._inside(parent, wanted))
        return out

    def _inside(self, parent, wanted):
        """The children of an element that are of the kinds wanted, and theirs inside
        wrappers (content controls, custom XML, tracked insertions), in order."""
        stack = [iter(parent)]
        while stack:
            for el in stack[-1]:
                if el.tag in wanted:
                    yield el
                elif el.tag in self.WRAPPERS:
                    stack.append(iter(el))
                    break
            else:
                stack.pop()

    def _paragraph_lines(self, p):
        """A paragraph's text, split where a line break stands in it."""
        if p not in self.special:             # text runs only: lxml joins them
            text = _SPACES.sub(" ", etree.tostring(p, method="text", encoding=str)).strip()
            return [text] if text else []
        lines, pieces = [], []
        for el in p.iter(self.T, self.TAB, self.PTAB, self.BR, self.CR, self.HYPHEN):
            if el in self.hidden:
                continue
            tag = el.tag
            if tag == self.T:
                if el.text:
                    pieces.append(el.text)
            elif tag == self.BR or tag == self.CR:
                lines.append("".join(pieces))
                pieces = []
            else:
                pieces.append("-" if tag == self.HYPHEN else " ")
        lines.append("".join(pieces))
        return [text for text in (_SPACES.sub(" ", line).strip() for line in lines) if text]

    # --- tables ---------------------------------------------------------------------

    def _grid(self, table):
        """Rows of slots: (text, column, columns spanned) where a cell's text stands, "" where
        a merged cell or a column the row leaves out stands, as the table's grid places them."""
        w, TRPR, TCPR = self.w, self.w + "trPr", self.w + "tcPr"
        GRID_BEFORE, GRID_SPAN, V_MERGE, H_MERGE = w + "gridBefore", w + "gridSpan", w + "vMerge", w + "hMerge"
        VAL = w + "val"
        rows = []                     # per row: [(first grid column, columns spanned, text or None if merged)]
        for tr in self._kids(table, (self.TR,)):
            cells, column = [], 0
            for tc in self._kids(tr, (self.TC, TRPR)):
                if tc.tag == TRPR:                 # the row's properties: columns left out before its cells
                    column += _int(next((c for c in tc if c.tag == GRID_BEFORE), None), VAL)
                    continue
                span, merge = 1, None
                props = tc[0] if len(tc) and tc[0].tag == TCPR else None
                if props is not None:
                    for prop in props:
                        tag = prop.tag
                        if tag == GRID_SPAN:
                            span = max(_int(prop, VAL, 1), 1)
                        elif tag == V_MERGE:
                            merge = merge or prop.get(VAL) or "continue"
                        elif tag == H_MERGE and (prop.get(VAL) or "continue") == "continue":
                            merge = "continue"     # the older horizontal merge: part of the cell before
                cells.append((column, span, None if merge == "continue" else self._cell_text(tc)))
                column += span
            rows.append(cells)
        shown = self._shown_columns(table, rows)
        grid = []
        for cells in rows:
            slots = []
            for start, span, text in cells:
                columns = [shown[c] for c in range(start, start + span) if shown[c] is not None]
                if not columns:
                    continue                        # a sliver of a column: nothing to show
                first, last = columns[0], columns[-1]
                slots.extend([""] * (last + 1 - len(slots)))
                if text is not None:
                    slots[first] = (text, first + 1, last - first + 1)
            grid.append(slots)
        return grid

    def _shown_columns(self, table, rows):
        """grid column -> the column it is shown as; None for a sliver, shown as part of
        the cells that span it.

        A grid column narrower than a character (under 1 mm) is no column a reader sees:
        Word and LibreOffice make them where the cell borders of two rows almost meet (a
        1-twip column beside 总计, say). A cell that only slivers hold is left out, unless
        it has text: then its columns are columns."""
        w = self.w
        width = max((start + span for cells in rows for start, span, _ in cells), default=0)
        grid = next((c for c in table if c.tag == w + "tblGrid"), None)
        widths = [_int(col, w + "w", SLIVER) for col in grid if col.tag == w + "gridCol"] if grid is not None else []
        narrow = [i < len(widths) and widths[i] < SLIVER for i in range(width)]
        for cells in rows:
            for start, span, text in cells:
                if text and all(narrow[start:start + span]):
                    narrow[start:start + span] = [False] * span
        shown, column = [], 0
        for is_narrow in narrow:
            shown.append(None if is_narrow else column)
            column += not is_narrow
        return shown

    def _cell_text(self, tc):
        lines = []
        for el in self._kids(tc, (self.P,)):   # a table inside a cell is left out
            lines.extend(self._paragraph_lines(el))
        return clean(join_lines(lines)).strip()

    def _table(self, table):
        rows = self._grid(table)
        width = max((len(r) for r in rows), default=0)
        writer, t = self.writer, self.tables
        for r, slots in enumerate(rows, start=1):
            filled = [s for s in slots if s and s[0]]
            line = len(writer.lines) + 1
            if len(filled) == 1 and (len(slots) == 1 or filled[0][2] >= width):
                text, column, _ = filled[0]
                writer.text(text, (line, 1, {"table": t, "row": r, "cell": column}))
                continue
            cells, at = [], 1 + len(ROW_MARK)
            for slot in slots:
                text = slot[0] if slot else ""
                cells.append((text, (line, at, {"table": t, "row": r, "cell": slot[1]}) if text else None))
                at += len(text) + len(CELL_MARK)
            writer.row(cells, (line, 1))


def _int(el, attribute, default=0):
    if el is None:
        return default
    try:
        return int(el.get(attribute, default))
    except ValueError:
        return default
