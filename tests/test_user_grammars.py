"""Layouts from a user's own folder, and the guide that teaches how to write one."""
from click.testing import CliRunner

from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.registry import package_grammars

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
