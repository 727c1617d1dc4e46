"""The aligned table reader rebuilds exactly the grid a table of aligned columns draws."""
import unicodedata

from hypothesis import given, settings, strategies as st

from gxgrammar.readers import table_reader
from gxgrammar.readers.aligned import read
from gxgrammar.readers.rows import CELL_MARK, ROW_MARK
from gxgrammar.readers.text import normalise_line


def grid(text):
    """The rows the reader rebuilds from a table's text, as lists of cell texts ('·' for prose)."""
    rebuilt = read([normalise_line(l) for l in text.split("\n")])
    if rebuilt is None:
        return None
    return [l[1:].split(CELL_MARK) if l.startswith(ROW_MARK) else "·" + l for l in rebuilt.lines]


def test_it_is_registered_as_a_table_reader():
    assert table_reader("aligned").read is read


def test_a_pandoc_simple_table_keeps_a_blank_cell_in_its_column():
    text = """\
  ---------------- ------------ ------------
  信息内容         采购项目数量 采购总金额
  政府集中采购     4            
  行政事业性收费                0
  ---------------- ------------ ------------"""
    assert grid(text) == [["信息内容", "采购项目数量", "采购总金额"],
                          ["政府集中采购", "4", ""],
                          ["行政事业性收费", "", "0"]]


def test_a_pandoc_multiline_table_joins_a_cell_wrapped_over_lines():
    # Rows between blank lines; NFKC makes （二） one column narrower per bracket, so the
    # numbers after it stand two columns left of their rule: they still find their column.
    text = """\
  -------------------------- ------ ------ ------
  （二）部分公开             6      2      8
  （区分处理的，只计这一情形                      
  ，不计其他情形）                                

  （一）予以公开             41            41
  -------------------------- ------ ------ ------"""
    assert grid(text) == [["(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "6", "2", "8"],
                          ["(一)予以公开", "41", "", "41"]]


def test_a_pandoc_table_with_a_header_above_its_rule():
    text = """\
说明文字

  结果维持   结果纠正   总计
  ---------- ---------- ------
  3          1          4
  0                     0

后面的段落"""
    assert grid(text) == ["·说明文字", ["结果维持", "结果纠正", "总计"], ["3", "1", "4"], ["0", "", "0"],
                          "·后面的段落"]


def test_an_unruled_table_places_a_blank_by_the_columns_of_its_full_rows():
    text = """\
                                 自然人  商业企业  总计
   一、本年新收政府信息公开申请数量  80      24        104
   二、上年结转政府信息公开申请数量  4                 4
   三、本年度办理结果                41      12        53"""
    assert grid(text) == [["自然人", "商业企业", "总计"],
                          ["一、本年新收政府信息公开申请数量", "80", "24", "104"],
                          ["二、上年结转政府信息公开申请数量", "4", "", "4"],
                          ["三、本年度办理结果", "41", "12", "53"]]


def test_numbers_that_do_not_sit_one_in_each_column_make_a_short_row_not_a_guess():
    # The second row's two numbers stand between the columns: which one is blank cannot
    # be told, so the row comes out short (no empty cell) and the mapping reports it.
    text = """\
   甲项目        10        20        30
   乙项目             5         7
   丙项目        11        21        32"""
    assert grid(text) == [["甲项目", "10", "20", "30"], ["乙项目", "5", "7"], ["丙项目", "11", "21", "32"]]


def test_digits_of_two_rows_run_together_are_left_out():
    text = """\
   甲项目        10        20        30
   乙项目        02        00
   丙项目        11        21        32"""
    assert grid(text) == [["甲项目", "10", "20", "30"], ["乙项目"], ["丙项目", "11", "21", "32"]]


def test_a_row_split_over_two_lines_is_joined_where_its_columns_complete_each_other():
    # pdftotext put a row's numbers on two lines: together they fill every column once.
    text = """\
   甲项目        10        20        30
   乙项目        1
                           2         3
   丙项目        11        21        32"""
    assert grid(text) == [["甲项目", "10", "20", "30"], ["乙项目", "1", "2", "3"], ["丙项目", "11", "21", "32"]]


def test_two_rows_split_into_each_other_are_each_joined_by_their_columns():
    # pdftotext -layout of Chromium's PDF of examples/html/nanhu-wjw-2021.html: the first
    # numbers of a row sit higher than the others, and the next row's first numbers come
    # between; a long label squeezes its row's first numbers out of their columns.
    lines = ["果 不予 3.要求提供公开出版物          1  0   0   0   0   0   1", "",
             "  处理 4.无正当理由大量反复申请        0", "",
             "      5.要求行政机关确认或重新出具已获 1 0",
             "                             0   0   0   0   0   0", "", "",
             "      取信息                        0   0   0   0   1",
             "      3.其他                2  0   0   0   0   1   3"]
    assert grid("\n".join(lines))[1:4] == [["处理 4.无正当理由大量反复申请", "0", "0", "0", "0", "0", "0", "0"],
                                          ["5.要求行政机关确认或重新出具已获取信息", "1", "0", "0", "0", "0", "0", "1"],
                                          ["3.其他", "2", "0", "0", "0", "0", "1", "3"]]


def test_a_short_line_two_rows_could_complete_stays_as_it_is():
    text = """\
   甲项目        10        20        30
   乙项目        1
   丙项目        4
                           2         3
   丁项目        11        21        32"""
    # 「2 3」 completes 乙项目 and 丙项目 alike: it is joined to neither (丙项目 stays short).
    assert grid(text)[1:4] == [["乙项目", "1", "", ""], ["丙项目", "4"], ["2", "3"]]


def test_a_row_at_the_top_of_a_page_is_no_running_head():
    text = """\
  一、本年新收          17      3     20
  二、上年结转           1      0      1
\f  （一）予以公开        9      2     11

  （二）部分公开         2      0      2"""
    assert grid(text)[2] == ["(一)予以公开", "9", "2", "11"]


def test_a_page_break_inside_a_wrapped_label_with_its_furniture():
    text = """\
  一、本年新收          17      3     20
  （二）部分公开（区分处理的，


                        2
\f  只计这一情形）       1      0      1
  （三）总计            18      3     21"""
    assert grid(text) == [["一、本年新收", "17", "3", "20"],
                          ["(二)部分公开(区分处理的,只计这一情形)", "1", "0", "1"],
                          ["(三)总计", "18", "3", "21"]]


def test_a_label_continued_below_its_numbers_joins_its_own_row():
    # Chromium's PDF: numbers on a label's first line, the rest below it.
    text = """\
      6.属于四类 11 0  0  11
      过程性信息
      7.属于行政 0  1  1  2
      执法案卷"""
    assert grid(text) == [["6.属于四类过程性信息", "11", "0", "0", "11"],
                          ["7.属于行政执法案卷", "0", "1", "1", "2"]]


def test_text_without_a_table_is_none():
    assert grid("本年度未收到行政复议申请。\n\n2024年工作平稳。") is None


def test_every_cell_keeps_the_place_of_its_first_character():
    lines = ["   甲项目        10        20        30", "   乙项目        4                   9"]
    rebuilt = read(lines)
    assert rebuilt.places[1] == [(1, 2, None), (2, 2, 4), (6, 2, 15), (9, 2, 35)]
    assert rebuilt.lines[1] == ROW_MARK + CELL_MARK.join(["乙项目", "4", "", "9"])


def test_a_one_megabyte_line_and_a_hundred_thousand_line_table_are_read():
    assert read(["   甲项目  " + "数" * 1_000_000 + "  1  2"]) is not None
    assert read(["---- ---- " * 100_000]) is None       # a rule alone draws no table
    table = [f"   项目{i}        {i}        {i + 1}        {2 * i + 1}" for i in range(100_000)]
    rebuilt = read(table)
    assert len(rebuilt.lines) == 100_000
    assert rebuilt.lines[-1] == ROW_MARK + CELL_MARK.join(["项目99999", "99999", "100000", "199999"])


def _width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


labels = st.text(alphabet="甲乙丙丁项目类别", min_size=1, max_size=8)
counts = st.one_of(st.just(""), st.integers(0, 9999).map(str))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(labels, st.lists(counts, min_size=3, max_size=3)), min_size=2, max_size=12),
       st.booleans())
def test_any_table_drawn_with_a_rule_reads_back_as_its_grid(rows, multiline):
    """pandoc's way: columns as wide as their widest cell, a space between, dashes above."""
    cells = [[label, *values] for label, values in rows]
    widths = [max(2, *(_width(r[c]) for r in cells)) + 1 for c in range(4)]
    pad = lambda text, w: text + " " * (w - _width(text))
    rule = "  " + " ".join("-" * w for w in widths)
    body = ["  " + " ".join(pad(t, w) for t, w in zip(r, widths)) for r in cells]
    if multiline:
        body = [line for b in body for line in (b, "")][:-1]
    assert grid("\n".join([rule, *body, rule])) == [r for r in cells]


def test_pandoc_bracketed_spans_are_markup_not_text():
    # A page pasted from Word: pandoc's Markdown keeps each <span lang=… style=…> as
    # 「[132]{lang="EN-US" style="…仿宋…"}」; the cell is its text, in its column.
    span = '{lang="EN-US" style="font-family:\\"仿宋_GB2312\\""}'
    text = f"""\
  ------------------------------------------------------ ------------------------------------------------------
  [信息内容]{span}       [本年处理决定数量]{span}
  [行政处罚]{span}       [132]{span}
  [行政强制]{span}       [6]{span}
  ------------------------------------------------------ ------------------------------------------------------"""
    assert grid(text) == [["信息内容", "本年处理决定数量"], ["行政处罚", "132"], ["行政强制", "6"]]


def test_rows_written_down_their_columns_together_are_told_apart_by_their_order():
    # pdftotext -layout of examples/html/nanhu-wjw-2021.html: two labels, then each column's
    # two numbers on lines of their own, the first row's above the second's.
    lines = ["  不予 4.保护第三方合法权益          5  1   0   0   0   0   6", "",
             "  公开 5.属于三类内部事务信息", "      6.属于四类过程性信息"]
    for column, (a, b) in zip((26, 29, 33, 37, 41, 45, 49), ((1, 3), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (1, 3))):
        lines += [" " * column + str(a), " " * column + str(b)]
    lines += ["三     7.属于行政执法案卷          0  1   0   0   0   0   1"]
    assert grid("\n".join(lines))[1:3] == [["5.属于三类内部事务信息", "1", "0", "0", "0", "0", "0", "1"],
                                          ["6.属于四类过程性信息", "3", "0", "0", "0", "0", "0", "3"]]
