"""The grammars: they build cleanly, and they tell headings and row labels apart."""

import pytest
from lark import Lark

from gxgrammar import national as nf
from gxgrammar.readers.text import Source
from gxgrammar.structure.document import outline
from gxgrammar.layouts.registry import layouts, package_grammars

from conftest import FIXTURES

GRAMMARS = sorted(package_grammars().rglob("*.lark"))
# Whole grammars; a file of pieces (headings.lark) is checked inside the grammar that imports it.
WHOLE_GRAMMARS = [p for p in GRAMMARS if "\nstart:" in "\n" + p.read_text(encoding="utf-8")]


def _cases(name):
    rows = []
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@pytest.mark.parametrize("path", WHOLE_GRAMMARS, ids=[p.name for p in WHOLE_GRAMMARS])
def test_grammar_has_no_conflicts_or_collisions(path):
    pytest.importorskip("interegular")  # Lark's strict mode needs it to compare regexes
    Lark(path.read_text(encoding="utf-8"), parser="lalr", lexer="contextual", strict=True,
         import_paths=[str(path.parent)])


def test_every_layout_is_registered_with_a_description_and_a_detector():
    found = layouts()
    assert list(found) == ["canonical", "cell-rows", "markdown", "tsv", "box", "md-labels", "cell-lines",
                           "docx-text", "flat-text", "pdf-layout", "aligned", "pdf-text", "columns"]
    for lay in found.values():
        assert lay.description and lay.detect is not None
        # A grammar another imports has a name Lark can import (cell_rows.lark for cell-rows).
        assert lay.path.stem.replace("_", "-") == lay.name


HEADING_CASES = _cases("headings.tsv")


@pytest.mark.parametrize("expected,line", HEADING_CASES, ids=[c[1] for c in HEADING_CASES])
def test_heading_variants(expected, line):
    out = outline(Source("前言。\n" + line + "\n"))
    assert [p.number for p in out.parts] == ([] if expected == "-" else [int(expected)])


LABEL_CASES = _cases("labels.tsv")


@pytest.mark.parametrize("table,template,expected,label", LABEL_CASES, ids=[c[3][:30] for c in LABEL_CASES])
def test_label_variants(table, template, expected, label):
    row = nf.match_row(table, nf.normalise_label(label), template)
    assert (row.key if row else "-") == expected


def test_cell_keys_match_the_model():
    assert len(nf.cell_keys("2021")) == 200
    assert len(nf.cell_keys("2019")) == 198
    assert nf.cell_label("requests.new.total") == "一、本年新收政府信息公开申请数量·总计"
    assert nf.cell_label("requests.denied_state_secret.commercial") == "（三）不予公开1.属于国家秘密·商业企业"


def test_a_loaded_parser_finds_its_rules_by_identity():
    # (registry._rules_by_identity: lark's Rule compares and hashes in Python, on every reduce)
    from gxgrammar.layouts import registry
    for layout in layouts().values():
        parser = layout.parser
        assert {type(rule) for rule in parser._callbacks} == {registry._ParsedRule}, layout.name
    rule = next(iter(layouts()["canonical"].parser._callbacks))
    assert rule != 4 and hash(rule) == object.__hash__(rule)
    grid = layouts()["canonical"].parse("| 一、本年新收 | 12 | 3 || 4 |\n")
    assert [node.data for node in grid.children] == ["row"]
