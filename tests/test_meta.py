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
