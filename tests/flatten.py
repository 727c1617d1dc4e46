"""Crawler text made from an example report at test time.

A crawler that keeps a page's text alone loses every line break and every cell boundary:
the whole report on one line, or one line a section, with the site's furniture (its
header block, breadcrumb, print links, footer) around it. `flatten` makes that text from
an example's own lines (as its reader reads them: a web page's, a PDF's, a Word
document's text), so that each example has its crawler variants without copies of them
in the repository.
"""
from __future__ import annotations

import re
from pathlib import Path

from gxgrammar.readers import read_document

# What marks a cell or a table's lines in the readers' text: pipes, tabs, the readers' row
# and cell marks (␞ ␟), box-drawing characters, a Markdown table's rule line; and every
# run of spaces (a cell boundary in aligned text). Markdown's marks are no text a page shows.
_RULE_LINE = re.compile(r"^[\s|:+\-─-╿]*$")
_BOUNDARIES = re.compile(r"[|\t␞␟─-╿\s]+")
_MARKDOWN = re.compile(r"^\s*(?:#{1,6}|[-*+])\s+|\*\*|__")

VARIANTS = ("one-line", "sections")


def example_lines(path):
    path = Path(path)
    return read_document(path.read_bytes(), str(path), None, None).lines


def _text(line):
    if _RULE_LINE.match(line):
        return ""
    return _BOUNDARIES.sub("", _MARKDOWN.sub("", line))


def flatten(lines, variant, title=None, headings=()):
    """The crawler text of a report's lines: `one-line` (the report on one line) or
    `sections` (a line at each of the `headings`, the report's section headings as written)."""
    starts = {_text(h) for h in headings}
    pieces = []
    for line in lines:
        text = _text(line)
        if not text:
            continue
        if variant == "sections" and text in starts and pieces:
            pieces.append("\n")
        pieces.append(text)
    body = "".join(pieces)
    header = (f"标题: {title}\n" if title else "") + "发布时间: 2025-01-20 09:30:00\n来源: 某某市人民政府门户网站\n==== 正文 ====\n"
    return (header + "当前位置：首页 > 政务公开 > 政府信息公开年报 > 正文 【字体：大 中 小】 " + body +
            " 【打印本页】 【关闭窗口】\n主办：某某市人民政府办公室 版权所有 网站标识码：0000000000\n")


def crawler_text(path, variant, report):
    """The crawler variant of an example, given the example's own parse (for its title and
    the headings it writes)."""
    headings = [s.heading for s in report.sections if s.heading]
    return flatten(example_lines(path), variant, report.meta.get("title"), headings)


def cell_outcomes(report, expected):
    """{"right": n, "flagged": [keys null with a finding naming them], "silent": [(key,
    expected, got) of cells wrong without a finding, or wrong at all]}."""
    cells = report.cells()
    named = {k for f in report.findings for k in f.cells}
    right, flagged, silent = 0, [], []
    for key, want in expected["cells"].items():
        got = cells.get(key)
        if got == want and type(got) is type(want):
            right += 1
        elif got is None and key in named:
            flagged.append(key)
        else:
            silent.append((key, want, got))
    return {"right": right, "flagged": flagged, "silent": silent}


if __name__ == "__main__":       # the coverage of every example's crawler variants
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import ALL_EXAMPLES, expected_for
    from gxgrammar import parse_file, parse_text
    for example in ALL_EXAMPLES:
        original = parse_file(example)
        expected = expected_for(example)
        for variant in VARIANTS:
            got = cell_outcomes(parse_text(crawler_text(example, variant, original)), expected)
            print(f"{example.parent.name}/{example.stem} {variant}: {got['right']}/{len(expected['cells'])} read, "
                  f"{len(got['flagged'])} null with a finding, {len(got['silent'])} silently wrong")
