"""The document grammar reads most plain lines of a report blank (structure/document.py,
_quiet_lines): the report must come out exactly as from every line read."""
import json

import pytest

from gxgrammar import parse_file
from gxgrammar.structure import document

from conftest import FIXTURES, ROOT

FILES = sorted(p for folder in (ROOT / "examples", FIXTURES / "structure", FIXTURES / "aligned",
                                FIXTURES / "repro", FIXTURES / "prose")
               for p in folder.rglob("*") if p.suffix in (".txt", ".html", ".md", ".docx"))


def _parsed(path):
    try:
        report = parse_file(path)
    except Exception as e:          # a refused file must be refused alike
        return f"{type(e).__name__}: {e}"
    return json.dumps(report.to_dict(), ensure_ascii=False, sort_keys=True, default=str)


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_a_report_read_with_its_plain_lines_blank_is_the_report_read_whole(path, monkeypatch):
    monkeypatch.setattr(document, "_QUIET_FROM", 0)     # every text, however short
    quiet = _parsed(path)
    monkeypatch.setattr(document, "_quiet_lines", lambda norm, parser: None)
    assert quiet == _parsed(path)


def test_most_lines_of_a_long_report_are_read_blank():
    from gxgrammar.readers.text import Source
    from gxgrammar.layouts import registry
    source = Source((ROOT / "examples" / "docx-text" / "qinghekou-wjj-2019.txt").read_text(encoding="utf-8"))
    lines, first, last = document._quiet_lines(source.norm, registry.document_parser(document._BUILDER))
    assert len(lines) == len(source.norm)
    blank = sum(1 for a, b in zip(lines, source.norm) if a != b)
    assert blank > len(lines) / 2 and first < last
