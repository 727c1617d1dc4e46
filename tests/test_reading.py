"""How many numbers end a line, as the table reading counts them before it looks further."""
from gxgrammar.layouts.reading import _numbers_in


def test_the_numbers_that_end_a_line():
    assert _numbers_in("（一）予以公开 30 0 0 0 0 0 30") == 7
    assert _numbers_in("1.属于国家秘密0 0 0") == 3          # the first follows a label with no space
    assert _numbers_in("1 -2 +3 1,234 5.5") == 5
    assert _numbers_in("3-4") == 2                          # a sign starts the next number
    assert _numbers_in("行政许可 12件") == 0
    assert _numbers_in("ab12 3") == 1                       # digits after Latin letters are no number
    assert _numbers_in("") == 0


def test_a_long_run_of_digits_before_words_is_counted_at_once():
    # Numbers written together were each tried as several: 2**39 ways for these 40 digits.
    assert _numbers_in("1" * 40 + "件") == 0
    assert _numbers_in("表" + " 1" * 3000 + "x") == 0
    assert _numbers_in("表 " + "12 " * 2000) == 2000
