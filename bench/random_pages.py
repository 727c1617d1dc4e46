#!/usr/bin/env python3
"""Every converter over report pages no one wrote by hand: how many cells each reads.

    python bench/random_pages.py [-n 24] [--seed 1] [--keep DIR]

Makes N web pages of fictional agencies whose numbers are drawn at random and keep every
identity, in both formats and in the shapes sites give them:

  plain     the report in the page's body;
  framed    the report in one cell of a layout table, a menu cell beside it;
  grouped   table 三's group labels (三、本年度办理结果, （三）不予公开 …) in a column of
            their own, merged over their rows;
  word      labels and headers broken with <br>, table 二 one table a block.

Then it runs every converter of the conversion matrix (tests/conversions/converters.py:
pandoc, w3m, lynx, html2text, Chromium's PDF read by pdftotext three ways) over them,
parses what they write and prints, for each converter, the cells read right, flagged by
a finding, and wrong without one (which must be none), and the pages below 99%. A
measurement, not a test: it asserts nothing. A converter not installed is skipped, said.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conversions.converters import CONVERTERS, BrokenTool, PdfPrinter, prepare  # noqa: E402
from conversions.matrix import score  # noqa: E402

from gxgrammar import national as nf  # noqa: E402

AGENCIES = [("青溪县民政局", "青溪县"), ("澄湖区农业农村局", "澄湖区"), ("临川镇人民政府", "临川县"),
            ("岱山县应急管理局", "岱山县"), ("松岭街道办事处", "松岭区"), ("白沙县交通运输局", "白沙县")]
SHAPES = ("plain", "framed", "grouped", "word", "framed-grouped", "framed-word")
APPEAL_GROUPS = ("review", "suit_direct", "suit_after_review")


def _counts(rng, n, zero=0.5):
    return [0 if rng.random() < zero else rng.randint(1, 30) for _ in range(n)]


def values(rng, template):
    """{cell key: value} of a report whose numbers keep every identity of its format."""
    cells = {}
    for row in nf.rows_for("active", template):
        for col in nf.columns_for("active", row, template):
            if col.key == "change":
                v = rng.randint(-5, 5)
            elif col.key == "amount":
                v = round(rng.uniform(0, 90), 2) if rng.random() < .8 else None
            else:
                v = rng.randint(0, 400) if rng.random() < .7 else 0
            cells[f"active.{row.key}.{col.key}"] = v
    results = {k: _counts(rng, 6, .6) for k in nf.RESULT_ROWS[template]}
    total = [sum(results[k][c] for k in results) for c in range(6)]
    forward = _counts(rng, 6, .7)
    over = [rng.randint(0, t + f) // 3 for t, f in zip(total, forward)]
    rows = dict(results, results_total=total, carried_forward=forward, carried_over=over,
                new=[t + f - o for t, f, o in zip(total, forward, over)])
    for row in nf.rows_for("requests", template):
        for col, v in zip(nf.REQUEST_COLUMNS, rows[row.key] + [sum(rows[row.key])]):
            cells[f"requests.{row.key}.{col.key}"] = v
    for group in APPEAL_GROUPS:
        parts = _counts(rng, 4, .5)
        for col, v in zip(nf.APPEAL_COLUMNS, parts + [sum(parts)]):
            cells[f"appeals.{group}.{col.key}"] = v
    return cells


def _td(v):
    return f"<td>{'' if v is None else v}</td>"


def _broken(text, word):
    """A label as Word writes a long one: a <br> in its middle."""
    return text[:len(text) // 2] + "<br>" + text[len(text) // 2:] if word and len(text) > 10 else text


def page(rng, template, shape):
    """(the page's HTML, its cells) of a report in the given shape."""
    agency, county = rng.choice(AGENCIES)
    year = 2020 if template == "2019" else 2022
    cells = values(rng, template)
    word, grouped, framed = "word" in shape, "grouped" in shape, shape.startswith("framed")
    table = '<table border="1" cellspacing="0" cellpadding="2">'
    h = [f"<h2 align=center>{agency}{year}年政府信息公开工作年度报告</h2>",
         f"<p>本报告根据《中华人民共和国政府信息公开条例》编制，统计期限自{year}年1月1日起至{year}年12月31日止。</p>",
         "<p><strong>一、总体情况</strong></p>",
         f"<p>{year}年，{agency}主动公开政府信息{rng.randint(100, 900)}条。全年新收政府信息公开申请"
         f"{cells['requests.new.total']}件。</p>",
         "<p><strong>二、主动公开政府信息情况</strong></p>", table]
    group = None
    for row in nf.rows_for("active", template):
        cols = nf.columns_for("active", row, template)
        pad = f'<td colspan="{3 - len(cols)}"></td>' if len(cols) < 3 else ""
        if row.group != group:
            if word and group is not None:
                h.append("</table>" + table)        # Word: a table a block
            group = row.group
            h.append(f'<tr><td colspan="4" align="center"><b>{group}</b></td></tr>')
            h.append("<tr><td>信息内容</td>" + "".join(
                f"<td>{c.label[:3] + '<br>' + c.label[3:] if word else c.label}</td>" for c in cols) + pad + "</tr>")
        h.append(f"<tr><td>{nf.row_label('active', row, template)}</td>" +
                 "".join(_td(cells[f"active.{row.key}.{c.key}"]) for c in cols) + pad + "</tr>")
    h += ["</table>", "<p><strong>三、收到和处理政府信息公开申请情况</strong></p>", table,
          '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
          '<td colspan="7">申请人情况</td></tr>',
          '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
          "<tr>" + "".join(f"<td>{c.label}</td>" for c in nf.REQUEST_COLUMNS[1:6]) + "</tr>"]
    rows = nf.rows_for("requests", template)
    results = [r for r in rows if r.group == nf.RESULTS_GROUP or r.group in nf.GROUP_PARENTS]
    members = {}
    for r in rows:
        members.setdefault(r.group, []).append(r.key)
    for row in rows:
        numbers = "".join(_td(cells[f"requests.{row.key}.{c.key}"]) for c in nf.REQUEST_COLUMNS)
        if not grouped:
            h.append(f'<tr><td colspan="3">{_broken(nf.row_label("requests", row, template), word)}</td>{numbers}</tr>')
            continue
        head = f'<td rowspan="{len(results)}">{nf.RESULTS_GROUP}</td>' if results and row is results[0] else ""
        if row.group in nf.GROUP_PARENTS:
            if members[row.group][0] == row.key:
                head += f'<td rowspan="{len(members[row.group])}">{row.group}</td>'
            head += f"<td><p><span>{_broken(row.label, word)}</span></p></td>"
        else:
            head += f'<td colspan="{2 if row in results else 3}">{_broken(row.label, word)}</td>'
        h.append(f"<tr>{head}{numbers}</tr>")
    h += ["</table>", "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>", table,
          '<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>',
          "<tr>" + "".join(f'<td rowspan="2">{c.label}</td>' for c in nf.APPEAL_COLUMNS) +
          '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>',
          "<tr>" + "".join(f"<td>{c.label}</td>" for c in nf.APPEAL_COLUMNS) * 2 + "</tr>",
          "<tr>" + "".join(_td(cells[f"appeals.{g}.{c.key}"]) for g in APPEAL_GROUPS for c in nf.APPEAL_COLUMNS)
          + "</tr>", "</table>",
          "<p><strong>五、存在的主要问题及改进情况</strong></p><p>公开内容的及时性有待提高。</p>",
          "<p><strong>六、其他需要报告的事项</strong></p><p>本年度无其他需要报告的事项。</p>",
          f"<p align=right>{agency}</p><p align=right>{year + 1}年1月20日</p>"]
    body = "\n".join(h)
    if framed:
        body = ('<table width="900"><tr><td width="200" valign="top"><p>政府信息公开指南</p><p>政府信息公开制度</p>'
                f'<p>法定主动公开内容</p></td><td valign="top">{body}</td></tr></table>')
    html = (f'<html><head><meta charset="utf-8"><title>{agency}{year}年政府信息公开工作年度报告</title></head>'
            f"<body><div>{county}人民政府 首页 | 政务公开</div>{body}<div>版权所有：{county}人民政府办公室</div>"
            "</body></html>")
    return html, cells


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=24, help="pages to make (default 24: each shape in both formats, twice)")
    ap.add_argument("--seed", type=int, default=1, help="the pages' seed (default 1)")
    ap.add_argument("--keep", type=Path, help="keep the pages and the converters' texts in this folder")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="gxgrammar-pages-"))
    work.mkdir(parents=True, exist_ok=True)
    pages = []
    for i in range(args.n):
        rng = random.Random(f"{args.seed}-{i}")
        template, shape = ("2019", "2021")[i % 2], SHAPES[(i // 2) % len(SHAPES)]
        html, cells = page(rng, template, shape)
        path = work / f"page{i:03d}-{template}-{shape}.html"
        path.write_text(html, encoding="utf-8")
        path.with_suffix(".expected.json").write_text(json.dumps({"cells": cells}, ensure_ascii=False),
                                                      encoding="utf-8")
        pages.append(prepare(path, work))
    usable = [c for c in CONVERTERS if not c.missing()]
    for c in CONVERTERS:
        if c.missing():
            print(f"{c.name}: skipped ({c.missing()})")
    printer = PdfPrinter(pages, work) if any(c.via_pdf for c in usable) else None
    print(f"{len(pages)} pages in {work}\n")
    print(f"{'converter':18} {'right':>14} {'flagged':>8} {'silent':>7}   pages below 99%")
    for c in usable:
        (work / c.name).mkdir(exist_ok=True)
        right = total = flagged = silent = 0
        low, broken = [], ""
        for p in pages:
            out = work / c.name / f"{p.path.stem}.txt"
            try:
                out.write_bytes(c.run(p, work, printer))
            except BrokenTool as e:
                broken = str(e).split(" (")[0]
                break
            o = score(out, p.path.with_suffix(".expected.json"), c.name, p.path.stem)
            right, total, flagged, silent = right + o.right, total + o.total, flagged + o.flagged, silent + o.silent
            if o.right < .99 * o.total:
                low.append(f"{p.path.stem} {o.cell()}")
        if broken:
            print(f"{c.name:18} skipped: {broken}")
            continue
        print(f"{c.name:18} {right:>6}/{total:<7} {flagged:>8} {silent:>7}   {'; '.join(low) or '-'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
