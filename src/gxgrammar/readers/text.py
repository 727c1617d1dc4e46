"""From bytes to the two texts every later step reads.

Decoding is deterministic: a byte-order mark, then strict UTF-8, then strict GB18030
(a superset of GB2312 and GBK), then UTF-16 recognised by its NUL bytes; `--encoding`
overrides. No guessing by statistics: a file that is none of these is refused with
advice, never decoded into nonsense.

Normalisation keeps one line of output for each line of input, so that every line
number the grammars report is a line number of the user's file.
"""
from __future__ import annotations

from gxgrammar.cache import regex
from gxgrammar.i18n import _

import codecs
import unicodedata
from functools import cached_property

from gxgrammar.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _plausible_text(text):
    """Mostly letters, CJK, digits, punctuation and whitespace: what a report is made of."""
    sample = text[:4096]
    if not sample:
        return False
    good = sum(1 for ch in sample if unicodedata.category(ch)[0] != "C" or ch in "\t\r\n")
    return good / len(sample) > 0.97


def _utf16_without_bom(data):
    """A UTF-16 text without a byte-order mark: NUL bytes, and it decodes to real text."""
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data[: len(data) // 2 * 2].decode(name)
        except UnicodeDecodeError:
            continue
        if _plausible_text(text):
            return name
    return None


_CONTROL = regex(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data, encoding=None):
    """Decode a report's bytes; return (text, encoding used)."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(_("unknown encoding {encoding}").format(encoding=repr(encoding))) from None
        except UnicodeDecodeError as e:
            raise InputError(_("not valid {encoding} text (byte {byte}: {reason})").format(
                encoding=encoding, byte=e.start, reason=e.reason)) from None
        return text.lstrip("\ufeff"), encoding
    if not data:
        raise InputError(_("the file is empty"))
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name), name
            except UnicodeDecodeError as e:
                raise InputError(_("starts with a {encoding} byte-order mark but is not valid {encoding} (byte {byte})")
                                 .format(encoding=name, byte=e.start + len(bom))) from None
    if b"\x00" in data[:4096]:
        name = _utf16_without_bom(data)
        if name:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass
        raise InputError(_("a binary file, not text (it holds NUL bytes)"))
    for name in ("utf-8", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text[:8192])) > 8:
            raise InputError(_("a binary file, not text (it holds control characters)"))
        return text, name
    raise InputError(_("not UTF-8, GB18030/GBK or UTF-16 text; name the encoding with --encoding"))


# Characters that NFKC leaves alone but that only hide structure.
_HIDDEN_MARKS = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, _HIDDEN_MARKS), None)
_HIDDEN = regex(f"[{_HIDDEN_MARKS}]")


def _holds_hidden(text):
    # (five str.find: a quarter of the time of a class searched through the whole text)
    return any(mark in text for mark in _HIDDEN_MARKS)


def split_lines(text):
    """Lines of a text, whatever its line endings (CRLF, CR, LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# The full-width punctuation of Chinese text and the wide spaces, with what NFKC makes of
# each: a line whose only other characters NFKC leaves alone is normalised by replacing
# them, a fifth of the time of normalize(). (The same text: each is its own compatibility
# decomposition's image, one character that combines with nothing.)
_WIDE = (("，", ","), ("（", "("), ("）", ")"), ("；", ";"), ("：", ":"), ("！", "!"), ("？", "?"),
         ("％", "%"), ("\u3000", " "), ("\xa0", " "))


def _nfkc(line):
    # is_normalized first: most lines of prose need nothing, and it answers sooner
    if unicodedata.is_normalized("NFKC", line):
        return line
    for wide, narrow in _WIDE:
        line = line.replace(wide, narrow)
    return line if unicodedata.is_normalized("NFKC", line) else unicodedata.normalize("NFKC", line)


def normalise_line(line):
    """NFKC (full-width digits, punctuation and U+3000 become half-width) without hidden marks.

    NFKC never introduces a line break, so line numbers survive. Column numbers in a
    normalised line can differ from the original only where NFKC expands a character
    (ligatures and the like), which table cells do not contain.
    """
    line = _nfkc(line)
    # translate() looks up every character; most lines have nothing to remove
    return line.translate(_INVISIBLE) if _HIDDEN.search(line) else line


def normalise_lines(lines, hidden=True):
    """The lines normalised (normalise_line, or _nfkc alone where `hidden` is false: the
    text holds no hidden marks), taken as one text: a few passes in C over the whole text
    instead of a dozen calls a line. (NFKC neither makes nor joins a line break: the
    lines of the text normalised are the lines normalised.)"""
    text = "\n".join(lines)
    if not unicodedata.is_normalized("NFKC", text):
        for wide, narrow in _WIDE:
            text = text.replace(wide, narrow)
    out = text.split("\n")
    if len(out) != len(lines):           # a line break inside a line a reader made
        return [normalise_line(line) if hidden else _nfkc(line) for line in lines]
    if not unicodedata.is_normalized("NFKC", text):
        # Something else is left (full-width digits, ligatures): the lines that hold it.
        out = list(map(_nfkc, out))
        text = None
    if hidden:                           # removed after NFKC, as normalise_line does
        if text is None:
            return [line.translate(_INVISIBLE) if _HIDDEN.search(line) else line for line in out]
        if _holds_hidden(text):
            return text.translate(_INVISIBLE).split("\n")
    return out


class Source:
    """A decoded report: its original lines and their normalised twins.

    Every reader hands the later stages a Source. This one is a text file read as it
    is; a MappedSource is text a reader made (from a web page, a PDF, a Word file, or
    running text split at its headings) and maps each place in it back to its origin.
    """

    reader = "text"          # the document reader that made it (readers.DOCUMENT_READERS)
    # The text read is the file itself; a MappedSource maps places in its text back to
    # places in the user's file, and says so.
    maps_places = False

    def __init__(self, text, path="<text>", encoding="utf-8"):
        self.path = path
        self.encoding = encoding
        self.lines = split_lines(text)
        if len(self.lines) > 1 and self.lines[-1] == "":
            self.lines.pop()  # the final line break ends the last line; it opens no new one
        self._hidden = _holds_hidden(text)     # one scan, not one a line

    @cached_property
    def norm(self):
        """The normalised lines (made when first asked for: a web page's markup never is)."""
        return normalise_lines(self.lines, self._hidden)

    def norm_text(self, start=0, end=None):
        """Normalised lines [start, end) (0-based) as one text."""
        return "\n".join(self.norm[start:end]) + "\n"

    def position(self, line, column):
        """The (line, column) of the user's file that a place in this text stands for."""
        return line, column

    def extra(self, line, column):
        """More of a place's provenance than its line and column (a PDF's page, x and y), or None."""
        return None

    def place(self, line, column):
        """(line, column, extra): `position` and `extra` in one walk back to the file."""
        return line, column, None

    def file_line(self, line):
        return self.position(line, None)[0] if line else line


class MappedSource(Source):
    """Text made by a reader, each place of it mapped back to where it came from.

    `places` holds, for each line, the pieces it was made of, in order:
    (column in this line where the piece starts, line, column[, extra]) of the place in
    `base` it came from (a column of None: only the line is known; `extra`: a dict of
    more provenance, such as a PDF's page and position). Positions compose: a place in
    this text maps to a place in `base`, and `base` maps it further to the user's file.
    With no `base`, the text itself is what the user is shown (a PDF's text layer).
    """

    maps_places = True

    def __init__(self, base, lines, places, reader=None, path=None, encoding=None, norm=None):
        self.base = base
        self.path = path if path is not None else getattr(base, "path", None)
        self.encoding = encoding if encoding is not None else getattr(base, "encoding", None)
        self.reader = reader or getattr(base, "reader", "text")
        self.lines = lines or [""]
        # `norm`: the lines' normalised twins, when the maker has them already.
        self.norm = norm if norm is not None and lines else [normalise_line(line) for line in self.lines]
        self._places = places or [[(1, 1, None)]]

    def _piece(self, line, column):
        entries = self._places[min(max(line, 1), len(self._places)) - 1]
        piece = entries[0]
        if column is not None:
            for entry in entries:          # in the order of their columns
                if entry[0] > column:
                    break
                piece = entry
        return piece

    def position(self, line, column):
        return self.place(line, column)[:2]

    def extra(self, line, column):
        return self.place(line, column)[2]

    def place(self, line, column):
        piece = self._piece(line, column)
        start, base_line, base_column = piece[:3]
        if column is None or base_column is None:
            base_column = None
        else:
            base_column += column - start
        own = piece[3] if len(piece) > 3 and piece[3] else None
        if self.base is None:
            return base_line, base_column, own
        line, column, extra = self.base.place(base_line, base_column)
        return line, column, own or extra


class Offset:
    """The places of an excerpt of a Source (lines from `offset` + 1 on) in the whole."""

    def __init__(self, source, offset):
        self.source, self.offset = source, offset

    def position(self, line, column):
        return self.source.position(line + self.offset, column)

    def extra(self, line, column):
        return self.source.extra(line + self.offset, column)

    def place(self, line, column):
        return self.source.place(line + self.offset, column)
