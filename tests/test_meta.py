"""The title's wording: spaces that PDFs and Word put between CJK characters go, others stay."""
import pytest

from gxgrammar import parse_text
from gxgrammar.structure.meta import agency_from_body, agency_from_title, clean_title


@pytest.mark.parametrize("lines, title", [
    (["青 禾 县 人 民 政 府 2 0 2 3 年 政 府 信 息 公 开 工 作 年 度 报 告"],
     "青禾县人民政府2023年政府信息公开工作年度报告"),
    (["## 青禾县人民政府", "2023年政府信息公开工作年度报告"], "青禾县人民政府2023年政府信息公开工作年度报告"),
    (["Qinghe County 2023 年 报告"], "Qinghe County 2023年报告"),
    (["第 12 34 号"], "第1234号"),
    # pandoc's Markdown of a page's title: bold, a styled span, a link
    (['**[南湖区卫生健康委员会2023年政府信息公开工作年度报告]{style="font-size:22.0pt"}**'],
     "南湖区卫生健康委员会2023年政府信息公开工作年度报告"),
    (["**[南湖区卫生健康委员会2023年政府信息公开工作年度报告"], "南湖区卫生健康委员会2023年政府信息公开工作年度报告"),
    (["[青禾县人民政府2023年政府信息公开工作年度报告](/zwgk/ndbg/2023.html)"], "青禾县人民政府2023年政府信息公开工作年度报告"),
])
def test_clean_title(lines, title):
    assert clean_title(lines) == title


def test_agency_from_title_and_from_body():
    assert agency_from_title("青禾县人民政府2023年政府信息公开工作年度报告") == "青禾县人民政府"
    body = "2023年，青禾县生态环境局坚持公开为常态。青禾县生态环境局主动公开信息120条。"
    assert agency_from_body(body) == "青禾县生态环境局"


@pytest.mark.parametrize("title, agency", [
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅"),
    ("2022年度鹿鸣市生态环境局政府信息公开工作年度报告", "鹿鸣市生态环境局"),
    ("上海市人民政府办公厅2019年政府信息公开工作年度报告", "上海市人民政府办公厅"),
    ("二〇二三年青禾镇人民政府政务公开工作年度报告", "青禾镇人民政府"),
    ("青禾县人民政府关于2023年政府信息公开工作年度报告的公告", "青禾县人民政府"),
    ("关于2023年度政府信息公开工作年度报告", None),
    ("2023年政府信息公开工作年度报告", None),
])
def test_the_agency_a_title_names_whatever_comes_first(title, agency):
    assert agency_from_title(title) == agency


def test_a_fragment_of_a_sentence_is_never_an_agency():
    assert agency_from_body("为深入贯彻落实省委省政府决策部署，本局积极推进政务公开。") is None
    assert agency_from_body("2023年，在县委县政府的坚强领导下，我局认真贯彻落实条例。") is None


@pytest.mark.parametrize("text, header", [
    ("东川区人民政府\n[首页](/)[政务公开](/zwgk/)\n[首页](/) › [政务公开](/zwgk/) › 政府信息公开年报\n"
     "# 和平街道办事处2019年政府信息公开工作年度报告\n", "和平街道办事处2019年政府信息公开工作年度报告"),
    ("首页\\|信息公开\\|政府信息公开年报\\|\n您现在的位置：首页\\>\\>信息公开\n"
     "白石县自然资源局2022年政府信息公开工作年度报告\n", "白石县自然资源局2022年政府信息公开工作年度报告"),
    ("::: {#content}\n::: title\n石桥镇人民政府2022年政府信息公开工作年度报告\n:::\n", "石桥镇人民政府2022年政府信息公开工作年度报告"),
])
def test_a_sites_header_and_menus_in_markdown_are_no_part_of_the_title(text, header):
    body = "一、总体情况\n本年度主动公开信息12条。\n"
    assert parse_text(text + body).meta["title"] == header


def test_a_signature_written_with_a_markdown_line_break_names_the_agency():
    text = ("一、总体情况\n本年度主动公开信息12条。\n"
            "六、其他需要报告的事项\n无。\n\n青禾县教育局\\\n2024年1月20日\n")
    report = parse_text(text)
    assert (report.meta["agency"], report.meta["signed"]) == ("青禾县教育局", "2024年1月20日")


def test_a_title_with_pandocs_heading_attributes():
    # pandoc -t markdown writes a page's <h2 align="center"> with its attributes after it.
    text = ("## 青溪县民政局2020年政府信息公开工作年度报告 {#青溪县民政局2020年政府信息公开工作年度报告 align=\"center\"}\n\n"
            "**一、总体情况**\n\n2020年，本局主动公开政府信息120条。\n\n**二、主动公开政府信息情况**\n\n无。\n")
    report = parse_text(text, path="pandoc.md")
    assert report.meta["title"] == "青溪县民政局2020年政府信息公开工作年度报告"
    assert report.meta["agency"] == "青溪县民政局"
