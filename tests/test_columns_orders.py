"""Property: a table 三 of any numbers that keep the identities, written in an order the
columns reader supports, is read back exactly; written in bands down its columns, each
cell is its number or left open, never another number."""
from hypothesis import given, settings
from hypothesis import strategies as st

from gxgrammar import national as nf
from gxgrammar.readers import table_reader
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK, UNPLACED

ROWS = nf.rows_for("requests", "2021")
HEADER = [nf.REQUESTS_HEADER["note"], nf.REQUESTS_HEADER["applicants"], " ".join(c.label for c in nf.REQUEST_COLUMNS)]
SIX = len(nf.APPLICANT_COLUMNS)
count = st.one_of(st.just(0), st.just(0), st.integers(0, 40))


@st.composite
def tables(draw):
    """{row key: seven numbers} keeping every identity of table 三 (2021)."""
    rows = {}
    for key in nf.RESULT_ROWS["2021"]:
        parts = [draw(count) for _ in range(SIX)]
        rows[key] = parts + [sum(parts)]
    results = [sum(rows[k][c] for k in nf.RESULT_ROWS["2021"]) for c in range(SIX)]
    forward = [draw(count) for _ in range(SIX)]
    over = [draw(st.integers(0, r + f)) for r, f in zip(results, forward)]
    new = [r + f - o for r, f, o in zip(results, forward, over)]
    for key, parts in (("results_total", results), ("carried_forward", forward), ("carried_over", over), ("new", new)):
        rows[key] = parts + [sum(parts)]
    return [rows[r.key] for r in ROWS]


def _read(lines):
    rebuilt = table_reader("columns").read(lines)
    return [l[1:].split(CELL_MARK)[1:] for l in rebuilt.lines if l.startswith(ROW_MARK)]


def _want(table):
    return [[str(v) for v in row] for row in table]


@settings(max_examples=25, deadline=None)
@given(tables())
def test_numbers_one_a_line_then_the_label(table):
    lines = HEADER + [l for r, row in zip(ROWS, table) for l in [str(v) for v in row] + [r.label]]
    assert _read(lines) == _want(table)


@settings(max_examples=25, deadline=None)
@given(tables())
def test_the_first_number_on_the_label_line_the_others_before(table):
    lines = HEADER + [l for r, row in zip(ROWS, table) for l in [str(v) for v in row[1:]] + [f"{r.label} {row[0]}"]]
    assert _read(lines) == _want(table)


@settings(max_examples=25, deadline=None)
@given(tables(), st.sets(st.integers(1, len(ROWS) - 1), max_size=8))
def test_bands_down_their_columns_read_right_or_stay_open(table, cuts):
    edges = [0, *sorted(cuts), len(ROWS)]
    lines = HEADER + [r.label for r in ROWS]
    for a, b in zip(edges, edges[1:]):
        lines += [str(table[r][c]) for c in range(len(nf.REQUEST_COLUMNS)) for r in range(a, b)]
    read = _read(lines)
    assert len(read) == len(table) and all(len(g) == len(w) for g, w in zip(read, _want(table))), read
    for want, got in zip(_want(table), read):
        assert all(g in (w, UNPLACED) for w, g in zip(want, got)), (want, got)


# Table 二 of the 2019 format as plain pdftotext gives it: every label first, then each
# block's heading, a column header and its numbers one a line.
BLOCKS = [("第二十条第（一）项", ["规章", "规范性文件"], 3), ("第二十条第（五）项", ["行政许可", "其他对外管理服务事项"], 3),
          ("第二十条第（六）项", ["行政处罚", "行政强制"], 3), ("第二十条第（八）项", ["行政事业性收费"], 2),
          ("第二十条第（九）项", ["政府集中采购"], 2)]
ACTIVE_KEYS = {r.label if r.label in {l for _, ls, _ in BLOCKS for l in ls} else nf.row_label("active", r, "2019"): r.key
               for r in nf.rows_for("active", "2019")}


@st.composite
def active_tables(draw):
    """[(block, [row of numbers as written], written down its columns?)]: 本年增/减 may be
    negative, every other cell is a count."""
    out = []
    for head, labels, width in BLOCKS:
        rows = []
        for _ in labels:
            row = [str(draw(count)) for _ in range(width)]
            if width == 3 and head != "第二十条第（一）项" and draw(st.booleans()):
                row[1] = f"-{draw(st.integers(1, 9))}"
            rows.append(row)
        out.append((head, labels, rows, draw(st.booleans())))
    return out


@settings(max_examples=60, deadline=None)
@given(active_tables())
def test_table_two_blocks_in_any_order_read_right_open_or_said_inferred(table):
    # Each block row by row or down its columns, as the page's reading order may give it:
    # a cell is its number, or open, or (read in the order of a like block) named by the
    # reader's finding; never another number without one.
    lines = [label for _, labels, _, _ in table for label in ["信息内容"] + labels]
    for head, labels, rows, down in table:
        numbers = [rows[r][c] for c in range(len(rows[0])) for r in range(len(rows))] if down else \
            [v for row in rows for v in row]
        lines += [head, "上一年项目数量"] + numbers
    rebuilt = table_reader("columns").read(lines)
    assert rebuilt is not None
    said = {k for f in rebuilt.findings for k in f.cells}
    got = {l[1:].split(CELL_MARK)[0]: l[1:].split(CELL_MARK)[1:] for l in rebuilt.lines if l.startswith(ROW_MARK)}
    for _, labels, rows, _ in table:
        for label, row in zip(labels, rows):
            key = ACTIVE_KEYS[label]
            columns = [c.key for c in nf.columns_for("active", nf.row_by_key("active", key), "2019")]
            assert len(got[label]) == len(row) == len(columns), (label, got[label])
            for value, read, column in zip(row, got[label], columns):
                assert read in (value, UNPLACED) or f"active.{key}.{column}" in said, (label, row, got[label])


def _wrapped_lines(table, rng):
    """Table 三 as pandoc wraps it to a cell's width: each row's label, then its numbers
    over lines of two to four, a line's last number cut in two at times (its rest opens
    the next line, at its first column)."""
    lines = list(HEADER)
    for r, row in zip(ROWS, table):
        lines.append(f"  {r.label}")
        cells, at, cut = [str(v) for v in row], 0, False
        while at < len(cells):
            take = cells[at:at + rng.randint(2, 4)]
            at += len(take)
            line = ("" if cut else " " * rng.randint(2, 12)) + "   ".join(take)
            cut = at < len(cells) and len(cells[at]) > 1 and rng.random() < .4
            if cut:
                line += "   " + cells[at][:1]           # the next number cut after its first digit
                cells[at] = cells[at][1:]
            lines.append(line)
    return lines


@settings(max_examples=40, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_wrapped_rows_with_numbers_cut_at_lines_ends_read_right_or_stay_open(table, rng):
    # Each cell is its number or left open, never another number.
    got = _read(_wrapped_lines(table, rng))
    assert len(got) == len(table) and all(len(g) == len(w) for g, w in zip(got, _want(table))), got
    for g, w in zip(got, _want(table)):
        assert all(a in (b, UNPLACED) for a, b in zip(g, w)), (g, w)


@settings(max_examples=40, deadline=None)
@given(tables(), st.integers(1, 3), st.sets(st.integers(0, len(ROWS) - 1), max_size=3))
def test_two_flows_with_totals_apart_read_right_or_stay_open(table, split, apart):
    # Labels with their first columns, then the rest row by row, some rows' totals after
    # the last row (readers/column_flows.py): each cell its number or open, never another.
    lines = list(HEADER)
    for r, row in zip(ROWS, table):
        lines += [str(v) for v in row[:split]] + [r.label]
    lines += [str(v) for k, row in enumerate(table) for v in row[split:-1 if k in apart else None]]
    lines += [str(row[-1]) for k, row in enumerate(table) if k in apart]
    read = _read(lines)
    assert len(read) == len(table) and all(len(g) == len(w) for g, w in zip(read, _want(table))), read
    for want, got in zip(_want(table), read):
        assert all(g in (w, UNPLACED) for w, g in zip(want, got)), (want, got)
