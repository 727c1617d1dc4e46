"""The caret under a parse error: placed by display width, tabs shown, long lines cut around it."""
from hypothesis import given, strategies as st

from gxgrammar.layouts.caret import char_width, display_width, excerpt, expected_words, visible


def test_cjk_characters_are_two_columns_wide():
    assert display_width("规章") == 4
    assert display_width("（一）") == 6
    assert display_width("(1)") == 3
    assert display_width("a\tb") == 3          # a tab is shown as one visible symbol


def test_the_caret_stands_under_the_character_after_cjk_text_and_a_tab():
    assert excerpt("信息内容\t本年制发件数", 6) == ["  信息内容␉本年制发件数", "           ^"]


def test_a_long_line_is_cut_around_the_caret():
    line = "规章" * 60 + "X" + "规章" * 60
    shown, caret = excerpt(line, 121)
    assert shown.startswith("  ⋯") and shown.endswith("⋯")
    assert display_width(shown) <= 2 + 72 + 2
    assert _char_at(shown, caret.index("^")) == "X"


def test_expected_terminals_in_a_users_words():
    terms = {"CELL_TEXT": "the text of a cell"}
    assert expected_words({"CELL_TEXT"}, terms) == "the text of a cell"
    assert expected_words({"CELL_TEXT", "_NL", "$END"}, terms) == \
        "the end of the table, the text of a cell, or a line break"
    assert expected_words({"_CELL_END"}) == "cell end"


def _char_at(shown, offset):
    """The character of `shown` that starts at display column `offset`."""
    at = 0
    for ch in shown:
        if at == offset:
            return ch
        at += char_width(ch)
    return None


TEXT = st.text(alphabet=st.sampled_from(list("规章公开申请ab1 \t（）、")), min_size=1, max_size=200)


@given(TEXT, st.data())
def test_the_caret_always_points_at_the_column_it_was_given(line, data):
    column = data.draw(st.integers(min_value=1, max_value=len(line)))
    shown, caret = excerpt(line, column)
    assert caret.strip() == "^"
    assert _char_at(shown, caret.index("^")) == visible(line[column - 1])
