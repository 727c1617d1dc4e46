"""`gxgrammar parse --explain`: every layout tried on each table, why one won, and the grid it read."""
import json

from click.testing import CliRunner

from gxgrammar import parse_file
from gxgrammar.cli import main

from conftest import ROOT

MIXED = ROOT / "examples" / "mixed" / "chenghu-jd-2021.txt"
TSV = ROOT / "examples" / "tsv" / "luming-sthj-2021.txt"
PDF_LAYOUT = ROOT / "examples" / "pdf-layout" / "songling-zhen-2019.txt"


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_each_table_gets_its_own_layout_and_the_reasons():
    result = _run("parse", "--explain", MIXED)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{MIXED}: national format 2021, tables read as active tsv, requests cell-lines, appeals markdown"
    at = lines.index("section 二、主动公开政府信息情况 (lines 10–25)")
    assert lines[at + 1:at + 4] == [
        "  layout      priority  read  inferred  doubts  score",
        "  tsv         20        10    0         0       10     chosen: the highest score",
        "  pdf-text    90                                       not tried: tsv read every cell",
    ]
    assert "  markdown    10                                       not tried: its detect pattern matches no line" in lines
    assert "    13: 规章 │ 0 │ 0 │ 0  → regulations" in lines
    assert "    11: 第二十条第(一)项 │ · │ · │ ·" in lines


def test_a_layout_that_reads_every_cell_ends_the_search():
    lines = _run("parse", "--explain", PDF_LAYOUT).stdout.splitlines()
    at = lines.index("section 三、收到和处理政府信息公开申请情况 (lines 40–74)")
    assert lines[at + 2:at + 4] == [
        "  pdf-layout  85        161   0         0       161    chosen: the highest score",
        "  aligned     86                                       not tried: pdf-layout read every cell",
    ]
    # The wrapped label joined up across the page break; the page number is not a cell.
    assert "    48: (二)部分公开(区分处理的,只计这一情形,不计其他情形) │ 1 │ 0 │ 0 │ 0 │ 0 │ 0 │ 1  → partially_granted" \
        in lines


def test_a_layout_that_reads_the_table_better_wins_on_score(tmp_path):
    # A number written 二: no layout reads every cell, so every layout that applies is tried.
    text = PDF_LAYOUT.read_text(encoding="utf-8")
    edited = tmp_path / "songling.txt"
    edited.write_text(text.replace("1.信访举报投诉类申请       2", "1.信访举报投诉类申请       二"), encoding="utf-8")
    lines = _run("parse", "--explain", edited).stdout.splitlines()
    at = lines.index("section 三、收到和处理政府信息公开申请情况 (lines 40–74)")
    assert lines[at + 2:at + 4] == [
        "  pdf-layout  85        160   1         0       157    chosen: ties with aligned, lower priority",
        "  aligned     86        160   1         0       157    ties with pdf-layout, which has the lower priority",
    ]


def test_a_forced_layout_that_fails_shows_the_line_and_a_caret():
    result = _run("parse", "--layout", "flat-text", TSV)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"gxgrammar: {TSV}:21: the table of section 二、主动公开政府信息情况 is not in the flat-text layout: "
        "expected a row label, or a line break here",
        "  规章␉1␉0␉3",
        "         ^",
    ]


def test_explain_shows_where_a_grammar_failed_even_when_the_parse_stops():
    result = _run("parse", "--explain", "--layout", "flat-text", TSV)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{TSV}: the parse stopped; what was read up to there:"
    assert "  tsv         20                                       not tried: --layout flat-text was given" in lines
    at = lines.index("  flat-text failed at line 21, column 6: expected a row label, or a line break")
    assert lines[at + 1:at + 3] == ["    规章␉1␉0␉3", "           ^"]


def test_the_readings_stay_out_of_the_json():
    report = parse_file(MIXED)
    assert set(report.readings) == {"active", "requests", "appeals"}
    assert [a.layout.name for a in report.readings["requests"].attempts if a.chosen] == ["cell-lines"]
    assert "readings" not in json.dumps(report.to_dict(), ensure_ascii=False)


def test_explain_takes_folders_and_writes_to_the_out_file(tmp_path):
    out = tmp_path / "explained.txt"
    result = _run("parse", "--explain", ROOT / "examples" / "html", "--out", out)
    assert result.exit_code == 0 and result.stdout == ""
    heads = [l for l in out.read_text(encoding="utf-8").splitlines() if "national format" in l]
    assert heads == [
        f"{ROOT / 'examples' / 'html' / f'{name}.html'}: national format {template}, tables read as "
        "active html, requests html, appeals html"
        for name, template in [("baishi-zrzy-2021", 2021), ("heping-jd-2019", 2019), ("liuxi-sfj-2019", 2019),
                               ("nanhu-wjw-2021", 2021), ("qingzhu-scjg-2021", 2021),
                               ("shiqiao-zhen-2021", 2021), ("yunxiu-jyj-2019", 2019)]]


def test_a_grid_with_cells_the_reader_could_not_place_says_what_their_mark_means():
    from conftest import FIXTURES
    result = _run("parse", "--explain", FIXTURES / "repro" / "fuzz-columns-random-characters.txt")
    legend = ("    ⁇: a cell whose number the reader could not place (the order of the text allows more than one "
              "reading)\n")
    grids = [part.split("\n\n")[0] + "\n" for part in result.output.split("the grid columns read")[1:]]
    assert any("│ ⁇" in grid for grid in grids)
    assert all(("│ ⁇" in grid) == grid.endswith(legend) for grid in grids)
    assert "⁇: a cell" not in _run("parse", "--explain", TSV).output
