"""Reports that write （六）其他处理 the other national format's way: the 2021 format's table 二
with the 2019 format's single row in table 三, a 2019 report with the 2021 sub-rows 1.–3.,
or both ways at once. Every row present is read under its own key, a finding says which
format's rows were mixed, and the identities count the rows the report holds.

Each fixture in tests/fixtures/mixed-rows/ is a report and its expected values (the shape
of examples/*/X.expected.json) with the exact set of finding codes.
"""
import pytest

from gxgrammar import national as nf
from gxgrammar import parse_file, parse_text
from gxgrammar.national.completeness import problems
from gxgrammar.writers.render import render

from conftest import FIXTURES, ROOT, differences, expected_for, ids

MIXED = sorted((FIXTURES / "mixed-rows").glob("*.txt"))


@pytest.mark.parametrize("path", MIXED, ids=ids(MIXED))
def test_every_row_of_a_mixed_report_is_read_under_its_own_key(path):
    report = parse_file(path)
    expected = expected_for(path)
    assert differences(report, expected) == []
    assert sorted({f.code for f in report.findings}) == expected["findings"]
    assert problems(report) == []
    mixed = [f for f in report.findings if f.code == "table.rows_mixed"]
    assert len(mixed) == 1 and mixed[0].severity == "warning" and mixed[0].line


@pytest.mark.parametrize("path", MIXED, ids=ids(MIXED))
def test_the_canonical_report_of_a_mixed_report_reads_back_the_same(path):
    report = parse_file(path)
    again = parse_text(render(report, "canonical"), path="canonical.md")
    assert again.cells() == report.cells()


def test_a_2021_report_with_the_2019_single_row_says_so():
    report = parse_file(FIXTURES / "mixed-rows" / "single-row-luming-sthj-2021.txt")
    [mixed] = [f for f in report.findings if f.code == "table.rows_mixed"]
    assert mixed.message == (
        "table 三 of this 2021-format report gives （六）其他处理 as one row, the 2019 format's way: read as "
        "requests.other_processing; the report has no requests.closed_no_correction, requests.closed_unpaid_fee, "
        "requests.closed_other")
    # It names the cells read the 2019 way and the 2021 cells the report does not have.
    assert mixed.cells == [f"requests.{r}.{c.key}" for r in ("other_processing", "closed_no_correction",
                                                             "closed_unpaid_fee", "closed_other")
                           for c in nf.REQUEST_COLUMNS]
    assert report.meta["template"] == "2021"
    assert "closed_other" not in report.tables["requests"]
    assert not [f for f in report.findings if f.code.startswith(("meta.template", "table.row_missing"))]


def test_a_2019_report_with_the_2021_sub_rows_says_so():
    report = parse_file(FIXTURES / "mixed-rows" / "sub-rows-tongling-scjg-2019.txt")
    [mixed] = [f for f in report.findings if f.code == "table.rows_mixed"]
    assert mixed.message == (
        "table 三 of this 2019-format report gives （六）其他处理 as the sub-rows 1.–3., the 2021 format's way: "
        "read as requests.closed_no_correction, requests.closed_unpaid_fee, requests.closed_other; the report "
        "has no requests.other_processing")
    assert report.meta["template"] == "2019"
    assert "other_processing" not in report.tables["requests"]
    assert not [f for f in report.findings if f.code.startswith("meta.template")]


def test_a_2019_report_with_the_2021_sub_rows_names_the_row_it_has_not():
    report = parse_file(FIXTURES / "mixed-rows" / "sub-rows-tongling-scjg-2019.txt")
    [mixed] = [f for f in report.findings if f.code == "table.rows_mixed"]
    assert mixed.cells == [f"requests.{r}.{c.key}" for r in nf.INTERCHANGEABLE_ROWS["2021"] + ("other_processing",)
                           for c in nf.REQUEST_COLUMNS]


def test_rows_a_layout_wrote_without_placing_a_number_do_not_mix_the_formats():
    # A number lost from a 2019 report's table 三 cell by cell (columns): the reader can
    # tell neither the format nor the order, and writes the 2021 format's rows with every
    # cell 「?」. They are no sign that the report writes （六）其他处理 the 2021 way: its
    # 2019 row is not found, and said so.
    path = ROOT / "examples" / "columns" / "yunxiu-jyj-2019.txt"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n0\n\n0\n\n15\n") == 1
    report = parse_text(text.replace("\n0\n\n0\n\n15\n", "\n0\n\n15\n"), path=path.name)
    assert report.meta["template"] == "2019"
    assert not [f for f in report.findings if f.code == "table.rows_mixed"]
    assert "closed_other" not in report.tables["requests"]
    [missing] = [f for f in report.findings if f.code == "table.row_missing"]
    assert missing.cells == [f"requests.other_processing.{c.key}" for c in nf.REQUEST_COLUMNS]
    assert problems(report) == []


def test_an_inconsistent_mixed_report_still_breaks_its_identity():
    report = parse_file(FIXTURES / "mixed-rows" / "single-row-inconsistent-luming-sthj-2021.txt")
    broken = [f for f in report.findings if f.code == "requests.results_total"]
    # No lone culprit: each broken column names its total first, then its 19 parts.
    assert [f.cells[0] for f in broken] == ["requests.results_total.natural_person", "requests.results_total.total"]
    assert [len(f.cells) for f in broken] == [20, 20]
    assert "requests.other_processing.natural_person" in broken[0].cells
    assert all("the 19 parts add up to" in f.message for f in broken)


def test_sub_rows_that_do_not_add_up_to_the_single_row_break_an_identity():
    path = FIXTURES / "mixed-rows" / "both-ways-luming-sthj-2021.txt"
    text = path.read_text(encoding="utf-8").replace("\t3.其他\t6\t2\t0\t1\t1\t0\t10", "\t3.其他\t7\t2\t0\t1\t1\t0\t11")
    report = parse_text(text)
    broken = [(f.code, f.cells) for f in report.findings if f.severity == "error"]
    assert broken == [("requests.other_processing", [f"requests.{row}.natural_person" for row in (
                          "other_processing", "closed_no_correction", "closed_unpaid_fee", "closed_other")]),
                      ("requests.other_processing", [f"requests.{row}.total" for row in (
                          "other_processing", "closed_no_correction", "closed_unpaid_fee", "closed_other")])]


def test_the_form_of_a_report_follows_the_rows_it_holds():
    assert nf.form_of("2021", ["requests.closed_other.total", "requests.granted.total"]) is None
    assert nf.form_of("2019", ["requests.other_processing.total"]) is None
    assert nf.form_of("2021", ["requests.other_processing.total"]) == frozenset({"other_processing"})
    assert nf.form_of("2019", ["closed_other"]) == frozenset(nf.INTERCHANGEABLE_ROWS["2021"])
    both = nf.form_of("2021", ["requests.other_processing.total", "requests.closed_other.total"])
    assert both == frozenset(nf.INTERCHANGEABLE_ROWS["2019"] + nf.INTERCHANGEABLE_ROWS["2021"])
    assert "other_processing" in nf.result_rows("2021", both)
    assert "closed_other" not in nf.result_rows("2021", both)
    assert nf.cell_keys("2021") == nf.cell_keys("2021", None)
    keys = nf.cell_keys("2021", frozenset({"other_processing"}))
    assert "requests.other_processing.total" in keys and "requests.closed_other.total" not in keys
    assert len(keys) == len(nf.cell_keys("2021")) - 14


@pytest.mark.parametrize("template,label,own,mixed", [
    ("2019", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", None, "closed_no_correction"),
    ("2019", "（六）其他处理|3.其他", "other_processing", "closed_other"),
    ("2021", "（六）其他处理", None, "other_processing"),
    ("2021", "（六）其他处理|1.申请人无正当理由逾期不补正", "closed_no_correction", "closed_no_correction"),
    ("2021", "（六）其他处理|3.其他", "closed_other", "closed_other"),
])
def test_a_format_s_rows_and_the_other_way_of_writing_other_processing(template, label, own, mixed):
    # match_row names the format's own rows; the mapping asks for the other way too.
    assert getattr(nf.match_row("requests", label, template), "key", None) == own
    assert getattr(nf.match_row("requests", label, template, mixed=True), "key", None) == mixed


def test_the_finding_of_a_mixed_report_in_chinese(monkeypatch):
    monkeypatch.setenv("GXGRAMMAR_LANG", "zh")
    report = parse_file(FIXTURES / "mixed-rows" / "sub-rows-tongling-scjg-2019.txt")
    [mixed] = [f for f in report.findings if f.code == "table.rows_mixed"]
    assert mixed.message == (
        "本报告为2019年格式，但表三的（六）其他处理采用2021年格式的写法（分作1.–3.三个分项）：按"
        "requests.closed_no_correction, requests.closed_unpaid_fee, requests.closed_other读取；报告中没有"
        "requests.other_processing")
