"""Shared helpers: where the examples and the corpus are, and how a parse is compared."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# Messages are asserted in English; a test of the Chinese catalogue sets the language itself.
os.environ["GXGRAMMAR_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
# Example reports with expected values (examples/with-errors/ holds reports that fail checks).
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*") if p.suffix in (".txt", ".html")
                  and p.with_suffix(".expected.json").exists())
# Example PDFs (read by the PDF reader; kept apart: the tests that edit reports edit text).
PDF_EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*.pdf") if p.with_suffix(".expected.json").exists())
# Word documents among the examples (examples/docx): read by the Word reader.
WORD_EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*.docx") if p.with_suffix(".expected.json").exists())
# Every example file with expected values, whatever reader reads it.
ALL_EXAMPLES = EXAMPLES + PDF_EXAMPLES + WORD_EXAMPLES
CORPUS_DIR = ROOT.parent / "shared" / "corpus"
CORPUS = sorted(CORPUS_DIR.glob("*.txt")) if CORPUS_DIR.is_dir() else []
FIXTURES = ROOT / "tests" / "fixtures"


def expected_for(report_path):
    return json.loads(report_path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def differences(report, expected):
    """Every way a Report differs from an expected.json (empty when it matches)."""
    got = report.to_dict()
    diffs = []
    cells = report.cells()
    for key, value in expected["cells"].items():
        if key not in cells:
            diffs.append(f"{key}: missing")
        elif cells[key] != value or type(cells[key]) is bool:
            diffs.append(f"{key}: expected {value!r}, got {cells[key]!r}")
    extra = set(cells) - set(expected["cells"])
    if extra:
        diffs.append(f"cells not expected: {sorted(extra)[:5]}")
    for key, value in expected["meta"].items():
        if got["meta"].get(key) != value:
            diffs.append(f"meta.{key}: expected {value!r}, got {got['meta'].get(key)!r}")
    titles = [s["title"] for s in got["sections"]]
    if titles != expected["sections"]:
        diffs.append(f"sections: expected {expected['sections']}, got {titles}")
    if expected.get("layout") not in (None, "*") and got["source"]["layout"] != expected["layout"]:
        diffs.append(f"layout: expected {expected['layout']}, got {got['source']['layout']}")
    if "table_layouts" in expected and got["source"]["table_layouts"] != expected["table_layouts"]:
        diffs.append(f"table_layouts: expected {expected['table_layouts']}, got {got['source']['table_layouts']}")
    return diffs


def ids(paths):
    return [f"{p.parent.name}/{p.stem}" for p in paths]


needs_corpus = pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not beside this checkout")
