"""The box table reader: tables drawn with box characters, rebuilt as rows of cells.

Each fixture in tests/fixtures/box/ is NAME.txt (what a converter or a table tool wrote)
and NAME.expected.json: the lines the reader must rebuild, exactly (a string is a line
of text, a list a row of cells; null: no box there). Every cell's place must point at
its first character in the lines it was given.
"""
from __future__ import annotations

import json
import re

import pytest

from gxgrammar.readers import table_reader, table_readers
from gxgrammar.readers.box import read, width
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK
from gxgrammar.readers.text import normalise_line, split_lines

from conftest import FIXTURES

CASES = sorted((FIXTURES / "box").glob("*.txt"))
_BAR = re.compile(r"[\u2500-\u257f|]")      # a box character ends a piece of text


def given(path):
    """The lines as the parser hands them to a table reader: normalised (NFKC)."""
    return [normalise_line(l) for l in split_lines(path.read_text(encoding="utf-8"))]


def shown(rebuilt):
    """The rebuilt lines as the expected files write them."""
    return [l[1:].split(CELL_MARK) if l.startswith(ROW_MARK) else l for l in rebuilt.lines]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_grid_is_rebuilt_exactly(path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))["lines"]
    rebuilt = read(given(path))
    assert (shown(rebuilt) if rebuilt else None) == expected


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_cell_points_at_its_first_characters(path):
    lines = given(path)
    rebuilt = read(lines)
    if rebuilt is None:
        return
    for line, places in zip(rebuilt.lines, rebuilt.places):
        for start, at_line, at_column, *_ in places[1:]:
            text = line[start - 1:].split(CELL_MARK)[0]
            # the cell's first piece: from its place to the bar that ends it
            piece = _BAR.split(lines[at_line - 1][at_column - 1:])[0].strip()
            assert piece and text.startswith(piece), (path.stem, text, at_line, at_column, piece)
        if not line.startswith(ROW_MARK):       # a line of text: where it stands
            _, at_line, at_column = places[0]
            assert lines[at_line - 1][at_column - 1:].strip() == line


def test_the_reader_is_registered_and_the_box_layout_names_it():
    from gxgrammar.layouts.registry import layouts
    assert table_reader("box").read is read
    assert table_readers()["box"].origin == "built-in"
    lay = layouts()["box"]
    assert (lay.reader, lay.path.name) == ("box", "box.lark")


def test_display_width_counts_cjk_as_two_columns():
    assert [width(c) for c in "a１中（─\u0301"] == [1, 2, 2, 2, 1, 0]


def test_a_report_drawn_in_boxes_reports_the_box_layout():
    from gxgrammar import parse_file
    from conftest import ROOT
    report = parse_file(ROOT / "examples" / "box" / "baishi-zrzy-2021.txt")
    assert report.source["table_layouts"] == {"active": "box", "requests": "box", "appeals": "box"}


@pytest.mark.parametrize("rows", [1000, 50_000])
def test_a_long_table_is_read_whole(rows):
    """A table of 100,000 lines reads whole (the cost is linear: bench/box_reader.py measures it)."""
    top, rule, bottom = "┌────┬────┐", "├────┼────┤", "└────┴────┘"
    lines = [top]
    for n in range(rows):
        lines += [f"│行{n % 10}│{n % 10000:<4}│", rule]
    lines[-1] = bottom
    rebuilt = read(lines)
    assert len(rebuilt.lines) == rows
    assert rebuilt.lines[-1] == f"{ROW_MARK}行{(rows - 1) % 10}{CELL_MARK}{(rows - 1) % 10000}"


def test_a_line_of_a_megabyte_is_read_once():
    wide = "─" * 1_000_000
    lines = ["┌" + wide + "┐", "│" + "字" * 500_000 + "│", "└" + wide + "┘"]
    rebuilt = read(lines)
    assert [len(l) for l in rebuilt.lines] == [1 + 500_000]


def test_a_box_of_more_columns_than_any_report_is_not_a_table():
    lines = ["┌" + "─┬" * 400 + "─┐", "│" + "1│" * 401, "└" + "─┴" * 400 + "─┘"]
    assert read(lines) is None


def test_a_bracketed_span_wrapped_in_a_grid_cell_is_its_text():
    # pandoc's Markdown grid table of a cell holding <span style="padding-left:2em">3.其他</span>
    # and a <br> (a backslash ending the line).
    text = """\
+--------+--------+--------+
| [3.其  | 1      | 2      |
| 他]{s  |        |        |
| tyle=" |        |        |
| paddin |        |        |
| g-left |        |        |
| :2em"} |        |        |
+--------+--------+--------+
| 缴纳费 | 0      | 0      |
| 用，\\  |        |        |
| 行政机 |        |        |
| 关     |        |        |
+--------+--------+--------+"""
    rebuilt = read([normalise_line(l) for l in text.split("\n")])
    rows = [l[1:].split(CELL_MARK) for l in rebuilt.lines if l.startswith(ROW_MARK)]
    assert rows == [["3.其他", "1", "2"], ["缴纳费用,行政机关", "0", "0"]]
