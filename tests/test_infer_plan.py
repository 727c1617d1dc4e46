"""Judging readings against identities: the planned judge (the context's cells summed once
per identity, national/judge.py) decides as the identities read literally do, cell by cell in their order."""
from hypothesis import given, settings, strategies as st

from gxgrammar.national.identities import Identity
from gxgrammar.national.judge import breaks_one, plan, settle

KEYS = [f"t.r{i}.c" for i in range(6)]
VALUES = st.one_of(st.none(), st.integers(min_value=0, max_value=30))
IDENTITY = st.tuples(st.lists(st.sampled_from(KEYS), min_size=1, max_size=2),
                     st.lists(st.sampled_from(KEYS), min_size=1, max_size=4))
ENTRY = st.one_of(st.just(("unknown", None)), st.tuples(st.just("read"), VALUES, st.none()))


def _value(key, reading, context):
    entry = reading.get(key)
    if entry is None:
        return context.get(key)
    return entry[1] if entry[0] != "unknown" else None


def _settle_literally(reading, context, identities):
    """Each identity summed in its own order, every time: what _settle must agree with."""
    changed = True
    while changed:
        changed = False
        for ident in identities:
            if not any(k in reading for k in ident.cells):
                continue
            missing, sums = [], [0, 0]
            for side, keys in enumerate((ident.lhs, ident.parts)):
                for k in keys:
                    v = _value(k, reading, context)
                    if v is None:
                        missing.append(k)
                    else:
                        sums[side] += v
            if not missing:
                if sums[0] != sums[1]:
                    return False
            elif len(missing) == 1 and missing[0] in reading and reading[missing[0]][0] == "unknown":
                key = missing[0]
                solved = sums[1] - sums[0] if key in ident.lhs else sums[0] - sums[1]
                if solved < 0:
                    return False
                reading[key] = ("solved", solved, ident)
                changed = True
    return True


def _breaks_literally(reading, context, identities):
    """(The joint search judges a row's readings by the identities that name its cells.)"""
    for ident in identities:
        if not any(k in reading for k in ident.cells):
            continue
        values = [_value(k, reading, context) for k in ident.cells]
        if None not in values and sum(values[:len(ident.lhs)]) != sum(values[len(ident.lhs):]):
            return True
    return False


def _case(draw_identities, row, entries, context):
    identities = tuple(Identity("t.sum", "", tuple(lhs), tuple(parts)) for lhs, parts in draw_identities)
    reading = dict(zip(row, entries))
    return identities, reading, {k: v for k, v in context.items() if k not in reading}


CASES = st.tuples(st.lists(IDENTITY, min_size=1, max_size=4),
                  st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True),
                  st.lists(ENTRY, min_size=4, max_size=4),
                  st.dictionaries(st.sampled_from(KEYS), VALUES))


@settings(deadline=None, max_examples=400)
@given(CASES)
def test_a_planned_reading_settles_as_the_identities_read_literally(case):
    identities, reading, context = _case(*case)
    planned, literal = dict(reading), dict(reading)
    assert settle(planned, plan(identities, context, reading)) == _settle_literally(literal, context, identities)
    if _settle_literally(dict(reading), context, identities):
        assert planned == literal


@settings(deadline=None, max_examples=400)
@given(CASES)
def test_a_planned_reading_breaks_an_identity_as_the_identities_read_literally(case):
    identities, reading, context = _case(*case)
    assert breaks_one(reading, plan(identities, context, reading)) == \
        _breaks_literally(reading, context, identities)
