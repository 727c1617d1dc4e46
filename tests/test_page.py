"""Saved web pages: the reader finds the report among the site's furniture and expands merged cells."""
import pytest

from gxgrammar import parse_text
from gxgrammar.errors import ReportError
from gxgrammar.readers.html import is_html, read
from gxgrammar.readers.text import Source

from conftest import ROOT

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


def test_an_error_names_the_line_of_the_page():
    text = _page(QINGZHU, ("<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>", "<p>（略）</p>"))
    report = parse_text(text, path="page.html")
    outside = next(f for f in report.findings if f.code == "structure.table_outside_section")
    assert outside.message == ("the table of section 四、政府信息公开行政复议、行政诉讼情况 stands in "
                               "section 三、收到和处理政府信息公开申请情况; it was found by its labels")
    assert outside.line == text.splitlines().index(next(l for l in text.splitlines() if "结果维持" in l)) + 1
