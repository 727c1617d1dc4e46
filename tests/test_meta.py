"""The title's wording: spaces that PDFs and Word put between CJK characters go, others stay."""
import pytest

from gxgrammar.structure.meta import agency_from_body, agency_from_title, clean_title


@pytest.mark.parametrize("lines, title", [
    (["青 禾 县 人 民 政 府 2 0 2 3 年 政 府 信 息 公 开 工 作 年 度 报 告"],
     "青禾县人民政府2023年政府信息公开工作年度报告"),
    (["## 青禾县人民政府", "2023年政府信息公开工作年度报告"], "青禾县人民政府2023年政府信息公开工作年度报告"),
    (["Qinghe County 2023 年 报告"], "Qinghe County 2023年报告"),
    (["第 12 34 号"], "第1234号"),
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
