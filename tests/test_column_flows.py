"""Table 三 given a page in two flows (readers/column_flows.py), and numbers of a table that
the reading order put past the next heading or into the next table's text.

Plain pdftotext of Chromium's print of a report page reads the label column with the
first column or two of numbers (each number just before, on or after its label's line),
then the other columns row by row, page by page. The reader reads every split the
identities allow and writes only what all the readings that keep them agree on.
"""
from __future__ import annotations

import json
from pathlib import Path

from gxgrammar import national as nf
from gxgrammar.parser import parse_file
from gxgrammar.readers import table_reader
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK, UNPLACED

FIXTURES = Path(__file__).parent / "fixtures" / "columns"
ROWS = nf.rows_for("requests", "2021")
HEADER = ["申请人情况", "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]


def _table():
    """A table 三 that keeps every identity, numbers unlike each other where they can be."""
    results = [r.key for r in ROWS if r.key in nf.RESULT_ROWS["2021"]]
    values = {}
    for n, key in enumerate(results):
        applicants = [(n * 3 + c) % 5 for c in range(6)]
        values[key] = applicants + [sum(applicants)]
    total = [sum(values[k][c] for k in results) for c in range(7)]
    values["results_total"] = total
    values["carried_forward"] = [1, 0, 2, 0, 0, 1, 4]
    values["carried_over"] = [2, 1, 0, 0, 1, 0, 4]
    values["new"] = [total[c] + values["carried_forward"][c] - values["carried_over"][c] for c in range(7)]
    return values


def _rows(lines):
    rebuilt = table_reader("columns").read(lines)
    assert rebuilt is not None
    return {r[0]: r[1:] for r in (l[1:].split(CELL_MARK) for l in rebuilt.lines if l.startswith(ROW_MARK))}


def _label(row):
    return nf.row_label("requests", row, "2021")


def _two_flows(rows, values, split):
    """A page's lines: each row's first `split` numbers one a line before its label, then
    the other columns row by row."""
    lines = []
    for row in rows:
        lines += [str(v) for v in values[row.key][:split]] + [row.label]
    lines += [str(v) for row in rows for v in values[row.key][split:]]
    return lines


def test_a_page_in_two_flows_is_read():
    values = _table()
    got = _rows(HEADER + _two_flows(ROWS, values, 1))
    assert got == {_label(row): [str(v) for v in values[row.key]] for row in ROWS}


def test_each_page_has_its_own_split():
    # Page 1: rows whole (their numbers before their labels); page 2: two columns with the labels.
    values = _table()
    page1 = [str(v) for row in ROWS[:2] for v in [*values[row.key], row.label]]
    page2 = _two_flows(ROWS[2:], values, 2)
    page2[0] = "\f" + page2[0]
    got = _rows(HEADER + page1 + page2)
    assert got == {_label(row): [str(v) for v in values[row.key]] for row in ROWS}


def test_numbers_of_the_second_flow_before_the_last_label_are_no_flow():
    # The last row's label after the other columns' numbers: no split reads this; the
    # cells stay open rather than be guessed.
    values = _table()
    lines = _two_flows(ROWS, values, 1)
    last = lines.index(ROWS[-1].label)
    lines.append(lines.pop(last))
    got = _rows(HEADER + lines)
    assert all(v == UNPLACED for row in got.values() for v in row[1:])


def test_a_number_changed_is_read_as_written_or_left_open():
    values = _table()
    lines = _two_flows(ROWS, values, 1)
    at = lines.index(str(values["granted"][3]), len(ROWS) * 2)
    lines[at] = "9"
    got = _rows(HEADER + lines)
    for row in ROWS:
        for written, cell in zip(values[row.key], got[_label(row)]):
            assert cell in (UNPLACED, str(written), "9")


def _totals_apart(rows, values, split, apart):
    """_two_flows, but the totals of the rows `apart` after the second flow, in row order."""
    lines = []
    for row in rows:
        lines += [str(v) for v in values[row.key][:split]] + [row.label]
    lines += [str(v) for row in rows for v in values[row.key][split:-1 if row.key in apart else None]]
    return lines + [str(values[row.key][-1]) for row in rows if row.key in apart]


def test_rows_totals_after_the_second_flow_are_their_rows():
    # Chromium's PDF of a 2019 page with the group labels in a column of their own
    # (fixtures/columns/*-2019-grouped-chrome.txt): two rows' 总计 after the last row.
    values = _table()
    for apart in ({"granted"}, {"granted", "denied_state_secret"}):
        got = _rows(HEADER + _totals_apart(ROWS, values, 2, apart))
        assert got == {_label(row): [str(v) for v in values[row.key]] for row in ROWS}, apart


def test_more_totals_apart_than_are_tried_stay_open():
    values = _table()
    got = _rows(HEADER + _totals_apart(ROWS, values, 2, {"granted", "denied_state_secret", "unavailable_unclear"}))
    for row in ROWS:
        assert all(cell in (UNPLACED, str(v)) for v, cell in zip(values[row.key], got[_label(row)])), row.key
    assert any(cell == UNPLACED for cells in got.values() for cell in cells)


def test_the_2019_grouped_pages_are_read_whole():
    for name in ("daishan-yjj-2019-grouped-chrome", "chenghu-nyncj-2019-grouped-chrome"):
        exp = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
        report = parse_file(FIXTURES / f"{name}.txt")
        assert report.cells() == exp["cells"], name
        assert not [f for f in report.findings if f.severity != "info"], name


APPEALS_HEADER = [nf.APPEALS_HEADER["review"], nf.APPEALS_HEADER["suit"],
                  nf.APPEALS_HEADER["suit_direct"], nf.APPEALS_HEADER["suit_after_review"],
                  " ".join(c.label for c in nf.APPEAL_COLUMNS)]


def test_the_last_number_of_the_table_before_is_left_out():
    # 「四、政府信息公开行政复议…」 then 「6」: table 三's last cell, read after the heading.
    got = _rows(["6"] + APPEALS_HEADER + ["3 0 1 0 4 1 1 0 0 2 0 0 0 1 1"])
    assert list(got.values()) == [["3", "0", "1", "0", "4"], ["1", "1", "0", "0", "2"], ["0", "0", "0", "1", "1"]]


def test_a_table_read_on_past_the_next_heading():
    # Chromium's PDF of examples/html/baishi-zrzy-2021.html: pdftotext writes 「五、存在的主要问题
    # 及改进情况」 after table 四's first four numbers, and the other eleven after it.
    report = parse_file(FIXTURES / "baishi-zrzy-2021-chrome.txt")
    assert report.tables["appeals"]["review"] == {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4}
    assert report.tables["appeals"]["suit_after_review"]["corrected"] == 1
    five = next(s for s in report.to_dict()["sections"] if s["title"] == "存在的主要问题及改进情况")
    assert five["text"].startswith("一是基层自然资源所公开工作力量不足")


def test_a_table_whose_numbers_all_follow_the_next_heading():
    # Chromium's PDF of examples/html/liuxi-sfj-2019.html: pdftotext writes table 三's labels,
    # then 「四、政府信息公开行政复议、行政诉讼情况」, then table 三's header and its 161 numbers,
    # then table 四. Table 三 reads its numbers past the heading; table 四 leaves them out.
    report = parse_file(FIXTURES / "liuxi-sfj-2019-chrome.txt")
    assert report.tables["requests"]["new"] == {"natural_person": 41, "commercial": 8, "research": 2, "nonprofit": 1,
                                                "legal_service": 4, "other": 2, "total": 58}
    assert report.tables["appeals"]["review"] == {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4}
    four = next(s for s in report.to_dict()["sections"] if s["title"] == "政府信息公开行政复议、行政诉讼情况")
    assert "申请人情况" not in four["text"]


def test_the_fixtures_read_what_they_say():
    # Their expected files list the cells the text leaves open; every other cell is read right.
    for name in ("baishi-zrzy-2021-chrome", "nanhu-wjw-2021-chrome", "liuxi-sfj-2019-chrome"):
        exp = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
        cells = parse_file(FIXTURES / f"{name}.txt").cells()
        assert sorted(k for k, v in exp["cells"].items() if cells[k] != v) == sorted(exp["unread"])


def test_the_one_order_the_formats_columns_allow_is_the_order():
    # Table 二 of the same text: 行政许可 and 其他对外管理服务事项's numbers come one a line,
    # 3 0 27 9 −2 1,286, with no words between the two rows. Down the columns would put −2
    # in 处理决定数量, a count: row by row is the only order, and nothing is said.
    report = parse_file(FIXTURES / "liuxi-sfj-2019-chrome.txt")
    active = report.tables["active"]
    assert active["licensing"] == {"prior_items": 3, "change": 0, "decisions": 27}
    assert active["other_services"] == {"prior_items": 9, "change": -2, "decisions": 1286}
    assert not any(k.startswith(("active.licensing", "active.other_services")) for f in report.findings
                   for k in f.cells)


def test_like_blocks_are_read_in_the_order_one_of_them_shows(monkeypatch):
    # 规章 and 规范性文件 (0 0 0 2 2 14), 行政处罚 and 行政强制 (5 1 18 0 0 0) fit either order
    # by themselves; their blocks have the shape of （五）, which fits row by row only: they
    # are read row by row, and a finding names each block's cells.
    report = parse_file(FIXTURES / "liuxi-sfj-2019-chrome.txt")
    active = report.tables["active"]
    assert active["regulations"] == {"new_made": 0, "new_published": 0, "total_published": 0}
    assert active["normative_documents"] == {"new_made": 2, "new_published": 2, "total_published": 14}
    assert active["penalties"] == {"prior_items": 5, "change": 1, "decisions": 18}
    assert active["coercive_measures"] == {"prior_items": 0, "change": 0, "decisions": 0}
    said = ("{block}: its numbers fit a reading row by row and one down its columns; they are read row by row, "
            "as 第二十条第（五）项 of the same table is written, whose numbers fit no other order")
    inferred = [(f.severity, f.message, f.cells, f.line) for f in report.findings if f.code == "table.order_inferred"]
    assert inferred == [
        ("warning", said.format(block="第二十条第（一）项"),
         [f"active.{r}.{c}" for r in ("regulations", "normative_documents")
          for c in ("new_made", "new_published", "total_published")], 38),
        ("warning", said.format(block="第二十条第（六）项"),
         [f"active.{r}.{c}" for r in ("penalties", "coercive_measures")
          for c in ("prior_items", "change", "decisions")], 74)]
    monkeypatch.setenv("GXGRAMMAR_LANG", "zh")
    report = parse_file(FIXTURES / "liuxi-sfj-2019-chrome.txt")
    assert next(f.message for f in report.findings if f.code == "table.order_inferred") == (
        "第二十条第（一）项：其数字逐行读与逐列读都说得通；按同表第二十条第（五）项的写法逐行读取"
        "（该项的数字只有逐行读才合乎各栏）")


ACTIVE_2019 = ["信息内容", "规章", "规范性文件", "信息内容", "行政许可", "其他对外管理服务事项",
               "信息内容", "行政处罚", "行政强制", "信息内容", "行政事业性收费", "信息内容", "政府集中采购"]


def _active(regulations, licensing, penalties):
    """Table 二 of the 2019 format as plain pdftotext gives it: every label, then each block's
    header and its numbers one a line."""
    lines = ACTIVE_2019[:]
    for head, numbers in (("第二十条第（一）项", regulations), ("第二十条第（五）项", licensing),
                          ("第二十条第（六）项", penalties), ("第二十条第（八）项", ["1", "0"]),
                          ("第二十条第（九）项", ["2", "3.5"])):
        lines += [head, "本年新制作数量" if "一" in head else "上一年项目数量"] + numbers
    return lines


def test_a_block_that_shows_no_order_leaves_its_like_blocks_open():
    # Without the −2 no block fits one order only: 规章's and 行政处罚's cells stay open.
    got = _rows(_active(["0", "0", "0", "2", "2", "14"], ["3", "0", "27", "9", "2", "1,286"],
                        ["5", "1", "18", "0", "0", "0"]))
    assert got["规章"] == [UNPLACED] * 3 and got["行政处罚"] == [UNPLACED] * 3


def test_blocks_that_show_two_orders_leave_the_others_open():
    # （五） fits row by row only (−2 under 本年增/减), （六） fits down its columns only
    # (row by row would put −1 in 处理决定数量): the page writes its blocks no one way.
    got = _rows(_active(["0", "0", "0", "2", "2", "14"], ["3", "0", "27", "9", "－2", "1,286"],
                        ["5", "1", "-1", "4", "18", "0"]))
    assert got["行政许可"] == ["3", "0", "27"]
    assert got["规章"] == [UNPLACED] * 3 and got["行政处罚"] == [UNPLACED] * 3


def test_a_wide_tables_right_part_read_after_the_pages_footer():
    # Chromium's PDF of a page laid out in a table (a menu cell beside the report's):
    # pdftotext reads table 四's first six numbers, then sections 五 and 六 and the page's
    # footer, then the other nine numbers, then the signature set right. They fill the
    # table in order and keep every identity; section 六 keeps only its own words.
    report = parse_file(FIXTURES / "daishan-yjj-2021-framed-chrome.txt")
    appeals = report.tables["appeals"]
    assert [list(appeals[g].values()) for g in ("review", "suit_direct", "suit_after_review")] == \
        [[29, 17, 0, 30, 76], [2, 27, 24, 10, 63], [29, 0, 0, 10, 39]]
    assert report.provenance["appeals.suit_direct.corrected"]["line"] > \
        next(i for i, l in enumerate((FIXTURES / "daishan-yjj-2021-framed-chrome.txt").read_text(encoding="utf-8")
                                     .splitlines(), 1) if l.startswith("版权所有"))
    six = next(s for s in report.sections if s.number == 6)
    assert six.text == "本年度无其他需要报告的事项。\n版权所有：岱山县人民政府办公室"
    assert not [f for f in report.findings if any(k.startswith("appeals.") for k in f.cells)]


def test_a_year_split_from_its_date_is_no_cell():
    # Plain pdftotext of yunxiu: table 四's last four numbers come after section 六 and the
    # footer, and the signature's 「2021」 on a line of its own beside 「年1月28日」: the
    # year is left out, and the fifteen numbers fill the table.
    report = parse_file(FIXTURES / "yunxiu-jyj-2019-chrome.txt")
    assert report.tables["appeals"]["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert set(report.tables["appeals"]["suit_after_review"].values()) == {0}
    lines = (FIXTURES / "yunxiu-jyj-2019-chrome.txt").read_text(encoding="utf-8").splitlines()
    year = next(i for i, l in enumerate(lines, 1) if l.strip() == "2021")
    assert all(p["line"] != year for p in report.provenance.values())


def test_table_two_takes_no_numbers_from_after_its_section():
    # Table 二 has no identities to judge numbers met later in the text by: its last
    # cells are never looked for there.
    from gxgrammar.layouts.reading import _numbers_later
    from gxgrammar.readers.text import Source
    source = Source("二、主动公开政府信息情况\n规章\n3\n三、收到\n5\n6\n")
    assert _numbers_later(source, 3, 7, "active") == []
    assert _numbers_later(source, 3, 7, "appeals") == ["", "5", "6"]


def test_a_tables_last_numbers_after_the_next_tables_header():
    # Chromium's PDF of a 2021 table 三 with its group labels in a column of their own:
    # pdftotext gives its last three columns after the heading of section 四 and table 四's
    # header, and table 四's own numbers straight after them. Table 三 takes as many as it
    # lacks; table 四 reads the rest, not the lines table 三 took.
    report = parse_file(FIXTURES / "chenghu-nyncj-2021-grouped-chrome.txt")
    expected = json.loads((FIXTURES / "chenghu-nyncj-2021-grouped-chrome.expected.json").read_text(encoding="utf-8"))
    cells = report.cells()
    assert {k: cells[k] for k in expected["cells"] if k.startswith(("requests.", "appeals."))} == \
        {k: v for k, v in expected["cells"].items() if k.startswith(("requests.", "appeals."))}
    assert not [f for f in report.findings if f.severity != "info" and f.code.startswith(("table.", "requests.", "appeals."))]
