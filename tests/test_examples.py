"""Every example report parses to exactly the values written down for it by hand."""
import pytest

from gxgrammar import parse_file
from gxgrammar.readers import read_document
from gxgrammar.readers.text import normalise_line, split_lines

from conftest import CORPUS, EXAMPLES, ROOT, differences, expected_for, ids, needs_corpus

# Word documents among the examples (examples/docx): read by the Word reader.
WORD = sorted(p for p in (ROOT / "examples").glob("*/*.docx") if p.with_suffix(".expected.json").exists())


@pytest.mark.parametrize("path", EXAMPLES + WORD, ids=ids(EXAMPLES + WORD))
def test_example_parses_to_its_expected_values(path):
    report = parse_file(path)
    assert differences(report, expected_for(path)) == []


@needs_corpus
@pytest.mark.parametrize("path", CORPUS, ids=ids(CORPUS))
def test_corpus_report_parses_to_its_expected_values(path):
    report = parse_file(path)
    assert differences(report, expected_for(path)) == []


def test_every_layout_and_both_formats_have_examples():
    from gxgrammar.layouts.registry import CELL_ROWS, layouts
    seen = {(p.parent.name, expected_for(p)["meta"]["template"]) for p in EXAMPLES}
    # The cell rows are written by readers, and a report names the reader (html) as its layout.
    for name in [n if n != CELL_ROWS else "html" for n in layouts()]:
        assert (name, "2021") in seen and (name, "2019") in seen, name


@pytest.mark.parametrize("path", EXAMPLES + WORD + CORPUS, ids=ids(EXAMPLES + WORD + CORPUS))
def test_every_value_is_traced_to_where_it_stands(path):
    """Provenance: a read value stands at its line and column; an inferred one has a finding."""
    report = parse_file(path)
    # Lines as gxgrammar counts them: a form feed (a PDF's page break) does not end a line;
    # a Word document's are the lines its reader made (there is no other text).
    text = "\n".join(read_document(path.read_bytes(), str(path)).lines) if path in WORD \
        else path.read_text(encoding="utf-8")
    lines = [normalise_line(l) for l in split_lines(text)]
    for key, value in report.cells().items():
        where = report.provenance.get(key)
        if where is None:
            assert value is None, key
            continue
        if where.get("inferred"):
            assert any(key in f.cells for f in report.findings), f"{key} inferred without a finding"
            continue
        if value is None:
            continue
        at = lines[where["line"] - 1][where["column"] - 1:].replace(",", "")
        assert at.startswith(str(value)), (key, value, where, at[:20])


@pytest.mark.parametrize("path", EXAMPLES + WORD + CORPUS, ids=ids(EXAMPLES + WORD + CORPUS))
def test_no_warnings_or_errors_on_clean_reports(path):
    report = parse_file(path)
    assert [f.message for f in report.findings if f.severity != "info"] == []
