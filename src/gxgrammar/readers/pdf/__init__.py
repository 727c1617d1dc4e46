"""PDF files: the text layer as lines, and each table as rows of cells.

A report's PDF is read page by page through PDFium (pypdfium2):

- its running text becomes lines as the page shows them (headings and paragraphs as
  laid out, one line per line of the page), in reading order;
- a table drawn with ruling lines is rebuilt from them (readers.pdf.ruled): its merged
  cells, and which cells are blank, are what the rulings draw; each row is written as a
  cell row (readers.rows), which the `cell-rows` layout reads;
- a table drawn without rulings is rebuilt from the positions of its words
  (readers.pdf.aligned);
- page furniture is left out: page numbers (「- 4 -」, 「第4页 共9页」) and running heads
  and feet repeated at the top or bottom of the pages; a table that goes on over a page
  break goes on as the same rows, its header, if the page repeats it, written once.

Every line keeps its place: the line and column in the text read, and the page, x and
y (PDF points from the page's top left) of the word or cell it came from.
"""
from __future__ import annotations

from gxgrammar.errors import InputError, ScannedPdfError
from gxgrammar.i18n import _
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK, clean
from gxgrammar.readers.text import MappedSource

MAX_PAGES = 200          # an annual report has far fewer; a longer PDF is something else
TOP_BAND, BOTTOM_BAND = 0.12, 0.88   # where running heads and page numbers stand

INSTALL = "pip install pypdfium2"


def read_file(data, path="<bytes>", encoding=None):
    """The text and table rows of a PDF's bytes, as a MappedSource (reader "pdf")."""
    try:
        from pypdfium2 import PdfiumError
        from gxgrammar.readers.pdf import page as pdfpage
    except ImportError:
        raise InputError(_("reading a PDF needs pypdfium2: {command}").format(command=INSTALL)) from None
    try:
        document = pdfpage.open_document(data)
    except PdfiumError as e:
        raise InputError(_open_failure(e)) from None
    try:
        count = len(document)
        if count > MAX_PAGES:
            raise InputError(_("a PDF of {pages} pages, longer than any annual report "
                               "(at most {limit} pages are read)").format(pages=count, limit=MAX_PAGES))
        title = _metadata_title(document)
        pages = []
        for index in range(count):
            try:
                pages.append(pdfpage.read_page(document, index))
            except PdfiumError:
                raise InputError(_("corrupt PDF: page {page} cannot be read").format(page=index + 1)) from None
    finally:
        document.close()
    if not any(p.chars for p in pages):
        if any(p.images for p in pages):
            raise ScannedPdfError(_("scanned PDF: no text layer; OCR needed"))
        raise InputError(_("a PDF with no text on any page"))
    lines, places = _Writer(pages, title).write()
    return MappedSource(None, lines, places, reader="pdf", path=path, encoding="pdf")


def page_count(path):
    """The pages of a PDF file, counted without reading them (1 when it cannot be opened:
    its error comes when it is parsed)."""
    try:
        import pypdfium2
        document = pypdfium2.PdfDocument(str(path))
    except Exception:       # noqa: BLE001 - not installed, unreadable: the parse will say
        return 1
    try:
        return max(1, len(document))
    finally:
        document.close()


def _open_failure(error):
    import pypdfium2.raw as raw
    code = getattr(error, "err_code", None)
    if code == raw.FPDF_ERR_PASSWORD:
        return _("encrypted PDF: it cannot be opened without its password")
    if code == raw.FPDF_ERR_SECURITY:
        return _("encrypted PDF: its security scheme is not supported")
    if code == raw.FPDF_ERR_SUCCESS:
        return _("a PDF without pages")
    return _("corrupt PDF: it cannot be opened (not a valid PDF file)")


def _where(ch, page):
    return {"page": page, "x": round(ch.x0, 1), "y": round(ch.top, 1)}


class _Writer:
    """The pages' lines and cell rows, with the place each piece came from."""

    def __init__(self, pages, title=""):
        self.pages = pages
        self.title = title
        self.lines, self.places = [], []
        self.chain = None       # the table the last page ended with: (its column boundaries, first rows)

    def write(self):
        from gxgrammar.readers.pdf.aligned import find_aligned
        from gxgrammar.readers.pdf.lines import group_lines, split_wide
        from gxgrammar.readers.pdf import ruled

        laid = []
        for page in self.pages:
            tables = ruled.find_tables(page)
            used = ruled.inside(tables, page.chars)
            aligned, text = find_aligned(page, group_lines([c for c in page.chars if id(c) not in used]))
            text = [piece for line in text for piece in split_wide(line)]
            items = [(t.top, "table", t) for t in tables + aligned]
            items += [(line.top, "line", line) for line in text]
            items.sort(key=lambda it: it[0])
            laid.append((page, items))
        furniture = _furniture(laid)
        for n, (page, items) in enumerate(laid):
            items = [it for it in items if not (it[1] == "line" and id(it[2]) in furniture)]
            items.sort(key=lambda it: it[0])
            laid[n] = (page, items)
        _from_title(laid, self.title)
        _continued(laid)
        for page, items in laid:
            ruled.fill([t for _top, kind, t in items if kind == "table" and isinstance(t, ruled.Table)],
                       page.chars)
            for n, (_top, kind, item) in enumerate(items):
                if kind == "line":
                    self.chain = None
                    self._text(item, page.number)
                else:
                    self._table(item, first_on_page=(n == 0))
                    if n != len(items) - 1:
                        self.chain = None
        return self.lines, self.places

    # --- text -------------------------------------------------------------------------

    def _text(self, line, page):
        text = clean(line.text)
        if not text.strip():
            return
        number = len(self.lines) + 1
        self.lines.append(text)
        self.places.append([(column, number, column, _where(ch, page)) for column, ch in line.starts])

    # --- tables -----------------------------------------------------------------------

    def _table(self, table, first_on_page):
        rows = [[(cell.text, cell) if cell is not None else ("", None) for cell in row] for row in table.rows()]
        rows = [row for row in rows if any(text for text, _c in row)]
        columns = len(table.xs) - 1
        chain = self.chain
        if first_on_page and chain is not None and _same_columns(chain[0], table.xs):
            # The table goes on from the page before: its header, repeated, is written once.
            head = chain[1]
            k = 0
            while k < len(rows) and k < len(head) and [t for t, _c in rows[k]] == head[k] \
                    and not any(any(ch.isdigit() for ch in t) for t, _c in rows[k]):
                k += 1
            rows = rows[k:]
        else:
            chain = (table.xs, [[t for t, _c in row] for row in rows[:6]])
        self.chain = chain
        for row in rows:
            filled = [(t, c) for t, c in row if t]
            if len(filled) == 1 and (len(row) == 1 or filled[0][1].columns == columns):
                cell = filled[0][1]
                self._cell_line(cell.text, cell, table.page)
                continue
            self._row(row, table.page)

    def _cell_line(self, text, cell, page):
        number = len(self.lines) + 1
        self.lines.append(clean(text).strip())
        self.places.append([(1, number, 1, _where(cell.first, page))])

    def _row(self, row, page):
        number = len(self.lines) + 1
        parts, places = [], [(1, number, 1, None)]
        column = 1 + len(ROW_MARK)
        for text, cell in row:
            text = clean(text or "").strip()
            if text:
                places.append((column, number, column, _where(cell.first, page)))
            parts.append(text)
            column += len(text) + len(CELL_MARK)
        if len(places) > 1:
            places[0] = (1, number, 1, places[1][3])
        self.lines.append(ROW_MARK + CELL_MARK.join(parts))
        self.places.append(places)


def _metadata_title(document):
    """The part of the PDF's Title that names a report (a browser's print gives the page's
    <title>: the report's title joined to the site's name by _ or |)."""
    import re
    import ctypes
    import pypdfium2.raw as raw
    key = b"Title\x00"
    size = raw.FPDF_GetMetaText(document, key, None, 0)
    if size <= 2 or size > 4096:
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.FPDF_GetMetaText(document, key, buffer, size)
    # .raw, not a memoryview of the buffer: that makes ctypes types, reference cycles each.
    title = buffer.raw[:size - 2].decode("utf-16-le", "replace")
    parts = [re.sub(r"\s+", "", p) for p in re.split(r"[_|｜]|\s[-—–]\s", title)]
    return next((p for p in parts if "报告" in p or "年报" in p), "")


def _from_title(laid, title):
    """A page printed from a website shows the site's banner and menus before the
    report's title: the report begins at the line that shows the PDF's title."""
    import re
    if len(title) < 8:
        return
    for n, (page, items) in enumerate(laid[:2]):
        texts = [(i, re.sub(r"\s+", "", it[2].text)) for i, it in enumerate(items) if it[1] == "line"]
        for k, (i, text) in enumerate(texts):
            if len(text) < 6 or not title.startswith(text):
                continue
            joined = "".join(t for _i, t in texts[k:k + 3])
            if joined.startswith(title):
                if n or i:
                    for m in range(n):
                        laid[m] = (laid[m][0], [])
                    laid[n] = (page, items[i:])
                return


def _same_columns(xs, other):
    return len(xs) == len(other) and all(abs(a - b) <= 3.0 for a, b in zip(xs, other))


def _goes_on(table, after):
    """Whether a table at the top of a page goes on from one at the bottom of the page
    before: the same left and right edges."""
    return abs(table.x0 - after.x0) <= 3.0 and abs(table.x1 - after.x1) <= 3.0


def _continued(laid):
    """Tables that go on over page breaks share their column boundaries: a boundary that
    one page draws and the other does not (no row there needs it) is spanned there."""
    from gxgrammar.readers.pdf.ruled import Table, regrid
    chain = []

    def close(chain):
        if len(chain) > 1:
            xs = [x for t in chain for x in t.xs]
            for t in chain:
                regrid(t, xs)

    for (_page, items), (_next, following) in zip(laid, laid[1:] + [(None, [])]):
        last = items[-1][2] if items and items[-1][1] == "table" else None
        first = following[0][2] if following and following[0][1] == "table" else None
        last, first = (t if isinstance(t, Table) else None for t in (last, first))
        if not chain or chain[-1] is not last:
            close(chain)
            chain = [last] if last is not None else []
        if last is not None and first is not None and _goes_on(first, last):
            chain.append(first)
        else:
            close(chain)
            chain = []
    close(chain)


def _furniture(laid):
    """The lines (by id) that are page furniture: page numbers, and running heads and
    feet (the same words at the top or bottom of two pages or more)."""
    from gxgrammar.readers.pdf.lines import PAGE_NUMBER, furniture_key
    seen, candidates = {}, []
    for page, items in laid:
        for _top, kind, line in items:
            if kind != "line":
                continue
            if line.bottom < page.height * TOP_BAND or line.top > page.height * BOTTOM_BAND:
                key = furniture_key(line.text)
                candidates.append((line, key))
                seen.setdefault(key, set()).add(page.number)
    return {id(line) for line, key in candidates
            if PAGE_NUMBER.match(line.text.strip()) or len(seen[key]) >= 2}
