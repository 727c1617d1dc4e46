"""Claims in the text: the numbers the prose states about the tables, checked against them.

Each case in fixtures/claims/ is a passage of prose (NAME.txt) and what must be read
from it and found (NAME.expected.json): the report whose tables it speaks of, the
section it stands in, every claim read (its phrase, the number as written, its line
and column in NAME.txt) and every finding. A new phrasing is a new case.
"""
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gxgrammar import national as nf
from gxgrammar import parse_file, parse_text
from gxgrammar.checks import RULES
from gxgrammar.checks.claims import _TRIGGER, check_claims, read_claims
from gxgrammar.checks.places import section_places
from gxgrammar.model import Section
from gxgrammar.national import claims as wording

from conftest import CORPUS, EXAMPLES, FIXTURES, ROOT, ids
from test_checks import consistent_tables, report_of

CASES = sorted((FIXTURES / "claims").glob("*.txt"))


def with_prose(case, path):
    """The case's report with the passage as the text of its section, placed at its lines."""
    report = parse_file(ROOT / case["base"])
    lines = path.read_text(encoding="utf-8").split("\n")
    section = next(s for s in report.sections if s.number == case.get("section", 1))
    section.text = "\n".join(line.strip() for line in lines if line.strip())
    section.places = section_places(section.text, lines)
    return report


def _claims(report):
    return [[c.name, c.stated, c.line, c.column] for c in read_claims(report)]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_prose_gives_exactly_its_claims_and_findings(path):
    case = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    report = with_prose(case, path)
    assert _claims(report) == case["claims"]
    assert [f.to_dict() for f in check_claims(report)] == case["findings"]


def test_a_claim_about_a_blank_cell_is_left_alone():
    # Its 规章 row is 「— — —」: blank cells, nothing to compare a stated number with.
    report = parse_file(ROOT / "examples" / "pdf-text" / "longquanwan-zfb-2021.txt")
    assert report.cells()["active.regulations.issued"] is None
    report.sections[0].text, report.sections[0].places = "全年制发规章2件。", []
    assert _claims(report) == [["regulations_issued", "2件", None, None]]
    assert check_claims(report) == []


def test_a_claim_that_may_be_two_sums_is_checked_against_both():
    report = parse_file(ROOT / "examples" / "tsv" / "luming-sthj-2021.txt")
    for text, found in (("全年收到政府信息公开申请173件。", 0), ("全年收到政府信息公开申请176件。", 0),
                        ("全年收到政府信息公开申请175件。", 1)):
        report.sections[0].text, report.sections[0].places = text, []     # text of no file: no places
        assert len(check_claims(report)) == found, text
    message = check_claims(report)[0].message
    assert message == ("the text says 175 (「收到政府信息公开申请175件」, section 一), but "
                       "一、本年新收政府信息公开申请数量·总计 is 173 (line 40) and 一、本年新收政府信息公开申请数量·总计 "
                       "173 + 二、上年结转政府信息公开申请数量·总计 3 = 176")


def test_a_claim_names_the_line_and_column_of_its_number():
    path = ROOT / "examples" / "with-errors" / "luming-sthj-2021.txt"
    report = parse_file(path)
    found = [f for f in report.findings if f.code.startswith("claims.")]
    assert [(f.code, f.cells, f.line) for f in found] == [
        ("claims.requests", ["requests.new.total"], 11),
        ("claims.requests", ["requests.new.natural_person"], 11),
        ("claims.requests", ["requests.new.commercial", "requests.new.research", "requests.new.nonprofit",
                             "requests.new.legal_service", "requests.new.other"], 11),
        ("claims.requests", ["requests.carried_over.total"], 11),
    ]
    assert found[0].message == ("the text says 173 (「新收政府信息公开申请173件」, section 一, line 11, column 21), "
                                "but 一、本年新收政府信息公开申请数量·总计 is 168 (line 40)")
    line = path.read_text(encoding="utf-8").split("\n")[10]
    assert line[20:24] == "173件" and line[30:34] == "101件"


def test_without_the_places_of_its_lines_a_claim_names_only_its_section():
    report = parse_file(ROOT / "examples" / "with-errors" / "luming-sthj-2021.txt")
    for section in report.sections:
        section.places = []
    found = [f for f in check_claims(report)]
    assert [f.line for f in found] == [None] * 4
    assert found[0].message == ("the text says 173 (「新收政府信息公开申请173件」, section 一), but "
                                "一、本年新收政府信息公开申请数量·总计 is 168 (line 40)")


@pytest.mark.parametrize("path", EXAMPLES + CORPUS, ids=ids(EXAMPLES + CORPUS))
def test_the_prose_of_clean_reports_agrees_with_their_tables(path):
    report = parse_file(path)
    assert check_claims(report) == []


def test_every_phrase_compiles_and_names_cells_of_the_format():
    for template in nf.TEMPLATES:
        keys = set(nf.cell_keys(template))
        columns = {c.key for c in nf.REQUEST_COLUMNS} | {c.key for c in nf.APPEAL_COLUMNS}
        for ready in wording.compiled(template).phrases:
            phrase = ready.phrase
            assert all(r is None or r.pattern for r in ready.regexes()), phrase.name     # they compile
            for alternatives in ready.targets + ready.second:
                assert alternatives, phrase.name
                if phrase.role == "part":
                    assert set(alternatives) <= columns, phrase.name
                else:
                    assert all(k in keys for alt in alternatives for k in alt), phrase.name


def test_claims_codes_are_rules():
    for table in ("active", "requests", "appeals"):
        assert RULES[f"claims.{table}"].severity == "warning"


# Phrasings and the cell each states, for tables drawn at random.
PHRASINGS = (
    ("全年新收政府信息公开申请{}件", ("requests.new.total",)),
    ("上年结转{}件", ("requests.carried_over.total",)),
    ("{}件结转下年度继续办理", ("requests.carried_forward.total",)),
    ("予以公开{}件", ("requests.granted.total",)),
    ("不予公开{}件", tuple(f"requests.{r}.total" for r in wording.GROUPS["@denied"])),
    ("因政府信息公开被申请行政复议{}件", ("appeals.review.total",)),
    ("因政府信息公开被提起行政诉讼{}件", ("appeals.suit_direct.total", "appeals.suit_after_review.total")),
)


@settings(max_examples=60, deadline=None)
@given(consistent_tables(), st.data())
def test_prose_that_restates_the_tables_is_clean_and_one_wrong_number_is_named(generated, data):
    template, cells = generated
    report = report_of(template, cells)
    chosen = data.draw(st.lists(st.sampled_from(PHRASINGS), min_size=1, max_size=5, unique=True))
    values = [sum(cells[k] for k in keys) for _, keys in chosen]
    report.sections = [Section(1, "总体情况", _prose(chosen, values), line=1)]
    assert check_claims(report) == []
    wrong = data.draw(st.integers(0, len(chosen) - 1))
    values[wrong] += data.draw(st.integers(1, 9))
    report.sections[0].text = _prose(chosen, values)
    found = check_claims(report)
    assert [(f.code, f.cells) for f in found] == [(f"claims.{chosen[wrong][1][0].split('.')[0]}",
                                                   list(chosen[wrong][1]))]


def _prose(chosen, values):
    return "依申请公开方面，" + "，".join(words.format(v) for (words, _), v in zip(chosen, values)) + "。"


def test_a_claim_in_a_table_section_is_placed_at_its_line_and_column():
    # The lines a table section's prose stands on are those its table was read from.
    text = (ROOT / "examples" / "tsv" / "luming-sthj-2021.txt").read_text(encoding="utf-8")
    text = text.replace("三．收到和处理政府信息公开申请情况\n", "三．收到和处理政府信息公开申请情况\n\n"
                        "　　本年度共收到政府信息公开申请180件（其中上年结转3件）。\n")
    report = parse_text(text, path="luming.txt")
    found = [f for f in report.findings if f.code.startswith("claims.")]
    assert [(f.code, f.line, f.cells) for f in found] == [
        ("claims.requests", 37, ["requests.new.total", "requests.carried_over.total"])]
    assert found[0].message == (
        "the text says 180 (「收到政府信息公开申请180件」, section 三, line 37, column 17), but "
        "一、本年新收政府信息公开申请数量·总计 173 + 二、上年结转政府信息公开申请数量·总计 3 = 176")
    assert text.split("\n")[36][16:19] == "180"


# The trigger and the numbers are written with their first character a class of its own,
# which `re` finds sooner; they find what their plain forms find.
_PLAIN_TRIGGER = re.compile(r"[\d零〇一二两三四五六七八九十百千]\s*(?:件|起|宗|万?元)"
                            r"|未(?:收到|受理|接到|接收|发生|出现|产生|涉及|被|有)|没有|无(?:因|涉及|发生)")
_PLAIN_NUMBERS = re.compile(r"(?P<n>\d[\d,.]*\d|\d|[零〇一二两三四五六七八九十百千]+)(?P<unit>件|起|宗|万元|元)"
                            r"(?!以上|以下|左右|次|多)")


@given(st.text(alphabet=list("0123456789,.零〇一二两十百千万件起宗元以上下左右次多未收到没有无因涉及 \t第约"),
               max_size=40))
@settings(max_examples=3000, derandomize=True)
def test_the_trigger_and_the_numbers_find_what_their_plain_forms_find(text):
    assert [m.span() for m in _TRIGGER.finditer(text)] == [m.span() for m in _PLAIN_TRIGGER.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in wording.NUMBERS.finditer(text)] == \
        [(m.span(), m.groupdict()) for m in _PLAIN_NUMBERS.finditer(text)]
