"""gxgrammar compare: two reports side by side, as text, JSON and an HTML page."""
import json

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.writers.compare import REUSE_RUN, _covered, comparison, reuse

from conftest import FIXTURES, ROOT

OLD = ROOT / "examples" / "tsv" / "luming-sthj-2021.txt"
NEW = ROOT / "examples" / "with-errors" / "luming-sthj-2021.txt"


def test_the_cells_that_changed_with_the_change_and_its_rate():
    data = comparison(parse_file(OLD), parse_file(NEW))
    assert data["same_agency_next_year"] is True
    changed = {c["key"]: (c["old"], c["new"], c["change"], c["rate"]) for c in data["cells"]["changed"]}
    assert changed == {
        "requests.new.natural_person": (101, 94, -7, -0.0693),
        "requests.new.commercial": (35, 36, 1, 0.0286),
        "requests.new.research": (7, 8, 1, 0.1429),
        "requests.new.total": (173, 168, -5, -0.0289),
        "requests.carried_over.natural_person": (0, 7, 7, None),     # from 0: no rate
        "requests.carried_over.commercial": (2, 1, -1, -0.5),
        "requests.carried_over.research": (1, 0, -1, -1.0),
        "requests.carried_over.total": (3, 8, 5, 1.6667),
        "requests.closed_other.legal_service": (1, 4, 3, 3.0),
    }
    assert data["cells"]["unchanged"] == 191
    assert data["cells"]["changed"][0]["label"] == "一、本年新收政府信息公开申请数量·自然人"


def test_the_identities_of_both_and_across_the_two_years():
    data = comparison(parse_file(OLD), parse_file(NEW))
    old, new = data["identities"]["old"], data["identities"]["new"]
    assert (old["hold"], old["broken"], old["unchecked"], old["findings"]) == (42, 0, 0, [])
    assert (new["hold"], new["broken"], new["unchecked"]) == (40, 2, 0)
    assert [f["code"] for f in new["findings"]] == ["requests.results_total"]
    assert [(f["code"], f["cells"]) for f in data["identities"]["across"]] == [
        ("series.in_force", ["active.regulations.in_force"]),
        ("series.in_force", ["active.normative_documents.in_force"])]
    growth = next(i for i in data["indicators"] if i["name"] == "application_growth")
    assert growth["new"] == {"value": -0.0289, "reason": None}


def test_reports_of_two_agencies_are_compared_without_the_year_to_year_rules():
    other = ROOT / "examples" / "markdown" / "bailuwan-zrzy-2021.txt"
    data = comparison(parse_file(OLD), parse_file(other))
    assert data["same_agency_next_year"] is False
    assert data["identities"]["across"] == []
    growth = next(i for i in data["indicators"] if i["name"] == "application_growth")
    assert growth["new"] == {"value": None, "reason": "no report of the year before"}
    assert data["reuse"]["ratio"] < 0.2


def test_prose_copied_from_the_year_before_is_counted_section_by_section():
    old, new = parse_file(OLD), parse_file(NEW)
    assert reuse(old, old)["ratio"] == 1.0
    copied = "主动公开方面，全年在局门户网站公开环境质量、建设项目环境影响评价、行政处罚等信息"   # 40 characters of old's 一
    fresh = "本年度围绕大气污染防治攻坚行动开展专题解读并组织开放日活动共计八场次邀请群众代表"    # 40 that are not
    new.sections[0].text = copied + "\n" + fresh
    new.sections[4].text = fresh
    new.sections[5].text = ""
    found = reuse(old, new)
    assert [(s["number"], s["characters"], s["repeated"], s["ratio"]) for s in found["sections"]] == [
        (1, 80, 40, 0.5), (5, 40, 0, 0.0)]
    assert (found["characters"], found["repeated"], found["ratio"]) == (120, 40, 0.3333)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="甲乙丙", max_size=60), st.text(alphabet="甲乙丙", max_size=60), st.integers(1, 6))
def test_covered_characters_are_those_in_some_repeated_run(old, new, run):
    seen = {old[i:i + run] for i in range(len(old) - run + 1)}
    marked = set()
    for i in range(len(new) - run + 1):
        if new[i:i + run] in seen:
            marked.update(range(i, i + run))
    assert _covered(new, seen, run) == len(marked)


def _compare(*args):
    return CliRunner().invoke(main, ["compare", *map(str, args)])


def test_compare_as_text_json_and_html(tmp_path):
    text = _compare(OLD, NEW)
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0] == f"OLD  {OLD}  鹿鸣市生态环境局 2022 (2021 format)"
    assert lines[1] == f"NEW  {NEW}  鹿鸣市生态环境局 2023 (2021 format)"
    assert f"Prose repeated word for word from the old report (runs of {REUSE_RUN} characters or more)" in lines
    assert "  申请增长率       — → -2.9%" in lines
    doc = json.loads(_compare("--format", "json", OLD, NEW).stdout)
    assert doc == json.loads(json.dumps(comparison(parse_file(OLD), parse_file(NEW)), ensure_ascii=False))
    page = tmp_path / "compare.html"
    assert _compare("--format", "html", "-o", page, OLD, NEW).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<tr data-key="requests.new.total"><th class="label" scope="row">一、本年新收政府信息公开申请数量·总计</th>' in html
    assert html.count("<tr data-key=") == 9


def test_compare_names_a_file_it_cannot_read():
    missing = _compare(ROOT / "nonexistent.txt", NEW)
    assert missing.exit_code == 2
    assert missing.stderr == f"gxgrammar: {ROOT / 'nonexistent.txt'}: no such file\n"
    truncated = _compare(FIXTURES / "incomplete" / "truncated.txt", NEW)
    assert truncated.exit_code == 1
    assert truncated.stderr.startswith(f"gxgrammar: {FIXTURES / 'incomplete' / 'truncated.txt'}:60: section 四")
    assert truncated.stdout    # compared all the same: what was read is shown
    not_report = _compare(FIXTURES / "bad" / "not-a-report.txt", NEW)
    assert not_report.exit_code == 1
    assert "not a 政府信息公开工作年度报告" in not_report.stderr
