"""Where a section's prose stands in the user's file: the line and column of a claim.

A section carries its text (the prose, lines stripped, blank lines dropped) and the line
of its heading. The line and column of each line of the text come from the model when
it gives them (`section.places`, one (line, column) a line of its text, as
`section_places` computes them from the file's lines); a table section's lines are found
among the lines its tables were read from; otherwise a line is known only where the text
fills the file between two known lines (the heading, a subheading, the next heading)
with nothing left out, and its column not at all.
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

    The section's lines come from the model when it carries them (`section.places`,
    one (line, column) a line of its text); a table section's lines are found among
    the lines its tables were read from; otherwise only the section is known.
    """

    def __init__(self, report, section, text, known):
        self.report, self.section, self.text, self.known = report, section, text, known
        self.section_name = section_name(section)
        self.starts = self.lines = None

    def at(self, offset):
        if self.starts is None:
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
            self.lines = _line_places(self.report, self.section, self.text, self.known)
        if self.lines is None:
            return None, None
        k = bisect_right(self.starts, offset) - 1
        line, column = self.lines[k]
        return line, (column + offset - self.starts[k]) if column else None


def _line_places(report, section, text, known):
    """(line, column or None) of each line of a section's text, or None where not known."""
    places = getattr(section, "places", None)
    if places and len(places) == text.count("\n") + 1:      # the places of this very text
        return [tuple(p) for p in places]
    if not section.line:
        return None
    lines = text.split("\n")
    table = nf.SECTION_TABLES.get(section.number)
    readings = getattr(report, "readings", None) or {}
    if table in readings:
        return _in_reading(readings[table], section, lines)
    if "plain" not in known:
        known["plain"] = _plain(report)
    if known["plain"]:
        return _between_anchors(report, section, lines)
    return None


def section_places(text, lines, first=1):
    """(line, column) of each line of a section's `text` among `lines` (the file's lines as
    read, the first of them numbered `first`), found in order: what `Section.places` holds
    when the parser gives it. None when a line of the text is not found."""
    out, k = [], 0
    for wanted in text.split("\n"):
        while k < len(lines) and lines[k].strip() != wanted:
            k += 1
        if k == len(lines):
            return None
        out.append((first + k, len(lines[k]) - len(lines[k].lstrip()) + 1))
        k += 1
    return out


def _in_reading(reading, section, lines):
    """A table section's prose lines are lines of the text its tables were read from."""
    out, k = [], 0
    plain = _plain_reading(reading, section)
    for wanted in lines:
        while k < len(reading.lines) and reading.lines[k].strip() != wanted:
            k += 1
        if k == len(reading.lines):
            return None
        line = reading.lines[k]
        out.append((reading.file_lines[k], len(line) - len(line.lstrip()) + 1 if plain else None))
        k += 1
    return out


def _plain_reading(reading, section):
    first = section.line + 1
    return reading.file_lines == list(range(first, first + len(reading.file_lines)))


def _plain(report):
    """Whether the report's lines are its file's lines (a text file, not a page or a PDF)."""
    readings = getattr(report, "readings", None) or {}
    by_table = {nf.SECTION_TABLES.get(s.number): s for s in report.sections}
    return bool(readings) and all(t in by_table and by_table[t].line and _plain_reading(r, by_table[t])
                                  for t, r in readings.items())


def _between_anchors(report, section, lines):
    """Lines known for certain: the heading, the subheadings, the next heading, and every
    line between two of them when the text has as many lines as the file has there (no
    blank line, nothing left out). Their columns are not known (the text is stripped)."""
    anchors, k = [(-1, section.line)], 0
    for sub in section.subheadings:
        while k < len(lines) and lines[k] != sub.get("text"):
            k += 1
        if k == len(lines) or not sub.get("line"):
            break
        anchors.append((k, sub["line"]))
        k += 1
    after = [s.line for s in report.sections if s.line and s.line > section.line]
    if after:
        anchors.append((len(lines), min(after)))
    out = [(None, None)] * len(lines)
    for (i0, l0), (i1, l1) in zip(anchors, anchors[1:]):
        if 0 <= i0 < len(lines):
            out[i0] = (l0, None)
        if i1 - i0 == l1 - l0:
            for j in range(i0 + 1, min(i1, len(lines))):
                out[j] = (l0 + j - i0, None)
    return out if any(line for line, _ in out) else None
