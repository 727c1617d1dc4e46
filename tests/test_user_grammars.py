"""Layouts from a user's own folder, and the guide that teaches how to write one."""
from click.testing import CliRunner

from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.layouts.registry import package_grammars

from conftest import ROOT, differences, expected_for

TSV = package_grammars() / "layouts" / "tsv.lark"
EXAMPLE = ROOT / "examples" / "tsv" / "luming-sthj-2021.txt"


def test_a_users_folder_adds_a_layout(tmp_path):
    text = TSV.read_text(encoding="utf-8").replace("// layout: tsv", "// layout: my-tsv")
    (tmp_path / "my-tsv.lark").write_text(text.replace("// priority: 20", "// priority: 1"), encoding="utf-8")
    report = parse_file(EXAMPLE, grammar_dirs=[tmp_path])
    assert report.source["table_layouts"] == {"active": "my-tsv", "requests": "my-tsv", "appeals": "my-tsv"}
    expected = dict(expected_for(EXAMPLE), layout="my-tsv")
    assert differences(report, expected) == []


def test_the_environment_variable_names_the_folder_too(tmp_path, monkeypatch):
    (tmp_path / "tsv.lark").write_text(TSV.read_text(encoding="utf-8").replace(
        "One row a line", "My own tab-separated rows"), encoding="utf-8")
    monkeypatch.setenv("GXGRAMMAR_GRAMMARS", str(tmp_path))
    result = CliRunner().invoke(main, ["layouts"])
    assert "tsv         My own tab-separated rows" in result.stdout
    assert str(tmp_path / "tsv.lark") in result.stdout


def test_a_broken_user_grammar_is_named(tmp_path):
    (tmp_path / "broken.lark").write_text("// layout: broken\nstart: row\nrow: UNDEFINED\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", "--layout", "broken", "--grammars", str(tmp_path), str(EXAMPLE)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"gxgrammar: {EXAMPLE}: grammar {tmp_path / 'broken.lark'} does not load: ")
    assert "Traceback" not in result.output


def test_the_guides_worked_example_is_the_real_grammar():
    guide = (ROOT / "docs" / "layouts.md").read_text(encoding="utf-8")
    listing = guide.split("```lark\n", 1)[1].split("```", 1)[0].strip()
    grammar = "\n".join(l for l in TSV.read_text(encoding="utf-8").splitlines() if not l.startswith("//"))
    assert listing == grammar.strip()


USER_GRAMMARS = ROOT / "tests" / "fixtures" / "user-grammars"
CSV_REPORT = USER_GRAMMARS / "hetang-xiang-2021.txt"


def test_a_new_layout_from_a_users_folder_reads_a_report_no_built_in_layout_can():
    refused = CliRunner().invoke(main, ["parse", str(CSV_REPORT)])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"gxgrammar: {CSV_REPORT}:7: section 二、主动公开政府信息情况 has no table that can be read: "
        "expected rows such as 「规章」 with their numbers; its 10 cells are not read",
        f"gxgrammar: {CSV_REPORT}:24: section 三、收到和处理政府信息公开申请情况 has no table that can be read: "
        "expected rows such as 「一、本年新收政府信息公开申请数量」 with their numbers; its 175 cells are not read",
        f"gxgrammar: {CSV_REPORT}:55: section 四、政府信息公开行政复议、行政诉讼情况 has no table that can be read: "
        "expected rows such as 「行政复议」 with their numbers; its 15 cells are not read"]
    report = parse_file(CSV_REPORT, grammar_dirs=[USER_GRAMMARS])
    assert report.source["table_layouts"] == {"active": "csv", "requests": "csv", "appeals": "csv"}
    assert differences(report, expected_for(CSV_REPORT)) == []
    assert report.findings == []


def test_the_new_layout_is_listed_and_explained_through_the_environment_variable(monkeypatch):
    monkeypatch.setenv("GXGRAMMAR_GRAMMARS", str(USER_GRAMMARS))
    listed = CliRunner().invoke(main, ["layouts"]).stdout.splitlines()
    assert "csv         Tables saved from a spreadsheet as CSV: cells separated by commas, a cell holding a comma " \
           "in double quotes." in listed
    explained = CliRunner().invoke(main, ["parse", "--explain", str(CSV_REPORT)]).stdout.splitlines()
    assert "  csv         25        175   0         0       175    chosen: the highest score" in explained


def test_the_guides_csv_walkthrough_is_the_real_grammar_and_output():
    guide = (ROOT / "docs" / "layouts.md").read_text(encoding="utf-8")
    listings = [block.split("```", 1)[0] for block in guide.split("```lark\n")[1:]]
    grammar = (USER_GRAMMARS / "csv.lark").read_text(encoding="utf-8")
    assert grammar in listings
    # Every line the guide shows of `--explain` is a line the command prints.
    shown = guide.split("<!-- explain csv -->\n```\n", 1)[1].split("```", 1)[0].splitlines()
    explained = parse_file(CSV_REPORT, grammar_dirs=[USER_GRAMMARS])
    from gxgrammar.cli.explain import explain_table
    printed = explain_table(explained.readings["requests"])
    shown = [line for line in shown if line.strip() and line.strip() != "…"]
    assert shown == [line for line in printed if line in shown]


ARABIC = ROOT / "tests" / "fixtures" / "user-grammars" / "arabic-headings"
ARABIC_REPORT = ARABIC / "luming-sthj-2021.txt"


def test_a_users_document_grammar_overrides_the_built_in_one():
    """Sections numbered 1． 2． …: the built-in document grammar finds no section (the tables
    are still read, by their labels); a report.lark in the user's folder reads them all."""
    plain = parse_file(ARABIC_REPORT)
    assert [f.code for f in plain.findings] == ["structure.sections_not_found"]
    assert differences(plain, dict(expected_for(ARABIC_REPORT), sections=["总体情况", "主动公开政府信息情况",
                       "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
                       "存在的主要问题及改进情况", "其他需要报告的事项"])) == []
    assert all(s.text == "" for s in plain.sections)
    own = parse_file(ARABIC_REPORT, grammar_dirs=[ARABIC])
    assert own.findings == []
    assert differences(own, expected_for(ARABIC_REPORT)) == []
    assert [(s.report_number, s.heading) for s in own.sections] == [
        (1, "1．总体情况"), (2, "2．主动公开政府信息情况"), (3, "3．收到和处理政府信息公开申请情况"),
        (4, "4．政府信息公开行政复议、行政诉讼情况"), (5, "5．存在的主要问题及改进情况"), (6, "6．其他事项")]


def test_a_document_grammar_is_not_listed_as_a_layout():
    result = CliRunner().invoke(main, ["layouts", "--grammars", str(ARABIC)])
    assert "report" not in [line.split()[0] for line in result.stdout.splitlines() if line and line[0] != " "]
