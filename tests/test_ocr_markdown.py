"""Markdown from OCR and PDF-to-Markdown tools: the table shapes they write.

tests/fixtures/ocr-markdown/ holds one report per shape (see its README), each NAME.md
with NAME.expected.json: every cell's value; `unread` lists the cells that must be null
with a finding naming them.
"""
import json
from pathlib import Path

import pytest

from gxgrammar import national as nf
from gxgrammar.parser import parse_file, parse_text
from gxgrammar.readers import markdown, table_reader
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK
from gxgrammar.readers.text import Source

FIXTURES = Path(__file__).parent / "fixtures" / "ocr-markdown"
CASES = sorted(p for p in FIXTURES.glob("*.md") if p.with_suffix(".expected.json").exists())


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_cell_right_or_null_with_a_finding(path):
    exp = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    report = parse_file(path)
    named = {key for f in report.findings for key in (f.cells or [])}
    unread = set(exp.get("unread", []))
    for key, want in exp["cells"].items():
        table, row, col = key.split(".")
        got = report.tables[table][row][col]
        if key in unread:
            assert got is None and key in named, key
        else:
            assert got == want, key
    assert {k: report.meta[k] for k in exp["meta"]} == exp["meta"]
    assert [s.title for s in report.sections] == exp["sections"]


def test_the_shapes_and_the_layouts_that_read_them():
    layouts = {p.stem: parse_file(p).source["table_layouts"] for p in CASES}
    assert layouts["labels-above-rows-2021"]["requests"] == "md-labels"
    assert layouts["labels-beside-table-2019"]["requests"] == "md-labels"
    assert layouts["appeals-three-tables-2021"]["appeals"] == "md-labels"
    assert layouts["html-table-2019"]["requests"] == "cell-rows"
    assert layouts["split-tables-2021"]["requests"] == "markdown"
    assert layouts["placeholder-header-2019"]["requests"] == "markdown"


def _rows(lines):
    rebuilt = table_reader("md-labels").read(lines)
    return None if rebuilt is None else [l[1:].split(CELL_MARK) for l in rebuilt.lines if l.startswith(ROW_MARK)]


REVIEW, DIRECT, AFTER = (r.label for r in nf.APPEAL_ROWS)
HEADER = "| " + " | ".join(c.label for c in nf.APPEAL_COLUMNS) + " |"


def test_a_label_line_above_a_table_of_one_row():
    lines = []
    for label, numbers in ((REVIEW, "| 3 | 1 | 0 | 1 | 5 |"), (DIRECT, "| 1 | 0 | 1 | 0 | 2 |"),
                           (AFTER, "| 0 | 0 | 0 | 1 | 1 |")):
        lines += [f"**{label}**", "", HEADER, "|---|---|---|---|---|", numbers, ""]
    rows = [r for r in _rows(lines) if r[0] in (REVIEW, DIRECT, AFTER)]
    assert rows == [[REVIEW, "3", "1", "0", "1", "5"], [DIRECT, "1", "0", "1", "0", "2"],
                    [AFTER, "0", "0", "0", "1", "1"]]


def test_a_list_of_labels_beside_a_table_of_numbers():
    lines = [f"- {REVIEW}", f"- {DIRECT}", f"- {AFTER}", "", HEADER, "|---|---|---|---|---|",
             "| 3 | 1 | 0 | 1 | 5 |", "| 1 | 0 | 1 | 0 | 2 |", "| 0 | 0 | 0 | 1 | 1 |"]
    assert [r[0] for r in _rows(lines)[1:]] == [REVIEW, DIRECT, AFTER]


def test_labels_that_do_not_match_the_rows_one_for_one_give_no_labels():
    # two labels for three rows of numbers: which row lacks its label cannot be told
    lines = [f"- {REVIEW}", f"- {AFTER}", "", HEADER, "|---|---|---|---|---|",
             "| 3 | 1 | 0 | 1 | 5 |", "| 1 | 0 | 1 | 0 | 2 |", "| 0 | 0 | 0 | 1 | 1 |"]
    assert _rows(lines) is None


def test_labels_out_of_the_formats_order_give_no_labels():
    lines = [f"- {DIRECT}", f"- {REVIEW}", "", HEADER, "|---|---|---|---|---|",
             "| 3 | 1 | 0 | 1 | 5 |", "| 1 | 0 | 1 | 0 | 2 |"]
    assert _rows(lines) is None


def test_each_cell_keeps_its_place():
    lines = [f"**{REVIEW}**", "", "| 3 | 1 | 0 | 1 | 5 |", DIRECT, AFTER]
    rebuilt = table_reader("md-labels").read(lines)
    places = rebuilt.places[0]
    assert places[1][1:] == (1, 3)           # the label: line 1, after the **
    assert places[2][1:] == (3, 3)           # the first number: line 3, column 3


def test_markdown_holding_html_tables_is_not_a_web_page():
    text = "# 标题\n\n一、总体情况\n\n<table><tr><td>规章</td><td>1</td></tr></table>\n"
    assert markdown.embedded_tables(Source(text))
    page = "<html><body><p>一、总体情况</p><table><tr><td>规章</td></tr></table></body></html>"
    assert not markdown.embedded_tables(Source(page))
    fragment = "<div><p>一、总体情况</p></div>\n<table><tr><td>规章</td></tr></table>"
    assert not markdown.embedded_tables(Source(fragment))


def test_an_html_table_in_markdown_becomes_cell_rows_in_its_place():
    text = ("前言\n<table>\n<tr><td rowspan=\"2\">规章</td><td>1</td></tr>\n<tr><td>2</td></tr>\n</table>\n后记\n")
    source = markdown.read_embedded(Source(text))
    assert source.lines == ["前言", f"{ROW_MARK}规章{CELL_MARK}1", f"{ROW_MARK}{CELL_MARK}2", "后记"]
    assert source.position(2, 5) == (3, 32)      # the cell 「1」 on line 3 of the text
    assert source.position(4, 1) == (6, 1)


def test_a_report_with_its_tables_in_html_parses_with_every_line_in_place():
    text = (FIXTURES / "html-table-2019.md").read_text(encoding="utf-8")
    report = parse_text(text)
    key = "requests.new.natural_person"
    line = report.provenance[key]["line"]
    assert str(report.cells()[key]) in text.splitlines()[line - 1]
