"""Word documents (.docx): paragraphs and tables read from the document's XML, merged
cells placed in the table's grid, every value traced to its cell."""
import json
import sys

import pytest
from click.testing import CliRunner

from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.readers import read_document

from conftest import FIXTURES, differences

pytest.importorskip("docx", reason="python-docx is not installed (pip install 'gxgrammar[test]'): "
                                   "the Word documents of the tests cannot be made")
sys.path.insert(0, str(FIXTURES / "docx"))
import build  # noqa: E402  (tests/fixtures/docx/build.py: documents made with python-docx)

DOCX = FIXTURES / "docx"
DESCRIPTIONS = sorted(DOCX.glob("*.json"), key=lambda p: p.name)
DESCRIPTIONS = [p for p in DESCRIPTIONS if not p.name.endswith(".expected.json")]
BAD = sorted(p for p in (DOCX / "bad").iterdir() if p.suffix != ".expected")


def _expected(description):
    return json.loads(description.with_name(description.stem + ".expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Each description built into a .docx with python-docx."""
    folder = tmp_path_factory.mktemp("docx")
    return {p.stem: build.build(build.load(p), folder / f"{p.stem}.docx") for p in DESCRIPTIONS}


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=[p.stem for p in DESCRIPTIONS])
def test_every_cell_of_a_word_document_is_read(description, documents):
    expected = _expected(description)
    report = parse_file(documents[description.stem])
    assert differences(report, expected) == []
    assert sorted((f.code, f.severity, f.cells) for f in report.findings) == \
        sorted(tuple(f) for f in expected["findings"])


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=[p.stem for p in DESCRIPTIONS])
def test_headers_footers_text_boxes_and_tables_inside_cells_are_not_read(description, documents):
    path = documents[description.stem]
    lines = read_document(path.read_bytes(), str(path)).lines
    for text in _expected(description)["absent"]:
        assert not any(text in line for line in lines), text


def _tables_read(doc):
    """The tables of a document in the order the reader counts them: a table that frames
    others (the tables in its cells hold more cells than it) is followed by those."""
    def walk(table):
        inner = [t for row in table.rows for cell in row.cells for t in cell.tables]
        unique = list({id(t._tbl): t for t in inner}.values())
        own = len(table._tbl.findall(".//{*}tc")) - sum(len(t._tbl.findall(".//{*}tc")) for t in unique)
        yield table
        if sum(len(t._tbl.findall(".//{*}tc")) for t in unique) > own:
            for t in unique:
                yield from walk(t)
    for table in doc.tables:
        yield from walk(table)


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=[p.stem for p in DESCRIPTIONS])
def test_every_value_points_at_its_table_row_and_cell(description, documents):
    """Provenance: the line and column of the reader's text where the value stands, and
    the table, row and grid column of the document where python-docx finds it."""
    from docx import Document
    path = documents[description.stem]
    source = read_document(path.read_bytes(), str(path))
    tables = list(_tables_read(Document(str(path))))
    report = parse_file(path)
    checked = 0
    for key, value in report.cells().items():
        where = report.provenance.get(key)
        if value is None or where is None or where.get("inferred"):
            continue
        at = source.lines[where["line"] - 1][where["column"] - 1:]
        assert at.startswith(str(value)), (key, where, at[:10])
        cell = tables[where["table"] - 1].cell(where["row"] - 1, where["cell"] - 1)
        assert cell.text.strip() == str(value), (key, where, cell.text)
        checked += 1
    assert checked >= 150


def test_merged_cells_take_their_slots_and_a_cells_paragraphs_are_joined(tmp_path):
    rows = [[["三、本年度\n办理结果", 1, 3], ["（一）予以公开", 2, 1], ["3", 1, 1]],
            [["（三）不予公开", 1, 2], ["1.属于\n国家秘密", 1, 1], ["", 1, 1]],
            [["2.其他法律行政法规禁止公开", 1, 1], ["4", 1, 1]],
            [["第二十条第（一）项", 4, 1]]]
    path = build.build({"blocks": [["p", "某局2024年政府信息公开工作年度报告"], ["table", rows]]}, tmp_path / "t.docx")
    source = read_document(path.read_bytes(), str(path))
    assert source.lines == ["某局2024年政府信息公开工作年度报告",
                            "␞三、本年度办理结果␟（一）予以公开␟␟3",
                            "␞␟（三）不予公开␟1.属于国家秘密␟",
                            "␞␟␟2.其他法律行政法规禁止公开␟4",
                            "第二十条第（一）项"]
    column = 1 + len("␞␟␟2.其他法律行政法规禁止公开␟")
    assert source.position(4, column) == (4, column)
    assert source.extra(4, column) == {"table": 1, "row": 3, "cell": 4}
    assert source.extra(1, 3) == {"paragraph": 1}
    assert source.reader == "docx"


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_a_broken_word_file_gets_one_clear_line(path):
    fields = dict(line.split(": ", 1) for line in
                  path.with_suffix(".expected").read_text(encoding="utf-8").splitlines() if line)
    result = _run("parse", path)
    assert result.exit_code == int(fields["exit"])
    assert result.stderr.splitlines() == [fields["stderr"].replace("{path}", str(path))]
    assert "Traceback" not in result.output
