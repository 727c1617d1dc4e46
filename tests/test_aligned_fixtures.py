"""The aligned layout on the real converters' output of web pages whose every number is known.

tests/fixtures/aligned/NAME.TOOL.txt is what TOOL made of the page NAME (pages/, or
examples/html/): pandoc -t plain and -t markdown, lynx -dump, and pdftotext -layout of
Chromium's and LibreOffice's PDFs (pages/convert.sh makes them again). Its
NAME.TOOL.expected.json holds the values the page was written with. Read in the aligned
layout, every cell is right or named by a finding (never a wrong number without one),
and at least as many cells are read right as when the fixture was made.
"""
import json
from pathlib import Path

import pytest

from gxgrammar import parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "aligned"
CASES = sorted(FIXTURES.glob("*.txt"))


def _input(path, tool, tmp_path):
    if tool != "pandoc-markdown":
        return path
    # pandoc writes the page's <strong> headings as **三、…**, which the document
    # structure does not take for headings yet; the tables are what is tested here.
    plain = tmp_path / path.name
    plain.write_text(path.read_text(encoding="utf-8").replace("**", ""), encoding="utf-8")
    return plain


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_cell_is_right_or_named_by_a_finding(path, tmp_path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    try:
        report = parse_file(_input(path, expected["tool"], tmp_path), layout="aligned")
    except (KeyError, ValueError) as e:
        # shared/repro internal-error-01…05: the national mapping fails on some short
        # rows of a 2019 table 二, whatever layout read them.
        pytest.xfail(f"the national mapping fails on a short row: {type(e).__name__}: {e}")
    assert report.source["layout"] == "aligned"
    # (the agency of a saved site page may come out as its menu: the meta is not this test's)
    assert report.meta["template"] == expected["meta"]["template"]
    cells = report.cells()
    flagged = {key for finding in report.findings for key in finding.cells}
    silent = {key: (cells.get(key), value) for key, value in expected["cells"].items()
              if cells.get(key) != value and key not in flagged}
    assert silent == {}
    right = sum(1 for key, value in expected["cells"].items() if cells.get(key) == value)
    assert right >= expected["read_at_least"]


def test_every_fixture_has_its_expected_values():
    assert CASES
    for path in CASES:
        assert path.with_suffix(".expected.json").exists(), path


NANHU = FIXTURES / "nanhu-wjw-2021.chromium-pdf.txt"


def test_labels_a_line_above_their_numbers_are_read_a_line_down_where_the_identities_hold():
    # 「本 （四） 1.本机关不掌握…」 with no numbers, 「2.没有现成…」 with 1.'s numbers, 「3.补正后…」
    # with 2.'s, and 「办」 (a piece of the side label) with 3.'s: read a line down, table 三's
    # identities hold in every row and column.
    report = parse_file(NANHU, layout="aligned")
    assert report.tables["requests"]["unavailable_not_held"] == {
        "natural_person": 14, "commercial": 2, "research": 0, "nonprofit": 0, "legal_service": 1, "other": 1,
        "total": 18}
    assert report.tables["requests"]["unavailable_unclear"]["total"] == 2
    assert [f.line for f in report.findings if f.code == "table.rows_read_a_line_down"] == [77]


def test_labels_a_line_above_their_numbers_stay_unread_where_the_identities_do_not_hold(tmp_path):
    # The same with 1.'s numbers changed (its row still adds up, its columns no longer do).
    text = NANHU.read_text(encoding="utf-8").replace("14  2   0   0   1   1   18", "15  2   0   0   1   1   19")
    changed = tmp_path / NANHU.name
    changed.write_text(text, encoding="utf-8")
    report = parse_file(changed, layout="aligned")
    assert report.tables["requests"]["unavailable_not_held"]["total"] is None
    displaced = [f for f in report.findings if f.code == "table.rows_displaced"]
    assert len(displaced) == 1 and "requests.unavailable_unclear.total" in displaced[0].cells


def test_a_table_pandoc_replaced_by_its_placeholder_is_said_to_be_so(monkeypatch):
    """pandoc -t plain writes 「[TABLE]」 for a table it cannot draw: nothing of it is left,
    and the finding says what happened and how to convert the page instead."""
    report = parse_file(FIXTURES / "nanhu-wjw-2021.pandoc-plain.txt")
    [lost] = [f for f in report.findings if f.code == "table.not_found"]
    assert lost.message == (
        "the table of section 三、收到和处理政府信息公开申请情况 was replaced by the converter: the text holds "
        "only 「[TABLE]」 where it stood (pandoc's plain output does so with tables it cannot draw; convert the "
        "page with -t gfm or -t markdown); its 175 cells are not read")
    assert len(lost.cells) == 175 and lost.severity == "error"
    monkeypatch.setenv("GXGRAMMAR_LANG", "zh")
    [lost] = [f for f in parse_file(FIXTURES / "nanhu-wjw-2021.pandoc-plain.txt").findings if f.code == "table.not_found"]
    assert lost.message == ("「三、收到和处理政府信息公开申请情况」部分的表格已被转换工具替换：原表格处只有「[TABLE]」"
                            "（pandoc 的 plain 输出遇到无法绘制的表格时会这样做；请改用 -t gfm 或 -t markdown 转换网页）；"
                            "该表175个单元格未读取")
