"""Every example report parses to exactly the values written down for it by hand."""
import pytest

from gxgrammar import parse_file
from gxgrammar.readers import read_document
from gxgrammar.readers.text import decode, normalise_line, split_lines

from conftest import ALL_EXAMPLES as FILES, CORPUS, EXAMPLES, differences, expected_for, ids, needs_corpus


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
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


@pytest.mark.parametrize("path", FILES + CORPUS, ids=ids(FILES + CORPUS))
def test_every_value_is_traced_to_where_it_stands(path):
    """Provenance: a read value stands at its line and column; an inferred one has a finding."""
    report = parse_file(path)
    # Lines as gxgrammar counts them: a form feed (a PDF's page break) does not end a line.
    # A PDF's or a Word document's places are in the text its reader made (there is no other
    # text); a page may be in GB2312.
    lines = read_document(path.read_bytes(), str(path)).norm if path.suffix in (".pdf", ".docx") else \
        [normalise_line(l) for l in split_lines(decode(path.read_bytes())[0])]
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


@pytest.mark.parametrize("path", FILES + CORPUS, ids=ids(FILES + CORPUS))
def test_no_warnings_or_errors_on_clean_reports(path):
    report = parse_file(path)
    assert [f.message for f in report.findings if f.severity != "info"] == []
