"""A layout's `detect` pattern tested first by the characters it cannot match without."""
import re

from hypothesis import given, settings, strategies as st

from gxgrammar.layouts import registry
from gxgrammar.layouts.detect import holds_any, required_characters


def test_the_built_in_layouts_need_these_characters():
    needs = {name: required_characters(lay.detect) for name, lay in registry.layouts().items()}
    assert needs == {
        "canonical": "|", "cell-rows": "\u241e", "markdown": "|", "tsv": "\t", "box": "+┌┍┎┏╒╓╔╭",
        "md-labels": "|", "cell-lines": "|", "docx-text": "\t", "flat-text": "", "pdf-layout": "\t ",
        "aligned": "\t -", "pdf-text": "\t ", "columns": ""}


def test_what_a_pattern_cannot_match_without():
    assert required_characters(re.compile(r"^[ \t]*\|[ \t]*$", re.M)) == "|"
    assert required_characters(re.compile(r"ab|[de]c")) == "ac"      # the smallest set of each branch
    assert required_characters(re.compile(r"x?(?:y|z)+")) == "yz"
    assert required_characters(re.compile(r"[0-3]")) == "0123"


def test_no_shortcut_where_none_can_be_told():
    for pattern in (r"\d+", r"[^|]", r"a?", r"a|\w", r".", r"[\u4e00-\u9fff]", r"(?=\|)"):
        assert required_characters(re.compile(pattern)) == "", pattern
    assert required_characters(re.compile("a", re.I)) == ""       # A would match too
    assert holds_any("anything", "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="|\t +-┌─1a 。\n\u241e", max_size=40))
def test_the_shortcut_never_changes_whether_a_layout_applies(text):
    for lay in registry.layouts().values():
        if lay.detect is not None:
            assert lay.applies_to(text) == (lay.detect.search(text) is not None), lay.name
