"""Errors a user sees: one line naming the file, the line and what was expected."""
from __future__ import annotations

from gxgrammar.i18n import _


class GxError(Exception):
    """Base of the errors gxgrammar reports to a user (never with a traceback)."""

    exit_code = 1

    def __init__(self, message, line=None, path=None, excerpt=()):
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path
        self.excerpt = list(excerpt)   # the line in question and a caret under the place, if known

    def located(self, path=None):
        """`file:line: message`, the form compilers and grep use; then the excerpt, if any."""
        where = path or self.path or "<text>"
        if self.line:
            where = f"{where}:{self.line}"
        return "\n".join([f"{where}: {self.message}", *self.excerpt])

    def __str__(self):
        return self.located()


class InputError(GxError):
    """The bytes are not readable text (empty, binary, undecodable, missing)."""

    exit_code = 2


class ReportError(GxError):
    """Readable text that is not a report, or a report missing a part it must have."""

    exit_code = 1


class ScannedPdfError(InputError):
    """A PDF whose pages are pictures: there is no text to read without OCR."""

    def __init__(self, message=None, **kw):
        super().__init__(message or _("scanned PDF: no text layer; OCR needed"), **kw)
