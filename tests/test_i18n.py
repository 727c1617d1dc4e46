"""Messages in Chinese: the catalogue holds every message of the source, whole, and the
commands speak Chinese or English as --lang, GXGRAMMAR_LANG or the locale asks."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gxgrammar import i18n, parse_file
from gxgrammar.cli import main

from conftest import ROOT, FIXTURES

babel = pytest.importorskip("babel", reason="Babel (the test extra) extracts and compiles the catalogue")
from babel.messages.extract import extract_from_dir, extract_from_file  # noqa: E402
from babel.messages.mofile import read_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PACKAGE = Path(i18n.__file__).parent
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "gxgrammar.po"
MO = PO.with_suffix(".mo")
SOURCE = ROOT / "src" / "gxgrammar"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
WITH_ERRORS = ROOT / "examples" / "with-errors" / "luming-sthj-2021.txt"


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv(i18n.LANG_VAR, "zh")


def _catalogue():
    with PO.open("rb") as f:
        return read_po(f)


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def _source_messages():
    return {m for *_, m, _c, _x in extract_from_dir(str(SOURCE), keywords={"_": None, "N_": None})}


def _click_messages():
    """The messages of the click modules whose gettext the commands point at the catalogue
    (cli/translated.py), as the installed click writes them: (singular, plural) for ngettext."""
    import importlib
    from gxgrammar.cli.translated import CLICK_MODULES
    return {m for name in CLICK_MODULES for _line, m, _c, _x in
            extract_from_file("python", importlib.import_module(name).__file__,
                              keywords={"_": None, "ngettext": (1, 2)})}


def _grammar_messages():
    """What the built-in layout grammars say in their front matter: each description and the
    words for their terminals (`// term NAME: words`), shown by `gxgrammar layouts` and in
    what a grammar expected."""
    from gxgrammar.layouts import registry
    return {text for lay in registry.layouts().values() if lay.origin == "built-in"
            for text in (lay.description, *lay.terms.values())}


def _untranslated(catalogue, messages):
    def translated(message):
        entry = catalogue.get(message)
        if entry is None or entry.id != message:     # a plural is held as one too
            return False
        return all(entry.string) if isinstance(entry.string, tuple) else bool(entry.string)
    return sorted((m for m in messages if not translated(m)), key=str)


def _singular(message_id):
    return message_id[0] if isinstance(message_id, tuple) else message_id


@pytest.mark.skipif(not SOURCE.is_dir(), reason="the source tree is not here")
def test_every_message_of_the_source_is_translated_with_its_placeholders():
    found = _source_messages()
    catalogue = _catalogue()
    assert len(found) > 250
    assert _untranslated(catalogue, found) == []
    for message in catalogue:
        if isinstance(message.id, tuple):    # one Chinese form for the singular and the plural
            named = set(_placeholders(message.id[0]) + _placeholders(message.id[1]))
            assert set(_placeholders(message.string[0])) <= named, message.id
        elif message.id:
            assert _placeholders(message.string) == _placeholders(message.id), message.id


def test_every_message_of_click_the_commands_show_is_translated():
    found = _click_messages()
    assert ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)") in found
    assert "No such option {name!r}." in found and len(found) > 50
    assert _untranslated(_catalogue(), found) == []


def test_every_layout_description_and_term_of_the_grammars_is_translated():
    found = _grammar_messages()
    assert "the text of a cell" in found and len(found) > 30
    assert _untranslated(_catalogue(), found) == []


@pytest.mark.skipif(not SOURCE.is_dir(), reason="the source tree is not here")
def test_the_catalogue_holds_no_message_the_source_lost():
    """Click's own messages (marked so in the catalogue) may be those of another click
    release that pyproject.toml allows; every other entry is a message of the source."""
    found = {_singular(m) for m in _source_messages() | _click_messages() | _grammar_messages()}
    assert sorted(m.id for m in _catalogue() if m.id and _singular(m.id) not in found
                  and "click's own message" not in m.auto_comments) == []


def test_every_click_message_in_the_catalogue_is_marked_as_click_s():
    marked = {_singular(m.id) for m in _catalogue() if "click's own message" in m.auto_comments}
    assert {_singular(m) for m in _click_messages()} <= marked


def test_the_shipped_mo_is_the_po_compiled():
    from babel.messages.mofile import write_mo
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue())
    compiled.seek(0)
    def entries(mo):      # a plural's id and strings come as lists
        return {tuple(m.id) if isinstance(m.id, list) else m.id:
                tuple(m.string) if isinstance(m.string, list) else m.string for m in read_mo(mo) if m.id}
    fresh = entries(compiled)
    with MO.open("rb") as f:
        shipped = entries(f)
    assert shipped == fresh


def test_a_broken_identity_in_chinese(zh):
    report = parse_file(WITH_ERRORS)
    finding = next(f for f in report.findings if f.code == "requests.results_total")
    assert finding.message == (
        "（六）其他处理3.其他·法律服务机构为4（第63行），但按勾稽关系应为1：（七）总计·法律服务机构 14，"
        "而21个分项合计为17（表三各列：（七）总计 = 各项办理结果之和）；（六）其他处理3.其他·总计 10，"
        "而6个分项合计为13（表三各行：总计 = 六类申请人各栏之和）")


def test_a_table_not_read_in_chinese(zh):
    report = parse_file(FIXTURES / "incomplete" / "no-table.txt")
    assert [f.message for f in report.unread_tables()] == [
        "未找到「三、收到和处理政府信息公开申请情况」部分的表格：没有「一、本年新收政府信息公开申请数量」等行及其"
        "数字；该表175个单元格未读取"]


def test_errors_in_chinese(zh, tmp_path):
    (tmp_path / "note.txt").write_text("hello\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "note.txt")])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"gxgrammar: {tmp_path / 'note.txt'}: 不是政府信息公开工作年度报告：六个部分标题"
        "（一、总体情况 … 六、其他需要报告的事项）一个也未找到")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert result.output.strip() == f"gxgrammar: {tmp_path / 'missing.txt'}: 文件不存在"


def test_the_batch_summary_in_chinese(zh, tmp_path):
    for example in sorted((ROOT / "examples" / "tsv").glob("*.txt")):
        (tmp_path / example.name).write_bytes(example.read_bytes())
    (tmp_path / "note.txt").write_text("hello\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(tmp_path), "-o", str(tmp_path / "out.json")])
    assert result.output.strip().splitlines()[-1] == "gxgrammar: 已解析2份（其中0份有错误），0份失败，跳过1份（不是报告）"


@pytest.mark.parametrize("args", [["--lang", "zh", "parse", "--help"], ["parse", "--lang", "zh", "--help"]])
def test_help_in_chinese(args, monkeypatch):
    monkeypatch.setenv(i18n.LANG_VAR, "en")
    lines = CliRunner().invoke(main, args, prog_name="gxgrammar").output.splitlines()
    assert lines[0] == "用法：gxgrammar parse [OPTIONS] REPORTS..."
    assert lines[2].startswith("  将 REPORTS（文件、文件夹，或 -")
    assert "  -h, --help" in "\n".join(lines) and "显示本帮助并退出。" in "\n".join(lines)


def test_lang_en_gives_english_and_the_codes_stay(monkeypatch):
    monkeypatch.setenv(i18n.LANG_VAR, "zh")
    english = CliRunner().invoke(main, ["--lang", "en", "check", "--format", "json", str(WITH_ERRORS)])
    monkeypatch.setenv(i18n.LANG_VAR, "zh")
    chinese = CliRunner().invoke(main, ["check", "--format", "json", str(WITH_ERRORS)])
    import json
    en, zh_ = json.loads(english.output), json.loads(chinese.output)
    assert [f["code"] for f in en[0]["findings"]] == [f["code"] for f in zh_[0]["findings"]]
    assert en[0]["findings"][0]["message"].startswith("（六）其他处理3.其他·法律服务机构 is 4 (line 63), but the identities expect 1")
    assert zh_[0]["findings"][0]["message"].startswith("（六）其他处理3.其他·法律服务机构为4（第63行），但按勾稽关系")
    monkeypatch.setenv(i18n.LANG_VAR, "zh")
    assert CliRunner().invoke(main, ["--lang", "en", "parse", "--help"], prog_name="gxgrammar").output.startswith(
        "Usage: gxgrammar parse [OPTIONS] REPORTS...\n\n  Parse REPORTS (files, folders, or - for standard input)")


@pytest.mark.parametrize("env, lang", [
    ({"GXGRAMMAR_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"GXGRAMMAR_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "zh"),
    ({"LC_ALL": "POSIX"}, "zh"),
    ({}, "zh"),
])
def test_the_language_of_the_environment(env, lang, monkeypatch):
    for var in ("GXGRAMMAR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.language() == lang


def test_the_installed_command_speaks_chinese_by_default():
    env = {"PATH": "/usr/bin:/bin", "LANG": "C"}
    result = subprocess.run([sys.executable, "-m", "gxgrammar", "check", str(WITH_ERRORS)],
                            capture_output=True, text=True, env=env)
    assert "但按勾稽关系应为1" in result.stdout


@pytest.mark.parametrize("args, lines", [
    (["parse", "--foo", "report.txt"], [
        "用法：gxgrammar parse [OPTIONS] REPORTS...",
        "运行「gxgrammar parse --help」查看帮助。",
        "",
        "错误：没有选项 '--foo'。 是否要用 '--force', '--format', '--out'？"]),
    (["parse"], [
        "用法：gxgrammar parse [OPTIONS] REPORTS...",
        "运行「gxgrammar parse --help」查看帮助。",
        "",
        "错误：缺少参数 'REPORTS...'."]),
    (["check", "--format", "xml", "report.txt"], [
        "用法：gxgrammar check [OPTIONS] REPORTS...",
        "运行「gxgrammar check --help」查看帮助。",
        "",
        "错误：'--format' 的值无效：'xml' 不在可选值 'text', 'json' 之中。"]),
    (["pars", "report.txt"], [
        "用法：gxgrammar [OPTIONS] COMMAND [ARGS]...",
        "运行「gxgrammar --help」查看帮助。",
        "",
        "错误：没有命令 'pars'。 是否要用 'parse'？"]),
    (["check", "--grammars", "README.md", "report.txt"], [
        "用法：gxgrammar check [OPTIONS] REPORTS...",
        "运行「gxgrammar check --help」查看帮助。",
        "",
        "错误：'--grammars' 的值无效：文件夹 'README.md' 是文件。"]),
    (["parse", "-j", "0", "report.txt"], [
        "用法：gxgrammar parse [OPTIONS] REPORTS...",
        "运行「gxgrammar parse --help」查看帮助。",
        "",
        "错误：'-j' / '--jobs' 的值无效：0 不在范围 x>=1 内。"]),
])
def test_usage_errors_in_chinese(zh, args, lines, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, args, prog_name="gxgrammar")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == lines


@pytest.mark.parametrize("args", [["--lang", "en", "parse", "--foo", "x"], ["parse", "--foo", "--lang", "en", "x"],
                                  ["parse", "--lang=en", "--foo", "x"]])
def test_lang_en_gives_click_errors_in_english_wherever_it_stands(zh, args):
    # click finds --foo before it handles --lang: the language is read from the arguments first.
    result = CliRunner().invoke(main, args, prog_name="gxgrammar")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Usage: gxgrammar parse [OPTIONS] REPORTS...",
        "Try 'gxgrammar parse --help' for help.",
        "",
        "Error: No such option '--foo'. (Did you mean one of: '--force', '--format', '--out'?)"]


def test_the_installed_command_gives_usage_errors_in_chinese():
    env = {"PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8"}
    result = subprocess.run([sys.executable, "-m", "gxgrammar", "parse", "--foo"], capture_output=True, text=True,
                            env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "错误：没有选项 '--foo'。 是否要用 '--force', '--format', '--out'？"


MIXED = ROOT / "examples" / "mixed" / "chenghu-jd-2021.txt"


def test_explain_in_chinese(zh):
    result = CliRunner().invoke(main, ["parse", "--explain", str(MIXED)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{MIXED}：全国统一格式2021版，各表格的读取版式：active tsv，requests cell-lines，appeals markdown"
    assert lines[1].startswith("每张表格按优先级依次用各个版式读取")
    at = lines.index("「二、主动公开政府信息情况」部分（第10–25行）")
    assert lines[at + 1:at + 4] == [
        "  版式        优先级  读出  推断  疑问  得分",
        "  tsv         20      10    0     0     10    选用：得分最高",
        "  pdf-text    90                              未尝试：tsv已读出全部单元格",
    ]
    assert "  markdown    10                              未尝试：其识别模式（detect）与任何一行都不相符" in lines
    assert "  tsv读出的单元格网格（行号：各单元格，→ 所对应的表格行）：" in lines
    assert "    13: 规章 │ 0 │ 0 │ 0  → regulations" in lines


def test_explain_with_lang_en_is_english(zh):
    lines = CliRunner().invoke(main, ["parse", "--explain", "--lang", "en", str(MIXED)]).stdout.splitlines()
    assert lines[0] == f"{MIXED}: national format 2021, tables read as active tsv, requests cell-lines, appeals markdown"
    assert "  layout      priority  read  inferred  doubts  score" in lines


def test_check_explain_in_chinese(zh):
    tsv = ROOT / "examples" / "tsv" / "luming-sthj-2021.txt"
    result = CliRunner().invoke(main, ["check", "--explain", str(tsv), str(WITH_ERRORS)])
    lines = result.stdout.splitlines()
    assert lines[:2] == ["跨年度比对", f"  鹿鸣市生态环境局：2022（{tsv}），2023（{WITH_ERRORS}）；已比对：2022→2023"]


def test_the_rules_in_chinese(zh):
    result = CliRunner().invoke(main, ["check", "--rules"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:5] == ["单份报告之内", "", "  requests.balance  错误", "    表三各列：一 + 二 = 三（七）总计 + 四",
                         "    依据：模板对表三的注释：「本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和」"]
    at = lines.index("  series.duplicate  警告")
    assert lines[at + 1:at + 3] == ["    同一机关同一年度有两份不同的报告：均不与其他年度比对",
                                    "    依据：一份报告对应一个机关的一个年度；两份不同的报告不可能都对"]


def test_every_rule_listed_has_its_words_and_basis_in_chinese(monkeypatch):
    from gxgrammar.checks import RULES
    from gxgrammar.checks.series import RULES as SERIES_RULES
    rules = [*RULES.values(), *SERIES_RULES.values()]
    english = [rule.described() for rule in rules]
    monkeypatch.setenv(i18n.LANG_VAR, "zh")
    chinese = [rule.described() for rule in rules]
    assert [r.code for r, en, zh_ in zip(rules, english, chinese) if en[0] == zh_[0] or en[1] == zh_[1]] == []


def test_the_rules_in_english():
    lines = CliRunner().invoke(main, ["check", "--rules"]).stdout.splitlines()
    at = lines.index("  series.carried_over  warning")
    assert lines[at - 2:at + 3] == [
        "Across the years of one agency", "", "  series.carried_over  warning",
        "    二、上年结转 of year N, column by column, against 四、结转下年度继续办理 of year N−1",
        "    basis: 二、上年结转 counts the applications 四、结转下年度继续办理 carried into the year (§4.3 X1)"]


def test_the_layouts_in_chinese(zh):
    lines = CliRunner().invoke(main, ["layouts"]).stdout.splitlines()
    assert "tsv         每行一行，单元格以制表符分隔；合并单元格写作空单元格。" in lines


def test_what_a_grammar_expected_in_chinese(zh):
    example = ROOT / "examples" / "pdf-text" / "longquanwan-zfb-2021.txt"
    lines = CliRunner().invoke(main, ["parse", "--explain", str(example)]).stdout.splitlines()
    assert "  flat-text在第67行第11列失败：此处应为行标签或换行" in lines


def test_help_keeps_the_placeholders_of_paths_in_english(zh):
    lines = CliRunner().invoke(main, ["check", "--help"], prog_name="gxgrammar").output.splitlines()
    assert "  -o, --output FILE     将检查结果写入此文件，而不是标准输出。" in lines
    assert "  --grammars DIRECTORY  自定义表格版式语法所在的文件夹；可重复指定。" in lines
