"""The HTML page in a real browser: headless Chromium lays the tables out with the rows,
cells and columns the national format has.

A small script, added to a copy of the page here (the page itself carries none),
writes what the browser laid out into a <pre>: per table, the columns it made
(the distinct left edges of the cells), and for each row its cells, each with the
column it was placed in (from where its left edge is), its colspan and rowspan.
`--dump-dom` then shows it. A wrong rowspan shifts the cells of the rows below,
and that shows in their columns.
"""
import html
import json
import re
import shutil
import subprocess

import pytest

from gxgrammar import parse_file
from gxgrammar.writers.render import render
from gxgrammar.writers.views import tables_view

from conftest import CORPUS, EXAMPLES, ids

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium): "
                             "the HTML page is not checked in a browser")

PAGES = [p for p in EXAMPLES if p.parent.name == "markdown"] + CORPUS[:1]

_MEASURE = """<script>
(function () {
  var out = {};
  document.querySelectorAll("table").forEach(function (table) {
    var lefts = [];
    for (var i = 0; i < table.rows.length; i++)
      for (var j = 0; j < table.rows[i].cells.length; j++)
        lefts.push(Math.round(table.rows[i].cells[j].getBoundingClientRect().left));
    var columns = Array.from(new Set(lefts)).sort(function (a, b) { return a - b; });
    var rows = [];
    for (var i = 0; i < table.rows.length; i++) {
      var cells = [];
      for (var j = 0; j < table.rows[i].cells.length; j++) {
        var cell = table.rows[i].cells[j];
        var left = Math.round(cell.getBoundingClientRect().left);
        cells.push([columns.indexOf(left), cell.colSpan, cell.rowSpan]);
      }
      rows.push(cells);
    }
    out[table.id] = {rows: rows, columns: columns.length};
  });
  var pre = document.createElement("pre");
  pre.id = "laid-out";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
</body>"""


def expected_layout(table):
    """[column where it starts, colspan, rowspan] of each cell the page has, row by row."""
    rows = []
    for row in table.rows:
        cells, column = [], 0
        for cell in row.cells:
            if cell.kind != "merged":
                cells.append([column, cell.colspan, cell.rowspan])
            column += cell.colspan
        rows.append(cells)
    return rows


def laid_out(page, tmp_path):
    """What Chromium laid out for each table of an HTML page."""
    target = tmp_path / "page.html"
    target.write_text(page.replace("</body>", _MEASURE), encoding="utf-8")
    profile = tmp_path / "profile"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--window-size=1400,2000", "--dump-dom", target.as_uri()],
        capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="laid-out">(.*?)</pre>', result.stdout, re.S)
    assert m, f"chromium showed no measurements (exit {result.returncode}): {result.stderr[-500:]}"
    return json.loads(html.unescape(m.group(1)))


@pytest.mark.parametrize("path", PAGES, ids=ids(PAGES))
def test_the_tables_render_with_the_formats_rows_cells_and_columns(path, tmp_path):
    report = parse_file(path)
    measured = laid_out(render(report, "html"), tmp_path)
    expected = tables_view(report)
    assert set(measured) == {f"table-{name}" for name in expected}
    for name, table in expected.items():
        got = measured[f"table-{name}"]
        assert got["rows"] == expected_layout(table), name
        assert got["columns"] == table.columns, name
    requests = measured["table-requests"]["rows"]
    want = {"2021": 28, "2019": 26}[report.meta["template"]]
    assert len(requests) == want and [len(r) for r in requests[3:5]] == [8, 8]
    assert measured["table-appeals"]["columns"] == 15 and len(measured["table-appeals"]["rows"][3]) == 15
