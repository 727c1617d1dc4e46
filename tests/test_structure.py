"""Reports read wherever their parts stand: headings inside running text, headings with
markup or other numbering, regional lists of sections, tables outside their sections.

Each fixture in tests/fixtures/structure/ is a report and its expected values (the shape
of examples/*/X.expected.json) with, beside them, the exact set of finding codes and,
where the report numbers its own sections, their numbers and titles.
"""
import pytest
from hypothesis import given, settings, strategies as st

from gxgrammar import parse_file, parse_text
from gxgrammar.readers.text import Source
from gxgrammar.national.sections import inline_heading
from gxgrammar.structure.running import headings_in, split_running_text
from gxgrammar.writers.render import render

from conftest import FIXTURES, differences, expected_for, ids

STRUCTURE = sorted((FIXTURES / "structure").glob("*.txt"))


@pytest.mark.parametrize("path", STRUCTURE, ids=ids(STRUCTURE))
def test_a_report_is_read_wherever_its_parts_stand(path):
    report = parse_file(path)
    expected = expected_for(path)
    assert differences(report, expected) == []
    assert sorted({f.code for f in report.findings}) == expected["findings"]
    if "report_sections" in expected:
        assert [[s.report_number, s.report_title] for s in report.sections] == expected["report_sections"]


RUNNING = [p for p in STRUCTURE if p.name.startswith("crawler-")]


@pytest.mark.parametrize("path", RUNNING, ids=ids(RUNNING))
def test_the_canonical_report_of_running_text_reads_back_the_same(path):
    report = parse_file(path)
    again = parse_text(render(report, "canonical"), path="canonical.md")
    assert again.cells() == report.cells()
    assert {k: again.meta.get(k) for k in ("agency", "year", "template")} == \
           {k: report.meta.get(k) for k in ("agency", "year", "template")}
    assert [s.title for s in again.sections] == [s.title for s in report.sections]


def test_running_text_keeps_the_place_of_every_piece_in_the_users_file():
    line = "…联系。 一、总体情况 2023年，本局公开信息12条。二、主动公开政府信息情况第二十条第（一）项信息内容"
    source = split_running_text(Source("前言。\n" + line + "\n"))
    assert source.lines == ["前言。", "…联系。", "一、总体情况", "2023年，本局公开信息12条。",
                            "二、主动公开政府信息情况", "第二十条第（一）项信息内容"]
    for text, number in zip(source.lines[1:], range(2, 7)):
        file_line, column = source.position(number, 1)
        assert file_line == 2 and line[column - 1:].startswith(text)


@pytest.mark.parametrize("text", [
    "一、总体情况\n2023年，本局公开信息12条。\n",
    "  **四、政府信息公开行政复议、行政诉讼情况**\n本年度无复议。\n# 第五部分 存在的主要问题及改进情况\n无。\n",
])
def test_a_text_without_headings_in_its_lines_is_read_as_it_is(text):
    source = Source(text)
    assert split_running_text(source) is source


@pytest.mark.parametrize("text", [
    "# 石门乡人民政府2023年政府信息公开工作年度报告\n一、总体情况\n本乡公开信息12条。\n",
    "**石门乡人民政府2023年政府信息公开工作年度报告**\n一、总体情况\n本乡公开信息12条。\n",
    "一、总体情况\n本乡公开信息12条。\n                                2024年1月20日\n",
])
def test_a_title_in_markdown_marks_or_an_indented_signature_is_no_running_text(text):
    # Cutting off the marks or the indent would change no line's meaning: the Source stays.
    source = Source(text)
    assert split_running_text(source) is source


_HEADING_ALPHABET = list("一二三四五六、. \t#*_第部分总体情况主动公开政府信息收到和处理申请其他需要报告的事项存在问题改进行政复议诉讼。x1")


@given(st.text(alphabet=_HEADING_ALPHABET, max_size=60))
@settings(max_examples=3000, derandomize=True)
def test_headings_found_from_their_numerals_are_the_patterns_own_matches(line):
    heading = inline_heading()
    assert [m.span() for m in headings_in(line, heading)] == [m.span() for m in heading.finditer(line)]


def test_a_heading_wrapped_over_two_lines_is_one_heading():
    source = split_running_text(Source("四、政府信息公开行政\n复议、行政诉讼情况\n本年度无复议。\n"))
    assert source.lines == ["四、政府信息公开行政复议、行政诉讼情况", "本年度无复议。"]
    assert source.position(1, 11) == (2, 1)


def test_normalised_lines_lose_hidden_marks_and_full_width_forms_whether_or_not_the_text_has_marks():
    from gxgrammar.readers.text import Source, normalise_line
    lines = ["一、总体情况", "全年收到申请１２件（含结转）", "\u200b二、主动公开\ufeff政府信息情况", "\u3000行政许可\u3000３"]
    marked = Source("\n".join(lines))
    plain = Source("\n".join(lines[:2] + lines[3:]))
    assert marked.norm == [normalise_line(l) for l in lines] == \
        ["一、总体情况", "全年收到申请12件(含结转)", "二、主动公开政府信息情况", " 行政许可 3"]
    assert plain.norm == [normalise_line(l) for l in lines[:2] + lines[3:]]
