"""gxgrammar render and gxgrammar templates: the built-in templates, a user's own, the model they get."""
import re

import pytest
from click.testing import CliRunner

from gxgrammar import national as nf
from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.model import Finding
from gxgrammar.writers.render import render
from gxgrammar.writers.views import tables_view

from conftest import EXAMPLES, FIXTURES, ids

BAILUWAN = next(p for p in EXAMPLES if p.stem == "bailuwan-zrzy-2021")
JINSHAXI = next(p for p in EXAMPLES if p.stem == "jinshaxi-jtys-2019")
CANONICAL_EXAMPLES = [p for p in EXAMPLES if p.parent.name == "canonical"]
USER_TEMPLATES = FIXTURES / "templates"


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_templates_lists_the_built_in_ones_with_what_they_render():
    result = _run("templates")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert names == ["canonical", "diff", "diff-html", "html"]
    assert "The canonical report (Markdown)" in result.stdout
    assert "canonical.md.j2" in result.stdout


@pytest.mark.parametrize("path", CANONICAL_EXAMPLES, ids=ids(CANONICAL_EXAMPLES))
def test_the_canonical_examples_are_the_renderings_of_their_originals(path):
    original = next(p for p in EXAMPLES if p.name == path.name and p != path)
    assert render(parse_file(original), "canonical") == path.read_text(encoding="utf-8")


def _markdown_rows(text):
    return [[c.strip() for c in re.split(r"\|+", line.strip())[1:-1]]
            for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]


@pytest.mark.parametrize("path", [BAILUWAN, JINSHAXI], ids=["2021", "2019"])
def test_every_row_label_is_worded_as_the_format_words_it(path):
    report = parse_file(path)
    template = report.meta["template"]
    cells = {c for row in _markdown_rows(render(report, "canonical")) for c in row}
    for table in ("active", "requests"):
        for row in nf.rows_for(table, template):
            assert nf.row_label(table, row, template) in cells, row.key
            assert not row.group or row.group in cells
    assert (template == "2019") == ("规范性文件" in cells and "行政规范性文件" not in cells)
    assert "3.危及“三安全一稳定”" in cells


def test_blank_cells_are_left_blank():
    report = parse_file(next(p for p in EXAMPLES if p.stem == "tongling-scjg-2019" and p.parent.name == "tsv"))
    assert report.cells()["active.procurement.projects"] is None
    assert "| 政府集中采购 |  |  ||" in render(report, "canonical").splitlines()


@pytest.mark.parametrize("path", [BAILUWAN, JINSHAXI], ids=["2021", "2019"])
def test_every_table_is_a_rectangle_of_merged_cells(path):
    """Each row fills the table's width once the cells merged from above are counted."""
    for table in tables_view(parse_file(path)).values():
        below = [0] * table.columns      # rows still covered by a rowspan, per column
        for row in table.rows:
            col = 0
            for cell in row.cells:
                if cell.kind == "merged":
                    assert all(below[c] > 0 for c in range(col, col + cell.colspan)), (table.name, row)
                else:
                    assert all(below[c] == 0 for c in range(col, col + cell.colspan)), (table.name, row)
                    for c in range(col, col + cell.colspan):
                        below[c] = cell.rowspan
                col += cell.colspan
            assert col == table.columns, (table.name, [c.text for c in row.cells])
            below = [max(0, n - 1) for n in below]
        assert below == [0] * table.columns


def test_html_shows_each_finding_at_its_cell():
    report = parse_file(BAILUWAN)
    report.findings.append(Finding("identity.example", "error", "新收 + 结转 ≠ 总计 <check>",
                                   ["requests.new.total", "requests.results_total.total"], 42))
    page = render(report, "html")
    inferred = re.search(r'<td class="value finding-info" data-key="requests.granted.total" title="\[1\] ([^"]+)">25'
                         r'<sup class="note"><a href="#finding-1">\[1\]</a></sup></td>', page)
    assert inferred and "inferred 总计 25" in inferred.group(1)
    for key in ("requests.new.total", "requests.results_total.total"):
        assert re.search(rf'<td class="value finding-error" data-key="{key}" title="\[2\] 新收 \+ 结转 ≠ 总计 '
                         rf'&lt;check&gt;">\d+<sup class="note"><a href="#finding-2">\[2\]</a></sup></td>', page)
    assert '<li id="finding-2"><span class="severity error">error</span> <code>identity.example</code>' in page
    assert "一、本年新收政府信息公开申请数量·总计；（七）总计·总计 (line 42)" in page


def test_html_tables_carry_the_formats_merged_cells():
    page = render(parse_file(BAILUWAN), "html")
    assert '<th class="label group" scope="row" rowspan="22">三、本年度办理结果</th>' in page
    assert '<th class="label group" scope="row" rowspan="8">（三）不予公开</th>' in page
    assert '<th class="label" scope="row" colspan="3">一、本年新收政府信息公开申请数量</th>' in page
    assert '<th colspan="10">行政诉讼</th>' in page


def test_render_writes_to_a_file(tmp_path):
    out = tmp_path / "report.md"
    result = _run("render", BAILUWAN, "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == render(parse_file(BAILUWAN), "canonical")


def test_diff_is_a_unified_diff_from_the_original():
    result = _run("render", BAILUWAN, "--template", "diff")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"--- {BAILUWAN}", f"+++ {BAILUWAN} (canonical)"]
    assert "-四、政府信息公开行政复议及行政诉讼情况" in lines
    assert "+## 四、政府信息公开行政复议、行政诉讼情况" in lines


def test_diff_html_puts_the_two_side_by_side_with_changes_marked():
    page = _run("render", BAILUWAN, "-t", "diff-html").stdout
    assert page.startswith("<!DOCTYPE html>")
    assert '<tr class="replace"><td class="left">' in page
    assert "<mark>及</mark>" in page and "<mark>、</mark>" in page


def test_a_users_own_template_by_path_can_use_the_built_in_macros():
    result = _run("render", BAILUWAN, "--template", USER_TEMPLATES / "summary.txt.j2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:5] == ["白鹭湾区自然资源局 2024 2021", "active: 14 rows, 4 columns",
                         "requests: 28 rows, 10 columns", "appeals: 4 rows, 15 columns",
                         "一、本年新收政府信息公开申请数量 = 111"]
    assert lines[5] == "1 findings"
    assert "| 2 | 1 | 0 | 1 | 4 | 1 | 0 | 0 | 1 | 2 | 0 | 0 | 1 | 0 | 1 |" in lines


def test_an_unknown_template_names_the_built_in_ones():
    result = _run("render", BAILUWAN, "--template", "pdf")
    assert result.exit_code == 2
    assert result.stderr == ("gxgrammar: no template named 'pdf' and no such file "
                             "(built-in: canonical, diff, diff-html, html)\n")


def test_a_broken_template_is_named_with_its_line():
    result = _run("render", BAILUWAN, "--template", USER_TEMPLATES / "broken.txt.j2")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"gxgrammar: template {USER_TEMPLATES / 'broken.txt.j2'}:3: ")
    assert "Traceback" not in result.output


def test_a_template_using_what_the_model_lacks_is_refused():
    result = _run("render", BAILUWAN, "--template", USER_TEMPLATES / "undefined.txt.j2")
    assert result.exit_code == 2
    assert result.stderr == "gxgrammar: template undefined.txt.j2 does not render: 'no_such_thing' is undefined\n"


def test_a_report_that_cannot_be_read_is_named_as_parse_names_it():
    bad = FIXTURES / "incomplete" / "truncated.txt"
    assert _run("render", bad).stderr == _run("parse", bad).stderr
    assert _run("render", bad).exit_code == 1


def test_findings_about_more_than_cells_are_listed_with_the_cells_they_name():
    report = parse_file(BAILUWAN)
    report.findings.append(Finding("crossyear.carried_over", "warning", "上年结转 differs from last year",
                                   ["requests.carried_over.total", "meta.year", "requests"], None))
    page = render(report, "html")
    assert '<td class="value finding-warning" data-key="requests.carried_over.total"' in page
    assert "上年结转 differs from last year — 二、上年结转政府信息公开申请数量·总计</li>" in page


def test_from_python_the_original_is_read_from_the_source_path():
    assert render(parse_file(BAILUWAN), "diff").splitlines()[0] == f"--- {BAILUWAN}"


def test_without_the_original_a_diff_template_says_what_it_lacks():
    from gxgrammar import parse_text
    from gxgrammar.writers.render import TemplateError
    report = parse_text(BAILUWAN.read_text(encoding="utf-8"))
    with pytest.raises(TemplateError) as raised:
        render(report, "diff")
    assert raised.value.message == "template diff.diff.j2 does not render: 'diff' is undefined"
