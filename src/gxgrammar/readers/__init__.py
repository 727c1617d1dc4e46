"""Readers: a file → the text lines every later stage reads, and rows of cells where
the input draws a grid.

As pandoc keeps a list of readers around one document model, gxgrammar keeps two
registries of readers in front of its layout grammars:

- **Document readers** read a whole file into a Source (readers.text): its lines of
  text, and for each place in them where it came from. A grid that the file itself
  draws (a web page's <table>, a PDF's ruled table, a Word table) is written as cell
  rows (readers.rows), which the `cell-rows` layout grammar reads. The reader is chosen
  by the file's bytes (a PDF's `%PDF`, a Word file's zip or OLE header, HTML markup),
  never by its name alone.
- **Table readers** read the lines of one table drawn in two dimensions (a box-drawing
  table, aligned columns) and rebuild its grid as cell rows with the place of every
  cell. A layout names the table reader it needs in its front matter (`// reader: box`);
  its grammar then reads the rows. A user's folder of grammars (`--grammars DIR`) may
  hold a small table reader of its own in Python (docs/layouts.md).
"""
from __future__ import annotations

from gxgrammar.i18n import _

import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gxgrammar.errors import GxError


# --- document readers -------------------------------------------------------------------

@dataclass
class DocumentReader:
    """A reader of whole files of one kind.

    `sniff(data)` tells the kind by the file's bytes; `read(data, path, encoding)` returns
    its Source. A reader whose `module` cannot be imported (a library not installed) is
    known by name but says how to install what it needs when it is asked to read.
    """
    name: str
    description: str
    module: str                    # where `read` and `sniff` live (imported when first needed)
    suffixes: tuple = ()           # the file names a folder scan picks up for this reader
    magic: tuple = ()              # byte prefixes that identify the kind (checked first, cheaply)
    needs: str = ""                # what to install when the module cannot be imported

    def load(self):
        return importlib.import_module(self.module)

    def read(self, data, path, encoding=None):
        return self.load().read_file(data, path, encoding)


DOCUMENT_READERS = {
    "pdf": DocumentReader("pdf", "PDF files: the text layer, tables rebuilt from ruling lines or word positions",
                          "gxgrammar.readers.pdf", (".pdf",), (b"%PDF",)),
    "docx": DocumentReader("docx", "Word documents (.docx): paragraphs and tables, merged cells expanded",
                           "gxgrammar.readers.docx", (".docx",)),
    "doc": DocumentReader("doc", "Word 97–2003 (.doc) and WPS (.wps) files, through LibreOffice",
                          "gxgrammar.readers.office", (".doc", ".wps"), (b"\xd0\xcf\x11\xe0",)),
    "html": DocumentReader("html", "Report pages saved from a website (.html, .htm, .mht)",
                           "gxgrammar.readers.html", (".html", ".htm", ".mht", ".mhtml")),
    "text": DocumentReader("text", "Plain text in UTF-8, GB18030/GBK or UTF-16: any converter's output",
                           "gxgrammar.readers.text", (".txt", ".md")),
}


def document_reader_for(data, path=""):
    """The document reader of a file's bytes: pdf, docx, doc, else text (a web page is
    recognised by its markup once decoded, see `read_document`)."""
    head = data[:8]
    for reader in DOCUMENT_READERS.values():
        if reader.magic and any(head.startswith(m) for m in reader.magic):
            return reader
    if head.startswith(b"PK\x03\x04"):     # a zip archive: the Word reader says what it is if not a .docx
        return DOCUMENT_READERS["docx"]
    return DOCUMENT_READERS["text"]


def read_document(data, path="<bytes>", encoding=None, reader=None):
    """A file's bytes as a Source, through the reader its bytes call for (or the one named)."""
    chosen = DOCUMENT_READERS[reader] if reader else document_reader_for(data, path)
    if chosen.name not in ("text", "html"):
        return chosen.read(data, path, encoding)
    from gxgrammar.readers.text import decode
    text, used = decode(data, encoding)
    return text_source(text, path, used, reader)


def text_source(text, path="<text>", encoding="utf-8", reader=None):
    """Decoded text as a Source; a saved web page (by its markup) becomes lines of text
    and rows of table cells first, and a report drawn inside a page's layout table
    (readers/frame.py) the lines of its cells."""
    from gxgrammar.readers.text import Source
    source = Source(text, path, encoding)
    # (The readers of frames, markup and Markdown tables are imported only for a text that
    # draws a box or holds markup: a plain text's first parse is the quicker for it.)
    if reader is None and any(c in text for c in "+" + FRAME_CORNERS):
        from gxgrammar.readers.frame import unframe
        source = unframe(source, text)    # a report inside a page's layout table, as pandoc draws it
    if reader is None and "<" in text:
        from gxgrammar.readers import markdown
        if markdown.embedded_tables(source):   # Markdown holding <table> blocks
            return markdown.read_embedded(source)
    if reader == "html" or (reader is None and "<" in text):
        from gxgrammar.readers import html
        if reader == "html" or html.is_html(source):
            return html.read(source)
    return source


# The drawn top left corners a frame's box may start with (readers/frame.py; the ASCII
# one is a +). Looked for one by one: a class of them costs more to compile than it saves.
FRAME_CORNERS = "┌┍┎┏╒╓╔╭"


def report_suffixes():
    """The file name endings a folder scan reads as reports."""
    return tuple(s for r in DOCUMENT_READERS.values() for s in r.suffixes)


# --- table readers ----------------------------------------------------------------------

@dataclass
class Rebuilt:
    """A table reader's result: lines of cell rows (and of text), and for each line the
    pieces it was made of, as readers.text.MappedSource takes them: (column in the line,
    line of the table's text (1-based), column in that line)."""
    lines: list = field(default_factory=list)
    places: list = field(default_factory=list)
    # What the reader inferred rather than read (model.Finding, each naming its cells;
    # the line is set from where those cells were read).
    findings: list = field(default_factory=list)


@dataclass
class TableReader:
    name: str
    description: str
    read: Callable            # read(lines: list[str]) -> Rebuilt | None (None: no such table here)
    origin: str = "built-in"
    # Reads text in a page's reading order, where a table's last numbers may stand after
    # the next heading: it is given the lines of numbers just after that heading too.
    reading_order: bool = False


# Built-in table readers, imported when a layout first asks for one.
_BUILT_IN_TABLE_READERS = {
    "aligned": "gxgrammar.readers.aligned",
    "box": "gxgrammar.readers.box",
    "columns": "gxgrammar.readers.columns",
    "md-labels": "gxgrammar.readers.markdown",
}
_TABLE_READERS = {}


def register_table_reader(name, description="", reading_order=False):
    """Register a table reader: `@register_table_reader("box", "…") def read(lines): …`.

    The function takes the normalised lines of one table's text and returns a Rebuilt
    (readers.rows.CellRowsWriter builds one), or None when it finds no table of its kind.
    """
    def register(fn):
        _TABLE_READERS[name] = TableReader(name, description or (fn.__doc__ or "").strip().split("\n")[0],
                                           fn, _origin(fn), reading_order)
        return fn
    return register


def _origin(fn):
    module = getattr(fn, "__module__", "") or ""
    return "built-in" if module.startswith("gxgrammar.") else module


def table_reader(name):
    """The table reader registered under a name; GxError when there is none."""
    if name not in _TABLE_READERS and name in _BUILT_IN_TABLE_READERS:
        importlib.import_module(_BUILT_IN_TABLE_READERS[name])
    try:
        return _TABLE_READERS[name]
    except KeyError:
        known = sorted(set(_TABLE_READERS) | set(_BUILT_IN_TABLE_READERS))
        raise GxError(_("no table reader named {name} (known: {known})").format(
            name=repr(name), known=", ".join(known) or _("none"))) from None


def table_readers():
    for name, module in _BUILT_IN_TABLE_READERS.items():
        if name not in _TABLE_READERS:
            importlib.import_module(module)
    return dict(sorted(_TABLE_READERS.items()))


_loaded_user_files = {}


def load_user_readers(folders):
    """Import the table readers in a user's grammar folders (their *.py files), once each."""
    for folder in folders:
        for path in sorted(Path(folder).glob("*.py")):
            stamp = path.stat().st_mtime_ns
            if _loaded_user_files.get(str(path)) == stamp:
                continue
            spec = importlib.util.spec_from_file_location(f"gxgrammar_user_reader_{path.stem}", path)
            try:
                spec.loader.exec_module(importlib.util.module_from_spec(spec))
            except Exception as e:   # the user's code: say which file, in one line
                raise GxError(_("table reader {path} does not load: {reason}").format(
                    path=path, reason=f"{type(e).__name__}: {e}").splitlines()[0]) from None
            _loaded_user_files[str(path)] = stamp
