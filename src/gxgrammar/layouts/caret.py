"""Pointing at a place in a line of a report: the line as shown, and a caret under the column.

A terminal shows a CJK character two columns wide, so a caret placed by counting
characters lands left of the place it means. Widths come from Unicode's East Asian
Width property (W and F are two columns; ambiguous ones are counted as one, as
terminals outside CJK locales draw them). Tabs and other invisible controls are shown
as visible symbols one column wide, so the reader sees why a tab-separated line
is not, say, a pipe table.
"""
from __future__ import annotations

import unicodedata

from gxgrammar.i18n import N_, _

VISIBLE = {"\t": "␉", "\f": "␌", "\r": "␍", "\v": "␋"}
ELLIPSIS = "⋯"
WINDOW = 72       # display columns of a line shown around the caret


def char_width(ch):
    """Display columns of one character, as shown by `visible`."""
    if ch in VISIBLE:
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text):
    return sum(char_width(ch) for ch in text)


def visible(text):
    return "".join(VISIBLE.get(ch, ch) for ch in text)


def excerpt(line, column, indent="  "):
    """Two lines: `line` (cut to a window around `column`) and a caret under `column`.

    `column` is 1-based, in characters, as Lark counts it. A long line is cut to about
    WINDOW display columns with ⋯ where text was left out.
    """
    line = line.rstrip("\n")
    index = max(0, min(column - 1, len(line)))
    start, end = _window(line, index)
    shown = (ELLIPSIS if start else "") + visible(line[start:end]) + (ELLIPSIS if end < len(line) else "")
    offset = display_width(line[start:index]) + (char_width(ELLIPSIS) if start else 0)
    return [indent + shown, indent + " " * offset + "^"]


def _window(line, index):
    """The characters [start, end) to show: the caret's place and as much around it as fits."""
    if display_width(line) <= WINDOW:
        return 0, len(line)
    start = index
    while start > 0 and display_width(line[start - 1:index]) <= WINDOW // 3:
        start -= 1
    end = index
    while end < len(line) and display_width(line[start:end + 1]) <= WINDOW:
        end += 1
    return start, max(end, min(index + 1, len(line)))


# Terminal names every grammar shares, in a user's words.
COMMON_TERMS = {
    "$END": N_("the end of the table"),
    "_NL": N_("a line break"),
    "NL": N_("a line break"),
    "_TAB": N_("a tab"),
    "_PIPE": N_("a pipe |"),
}


def expected_words(names, terms=None):
    """What a grammar would have accepted, from Lark's terminal names, in a user's words.

    A grammar's front matter names its terminals (`// term CELL_TEXT: the text of a
    cell`); names it does not describe are spelled out from the name. The words of the
    built-in grammars are in the catalogue, and given in the language of the moment.
    """
    terms = {**COMMON_TERMS, **(terms or {})}
    words = []
    for name in sorted(names or ()):
        word = _(terms[name]) if terms.get(name) else name.strip("_").replace("_", " ").lower()
        if word not in words:
            words.append(word)
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return _("{some}, or {last}").format(some=_(", ").join(words[:-1]), last=words[-1])


def lark_failure(error, lines, terms=None):
    """(line index in `lines`, what was expected, excerpt) for a Lark UnexpectedInput.

    `lines` are the lines the grammar read (or their originals, same length); an error
    at the end of the input points just past the last line's text.
    """
    names = getattr(error, "allowed", None) or getattr(error, "expected", None) or ()
    if getattr(error, "line", -1) and error.line > 0:
        index, column = error.line - 1, error.column
    else:
        index = max(0, len(lines) - 1)
        while index > 0 and not lines[index].strip():
            index -= 1
        column = len(lines[index].rstrip()) + 1 if lines else 1
    line = lines[index] if index < len(lines) else ""
    return index, expected_words(names, terms), excerpt(line, column)
