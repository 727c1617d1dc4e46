"""Edits of an example report and the exact findings they must produce.

Each case is a file in fixtures/edits/: the example it starts from, the text
replacements that break or bend it, the findings expected (all of them, exactly)
and some cell values. A new case is a new file.
"""
import json

import pytest

from gxgrammar import parse_text

from conftest import FIXTURES, ROOT

CASES = sorted((FIXTURES / "edits").glob("*.json"))


def apply(case):
    text = (ROOT / case["base"]).read_text(encoding="utf-8")
    for old, new in case["replace"]:
        assert text.count(old) == 1, f"{old!r} must occur once in {case['base']}"
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_edit_gives_exactly_its_findings(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    report = parse_text(apply(case), path=case["base"])
    got = [f.to_dict() for f in report.findings if f.severity != "info" or
           any(e["severity"] == "info" for e in case["findings"])]
    want = [{"code": e["code"], "severity": e["severity"], "message": e["message"],
             "cells": e["cells"], "line": e.get("line")} for e in case["findings"]]
    assert got == want
    cells = report.cells()
    for key, value in case["cells"].items():
        assert cells[key] == value, key
