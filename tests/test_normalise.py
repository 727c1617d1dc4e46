"""Lines normalised (NFKC) the quick way give what unicodedata.normalize gives."""
import unicodedata

from hypothesis import given, settings, strategies as st

from gxgrammar.readers.text import _WIDE, normalise_line

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
