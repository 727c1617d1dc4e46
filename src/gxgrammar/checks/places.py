"""Where a section's prose stands in the user's file: the line and column of a claim.

A section carries its text (the prose, lines stripped, blank lines dropped) and, in
`section.places`, the (line, column) in the user's file of each line of that text (the
structure stage records them as it builds the section). A text without them (one set by
hand) has claims that name only their section.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from gxgrammar import national as nf


def section_name(section):
    """一 … 六 for a section of the format; its heading as written, in 「」, for a part of the
    report that is none of them."""
    if section.number:
        return nf.SECTION_NUMERALS[section.number - 1]
    return f"「{section.heading}」" if section.heading else "?"


class Places:
    """Where an offset of a section's text stands in the user's file: (line, column).

    The places are `section.places` when they are the places of this very text (as many
    as its lines); otherwise only the section is known.
    """

    def __init__(self, section, text):
        self.section, self.text = section, text
        self.section_name = section_name(section)
        self.starts = self.lines = None

    def at(self, offset):
        if self.starts is None:
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
            places = getattr(self.section, "places", None)
            self.lines = [tuple(p) for p in places] if places and len(places) == len(self.starts) else None
        if self.lines is None:
            return None, None
        k = bisect_right(self.starts, offset) - 1
        line, column = self.lines[k]
        return line, (column + offset - self.starts[k]) if column else None


def section_places(text, lines, first=1):
    """(line, column) of each line of a section's `text` among `lines` (the file's lines as
    read, the first of them numbered `first`), found in order: the places of a text set on
    a section by hand. None when a line of the text is not found."""
    out, k = [], 0
    for wanted in text.split("\n"):
        while k < len(lines) and lines[k].strip() != wanted:
            k += 1
        if k == len(lines):
            return None
        out.append((first + k, len(lines[k]) - len(lines[k].lstrip()) + 1))
        k += 1
    return out
