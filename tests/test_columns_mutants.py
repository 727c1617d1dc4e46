"""Column-order text changed once, where a cell once came out wrong without a finding.

Each case in fixtures/columns-mutants/ is a text of fixtures/columns/ with one edit (a
digit changed, a number blanked or deleted, a line lost) that the test applies, the cells
the edit changes, and exactly the cells that must stay open, each named by a finding of
the case's code (its README says more). Every other cell reads its true value.
"""
import json

import pytest

from gxgrammar import national as nf
from gxgrammar.layouts.grid import Cell, Grid, Row
from gxgrammar.national.mapping import read_table
from gxgrammar.parser import parse_file

from conftest import FIXTURES

CASES = sorted((FIXTURES / "columns-mutants").glob("*.json"))


def _case(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _mutant(case, tmp_path):
    """The fixture's text with the case's edit applied, as a file."""
    source = FIXTURES / "columns" / case["fixture"]
    lines = source.read_text(encoding="utf-8").split("\n")
    edit = case["edit"]
    assert lines[edit["line"] - 1] == edit["was"]
    if edit["now"] is None:
        del lines[edit["line"] - 1]
    else:
        lines[edit["line"] - 1] = edit["now"]
    path = tmp_path / case["fixture"]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, source


def _cells_of(entries, keys):
    """The cell keys that the case's `open` entries (tables, rows or cells) stand for."""
    return {k for k in keys for e in entries if k == e or k.startswith(e + ".")}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_cells_the_text_leaves_open_stay_null_with_a_finding(path, tmp_path):
    case = _case(path)
    mutant, source = _mutant(case, tmp_path)
    truth = json.loads(source.with_suffix(".expected.json").read_text(encoding="utf-8"))["cells"]
    truth.update(case["truth"])
    report = parse_file(mutant, layout=case["layout"])
    cells = report.cells()
    named = {k: {f.code for f in report.findings if k in f.cells} for k in cells}
    # no cell wrong: each reads its true value, or is null with a finding naming it
    wrong = {k: (cells[k], v) for k, v in truth.items() if cells[k] != v and (cells[k] is not None or not named[k])}
    assert wrong == {}
    tables = {e.split(".")[0] for e in case["open"]}
    open_now = {k for k, v in truth.items() if v is not None and cells[k] is None and k.split(".")[0] in tables}
    assert open_now == _cells_of(case["open"], truth) - {k for k, v in truth.items() if v is None}
    assert all(case["finding"] in named[k] for k in open_now)


def test_every_case_names_its_fixture_and_what_it_leaves_open():
    assert CASES
    for path in CASES:
        case = _case(path)
        assert (FIXTURES / "columns" / case["fixture"]).exists()
        assert case["open"] and case["finding"] and case["why"]


def _grid(lines):
    """A grid of label lines (str) and lines of numbers (lists), one row a line."""
    rows = []
    for n, line in enumerate(lines, 1):
        texts = [line] if isinstance(line, str) else line
        rows.append(Row([Cell(t, n, 1 + 4 * k) for k, t in enumerate(texts)], n, n))
    return Grid(rows)


def test_numbers_between_two_labels_that_each_name_a_row_are_neither_rows():
    # Plain pdftotext read as a grid: 「一、本年新收…」 / its numbers / 「二、上年结转…」 / its
    # numbers. Given the label after them, every row took the numbers of the row above.
    new, carried = (nf.row_by_key("requests", k).label for k in ("new", "carried_over"))
    read = read_table("requests", _grid([new, ["80", "24", "1", "1", "5", "2", "113"],
                                         carried, ["4", "1", "0", "0", "0", "0", "5"]]), "2021", "aligned")
    assert not any(k.startswith(("requests.new.", "requests.carried_over.")) and v is not None
                   for k, v in read.values.items())


def test_numbers_inside_a_label_wrapped_around_them_join_its_row():
    # pdftotext -layout: 「2.其他法律行政」 / numbers / 「法规禁止公开」: the words before name no
    # row, so the numbers are the row's that the words after them name.
    read = read_table("requests", _grid(["2.其他法律行政", ["6", "2", "0", "0", "1", "2", "11"], "法规禁止公开"]),
                      "2021", "aligned")
    assert [read.values[f"requests.denied_prohibited_by_law.{c.key}"] for c in nf.REQUEST_COLUMNS] == \
        [6, 2, 0, 0, 1, 2, 11]
