"""Digits run together: every plausible cut, bounded, and the right one among them."""
from hypothesis import given, settings, strategies as st

from gxgrammar.national.splits import plausible, splits


def _parts(found):
    return [[piece for piece, _ in cut] for cut in found]


def test_the_row_total_leaves_one_cut():
    row_total = [(6, (0, 1, 2, 3, 4, 5))]
    assert _parts(splits("801000081", ["count"] * 7, row_total)) == [["80", "1", "0", "0", "0", "0", "81"]]
    assert len(splits("801000081", ["count"] * 7)) == 5


def test_a_count_has_no_leading_zero_unless_it_is_zero():
    assert _parts(splits("0110", ["count"] * 3)) == [["0", "1", "10"], ["0", "11", "0"]]
    assert _parts(splits("000", ["count"] * 3)) == [["0", "0", "0"]]
    assert splits("0012", ["count"] * 2) == []


def test_signs_decimals_and_dashes_where_the_column_allows_them():
    assert _parts(splits("9-173", ["count", "signed", "count"])) == [["9", "-1", "73"], ["9", "-17", "3"]]
    assert _parts(splits("19.6", ["count", "decimal"])) == [["1", "9.6"]]
    assert _parts(splits("———", ["count"] * 3)) == [["—", "—", "—"]]
    assert splits("3.26", ["count"]) == []


def test_offsets_say_where_each_part_stands():
    assert splits("3710", ["count"] * 3, [(2, (0, 1))]) == [[("3", 0), ("7", 1), ("10", 2)]]


def test_too_many_cuts_are_refused_rather_than_judged():
    assert splits("1" * 30, ["count"] * 15) is None


# Up to seven counts below 100: at most 14 digits, fewer cuts than the limit.
COUNTS = st.lists(st.integers(min_value=0, max_value=99), min_size=1, max_size=7)


@settings(deadline=None)
@given(COUNTS)
def test_the_true_cut_is_always_among_the_candidates(values):
    text = "".join(map(str, values))
    found = splits(text, ["count"] * len(values))
    assert found is not None
    assert [str(v) for v in values] in _parts(found)
    for cut in found:
        assert "".join(piece for piece, _ in cut) == text
        assert all(plausible(piece, "count") for piece, _ in cut)
        assert [offset for _, offset in cut] == [sum(len(p) for p, _ in cut[:i]) for i in range(len(cut))]


def _searched_left_to_right(text, k):
    """The cuts the general search finds, for comparison with the row-total search."""
    from gxgrammar.national.splits import _cut
    found, kinds = [], ["count"] * k
    row_total = (k - 1, tuple(range(k - 1)))
    assert _cut(text, kinds, {k - 1: [row_total]}, 10 ** 6, 0, [], found, (row_total[1],))
    return found


ROW = st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=6)


@settings(deadline=None, max_examples=200)
@given(ROW, st.text(alphabet="0123456789", max_size=2))
def test_a_row_whose_total_is_cut_first_has_the_same_cuts_in_the_same_order(values, noise):
    # A true row (its total last), now and then with digits of a neighbouring cell on it.
    text = "".join(map(str, values + [sum(values)])) + noise
    k = len(values) + 1
    assert splits(text, ["count"] * k, [(k - 1, tuple(range(k - 1)))]) == _searched_left_to_right(text, k)


@settings(deadline=None, max_examples=200)
@given(st.text(alphabet="0123456789", min_size=2, max_size=15), st.integers(min_value=2, max_value=7))
def test_any_digits_cut_against_a_row_total_as_by_the_general_search(text, k):
    if len(text) >= k:
        assert splits(text, ["count"] * k, [(k - 1, tuple(range(k - 1)))]) == _searched_left_to_right(text, k)
