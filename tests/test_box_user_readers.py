"""A table reader of the user's own, in the folder of their grammars (docs/layouts.md)."""
from click.testing import CliRunner

from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.readers import table_readers

from conftest import ROOT, differences, expected_for

USER_GRAMMARS = ROOT / "tests" / "fixtures" / "user-grammars" / "wrapped-pipes"
REPORT = USER_GRAMMARS / "luming-sthj-2021-wrapped.txt"


def test_a_users_table_reader_reads_the_wrapped_tables_as_the_built_in_layouts_do():
    built_in = parse_file(REPORT)
    # the built-in layouts read each wrapped row as two grid rows, joined again cell by cell
    # (a row cut in two, as a page break cuts it): every cell right, as the user's reader has it
    missed = [m for m in differences(built_in, expected_for(REPORT)) if not m.startswith("layout:")]
    assert missed == []
    report = parse_file(REPORT, grammar_dirs=[USER_GRAMMARS])
    # each table keeps its best reading: table 二 has no wrapped cell, and its captions are
    # rows without numbers, which the small reader would join to the row above
    assert report.source["table_layouts"] == {"active": "markdown", "requests": "wrapped-pipes",
                                              "appeals": "wrapped-pipes"}
    assert differences(report, expected_for(REPORT)) == []
    assert report.findings == []


def test_the_users_reader_is_registered_from_its_file():
    parse_file(REPORT, grammar_dirs=[USER_GRAMMARS])
    reader = table_readers()["wrapped-pipes"]
    assert reader.description == "Pipe tables whose long cells go on over rows without numbers"
    assert reader.origin != "built-in"


def test_the_layout_and_its_reader_are_listed():
    listed = CliRunner().invoke(main, ["layouts", "--grammars", str(USER_GRAMMARS)]).stdout
    assert "wrapped-pipes  Pipe tables whose long cells are wrapped over rows without numbers" in listed


def test_a_broken_user_reader_is_named(tmp_path):
    (tmp_path / "broken.py").write_text("import not_a_module_anywhere\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", "--grammars", str(tmp_path), str(REPORT)])
    # A user's folder that does not load is named once, before any report is read.
    assert result.exit_code == 2
    assert result.stderr == (f"gxgrammar: table reader {tmp_path / 'broken.py'} does not load: "
                             "ModuleNotFoundError: No module named 'not_a_module_anywhere'\n")


def test_the_guide_shows_the_real_grammar_of_the_users_layout():
    guide = (ROOT / "docs" / "layouts.md").read_text(encoding="utf-8")
    listings = [block.split("```", 1)[0] for block in guide.split("```lark\n")[1:]]
    assert (USER_GRAMMARS / "wrapped-pipes.lark").read_text(encoding="utf-8") in listings
