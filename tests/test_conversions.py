"""The conversion matrix: every example web page made into text by the converters users
have (tests/conversions/converters.py says how each is run, encodings included), parsed,
and every cell checked against the page's expected values.

Two promises are checked for every converter and page: no cell is wrong without a
finding that names it (0 silent), and at least the converter's floor of cells is right
(tests/conversions/thresholds.json: today's floors, raised as the readers get better).
The matrix is printed at the end of the run. Each page is converted once per run, and
printed to PDF by Chromium once. A converter that is not installed skips its cases and
says why.
"""
from __future__ import annotations

import json

import pytest

from conftest import ROOT
from conversions.converters import CONVERTERS, PdfPrinter, prepare
from conversions.matrix import Outcome, score, table

PAGES = sorted(p for p in (ROOT / "examples" / "html").glob("*.html") if p.with_suffix(".expected.json").exists())
THRESHOLDS = json.loads((ROOT / "tests" / "conversions" / "thresholds.json").read_text(encoding="utf-8"))


class Matrix:
    """Converts and scores each (converter, page) once, and prints the matrix at the end."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.pages = {path: prepare(path, workdir) for path in PAGES}
        self.outcomes, self.skipped = {}, {}
        # Chromium prints every page in the background while the other converters run.
        printing = any(c.via_pdf and not c.missing() for c in CONVERTERS)
        self.printer = PdfPrinter(self.pages.values(), workdir) if printing else None

    def outcome(self, converter, path):
        key = (converter.name, path.stem)
        if key in self.outcomes:
            return self.outcomes[key]
        why = converter.missing()
        if why:
            self.skipped[converter.name] = why
            out = Outcome(converter.name, path.stem, 0, status="skipped", detail=why)
        else:
            page = self.pages[path]
            text = self.workdir / converter.name / f"{path.stem}.txt"
            text.parent.mkdir(exist_ok=True)
            try:
                text.write_bytes(converter.run(page, self.workdir, self.printer))
            except Exception as e:       # the converter itself failed: its case is skipped, and says why
                self.skipped[converter.name] = str(e)
                out = Outcome(converter.name, path.stem, 0, status="skipped", detail=str(e))
            else:
                out = score(text, path.with_suffix(".expected.json"), converter.name, path.stem)
        self.outcomes[key] = out
        return out

    # pytest calls this at the end of the run (the Matrix is registered as a plugin).
    def pytest_terminal_summary(self, terminalreporter):
        if not self.outcomes:
            return
        write = terminalreporter.write_line
        terminalreporter.section("conversion matrix: cells right/total, f flagged by a finding, s! silent")
        for line in table(self.outcomes.values(), [c.name for c in CONVERTERS], [p.stem for p in PAGES]):
            write(line)
        for page in self.pages.values():
            for note in page.notes:
                write(f"{page.path.name}: {note}")
        for name, why in sorted(self.skipped.items()):
            write(f"{name}: skipped: {why}")
        for o in self.outcomes.values():
            if o.status in ("refused", "crashed"):
                write(f"{o.converter} {o.page}: {o.status}: {o.detail[:200]}")


@pytest.fixture(scope="session")
def matrix(tmp_path_factory, pytestconfig):
    m = Matrix(tmp_path_factory.mktemp("conversions"))
    pytestconfig.pluginmanager.register(m, "gxgrammar-conversion-matrix")
    return m


def _floor(converter, page):
    floors = THRESHOLDS["floors"].get(converter, {})
    return floors.get(page, floors.get("*", 1.0))


def _cases(known_silent):
    cases = []
    for c in CONVERTERS:
        for p in PAGES:
            marks = []
            why = THRESHOLDS["known_silent"].get(f"{c.name}/{p.stem}") if known_silent else None
            if why:
                marks.append(pytest.mark.xfail(reason=why, strict=True))
            cases.append(pytest.param(c, p, marks=marks, id=f"{c.name}/{p.stem}"))
    return cases


def _outcome(matrix, converter, page):
    out = matrix.outcome(converter, page)
    if out.status == "skipped":
        pytest.skip(f"{converter.name}: {out.detail}")
    return out


@pytest.mark.parametrize("converter,page", _cases(known_silent=True))
def test_no_cell_is_wrong_without_a_finding(matrix, converter, page):
    out = _outcome(matrix, converter, page)
    assert out.silent_cells == [], f"{out.text_path}: silent wrong cells"


@pytest.mark.parametrize("converter,page", _cases(known_silent=False))
def test_the_agency_year_and_format_read_are_the_pages_or_unknown_with_a_finding(matrix, converter, page):
    out = _outcome(matrix, converter, page)
    assert out.wrong_meta == [], f"{out.text_path}: {out.wrong_meta}"


@pytest.mark.parametrize("converter,page", _cases(known_silent=False))
def test_cells_read_right_reach_the_converters_floor(matrix, converter, page):
    out = _outcome(matrix, converter, page)
    floor = _floor(converter.name, page.stem)
    assert out.coverage >= floor, (f"{out.text_path}: {out.right}/{out.total} cells right "
                                   f"({out.coverage:.1%}), floor {floor:.1%}; {out.status} {out.detail}")
