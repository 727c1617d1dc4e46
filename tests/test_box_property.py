"""Any grid drawn with box characters reads back as the grid: every style, labels
wrapped in their columns at the top or in the middle of their rows, CJK and full-width
text (read normalised, as the parser gives it: NFKC makes （ and ， half-width)."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings, strategies as st

from gxgrammar.readers.box import read, text_width
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK
from gxgrammar.readers.text import normalise_line

STYLES = {   # corners, junctions, rule, bar
    "light": ("┌┬┐", "├┼┤", "└┴┘", "─", "│"),
    "heavy": ("┏┳┓", "┣╋┫", "┗┻┛", "━", "┃"),
    "double": ("╔╦╗", "╠╬╣", "╚╩╝", "═", "║"),
    "rounded": ("╭┬╮", "├┼┤", "╰┴╯", "─", "│"),
    "ascii": ("+++", "+++", "+++", "-", "|"),
}
LABEL = st.text(st.sampled_from("一二三本年度办理结果申请公开（）、，：“”政府信息1."), min_size=1, max_size=14).filter(
    lambda t: any("\u4e00" <= c <= "\u9fff" for c in t))         # a label, not a number
VALUE = st.one_of(st.integers(0, 999).map(str), st.sampled_from(["", "—", "/", "12.5", "-3"]))


def wrap(text, width):
    pieces, line = [], ""
    for ch in text:
        if line and text_width(line + ch) > width:
            pieces.append(line)
            line = ""
        line += ch
    return pieces + [line] if line else pieces


def draw(rows, style, width, middle, ruled=True):
    top, mid, bottom, h, v = STYLES[style]
    cells = [[wrap(c, width if k == 0 else 8) for k, c in enumerate(row)] for row in rows]
    widths = [max([1, *(text_width(p) for row in cells for p in row[k])]) for k in range(len(rows[0]))]
    rule = lambda ends: ends[0] + ends[1].join(h * (w + 2) for w in widths) + ends[2]
    out = [rule(top)]
    for r, row in enumerate(cells):
        height = max([1, *(len(c) for c in row)])
        for k in range(height):
            parts = []
            for c, pieces in enumerate(row):
                at = k - ((height - len(pieces)) // 2 if middle else 0)
                piece = pieces[at] if 0 <= at < len(pieces) else ""
                parts.append(" " + piece + " " * (widths[c] - text_width(piece)) + " ")
            out.append(v + v.join(parts) + v)
        if ruled or r == len(cells) - 1:
            out.append(rule(mid if r < len(cells) - 1 else bottom))
    return out


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda values: st.lists(st.tuples(LABEL, st.lists(VALUE, min_size=values, max_size=values)),
                                                         min_size=1, max_size=6)),
       st.sampled_from(sorted(STYLES)), st.integers(2, 10), st.booleans())
def test_a_drawn_grid_reads_back(rows, style, width, middle):
    grid = [[label, *values] for label, values in rows]
    lines = [normalise_line(l) for l in draw(grid, style, width, middle)]
    rebuilt = read(lines)
    expected = [ROW_MARK + CELL_MARK.join(unicodedata.normalize("NFKC", c) for c in row) for row in grid]
    assert rebuilt.lines == expected


NUMBER = st.integers(0, 999).map(str)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4).flatmap(lambda values: st.lists(st.tuples(LABEL, NUMBER, st.lists(VALUE, min_size=values - 1,
                                                                                      max_size=values - 1)),
                                                         min_size=2, max_size=6)),
       st.sampled_from(sorted(STYLES)), st.integers(2, 10))
def test_rows_drawn_without_rules_between_them_read_back(rows, style, width):
    """rich's and tabulate's outline tables: a label wrapped at the top of its row, the
    row's numbers on its first line."""
    grid = [[label, number, *values] for label, number, values in rows]
    lines = [normalise_line(l) for l in draw(grid, style, width, middle=False, ruled=False)]
    rebuilt = read(lines)
    expected = [ROW_MARK + CELL_MARK.join(unicodedata.normalize("NFKC", c) for c in row) for row in grid]
    assert rebuilt.lines == expected
