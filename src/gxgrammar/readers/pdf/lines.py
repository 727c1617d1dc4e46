"""Characters into lines of text, as the page shows them.

A line is the characters that share a band of the page's height, left to right. Words
are separated where the page leaves a gap: a space between Latin words and digits, none
between CJK characters (the spaces PDF producers put between them are letter spacing,
not words: 「三 、 本 年 度」 is 三、本年度), nor around CJK punctuation. Space characters
themselves are dropped: the gap they leave says the same. A character drawn twice at
the same place (a bold faked by overprinting) is kept once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from gxgrammar.cache import regex

_SPACES = {" ", "\u3000", "\u00a0", "\t", "\u2002", "\u2003", "\u2009"}


def is_cjk(ch):
    """CJK characters and CJK or full-width punctuation (、，。（）《》“” …)."""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F \
        or 0xFF00 <= o <= 0xFF65 or 0x20000 <= o <= 0x3FFFF or ch in "“”‘’—…·"


@dataclass
class Line:
    chars: list
    text: str = ""
    starts: list = field(default_factory=list)   # (column in text, char) where each word starts

    @property
    def top(self):
        return min(c.top for c in self.chars)

    @property
    def bottom(self):
        return max(c.bottom for c in self.chars)

    @property
    def x0(self):
        return self.chars[0].x0

    @property
    def x1(self):
        return self.chars[-1].x1


def group_lines(chars):
    """The characters in lines, top to bottom, each left to right (spaces dropped)."""
    chars = [c for c in chars if c.text not in _SPACES and c.bottom > c.top]
    chars.sort(key=lambda c: c.middle)
    bands, band, bottom = [], [], None
    for c in chars:
        if band and c.middle > bottom:
            bands.append(band)
            band = []
        bottom = c.bottom if not band else max(bottom, c.bottom)
        band.append(c)
    if band:
        bands.append(band)
    return [_line(sorted(b, key=lambda c: c.x0)) for b in bands]


def _line(chars):
    kept, text, starts = [], [], []
    column = 1
    prev = None
    for c in chars:
        if prev is not None:
            em = max(prev.bottom - prev.top, c.bottom - c.top, 1.0)
            gap = c.x0 - prev.x1
            if c.text == prev.text and abs(c.x0 - prev.x0) < 0.3 * em:
                continue                      # overprinted
            if gap > 0.2 * em and not ((is_cjk(prev.text) or is_cjk(c.text)) and gap < 1.5 * em):
                text.append(" ")
                column += 1
                starts.append((column, c))
        else:
            starts.append((column, c))
        kept.append(c)
        text.append(c.text)
        column += len(c.text)
        prev = c
    return Line(kept, "".join(text), starts)


def split_wide(line, gap=3.0):
    """A line of the page cut where it leaves a gap of `gap` ems or more: text blocks side
    by side (a menu beside the report, a signature beside a date) are lines of their own."""
    pieces, start = [], 0
    chars = line.chars
    for i in range(1, len(chars)):
        em = max(chars[i].bottom - chars[i].top, 1.0)
        if chars[i].x0 - chars[i - 1].x1 >= gap * em:
            pieces.append(chars[start:i])
            start = i
    if not pieces:
        return [line]
    pieces.append(chars[start:])
    return [_line(p) for p in pieces]


def join_lines(texts):
    """A cell's lines as one text: a space only between two Latin words or numbers."""
    out = ""
    for t in texts:
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and t[0].isascii() and t[0].isalnum():
            out += " "
        out += t
    return out


# Page numbers: 「- 4 -」, 「— 4 —」, 「4」, 「第4页」, 「第4页 共9页」, 「4/9」, 「Page 4 of 9」.
PAGE_NUMBER = regex(r"^(?:[-–—－~·•\s]*\d{1,4}[-–—－~·•\s]*|第\s*\d+\s*页(?:\s*[,，、/]?\s*共\s*\d+\s*页)?"
                    r"|共\s*\d+\s*页\s*第\s*\d+\s*页|\d+\s*/\s*\d+|[Pp]age\s*\d+(?:\s*of\s*\d+)?)$")
_DIGITS = regex(r"\d+")


def furniture_key(text):
    """A running head or foot, its page numbers aside: the same on every page."""
    return _DIGITS.sub("#", re.sub(r"\s+", "", text))
