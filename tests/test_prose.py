"""Prose as paragraphs: PDF line breaks joined, page furniture dropped, nothing else lost."""
import pytest
from hypothesis import given, strategies as st

from gxgrammar import parse_file
from gxgrammar.structure.prose import is_page_furniture, paragraphs, prose_lines, wrap_width
from gxgrammar.writers.views import prose_width

from conftest import CORPUS_DIR, EXAMPLES, FIXTURES, needs_corpus

CASES = sorted((FIXTURES / "prose").glob("*.txt"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_paragraphs_of_a_fixture(path):
    text = path.read_text(encoding="utf-8")
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    assert paragraphs(text, wrap_width([text])) == expected


@pytest.mark.parametrize("line", ["- 3 -", "— 12 —", "－3－", "第 3 页", "第3页 共10页", "第 3 页，共 10 页",
                                  "3/10", "7", "  12  ", "——3——"])
def test_page_numbers_are_furniture(line):
    assert is_page_furniture(line)


@pytest.mark.parametrize("line", ["3件", "2024", "第三页", "- 3 - 4", "一、", "第3条", "共10页", "（3）"])
def test_other_short_lines_are_not_furniture(line):
    assert not is_page_furniture(line)


def test_text_with_one_paragraph_a_line_is_not_wrapped():
    report = parse_file(next(p for p in EXAMPLES if p.parent.name == "markdown"))
    assert prose_width(report) is None
    section = report.sections[0]
    assert paragraphs(section.text, None) == section.text.splitlines()


def test_the_pdf_example_joins_its_wrapped_lines():
    report = parse_file(next(p for p in EXAMPLES if p.parent.name == "pdf-text" and p.stem == "longquanwan-zfb-2021"))
    width = prose_width(report)
    assert width == 54
    assert paragraphs(report.sections[0].text, width)[3:5] == [
        "（二）依申请公开情况",
        "2023 年，全区政府层面共新收政府信息公开申请199件（其中自然人申请 111件），上年结转 7件，"
        "主要涉及国有土地上房屋征收、集体土地征收和城市更新项目等内容，6件结转下年度继续办理。",
    ]


@needs_corpus
def test_corpus_003_keeps_its_headings_and_paragraphs():
    report = parse_file(next(CORPUS_DIR.glob("003_*.txt")))
    width = prose_width(report)
    first = paragraphs(report.sections[0].text, width)
    assert len(first) == 14
    assert first[1] == "（一）持续加大政府信息主动公开力度"
    assert first[2].startswith("一是聚焦法定主动公开内容") and first[2].endswith("发挥以公开促落实、优服务、强监管作用。")
    six = paragraphs(report.sections[5].text, width)
    assert six[5].startswith("2024 年，严格按照国家、省、市政务公开专区要求") and six[5].endswith("为政务公开工作提质增温。")
    assert six[:5] + six[6:] == [
        "（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况",
        "2024 年度，我机关在办理以及代区政府办理政府信息公开申请过程中，未收取任何信息处理费。",
        "（二）本年度人大代表建议和政协提案办理情况",
        "2024年，本机关收到本级人大代表建议和政协委员提案、市级人大代表建议和政协委员提案均为 0件。",
        "（三）本单位在政务公开制度、内容、形式和平台建设方面的创新实践情况",
        "（四）《2024年淄博市政务公开工作方案》落实情况",
        "根据省、市政务公开工作方案要求，区政府办公室持续做好贯彻落实工作，印发了《2024 年张店区政务公开"
        "工作方案》，做好政务公开重点工作任务分工，根据任务分工将全年的政务公开工作落实到位。",
        "（五）本机关认为需要报告的其他事项",
        "无。",
    ]


def _ink(text):
    return "".join(ch for ch in text if not ch.isspace())


_LINE = st.text(alphabet=st.sampled_from("政府信息公开年度报告，。；：（）一二三12 3、“”A"), max_size=40)


@given(st.lists(_LINE, max_size=30), st.one_of(st.none(), st.integers(20, 120)))
def test_paragraphs_keep_every_character_in_order(lines, width):
    text = "\n".join(lines)
    kept = "".join(prose_lines(text))
    assert _ink("".join(paragraphs(text, width))) == _ink(kept)
