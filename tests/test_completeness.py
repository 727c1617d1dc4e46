"""Every cell of the format accounted for: read, blank in the source, inferred with a
finding, or not read with a finding (national.completeness, model.CELL_STATES).

The invariant is checked over every example and corpus report here, over the
reproducers (test_repro.py) and over the fuzzer's mutants (test_fuzz.py). The cases in
fixtures/completeness/ are edits of an example, as in fixtures/edits/, whose rows are
hard to place: their exact findings, and the value and state of the cells of the rows
in question. A new case is a new file.
"""
import json

import pytest

from gxgrammar import national as nf
from gxgrammar import parse_file, parse_text
from gxgrammar.model import CELL_STATES, Finding
from gxgrammar.national.completeness import UNACCOUNTED, account, problems

from conftest import CORPUS, EXAMPLES, FIXTURES, ROOT, ids

CASES = sorted((FIXTURES / "completeness").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES + CORPUS, ids=ids(EXAMPLES + CORPUS))
def test_every_cell_of_a_report_is_in_one_state(path):
    report = parse_file(path)
    states = report.states()
    assert list(states) == nf.cell_keys(report.meta["template"])
    assert set(states.values()) <= set(CELL_STATES)
    assert problems(report) == []
    assert not [f for f in report.findings if f.code == UNACCOUNTED]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_a_hard_row_gives_exactly_its_findings_and_cells(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    text = (ROOT / case["base"]).read_text(encoding="utf-8")
    for old, new in case["replace"]:
        assert text.count(old) == 1, f"{old!r} must occur once in {case['base']}"
        text = text.replace(old, new)
    report = parse_text(text, path=case["base"])
    assert [f.to_dict() for f in report.findings] == case["findings"]
    cells, states = report.cells(), report.states()
    assert {k: cells[k] for k in case["cells"]} == case["cells"]
    assert {k: states[k] for k in case["states"]} == case["states"]
    assert problems(report) == []


# --- the invariant itself ---------------------------------------------------------------

@pytest.fixture
def report():
    """A report with a cell inferred by the identities (markdown/bailuwan's cut 总计)."""
    report = parse_file(ROOT / "examples" / "markdown" / "bailuwan-zrzy-2021.txt")
    assert "inferred" in report.states().values() and problems(report) == []
    return report


def test_an_inferred_cell_without_its_finding_is_a_problem(report):
    key = next(k for k, s in report.states().items() if s == "inferred")
    report.findings = [f for f in report.findings if key not in f.cells]
    assert problems(report) == [(key, "inferred without a finding that names it")]


def test_a_cell_without_a_place_or_a_finding_is_a_problem(report):
    key = "requests.new.natural_person"
    del report.provenance[key]
    report.tables["requests"]["new"]["natural_person"] = None
    assert problems(report) == [(key, "not read without a finding that names it")]


def test_a_value_read_without_its_line_is_a_problem(report):
    key = "appeals.review.total"
    report.provenance[key] = {"column": 3}
    assert problems(report) == [(key, "read without the line it was read from")]


def test_an_unaccounted_cell_is_reported_as_an_error(report):
    key = "requests.new.natural_person"
    del report.provenance[key]
    account(report)
    last = report.findings[-1]
    assert (last.code, last.severity, last.cells) == (UNACCOUNTED, "error", [key])
    assert last.message == ("cells not accounted for (1): 一、本年新收政府信息公开申请数量·自然人: a value "
                            "without the place it was read from; their values cannot be trusted, please report it")
    assert problems(report) == [(key, "a value without the place it was read from")]


def test_a_finding_that_names_the_cell_accounts_for_it(report):
    key = "requests.new.natural_person"
    del report.provenance[key]
    report.tables["requests"]["new"]["natural_person"] = None
    report.findings.append(Finding("table.row_missing", "error", "…", [key]))
    assert problems(report) == []


def test_the_format_s_cells_a_mixed_report_leaves_out_must_be_named():
    # A 2021 report written with the 2019 single row （六）其他处理 holds no cells of the
    # sub-rows 1.–3.: table.rows_mixed names them. Without it, the rows the tables hold
    # would decide alone which cells the report must account for.
    report = parse_file(FIXTURES / "mixed-rows" / "single-row-luming-sthj-2021.txt")
    assert problems(report) == []
    report.findings = [f for f in report.findings if f.code != "table.rows_mixed"]
    left_out = [k for k in nf.cell_keys("2021") if k.startswith("requests.closed_")]
    assert problems(report) == [(k, "left out of the tables without a finding that names it") for k in left_out]
