"""Lines normalised (NFKC) the quick way give what unicodedata.normalize gives."""
import unicodedata

from hypothesis import given, settings, strategies as st

from gxgrammar.readers.text import _WIDE, _nfkc, normalise_line, normalise_lines

# Full-width forms, wide spaces, combining marks, ligatures, the hidden marks and plain text.
_ALPHABET = "，（）；：！？％\u3000\xa0０１２ＡＢ．－。、“”申请a1 (\u0301\u0308\ufb01\u2460\u200b\ufeff"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=30))
def test_a_line_is_what_nfkc_makes_of_it_without_its_hidden_marks(line):
    expected = unicodedata.normalize("NFKC", line)
    for mark in "\u200b\ufeff":
        expected = expected.replace(mark, "")
    assert normalise_line(line) == expected


def test_each_wide_form_is_replaced_by_what_nfkc_makes_of_it():
    assert all(unicodedata.normalize("NFKC", wide) == narrow for wide, narrow in _WIDE)
    assert normalise_line("（一）予以公开：３件，占１０％；\u3000合计") == "(一)予以公开:3件,占10%; 合计"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET + "\r", max_size=12), max_size=8), st.booleans())
def test_lines_normalised_as_one_text_are_each_line_normalised(lines, hidden):
    expected = [normalise_line(line) if hidden else _nfkc(line) for line in lines]
    assert normalise_lines(lines, hidden) == expected


def test_a_line_break_inside_a_line_keeps_the_lines_apart():
    assert normalise_lines(["（一）\n３件", "合计"]) == ["(一)\n3件", "合计"]
