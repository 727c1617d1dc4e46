"""Unix habits: `-` for standard input, folders and many files for every command, one
spelling of the output option, folder scans that read only reports, help that teaches."""
import json

import pytest
from click.testing import CliRunner

from gxgrammar import parse_file
from gxgrammar.cli import main

from conftest import ALL_EXAMPLES, EXAMPLES, FIXTURES, ROOT, differences, expected_for

TSV = next(p for p in EXAMPLES if p.stem == "luming-sthj-2021")
PAGE = next(p for p in EXAMPLES if p.suffix == ".html")


def _run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


# --- standard input ---------------------------------------------------------------------

@pytest.mark.parametrize("example", [TSV, PAGE], ids=["text", "saved page"])
def test_parse_reads_standard_input_through_the_reader_registry(example):
    result = _run("parse", "-", input=example.read_bytes())
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    from_file = parse_file(example).to_dict()
    assert doc["source"]["path"] == "<stdin>"
    assert doc["tables"] == from_file["tables"] and doc["meta"] == from_file["meta"]
    assert doc["source"]["layout"] == from_file["source"]["layout"]


def test_the_encoding_option_applies_to_standard_input():
    data = TSV.read_text(encoding="utf-8").encode("gb18030")
    result = _run("parse", "-", "--encoding", "gb18030", input=data)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"]["encoding"] == "gb18030"
    wrong = _run("parse", "-", "--encoding", "utf-8", input=data)
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("gxgrammar: <stdin>: not valid utf-8 text (byte ")


def test_a_bad_report_on_standard_input_is_named_stdin():
    result = _run("parse", "-", input=(FIXTURES / "incomplete" / "truncated.txt").read_bytes())
    assert result.exit_code == 1
    assert result.stderr.startswith("gxgrammar: <stdin>:60: section 四、")
    broken = _run("parse", "-", input=(FIXTURES / "bad" / "not-a-report.txt").read_bytes())
    assert broken.exit_code == 1
    assert broken.stderr.startswith("gxgrammar: <stdin>: not a 政府信息公开工作年度报告")


def test_check_and_render_read_standard_input():
    check = _run("check", "-", input=TSV.read_bytes())
    assert check.exit_code == 0
    assert check.stdout.startswith("<stdin>  鹿鸣市生态环境局")
    render = _run("render", "-", input=TSV.read_bytes())
    assert render.exit_code == 0
    assert render.stdout == _run("render", TSV).stdout


def test_explain_reads_standard_input():
    result = _run("parse", "--explain", "-", input=TSV.read_bytes())
    assert result.exit_code == 0
    assert result.stdout.startswith("<stdin>: national format 2021, tables read as active tsv, requests tsv")


def test_standard_input_goes_into_the_store_as_stdin(tmp_path):
    store = tmp_path / "s.sqlite"
    assert _run("parse", "-", "-o", store, input=TSV.read_bytes()).exit_code == 0
    import sqlite3
    assert sqlite3.connect(store).execute("SELECT path, agency FROM reports").fetchall() == [("<stdin>", "鹿鸣市生态环境局")]


# --- folders and many files -----------------------------------------------------------

def test_a_folder_scan_skips_text_that_is_not_a_report(tmp_path):
    result = _run("parse", ROOT / "examples", "-o", tmp_path / "r.jsonl")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"gxgrammar: {len(ALL_EXAMPLES) + 1} parsed (1 with errors), 0 failed, 1 skipped (not a report)"]
    # named on the command line, it is read, and fails with its reason
    named = _run("parse", ROOT / "examples" / "README.md")
    assert named.exit_code == 1
    assert "not a 政府信息公开工作年度报告" in named.stderr


def test_a_folder_scan_still_fails_a_broken_report(tmp_path):
    (tmp_path / "broken.txt").write_bytes((FIXTURES / "bad" / "undecodable.txt").read_bytes())
    (tmp_path / "notes.md").write_text("# Notes\n\nTo do: ask for the 2023 report.\n", encoding="utf-8")
    result = _run("parse", tmp_path, "-o", tmp_path / "r.jsonl")
    assert result.exit_code == 2          # not decodable: a file that cannot be read
    assert result.stderr.splitlines()[-1] == "gxgrammar: 0 parsed (0 with errors), 1 failed, 1 skipped (not a report)"


def test_the_summary_counts_failures_by_their_kind(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = _run("parse", FIXTURES / "bad" / "not-a-report.txt", tmp_path / "empty.txt", EXAMPLES[0], "-o",
                  tmp_path / "r.jsonl")
    assert result.stderr.splitlines()[-1] == \
        "gxgrammar: 1 parsed (0 with errors), 2 failed (1 ReportError, 1 InputError)"


def test_check_takes_folders_and_many_files():
    folder = ROOT / "examples" / "tsv"
    result = _run("check", folder, ROOT / "examples" / "with-errors", "--format", "json")
    assert result.exit_code == 1           # the with-errors report has errors
    docs = json.loads(result.stdout)
    assert sorted(d["path"] for d in docs) == sorted(
        [str(p) for p in sorted(folder.glob("*.txt"))] + [str(ROOT / "examples" / "with-errors" / "luming-sthj-2021.txt")])
    examples = _run("check", ROOT / "examples", "-q")       # README.md is not a report: not read
    assert "README" not in examples.output


def test_render_a_folder_writes_one_file_a_report_named_after_it(tmp_path):
    out = tmp_path / "canonical"
    result = _run("render", ROOT / "examples" / "tsv", ROOT / "examples" / "html", "--template", "canonical",
                  "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert written == sorted(f"{p.stem}.md" for p in [*(ROOT / "examples" / "tsv").glob("*.txt"),
                                                       *(ROOT / "examples" / "html").glob("*.html")])
    assert (out / "luming-sthj-2021.md").read_text(encoding="utf-8") == _run("render", TSV).stdout
    html = _run("render", ROOT / "examples" / "tsv", "-t", "html", "-o", f"{tmp_path / 'pages'}/")
    assert html.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["luming-sthj-2021.html", "tongling-scjg-2019.html"]


def test_render_of_several_reports_needs_a_folder():
    result = _run("render", *EXAMPLES[:2])
    assert result.exit_code == 2
    assert "several reports are rendered into a folder: name it with -o FOLDER/" in result.stderr


def test_a_rendered_canonical_report_parses_to_the_same_tables(tmp_path):
    assert _run("render", ROOT / "examples" / "pdf-text", "-o", f"{tmp_path}/").exit_code == 0
    for rendered in tmp_path.glob("*.md"):
        original = ROOT / "examples" / "pdf-text" / rendered.with_suffix(".txt").name
        expected = {k: v for k, v in expected_for(original).items() if k not in ("layout", "table_layouts")}
        assert differences(parse_file(rendered), expected) == []


# --- one spelling of the output option --------------------------------------------------

@pytest.mark.parametrize("spelling", ["-o", "--output", "--out"])
def test_the_output_option_has_one_spelling_and_the_old_one_still_works(tmp_path, spelling):
    for command, extra in (("parse", []), ("check", ["--format", "json"]), ("render", [])):
        target = tmp_path / f"{command}{spelling}.json"
        result = _run(command, TSV, *extra, spelling, target)
        assert result.exit_code == 0, (command, result.output)
        assert target.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["parse", "check", "render", "layouts", "templates", "schema"])
def test_every_commands_help_teaches_with_examples(command):
    result = _run(command, "--help")
    assert result.exit_code == 0
    assert f"gxgrammar {command}" in result.stdout            # an example command line
    assert "--out " not in result.stdout                       # the old spelling is hidden
    if command in ("parse", "check", "render"):
        assert "-o, --output" in result.stdout
        assert " - " in result.stdout or "- |" in result.stdout  # standard input


def test_the_main_help_points_to_the_model():
    result = _run("--help")
    assert "docs/model.md" in result.stdout
    assert "gxgrammar parse reports/ -o corpus.sqlite" in result.stdout
