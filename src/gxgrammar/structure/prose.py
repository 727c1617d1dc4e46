"""Running text as paragraphs: PDF line breaks joined, page furniture dropped.

Text pulled from a PDF breaks every line at the page width (and often puts a blank
line between lines), so neither a line break nor a blank line ends a paragraph there.
What does: a line that ends a sentence (。！？：；), a line clearly shorter than the
page width (the last line of a paragraph, a heading), or a next line that starts
with a heading number (（一）, 二、, 3.). Text that was not wrapped at a width keeps
each line as its own paragraph. When in doubt a paragraph is ended, never joined.

Page furniture is a line that is only a page number: 「- 3 -」, 「— 3 —」, 「第 3 页」,
「第3页 共10页」, 「3/10」 or a bare 「3」.
"""
from __future__ import annotations

import unicodedata

from gxgrammar.cache import regex

_FURNITURE = regex(
    r"^(?:[-—–－─]+\s*\d{1,4}\s*[-—–－─]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|\d{1,3})$"
)
# A sentence ends in 。！？：； (either width), possibly inside closing quotes or brackets.
_SENTENCE_END = regex(r"[。！？：；!?:;][”’」』）)》〉】\"']*$")
# A heading or list number at the start of a line: （一） (1) 一、 1、 1. 1．
_PUNCTUATION = regex(r"[，。；：！？,;:!?]")
_NUMBERED = regex(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、．]|\d{1,2}\.(?!\d))")

# Wrapped text: most lines fill the page width, within this share of it.
_FULL = 0.8
# A line shorter than this share of the page width ends its paragraph.
_SHORT = 0.7
_WRAPPED_SHARE = 0.5
_MIN_LINES = 4
# A printed page holds at most about 50 CJK characters a line: 100 columns, with a margin.
_MAX_PAGE_WIDTH = 120


def is_page_furniture(line):
    """Whether a line is only a page number (it is dropped from the prose)."""
    return bool(_FURNITURE.match(unicodedata.normalize("NFKC", line).strip()))


def display_width(text):
    """Columns the text takes in a monospaced rendering: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def prose_lines(text):
    """The non-blank lines of a text, stripped, page furniture left out."""
    lines = (l.strip() for l in text.splitlines())
    return [l for l in lines if l and not is_page_furniture(l)]


def wrap_width(texts):
    """The page width the texts were wrapped at, or None when they were not wrapped.

    Wrapped text has most of its lines within a narrow band below the widest
    ordinary line; text with one paragraph a line has lines of every length.
    """
    widths = sorted(display_width(l) for t in texts for l in prose_lines(t))
    if len(widths) < _MIN_LINES:
        return None
    width = widths[int(len(widths) * 0.75)]
    full = sum(1 for w in widths if _FULL * width <= w <= width * 1.15)
    if width > _MAX_PAGE_WIDTH or full < _WRAPPED_SHARE * len(widths):
        return None
    return width


def _is_short(line, width):
    return display_width(line) < _SHORT * width


def _ends_paragraph(line, following, width, in_heading):
    if width is None or _SENTENCE_END.search(line) or _is_short(line, width):
        return True
    if _NUMBERED.match(following):
        return True
    # A numbered heading goes on only into a short tail without punctuation (…收取信息 / 处理费的情况).
    return in_heading and not (_is_short(following, width) and not _PUNCTUATION.search(following))


def _join(left, right):
    """Two pieces of one wrapped paragraph: no space between them, except between two words."""
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


def paragraphs(text, width=None):
    """The paragraphs of a text; `width` is its wrap width (see `wrap_width`), None if not wrapped."""
    out = []
    current = None
    lines = prose_lines(text)
    for i, line in enumerate(lines):
        if current is None:
            current = line
            in_heading = bool(_NUMBERED.match(line)) and not _PUNCTUATION.search(line)
        else:
            current = _join(current, line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not following or _ends_paragraph(line, following, width, in_heading):
            out.append(current)
            current = None
    return out
