"""Lines of a table drawn in text, measured as a converter drew them (the aligned reader).

Display columns (a CJK character two wide) for pandoc and lynx; characters for
pdftotext -layout, which counts one column a character whatever its width.
"""
from __future__ import annotations

import unicodedata

from gxgrammar.cache import regex

_WORD = regex(r"\S+")
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


class Line:
    """One line: its words, each as (start, end, text) in characters, measured once."""

    __slots__ = ("raw", "text", "words", "values", "_pos", "_narrowed")

    def __init__(self, text):
        self.raw = text
        self.text = text.replace("\f", " ").replace("\t", " ")
        self.words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.text)]
        self._pos = {}
        self._narrowed = None
        self.values = None         # the numbers that end it (aligned_unruled)

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


def join_pieces(parts):
    """Pieces of a cell's text from successive lines: CJK text joins up, words get a space."""
    out = ""
    for part in parts:
        if out and not (_wide(out[-1]) or _wide(part[0])):
            out += " "
        out += part
    return out


def _wide(ch):
    return unicodedata.east_asian_width(ch) in "WF"
