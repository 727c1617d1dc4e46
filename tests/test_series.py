"""Years side by side: reports of one agency paired by name and year, and what must follow on."""
import json
import random

from click.testing import CliRunner

from gxgrammar import parse_file
from gxgrammar.checks.series import check_series, explain, pair
from gxgrammar.cli import main

from conftest import FIXTURES, ROOT

SERIES = FIXTURES / "series"
YEARS = sorted(SERIES.glob("qixiawan-zfb-*.txt"))


def _expected():
    return json.loads((SERIES / "series.expected.json").read_text(encoding="utf-8"))


def test_a_five_year_series_is_paired_and_its_breaks_found_at_their_report_and_cell():
    reports = [parse_file(p) for p in YEARS]
    random.Random(3).shuffle(reports)          # the order they come in does not matter
    expected = _expected()
    pairing = pair(reports)
    assert sorted([b.meta["year"], a.meta["year"]] for b, a in pairing.pairs) == expected["pairs"]
    found = check_series(reports, pairing)
    got = {r.source["path"].rsplit("/", 1)[-1]: [f.to_dict() for f in found[id(r)]]
           for r in reports if id(r) in found}
    want = {name: [dict(f, message=f["message"].format(dir=SERIES)) for f in fs]
            for name, fs in expected["findings"].items()}
    assert got == want


def _report(path, agency, year):
    report = parse_file(path)
    report.meta = dict(report.meta, agency=agency, year=year)
    return report


EXAMPLE = ROOT / "examples" / "tsv" / "luming-sthj-2021.txt"
OTHER = ROOT / "examples" / "markdown" / "bailuwan-zrzy-2021.txt"


def test_names_are_paired_only_when_they_are_certainly_one_agency():
    reports = [_report(EXAMPLE, "沭阳县人民政府", 2022), _report(EXAMPLE, "沭阳县政府", 2023),
               _report(EXAMPLE, "县政府办公室", 2024), _report(EXAMPLE, "沭阳县人民政府办公室", 2024),
               _report(EXAMPLE, "宿迁市沭阳县人民政府", 2024)]
    pairing = pair(reports)
    assert [(b.meta["agency"], a.meta["agency"]) for b, a in pairing.pairs] == [("沭阳县人民政府", "沭阳县政府")]
    assert pairing.notes == [
        f"{EXAMPLE}: not compared with other years: 「县政府办公室」 does not name its place, so it may be any "
        "county's or district's",
        "「宿迁市沭阳县人民政府」 and 「沭阳县人民政府」 may be one agency or two: not paired",
        "「沭阳县人民政府」 and 「沭阳县人民政府办公室」 may be one agency or two: not paired",
    ]


def test_a_gap_between_years_is_said_and_not_bridged():
    reports = [_report(EXAMPLE, "鹿鸣市生态环境局", 2021), _report(EXAMPLE, "鹿鸣市生态环境局", 2023)]
    pairing = pair(reports)
    assert pairing.pairs == []
    assert pairing.notes == ["鹿鸣市生态环境局 2023: the report before it is of 2021; no 2022 report to compare with"]
    assert explain(pairing)[0] == (f"鹿鸣市生态环境局: 2021 ({EXAMPLE}), 2023 ({EXAMPLE}); compared: none")


def test_two_reports_for_one_agency_and_year_are_a_finding_and_neither_is_compared():
    reports = [_report(EXAMPLE, "鹿鸣市生态环境局", 2022), _report(EXAMPLE, "鹿鸣市生态环境局", 2023),
               _report(OTHER, "鹿鸣市生态环境局", 2023), _report(EXAMPLE, "鹿鸣市生态环境局", 2024)]
    pairing = pair(reports)
    assert pairing.pairs == []
    found = check_series(reports, pairing)
    assert [(f.code, f.severity, f.message) for f in found[id(reports[1])]] == [
        ("series.duplicate", "warning", f"another report of 鹿鸣市生态环境局 for 2023 is {OTHER}: which is right "
                                        "cannot be told, so neither is compared with other years")]
    assert [f.code for f in found[id(reports[2])]] == ["series.duplicate"]
    assert id(reports[0]) not in found and id(reports[3]) not in found


def test_the_same_file_twice_is_one_report():
    reports = [_report(EXAMPLE, "鹿鸣市生态环境局", 2022), _report(EXAMPLE, "鹿鸣市生态环境局", 2022)]
    assert check_series(reports) == {}
    assert pair(reports).duplicates == []


def _check(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_check_explains_the_pairing_and_gives_the_year_before_in_json(tmp_path):
    result = _check("--explain", *YEARS)
    lines = result.stdout.splitlines()
    assert lines[0] == "Years side by side"
    assert lines[1] == ("  栖霞湾区人民政府办公室: " + ", ".join(f"{p.stem[-4:]} ({p})" for p in YEARS)
                        + "; compared: 2020→2021, 2021→2022, 2022→2023, 2023→2024")
    assert result.exit_code == 0
    doc = json.loads(_check("--format", "json", *YEARS).stdout)
    assert [d["previous"] for d in doc] == [None] + [str(p) for p in YEARS[:-1]]
    growth = [d["indicators"]["application_growth"] for d in doc]
    assert growth[0] == {"value": None, "reason": "no report of the year before"}
    new = [parse_file(p).cells()["requests.new.total"] for p in YEARS]
    assert [g["value"] for g in growth[1:]] == [round((b - a) / a, 4) for a, b in zip(new, new[1:])]


def test_strict_fails_a_report_with_a_cell_inferred(tmp_path):
    clean = _check("--strict", EXAMPLE)
    assert clean.exit_code == 0
    inferred = _check("--strict", OTHER)
    assert inferred.exit_code == 1
    assert ("  error   strict.inferred          line 50   1 cell was not read from the table but inferred from "
            "the identities: （一）予以公开·总计") in inferred.stdout.splitlines()
    assert _check(OTHER).exit_code == 0


def test_strict_names_the_cells_not_read(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("4.保护第三方合法权益\t5\t", "4.保护第三方合法权益\t五\t")
    broken = tmp_path / "broken.txt"
    broken.write_text(text, encoding="utf-8")
    result = _check("--strict", "--format", "json", broken)
    assert result.exit_code == 1
    strict = [f for f in json.loads(result.stdout)[0]["findings"] if f["code"].startswith("strict.")]
    assert strict == [{"code": "strict.not_read", "severity": "error",
                       "message": "1 cell was not read at all: （三）不予公开4.保护第三方合法权益·自然人",
                       "cells": ["requests.denied_third_party.natural_person"], "line": 47}]


def test_what_the_prose_says_of_the_year_before_is_checked_against_it():
    before, after = parse_file(YEARS[2]), parse_file(YEARS[3])          # 新收 147, then 144
    said = {"同比下降2%": [], "较上年减少3件": [], "同比下降2.0%": [],
            "同比增长2%": ["a change of -2.0%"], "较上年减少4件": ["a change of -3"]}
    for words, wrong in said.items():
        after.sections[0].text = f"全年新收政府信息公开申请144件，{words}。"
        found = [f for f in check_series([before, after])[id(after)] if f.code == "claims.change"]
        assert [f.message.rsplit(": ", 1)[1] for f in found] == wrong, words
    assert found[0].message == (
        f"the text says 「较上年减少4件」 of 一、本年新收政府信息公开申请数量·总计, but it went from 147 "
        f"(2022's report, {YEARS[2]}) to 144: a change of -3")
    assert found[0].cells == ["requests.new.total"]
