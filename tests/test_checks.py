"""The checks: clean tables raise nothing, any changed count is caught, across years too."""
import json

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gxgrammar import national as nf
from gxgrammar import parse_file
from gxgrammar.checks import RULES, check_report
from gxgrammar.cli import main
from gxgrammar.model import Report
from gxgrammar.checks.series import check_series

from conftest import EXAMPLES, ROOT

COUNT = st.integers(min_value=0, max_value=60)


@st.composite
def consistent_tables(draw, template=None):
    """Cells of a random report that satisfies every identity of its format."""
    template = template or draw(st.sampled_from(nf.TEMPLATES))
    cells = {}
    for row in nf.rows_for("active", template):
        for col in nf.columns_for("active", row, template):
            cells[f"active.{row.key}.{col.key}"] = draw(COUNT)
    for col in nf.APPLICANT_COLUMNS:
        results = 0
        for r in nf.RESULT_ROWS[template]:
            cells[f"requests.{r}.{col}"] = v = draw(st.integers(0, 9))
            results += v
        cells[f"requests.results_total.{col}"] = results
        carried_over = draw(st.integers(0, results))
        carried_forward = draw(st.integers(0, 9))
        cells[f"requests.carried_over.{col}"] = carried_over
        cells[f"requests.carried_forward.{col}"] = carried_forward
        cells[f"requests.new.{col}"] = results + carried_forward - carried_over
    for row in nf.rows_for("requests", template):
        cells[f"requests.{row.key}.total"] = sum(cells[f"requests.{row.key}.{c}"] for c in nf.APPLICANT_COLUMNS)
    for row in nf.APPEAL_ROWS:
        parts = [draw(st.integers(0, 9)) for _ in range(4)]
        for col, v in zip(nf.APPEAL_COLUMNS, parts + [sum(parts)]):
            cells[f"appeals.{row.key}.{col.key}"] = v
    return template, cells


def report_of(template, cells, year=None):
    tables = {}
    for key in nf.cell_keys(template):
        t, r, c = key.split(".")
        tables.setdefault(t, {}).setdefault(r, {})[c] = cells[key]
    meta = {"agency": "云岭市河湖管理中心", "year": year or (2023 if template == "2021" else 2020),
            "template": template}
    return Report({"path": "<generated>"}, meta, [], tables)


def errors(report):
    return [f for f in check_report(report) if f.severity == "error"]


@settings(max_examples=60, deadline=None)
@given(consistent_tables())
def test_consistent_tables_raise_no_error(generated):
    assert errors(report_of(*generated)) == []


@settings(max_examples=120, deadline=None)
@given(consistent_tables(), st.data())
def test_any_single_changed_count_is_caught(generated, data):
    template, cells = generated
    countable = [k for k in cells if not k.startswith("active.")]
    key = data.draw(st.sampled_from(countable))
    cells = dict(cells)
    cells[key] += data.draw(st.integers(1, 5))
    found = errors(report_of(template, cells))
    assert found, key
    if key.startswith("requests."):
        # Its row and its column both break: only this cell explains both.
        assert [(f.cells, f.severity) for f in found] == [([key], "error")]
    else:
        # One identity, no lone culprit: all its cells are named, the total first.
        row = key.rsplit(".", 1)[0]
        assert [f.cells for f in found] == [[f"{row}.{c}" for c in ("total", "upheld", "corrected", "other", "pending")]]


def test_every_rule_is_documented_with_its_basis():
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        assert f"`{code}`" in doc, code
        assert rule.basis
    for code in ("series.carried_over", "series.in_force", "series.duplicate"):
        assert f"`{code}`" in doc


def _pair():
    """The same agency in two consecutive years, the later one built from the earlier."""
    earlier = parse_file(ROOT / "examples" / "tsv" / "luming-sthj-2021.txt")
    later = parse_file(ROOT / "examples" / "tsv" / "luming-sthj-2021.txt")
    later.meta = dict(later.meta, year=earlier.meta["year"] + 1)
    return earlier, later


def test_series_agrees_when_the_years_follow_on():
    earlier, later = _pair()
    later.tables["requests"]["carried_over"] = dict(earlier.tables["requests"]["carried_forward"])
    for row in ("regulations", "normative_documents"):
        a = later.tables["active"][row]
        a["in_force"] = earlier.tables["active"][row]["in_force"] + a["issued"] - a["repealed"]
    assert check_series([earlier, later]) == {}


def test_series_warns_where_a_year_does_not_follow_on():
    earlier, later = _pair()
    found = check_series([later, earlier])[id(later)]
    assert [(f.code, f.severity, f.cells) for f in found] == [
        ("series.carried_over", "warning", ["requests.carried_over.natural_person"]),
        ("series.carried_over", "warning", ["requests.carried_over.commercial"]),
        ("series.carried_over", "warning", ["requests.carried_over.research"]),
        ("series.carried_over", "warning", ["requests.carried_over.total"]),
        ("series.in_force", "warning", ["active.regulations.in_force"]),
        ("series.in_force", "warning", ["active.normative_documents.in_force"]),
    ]
    assert found[0].message == (
        "二、上年结转政府信息公开申请数量·自然人 is 0, but 2022's report "
        f"({ROOT / 'examples' / 'tsv' / 'luming-sthj-2021.txt'}) carried 7 forward in "
        "四、结转下年度继续办理·自然人")
    assert found[4].message == (f"规章·现行有效件数 is 3, but 2022's report ({ROOT / 'examples' / 'tsv' / 'luming-sthj-2021.txt'}) "
                                "gives 3, and 3 + 本年制发件数 1 − 本年废止件数 0 = 4")


MARKDOWN = ROOT / "examples" / "markdown" / "bailuwan-zrzy-2021.txt"


def _run(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_check_exit_status_and_grouped_output(tmp_path):
    clean = _run(*EXAMPLES[:2])
    assert clean.exit_code == 0
    assert clean.stdout.splitlines()[-1] == "2 reports, 0 with errors, 0 with warnings only"
    broken = tmp_path / "broken.txt"
    text = MARKDOWN.read_text(encoding="utf-8")
    broken.write_text(text.replace("| 规章 | 0 | 0 | 0 |", "| 规章 | -3 | 0 | 0 |"), encoding="utf-8")
    result = _run(broken)
    assert result.exit_code == 1
    assert "  error   value.negative           line 29   规章·本年制发件数 is -3 (line 29); a count cannot be negative" \
        in result.stdout.splitlines()


def test_check_json_and_unreadable_input(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = _run("--format", "json", MARKDOWN, empty)
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc[0]["status"] == "ok" and doc[0]["agency"] == "白鹭湾区自然资源局"
    assert doc[1] == {"path": str(empty), "status": "unreadable",
                      "error": f"{empty}: the file is empty", "findings": []}


def test_every_indicator_is_documented_once_with_its_formula():
    from gxgrammar.national.indicators import INDICATORS
    doc = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    for ind in INDICATORS:
        row = f"| `{ind.name}` | {ind.label} | {ind.formula} | {ind.description} |"
        assert doc.count(f"`{ind.name}`") == 1 and row in doc, ind.name


def test_the_docs_give_each_identity_as_the_checks_do():
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for rule in nf.IDENTITY_RULES.values():
        assert rule.summary in doc and rule.basis in doc, rule.code
    for rule in nf.SERIES_RULES.values():
        assert rule.summary in doc and rule.basis.split(" (§")[0] in doc, rule.code


def test_identities_kept_from_being_checked_are_named_with_the_cells_that_stopped_them():
    report = parse_file(ROOT / "examples" / "tsv" / "luming-sthj-2021.txt")
    report.tables["requests"]["carried_forward"]["natural_person"] = None     # a blank cell
    report.tables["requests"]["carried_forward"]["total"] = None
    found = [f for f in check_report(report) if f.code == "identity.unchecked"]
    assert [(f.severity, f.message, f.cells, f.line) for f in found] == [
        ("info", "2 of the 7 identities 「in each column of table 三, 一 + 二 = 三（七）总计 + 四」 could not be checked: "
                 "四、结转下年度继续办理·自然人, 四、结转下年度继续办理·总计 are blank in the report",
         ["requests.carried_forward.natural_person", "requests.carried_forward.total"], 65),
        ("info", "1 of the 25 identities 「in each row of table 三, 总计 = the sum of the six applicant columns」 could not "
                 "be checked: 四、结转下年度继续办理·总计, 四、结转下年度继续办理·自然人 are blank in the report",
         ["requests.carried_forward.total", "requests.carried_forward.natural_person"], 65),
    ]
