"""PDF reports: the reader's text and cell rows, every cell of PDFs made the way agencies
make them, and one clear line for each PDF that cannot be read."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pytest

from gxgrammar.readers.text import decode
from click.testing import CliRunner

from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.errors import InputError, ScannedPdfError
from gxgrammar.readers import read_document
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK

from conftest import FIXTURES, ROOT, differences, expected_for, ids

pdfium = pytest.importorskip("pypdfium2")

PDF = FIXTURES / "pdf"
sys.path.insert(0, str(PDF))
STORED = sorted((ROOT / "examples" / "pdf").glob("*.pdf")) + sorted((PDF / "reports").glob("*.pdf"))


def rows_of(path):
    """The reader's lines, a cell row as its list of cells."""
    source = read_document(path.read_bytes(), str(path))
    return [l[1:].split(CELL_MARK) if l.startswith(ROW_MARK) else l for l in source.lines]


def check(path, expected):
    report = parse_file(path)
    assert differences(report, expected) == []
    assert [f.message for f in report.findings if f.severity != "info"] == []
    # Every value read from the PDF is traced to its page and place on it.
    for key, value in report.cells().items():
        where = report.provenance[key]
        if value is not None:
            assert {"line", "column", "page", "x", "y"} <= set(where), (key, where)
    return report


@pytest.mark.parametrize("path", STORED, ids=ids(STORED))
def test_stored_pdf_reads_every_cell(path):
    check(path, expected_for(path))


# --- what the reader makes of the pages ---------------------------------------------------

def test_vertical_label_in_a_merged_cell_is_one_label_and_blank_cells_stay_blank():
    rows = rows_of(PDF / "reports" / "luxi-slj-2021.pdf")
    assert ["三、本年度办理结果", "（一）予以公开", "", "7", "3", "0", "1", "0", "1", "12"] in rows
    assert ["", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"] in rows
    assert ["行政强制", "", "", ""] in rows            # the ruling encloses no character
    report = parse_file(PDF / "reports" / "luxi-slj-2021.pdf")
    assert report.cells()["active.coercive_measures.decisions"] is None
    assert report.states()["active.coercive_measures.decisions"] == "blank"


def test_table_over_a_page_break_without_its_header_keeps_its_columns():
    rows = rows_of(ROOT / "examples" / "pdf" / "heming-jtys-2021.pdf")
    # 「三、本年度办理结果」 written down the side is cut by the page break, the columns are not.
    assert ["三、本", "（一）予以公开", "", "15", "5", "1", "0", "1", "2", "24"] in rows
    assert ["年度办理结果", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"] in rows
    text = [r for r in rows if isinstance(r, str)]
    # The page numbers and the running head between the rows are not read.
    assert not any(t in ("-1-", "- 1 -", "-2-", "- 2 -") for t in text)
    assert "鹤鸣县交通运输局政府信息公开工作年度报告" not in text


def test_repeated_header_is_written_once():
    rows = rows_of(ROOT / "examples" / "pdf" / "qinghe-zhen-2019.pdf")
    headers = [r for r in rows if isinstance(r, list) and r[0].startswith("（本列数据的勾稽关系为")]
    assert len(headers) == 1
    assert not any(isinstance(r, str) and "第1页" in r for r in rows)


def test_table_without_rulings_from_word_positions():
    rows = rows_of(PDF / "reports" / "shimen-tjj-2021.pdf")
    assert ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "0", "0", "0", "0", "0", "0", "0"] in rows
    assert ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "1", "0", "0", "0", "0", "0", "1"] \
        not in rows                 # the labels wrap there: the group's 办理结果 shares the row
    assert ["办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "1", "0", "0", "0", "0", "0", "1"] in rows
    assert "三、收到和处理政府信息公开申请情况" in rows      # a heading after a table is not a label


def test_provenance_names_the_page_and_the_place_on_it():
    report = parse_file(ROOT / "examples" / "pdf" / "heming-jtys-2021.pdf")
    where = report.provenance["requests.denied_state_secret.natural_person"]
    assert where["page"] == 2 and 0 < where["x"] < 595 and 0 < where["y"] < 842
    first = report.provenance["requests.new.natural_person"]
    assert first["page"] == 1
    assert report.source["layout"] == "pdf" and report.source["encoding"] == "pdf"


# --- PDFs made by the tools agencies use ---------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


SPECS = sorted((PDF / "specs").glob("*.json"))


@pytest.fixture(scope="module")
def libreoffice_pdfs(tmp_path_factory):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pytest.importorskip("docx", reason="python-docx is not installed")
    import make_reports
    return make_reports.make(SPECS, tmp_path_factory.mktemp("libreoffice"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_libreoffice_pdf_of_a_word_document(spec, libreoffice_pdfs):
    pdf = next(p for p in libreoffice_pdfs if p.stem == spec.stem)
    check(pdf, json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8")))


# Pages whose printed tables the reader does not yet rebuild whole (each cell it misses is
# null with a finding); remove a line when it reads them.
KNOWN_SHORT = {"heping-jd-2019": "table 二 printed as five small tables of different widths: the rulings of "
                                 "one block cut the cells of another, and the rows come out with cells to spare"}
PAGES = [pytest.param(p, marks=pytest.mark.xfail(reason=KNOWN_SHORT[p.stem], strict=True)) if p.stem in KNOWN_SHORT
         else p for p in sorted((ROOT / "examples" / "html").glob("*.html"))]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_chromium_print_of_a_report_page(page, tmp_path):
    html = page.read_bytes()
    if decode(html)[1] == "utf-8":
        # A page declared gb2312 but saved as UTF-8 (as some sites do): print what it shows.
        html = html.replace(b"charset=gb2312", b"charset=utf-8")
    src = tmp_path / page.name
    src.write_bytes(html)
    pdf = tmp_path / f"{page.stem}.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", src.resolve().as_uri()],
                   capture_output=True, timeout=120)
    if not pdf.exists():
        pytest.skip("chromium did not print the page")
    expected = expected_for(page)
    expected["layout"] = "pdf"
    check(pdf, expected)


# --- PDFs that cannot be read: one line each -------------------------------------------------

def _new_pdf(pages=1, image=False):
    import pypdfium2.raw as raw
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        page = pdf.new_page(595, 842)
        if image:
            picture = pdfium.PdfImage.new(pdf)
            bitmap = pdfium.PdfBitmap.new_native(40, 40, raw.FPDFBitmap_BGR)
            bitmap.fill_rect((0, 0, 0, 255), 0, 0, 20, 20)
            picture.set_bitmap(bitmap)
            picture.set_matrix(pdfium.PdfMatrix().scale(400, 400).translate(50, 300))
            page.insert_obj(picture)
            page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


HEMING = (ROOT / "examples" / "pdf" / "heming-jtys-2021.pdf").read_bytes()

BROKEN = {
    "scanned.pdf": (lambda: _new_pdf(image=True), "scanned PDF: no text layer; OCR needed"),
    "blank.pdf": (lambda: _new_pdf(), "a PDF with no text on any page"),
    "corrupt.pdf": (lambda: b"%PDF-1.4\nnot a PDF after all\n", "corrupt PDF: it cannot be opened (not a valid PDF file)"),
    "truncated.pdf": (lambda: HEMING[:len(HEMING) // 2], "corrupt PDF: it cannot be opened (not a valid PDF file)"),
    "encrypted.pdf": (lambda: (PDF / "bad" / "encrypted.pdf").read_bytes(),
                      "encrypted PDF: it cannot be opened without its password"),
    "long.pdf": (lambda: _new_pdf(pages=300),
                 "a PDF of 300 pages, longer than any annual report (at most 200 pages are read)"),
    "empty.pdf": (lambda: b"", "the file is empty"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_pdf_that_cannot_be_read_gets_one_line(name, tmp_path):
    make, message = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.message == message
    result = CliRunner(mix_stderr=False).invoke(main, ["parse", str(path)]) \
        if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"gxgrammar: {path}: {message}"


def test_scanned_pdf_is_its_own_error():
    assert issubclass(ScannedPdfError, InputError) and ScannedPdfError.exit_code == 2
    with pytest.raises(ScannedPdfError):
        read_document(_new_pdf(image=True), "scan.pdf")


@pytest.mark.parametrize("original", ["examples/html/qingzhu-scjg-2021.html", "examples/tsv/luming-sthj-2021.txt"])
def test_a_web_page_or_text_named_pdf_is_read_as_what_it_is(original, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes((ROOT / original).read_bytes())
    report = parse_file(path)
    assert differences(report, expected_for(ROOT / original)) == []


def test_explain_shows_the_page_of_each_row():
    from gxgrammar.cli.explain import explain_reports
    out = []
    explain_reports([ROOT / "examples" / "pdf" / "heming-jtys-2021.pdf"], out.append, out.append)
    text = "\n".join(out)
    assert "tables read as active pdf, requests pdf, appeals pdf" in text
    assert " p.1: 一、本年新收政府信息公开申请数量 │ · │ · │ 38 │ 12 │ 2 │ 1 │ 3 │ 4 │ 60  → new" in text
    assert " p.2: 年度办理结果 │ (三)不予公开 │ 1.属于国家秘密 │ 0 │ 0 │ 0 │ 0 │ 0 │ 0 │ 0  → denied_state_secret" in text
