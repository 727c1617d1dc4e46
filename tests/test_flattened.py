"""Every example as a crawler saves it: every line break and cell boundary gone, the whole
report on one line or one line a section, the site's furniture around it (tests/flatten.py
makes the text from the example at test time).

Numbers run together cannot always be cut back into their cells; what the parser cannot
tell it must say. So every cell equals the example's expected value, or is null with a
finding that names it: not one cell silently wrong. How many cells each variant reads is
printed by `python tests/flatten.py` (the coverage), not asserted here.
"""
import pytest

from gxgrammar import parse_file, parse_text

from conftest import ALL_EXAMPLES, expected_for, ids
from flatten import VARIANTS, cell_outcomes, crawler_text

CASES = [(path, variant) for path in ALL_EXAMPLES for variant in VARIANTS]


@pytest.mark.parametrize("path,variant", CASES, ids=[f"{i}-{v}" for i, (_p, v) in zip(ids([p for p, _ in CASES]), CASES)])
def test_crawler_text_of_an_example_has_no_silently_wrong_cell(path, variant):
    report = parse_text(crawler_text(path, variant, parse_file(path)), path=f"{path.stem}.{variant}.txt")
    expected = expected_for(path)
    outcome = cell_outcomes(report, expected)
    assert outcome["silent"] == []
    assert outcome["right"] + len(outcome["flagged"]) == len(expected["cells"])
    assert {k: report.meta.get(k) for k in ("agency", "year", "template")} == \
        {k: expected["meta"][k] for k in ("agency", "year", "template")}
