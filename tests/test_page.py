"""Saved web pages: the reader finds the report among the site's furniture, places the
cells as the HTML table model does, and reads the page whole."""
import html as markup
import json
import re
import shutil
import subprocess

import pytest

from gxgrammar import parse_file, parse_text
from gxgrammar.errors import InputError
from gxgrammar.readers.html import _has_two_cells, cell_text, is_html, read
from gxgrammar.readers.html_table import form_table
from gxgrammar.readers.text import Source, normalise_line, split_lines

from conftest import FIXTURES, ROOT, differences, expected_for

QINGZHU = ROOT / "examples" / "html" / "qingzhu-scjg-2021.html"
YUNXIU = ROOT / "examples" / "html" / "yunxiu-jyj-2019.html"


def _page(path, *edits):
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_navigation_before_and_after_the_report_is_not_part_of_it():
    # The menu above and the related links below name 主动公开政府信息情况 and 收到和处理政府信息公开申请情况.
    report = parse_text(_page(QINGZHU), path="page.html")
    assert [(s.number, s.line) for s in report.sections] == [(1, 27), (2, 33), (3, 52), (4, 326), (5, 333), (6, 336)]
    assert report.meta["title"] == "青竹县市场监督管理局2024年政府信息公开工作年度报告"
    assert report.meta["signed"] == "2025年1月20日"          # nothing of the footer follows the date
    assert all("相关链接" not in s.text and "主办" not in s.text for s in report.sections)


def test_a_menu_item_worded_like_a_heading_does_not_become_one():
    menu = '<ul class="nav"><li><a href="/zdgk/">主动公开政府信息情况</a></li><li><a>收到和处理政府信息公开申请情况</a></li></ul>'
    text = _page(QINGZHU, ('<title>青竹县市场监督管理局2024年政府信息公开工作年度报告_青竹县人民政府</title>', ""),
                 ('<div class="position">', menu + '<div class="position">'))
    report = parse_text(text, path="page.html")
    assert [(s.number, s.line) for s in report.sections][:3] == [(1, 27), (2, 33), (3, 52)]
    assert report.meta["agency"] == "青竹县市场监督管理局"


def test_a_page_is_recognised_by_its_markup_not_its_name():
    assert is_html(Source(_page(YUNXIU)))
    assert not is_html(Source("一、总体情况\n规章\t0\t0\t0\n"))
    report = parse_text(_page(YUNXIU), path="report.txt")
    assert report.source["layout"] == "html"


def test_merged_cells_are_expanded_and_paragraphs_in_a_cell_joined():
    page = "\n".join([
        "<html><body><h1>某局2024年政府信息公开工作年度报告</h1><table>",
        '<tr><td rowspan="2">三、本年度<br>办理结果</td><td colspan="2"><p>（一）予以公开</p></td><td>3</td></tr>',
        "<tr><td>（三）不予公开</td><td>1.属于<br/>国家秘密</td><td>&nbsp;</td></tr>",
        '<tr><td colspan="4">第二十条第（一）项</td></tr>',
        "</table></body></html>"])
    source = read(Source(page))
    assert source.lines == ["某局2024年政府信息公开工作年度报告",
                            "␞三、本年度办理结果␟（一）予以公开␟␟3",
                            "␞␟（三）不予公开␟1.属于国家秘密␟",
                            "第二十条第（一）项"]
    # Every cell keeps the line and column of its first character in the page.
    assert source.position(2, 1 + len("␞三、本年度办理结果␟（一）予以公开␟␟")) == (2, page.split("\n")[1].index(">3<") + 2)
    assert source.position(3, 1 + len("␞␟")) == (3, page.split("\n")[2].index("（三）") + 1)


def test_a_header_over_two_groups_of_table_four_is_no_row_of_blanks():
    # 行政复议 spans two header rows: the second holds only 未经复议直接起诉 and 复议后起诉, each
    # spanning five columns (written as empty cells). It is a header, not a row of blanks.
    cols = "".join(f"<th>{c}</th>" for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")) * 3
    page = "\n".join([
        "<html><body><h1>某局2024年政府信息公开工作年度报告</h1>",
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><table>",
        '<tr><th colspan="5" rowspan="2">行政复议</th><th colspan="10">行政诉讼</th></tr>',
        '<tr><th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th></tr>',
        f"<tr>{cols}</tr>",
        "<tr>" + "".join(f"<td>{v}</td>" for v in (1, 0, 0, 0, 1, 0, 1, 0, 1, 2, 0, 0, 1, 0, 1)) + "</tr>",
        "</table></body></html>"])
    report = parse_text(page)
    assert report.tables["appeals"]["suit_after_review"] == {"upheld": 0, "corrected": 0, "other": 1,
                                                             "pending": 0, "total": 1}
    assert not [f for f in report.findings if any(k.startswith("appeals.") for k in f.cells)]


def test_an_error_names_the_line_of_the_page():
    text = _page(QINGZHU, ("<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>", "<p>（略）</p>"))
    report = parse_text(text, path="page.html")
    outside = next(f for f in report.findings if f.code == "structure.table_outside_section")
    assert outside.message == ("the table of section 四、政府信息公开行政复议、行政诉讼情况 stands in "
                               "section 三、收到和处理政府信息公开申请情况; it was found by its labels")
    assert outside.line == text.splitlines().index(next(l for l in text.splitlines() if "结果维持" in l)) + 1


# --- pages as sites serve them: every cell right, or a finding that says why -------------

HTML_FIXTURES = FIXTURES / "html"
FIXTURE_PAGES = sorted(HTML_FIXTURES.glob("*.html"))
TABLE_CASES = sorted((HTML_FIXTURES / "tables").glob("*.html"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _names(paths):
    return [p.stem for p in paths]


def _owner(text, line, column):
    """The data-key of the cell whose start tag comes last before a place of the page."""
    lines = split_lines(text)
    at = sum(len(l) + 1 for l in lines[:line - 1]) + column - 1
    whole = "\n".join(lines)
    start = max(whole.rfind("<td", 0, at), whole.rfind("<th", 0, at))
    found = re.match(r'<t[dh][^>]*data-key="([^"]+)"', whole[start:])
    return found.group(1) if found else None


@pytest.mark.parametrize("path", FIXTURE_PAGES, ids=_names(FIXTURE_PAGES))
def test_every_cell_of_a_page_is_read_right_or_reported(path):
    """The fixture pages break the table model the ways real pages do (rowspans past a
    thead, rowspan="0", a tfoot first, Word's tags over two lines, a commented-out cell,
    a row one cell short or long); their expected values were chosen by hand."""
    expected = expected_for(path)
    report = parse_file(path)
    assert differences(report, expected) == []
    assert sorted((f.code, f.severity, f.cells) for f in report.findings) == \
        sorted(tuple(f) for f in expected["findings"])


@pytest.mark.parametrize("path", FIXTURE_PAGES, ids=_names(FIXTURE_PAGES))
def test_every_value_of_a_page_points_at_its_own_cell(path):
    """Provenance: each value's line and column is where its own cell's text begins (the
    value cells of the fixture pages name their key in a data-key attribute)."""
    text = path.read_text(encoding="utf-8")
    lines = [normalise_line(l) for l in split_lines(text)]
    report = parse_file(path)
    checked = 0
    for key, value in report.cells().items():
        where = report.provenance.get(key)
        if value is None or where is None or where.get("inferred"):
            continue
        at = lines[where["line"] - 1][where["column"] - 1:]
        assert at.startswith(str(value)) and not at[len(str(value)):][:1].isdigit(), (key, where, at[:10])
        assert _owner(text, where["line"], where["column"]) == key, (key, where)
        checked += 1
    assert checked >= 150


@pytest.mark.parametrize("path", TABLE_CASES, ids=_names(TABLE_CASES))
def test_cells_take_the_slots_the_html_table_model_gives_them(path):
    rows = read(Source(path.read_text(encoding="utf-8"))).lines
    assert rows == path.with_suffix(".rows").read_text(encoding="utf-8").splitlines()


_MEASURE = """<script>
(function () {
  var out = [];
  document.querySelectorAll("table").forEach(function (table) {
    if (table.querySelector("table") || table.querySelectorAll("td, th").length < 2) return;
    var lefts = [];
    for (var i = 0; i < table.rows.length; i++)
      for (var j = 0; j < table.rows[i].cells.length; j++)
        lefts.push(Math.round(table.rows[i].cells[j].getBoundingClientRect().left));
    var columns = Array.from(new Set(lefts)).sort(function (a, b) { return a - b; });
    var rows = [];
    for (var i = 0; i < table.rows.length; i++) {
      var cells = [];
      for (var j = 0; j < table.rows[i].cells.length; j++) {
        var cell = table.rows[i].cells[j];
        cells.push([columns.indexOf(Math.round(cell.getBoundingClientRect().left)),
                    cell.textContent.replace(/\\s+/g, "")]);
      }
      rows.push(cells);
    }
    out.push(rows);
  });
  var pre = document.createElement("pre");
  pre.id = "laid-out";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def _laid_out(page, tmp_path):
    """For each data table Chromium drew: per row, its cells' (column, text), the column
    counted from the distinct left edges of the table's cells."""
    target = tmp_path / "page.html"
    end = page.lower().rfind("</body>")
    target.write_text(page[:end] + _MEASURE + page[end:], encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--window-size=1600,2000", "--dump-dom", target.as_uri()], capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="laid-out">(.*?)</pre>', result.stdout, re.S)
    assert found, f"chromium showed no measurements (exit {result.returncode}): {result.stderr[-500:]}"
    return json.loads(markup.unescape(found.group(1)))


def _placed(page):
    """The same from the reader's table model: per row, its cells' (column, text)."""
    from lxml import etree
    root = etree.fromstring(page, etree.HTMLParser(remove_comments=True))
    tables = [t for t in root.iter("table") if not any(True for _ in t.iterdescendants("table"))
              and _has_two_cells(t)]
    out = []
    for table in tables:
        rows = [[(x, slot[0]) for x, slot in enumerate(row.slots) if slot is not None] for row in form_table(table)]
        columns = sorted({x for row in rows for x, _ in row})
        out.append([[[columns.index(x), "".join(cell_text(cell)[0].split())] for x, cell in row] for row in rows])
    return out


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium): "
                                             "the table model is not checked against a browser")
@pytest.mark.parametrize("path", TABLE_CASES + FIXTURE_PAGES, ids=_names(TABLE_CASES + FIXTURE_PAGES))
def test_the_cells_stand_where_a_browser_draws_them(path, tmp_path):
    page = path.read_text(encoding="utf-8")
    assert _placed(page) == _laid_out(page, tmp_path)


# --- a page read whole, or refused for what it is ------------------------------------------

def test_a_report_nested_hundreds_of_elements_deep_is_read_whole():
    page = _page(QINGZHU, ('<div class="content" id="zoom">', '<div class="content" id="zoom">' + "<div>" * 400),
                 ('<p style="text-align: right;">2025年1月20日</p>', '<p style="text-align: right;">2025年1月20日</p>' + "</div>" * 400))
    assert differences(parse_text(page, path="deep.html"), expected_for(QINGZHU)) == []


def test_markup_nested_deeper_than_the_parser_reads_is_refused_naming_the_depth():
    page = _page(QINGZHU, ('<div class="content" id="zoom">', '<div class="content" id="zoom">' + "<div>" * 3000))
    with pytest.raises(InputError) as caught:
        parse_text(page, path="deeper.html")
    assert caught.value.message == ("the page's elements are nested more than 2048 deep, deeper than the HTML "
                                    "parser reads; the rest of the page would be lost")
    assert caught.value.line == 25


def test_a_page_holding_ten_megabytes_in_one_text_node_is_read_whole():
    image = '<p><img src="data:image/png;base64,' + "iVBORw0KGgo" * 1_000_000 + '"></p>'
    script = "<script>var chart = '" + "0," * 5_500_000 + "';</script>"
    page = _page(QINGZHU, ('<div class="content" id="zoom">', '<div class="content" id="zoom">' + image + script))
    assert differences(parse_text(page, path="huge.html"), expected_for(QINGZHU)) == []


def test_a_table_whose_spans_would_fill_millions_of_slots_is_refused():
    page = "<html><body><table>" + '<tr><td colspan="1000" rowspan="65534">x</td><td>y</td></tr>' * 3000 + "</table></body></html>"
    with pytest.raises(InputError) as caught:
        read(Source(page))
    assert caught.value.message == ("the table at line 1 spans more than 484000 slots with its colspan and "
                                    "rowspan values, too many for its 6000 cells")


def _links(*titles):
    return ('<div class="xglj"><span>相关文章</span><ul>' +
            "".join(f'<li><a href="/{i}.html">{t}</a></li>' for i, t in enumerate(titles)) + "</ul></div>")


# Fixture pages with their <h1> taken out, and a list of related reports (other years,
# other agencies) before the article or after the tables: the title stands only in <title>.
TITLE_ONLY = [
    ("tanxi-scjg-2021", "檀溪县市场监督管理局2024年政府信息公开工作年度报告",
     ('<div class="article">', '<div class="article">\n' + _links(
         "檀溪县市场监督管理局2023年政府信息公开工作年度报告", "檀溪县农业农村局2024年政府信息公开工作年度报告"))),
    ("luting-jtj-2019", "鹭汀县交通运输局2020年政府信息公开工作年度报告",
     ('<div class="footer">', _links("鹭汀县交通运输局2019年政府信息公开工作年度报告") + '\n<div class="footer">')),
]


@pytest.mark.parametrize("name,title,related", TITLE_ONLY, ids=[c[0] for c in TITLE_ONLY])
def test_a_title_only_in_the_pages_title_is_the_reports_and_related_links_are_not(name, title, related, tmp_path):
    """A list of related reports once gave the title and the year of another report, and a
    link after the tables cut the report off before it (not a report)."""
    source = HTML_FIXTURES / f"{name}.html"
    page = tmp_path / f"title-only-{name}.html"
    page.write_text(_page(source, (f"<h1>{title}</h1>", ""), related), encoding="utf-8")
    report = parse_file(page)
    expected = expected_for(source)
    assert report.meta["title"] == title
    assert differences(report, expected) == []
    assert sorted((f.code, f.severity, f.cells) for f in report.findings) == \
        sorted(tuple(f) for f in expected["findings"])
