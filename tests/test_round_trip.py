"""The canonical rendering is a layout of its own: it reads back as the report it came from,
and it keeps every character of the original's prose."""
import pytest

from gxgrammar import parse_file, parse_text
from gxgrammar.structure.prose import prose_lines
from gxgrammar.layouts.registry import layouts
from gxgrammar.writers.render import render

from conftest import CORPUS, EXAMPLES, ids

REPORTS = EXAMPLES + CORPUS


def comparable_meta(report):
    """meta without the title (made up from agency and year when the original has none)
    and the signing date (kept whenever the original has one, checked apart)."""
    return {k: v for k, v in report.meta.items() if k not in ("title", "signed")}


def assert_reads_back(original, canonical):
    again = parse_text(canonical, path="canonical.md")
    assert again.cells() == original.cells()
    assert comparable_meta(again) == comparable_meta(original)
    if original.meta.get("title"):
        assert again.meta["title"] == original.meta["title"]
    assert again.meta.get("signed") == original.meta.get("signed")
    return again


@pytest.mark.parametrize("path", REPORTS, ids=ids(REPORTS))
def test_the_canonical_rendering_reads_back_as_the_same_report(path):
    report = parse_file(path)
    again = assert_reads_back(report, render(report, "canonical"))
    assert again.source["layout"] == "canonical" and "canonical" in layouts()
    assert set(again.source["table_layouts"].values()) == {"canonical"}
    assert [s.title for s in again.sections] == [s.title for s in report.sections]
    assert [f for f in again.findings if f.severity != "info"] == []


@pytest.mark.parametrize("path", REPORTS, ids=ids(REPORTS))
def test_rendering_the_canonical_report_again_changes_nothing(path):
    canonical = render(parse_file(path), "canonical")
    assert render(parse_text(canonical, path="canonical.md"), "canonical") == canonical


def _ink(text):
    """The characters that are not whitespace (nor Markdown's escaping backslashes)."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "\\")


def prose_blocks(report):
    """The original's prose: the preamble and each section's text, page furniture left out."""
    return [_ink("".join(prose_lines(t))) for t in [report.preamble] + [s.text for s in report.sections]]


def missing_prose(report, rendering):
    """The blocks of prose whose characters do not all stand, in order and together, in the rendering."""
    ink = _ink(rendering)
    return [block for block in prose_blocks(report) if block not in ink]


@pytest.mark.parametrize("path", REPORTS, ids=ids(REPORTS))
def test_every_prose_character_of_the_original_is_in_the_canonical_report(path):
    report = parse_file(path)
    assert sum(len(b) for b in prose_blocks(report)) > 0
    assert missing_prose(report, render(report, "canonical")) == []


@pytest.mark.parametrize("path", REPORTS, ids=ids(REPORTS))
def test_every_prose_character_is_in_the_html_page(path):
    import html
    import re
    report = parse_file(path)
    page = html.unescape(re.sub(r"<[^>]+>", "", render(report, "html")))
    assert missing_prose(report, page) == []
