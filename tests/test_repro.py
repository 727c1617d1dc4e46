"""Inputs on which gxgrammar once broke its promises, and what must happen on each now.

Each case is a pair in fixtures/repro/: the input (an example or corpus report changed
once) and its expected file: the exact error, or the exact findings, every cell's value
and the state of every cell that is not read (blank, inferred, not read). A new case
is a new pair of files.
"""
import json

import pytest

from gxgrammar import GxError, parse_file
from gxgrammar.national.completeness import problems

from conftest import FIXTURES

CASES = sorted((FIXTURES / "repro").glob("*.txt"))


def expected(path):
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_reproducer_gives_exactly_what_is_expected(path):
    want = expected(path)
    if "error" in want:
        with pytest.raises(GxError) as e:
            parse_file(path)
        assert str(e.value) == want["error"]
        return
    report = parse_file(path)
    assert [f.to_dict() for f in report.findings] == want["findings"]
    assert report.cells() == want["cells"]
    assert {k: s for k, s in report.states().items() if s != "read"} == want["not_read_as_such"]
    assert problems(report) == []


def test_every_reproducer_has_its_expected_file():
    assert CASES and all(p.with_suffix(".expected.json").exists() for p in CASES)
