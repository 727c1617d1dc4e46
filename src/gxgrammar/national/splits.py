"""Digits run together: the ways to cut 「801000081」 back into the values of a row.

Text stripped from a page can lose every cell boundary, so a row's seven counts
80, 1, 0, 0, 0, 0, 81 arrive as one run of digits. Each way to cut the run into as
many parts as the row has columns, every part a plausible value for its column, is a
candidate. Plausible means: a count is 0 or has no leading zero; a signed value
(2019's 本年增/减) may carry a minus sign; an amount may have decimals; a dash is a
blank cell. The identities of the national format then judge the candidates
(infer.py); identities within the row prune the search as it goes, so that a
fifteen-value appeals row stays cheap.
"""
from __future__ import annotations

import re
from functools import lru_cache

from gxgrammar.cache import regex

MAX_SPLITS = 5000
# The longest part a value can be (a count of 15 digits, an amount with its decimals): a
# longer run cannot be the row's values, and the search stops short of trying.
MAX_PART = 16

_PART = {
    "count": regex(r"0|[1-9]\d*"),
    "signed": regex(r"[-+]?(?:0|[1-9]\d*)"),
    "decimal": regex(r"(?:0|[1-9]\d*)(?:\.\d+)?"),
}
_DASH = regex(r"[—–/]+|-+(?!\d)")
_DASH_CHAR = regex(r"[—–/-]")


def value_of(part, kind):
    """The value a part stands for: int, float, or None for a dash."""
    if _DASH.fullmatch(part):
        return None
    if kind == "decimal" and "." in part:
        return float(part)
    return int(part)


def plausible(part, kind):
    return bool(_PART[kind].fullmatch(part) or _DASH.fullmatch(part))


@lru_cache(maxsize=65536)
def _judged(part, kind):
    """(plausible, value): the search meets the same short parts again and again."""
    if not plausible(part, kind):
        return False, None
    return True, value_of(part, kind)


def splits(text, kinds, totals=(), limit=MAX_SPLITS):
    """Every cut of `text` into len(kinds) plausible parts: a list of [(part, offset)].

    `totals` are identities within the row, as (total position, part positions): a
    candidate whose values break one is not kept. Returns None when more than
    `limit` candidates remain (too many to judge).
    """
    k = len(kinds)
    checks = {}
    for total, parts in totals:
        checks.setdefault(max(total, *parts), []).append((total, parts))
    # A row's total in its last column, of counts (never negative): the counts cut so far
    # cannot add up to more than the largest number the rest of the digits can end with.
    last = tuple(members for total, members in totals
                 if total == k - 1 and all(kinds[j] == "count" for j in members))
    found = []
    if _sums_to_last(text, kinds, totals):
        if not _cut_to_total(text, k, limit, found):
            return None
        return found
    if not _cut(text, kinds, checks, limit, 0, [], found, last):
        return None
    return found


def _sums_to_last(text, kinds, totals):
    """Whether the row is counts alone whose last column is the sum of all the others
    (table 三's rows), written in ASCII digits alone: then the total is cut first."""
    k = len(kinds)
    return k > 1 and list(totals) == [(k - 1, tuple(range(k - 1)))] and \
        all(kind == "count" for kind in kinds) and text.isascii() and text.isdigit()


def _cut_to_total(text, k, limit, found):
    """The cuts of a row of counts whose last part is the sum of the others: each way to
    end the text with the total, then the cuts of the rest into k-1 counts adding up to
    it. The same cuts as _cut finds, in its order (found is sorted by the offsets), but
    a part larger than what is left of the total ends its search at once."""
    for length in range(1, min(MAX_PART, len(text) - (k - 1)) + 1):
        tail = text[len(text) - length:]
        if not _PART["count"].fullmatch(tail):
            continue
        head = text[:len(text) - length]
        if not _cut_summing(head, k - 1, int(tail), limit, 0, [], found, (tail, len(head)), set()):
            return False
    found.sort(key=lambda parts: [offset for _, offset in parts])
    return True


def _cut_summing(text, k, left, limit, start, parts, found, total, dead):
    """Cut text[start:] into k - len(parts) counts adding up to `left` (depth first);
    False once there are too many. `dead` holds the (start, parts cut, left) from which
    no cut adds up: the search meets them again by other ways."""
    rest = k - len(parts) - 1          # parts still to cut after this one
    before = len(found)
    for end in range(start + 1, min(len(text) - rest, start + MAX_PART) + 1):
        piece = text[start:end]
        if len(piece) > 1 and piece[0] == "0":
            break                       # a count has no leading zero; longer ones neither
        value = int(piece)
        if value > left:
            break                       # a longer piece is larger still
        remaining = len(text) - end
        if rest == 0:
            if remaining == 0 and value == left:
                found.append([*parts, (piece, start), total])
                if len(found) > limit:
                    return False
            continue
        # What is left of the total must fit the counts the rest of the digits can be:
        # one of them has at least `widest` digits, and none more than `longest`.
        widest, longest = -(-remaining // rest), remaining - rest + 1
        after = left - value
        if (widest > 1 and after < 10 ** (widest - 1)) or after >= rest * 10 ** longest \
                or (end, len(parts) + 1, after) in dead:
            continue
        parts.append((piece, start))
        if not _cut_summing(text, k, after, limit, end, parts, found, total, dead):
            return False
        parts.pop()
    if len(found) == before:
        dead.add((start, len(parts), left))
    return True


def _largest_total(text, end, parts_left):
    """The largest value the last part can take once text[:end] is cut and `parts_left`
    parts stand between: the longest digits the text ends with (None if not all digits)."""
    longest = min(MAX_PART, len(text) - end - parts_left)
    if longest <= 0:
        return -1
    tail = text[len(text) - longest:]
    return int(tail) if tail.isdigit() else None


def _over_total(text, end, parts, k, last):
    """Whether the counts cut so far already exceed any total the rest of the text can hold.

    A blank member (a dash) leaves the identity unchecked, so the bound holds only while
    no part cut is a dash and none of the rest of the text can be one."""
    if _DASH_CHAR.search(text, end):
        return False
    largest = None
    for members in last:
        values = [parts[j][2] for j in members if j < len(parts)]
        if None in values:
            continue
        counted = sum(values)
        if not counted:
            continue
        if largest is None:
            largest = _largest_total(text, end, k - 1 - len(parts))
            if largest is None:
                return False
        if counted > largest:
            return True
    return False


def _cut(text, kinds, checks, limit, start, parts, found, last=()):
    """Cut text[start:] into the remaining parts (depth first); False once there are too many.

    A module-level function, not a closure: a recursive closure is a reference cycle."""
    k, i = len(kinds), len(parts)
    if i == k:
        if start == len(text):
            found.append([(piece, offset) for piece, offset, _value in parts])
        return len(found) <= limit
    if len(text) - start > (k - i) * MAX_PART:
        return True             # more digits than the remaining parts can hold
    rest = k - i - 1
    for end in range(start + 1, min(len(text) - rest, start + MAX_PART) + 1):
        piece = text[start:end]
        if piece.endswith("-") and text[end:end + 1].isdigit() and \
                (kinds[i] == "signed" or (i + 1 < k and kinds[i + 1] == "signed")):
            # A minus before digits is their sign in a signed column. Before one, it could
            # be a blank cell's dash or the sign of the next value (a cell lost): no cut.
            continue
        ok, value = _judged(piece, kinds[i])
        if not ok:
            if not _could_grow(piece, kinds[i]):
                break
            continue
        parts.append((piece, start, value))
        if last and i < k - 1 and _over_total(text, end, parts, k, last):
            parts.pop()
            break               # a longer piece holds a larger count: over the total too
        if _holds(parts, kinds, checks.get(i, ())) and \
                not _cut(text, kinds, checks, limit, end, parts, found, last):
            return False
        parts.pop()
    return True


def _could_grow(piece, kind):
    """Whether a longer piece could still be plausible: a lone plus sign, or 3. before its decimals."""
    return (kind == "signed" and piece == "+") or \
        (kind == "decimal" and bool(re.fullmatch(r"(?:0|[1-9]\d*)\.", piece)))


def _holds(parts, kinds, checks):
    for total, members in checks:
        whole = parts[total][2]
        if whole is None:
            continue
        counted = 0
        for j in members:
            value = parts[j][2]
            if value is None:
                break
            counted += value
        else:
            if whole != counted:
                return False
    return True
