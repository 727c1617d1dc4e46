"""The readings of a table's numbers that the columns reader judges (readers/columns.py).

A reading puts every number of a block in a cell: the lines with words lead their rows,
the other lines fill the rest in reading order; or, for table 三's numbers with no
words beside them, rows come in bands written down their columns. The identities keep
the readings that hold; a cell is settled where every kept reading gives it one number.
"""
from __future__ import annotations

from collections import ChainMap
from itertools import combinations, product
from math import comb, prod

from gxgrammar import national as nf
from gxgrammar.readers.column_flows import TooMany, flows_with_order, totals_apart

UNCERTAIN = "?"                 # a cell whose number the order leaves open
MAX_READINGS = 4000             # candidate readings judged per block, at most
MAX_SPILL = 2                   # numbers of a neighbouring table a block's text may hold at its ends
MOVE_REACH = 12                 # lines around a stray number whose words say which rows are near
MAX_TOTALS_APART = 2            # rows' totals a page's second flow may give after itself, at most


def _readings(shape, pieces):
    """Every reading of the pieces the rules allow: {cell index: value, or "" (blank)}."""
    soft = [p for p in pieces if len(p.options) > 1]
    choices = [p.options for p in soft]
    if prod(len(c) for c in choices) > MAX_READINGS:
        return None
    at = {cell: k for k, cell in enumerate(shape.cells)}
    out = []
    for combo in product(*choices):
        role = {id(p): o for p, o in zip(soft, combo)}
        claimed, free_values, ok = {}, [], True
        taken = {}                     # row -> cells of it claimed so far
        for p in pieces:
            r = role.get(id(p), p.options[0])
            if r is None:
                free_values.extend(p.values)
                continue
            start = taken.get(r, 0)
            if start + len(p.values) > shape.rows[r][2]:
                ok = False
                break
            taken[r] = start + len(p.values)
            for c, v in enumerate(p.values, start):
                claimed[(r, c)] = v
        if not ok:
            continue
        free = [k for k, cell in enumerate(shape.cells) if cell not in claimed]
        blanks = len(free) - len(free_values)
        if blanks < 0:
            continue
        base = {at[cell]: v for cell, v in claimed.items()}
        if comb(len(free), blanks) * max(len(out), 1) > MAX_READINGS * 8:
            return None
        for gap in combinations(range(len(free)), blanks):
            reading = dict(base)
            values = iter(free_values)
            gaps = set(gap)
            for n, k in enumerate(free):
                reading[k] = "" if n in gaps else next(values)
            out.append(reading)
            if len(out) > MAX_READINGS:
                return None
    return out


def _number(value):
    if value == "":
        return None
    text = value[0].replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None          # a dash: blank


def cell_columns(table, template, shape):
    """The block's cells in reading order, as (row key, the format's column)."""
    return [(key, col) for key, _, n in shape.rows
            for col in nf.columns_for(table, nf.row_by_key(table, key), template)[:n]]


def identity_checks(table, template, shape):
    """The identities of the table whose cells all lie in the block, as (lhs count, cell indexes)."""
    at = {f"{table}.{key}.{col.key}": k for k, (key, col) in enumerate(cell_columns(table, template, shape))}
    return [(len(i.lhs), [at[c] for c in i.cells]) for i in nf.table_identities(template, None, table)
            if all(c in at for c in i.cells)]


def own_identities(shape, checks):
    """{row index: the checks whose cells all lie in that row} (a row's own total)."""
    row_of = [r for r, _ in shape.cells]
    own = {}
    for check in checks:
        rows = {row_of[k] for k in check[1]}
        if len(rows) == 1:
            own.setdefault(rows.pop(), []).append(check)
    return own


def _column_kinds(table, template, shape):
    """Per cell: (may it be negative, may it have decimals). Of the format's columns only
    本年增/减 is signed and only 采购总金额 has decimals: every other cell is a count."""
    return [((table, col.key) in nf.SIGNED_COLUMNS, (table, col.key) in nf.DECIMAL_COLUMNS)
            for _, col in cell_columns(table, template, shape)]


def _fits_columns(reading, kinds):
    """Whether a reading puts no negative number and no fraction in a column of counts."""
    for k, v in reading.items():
        x = _number(v) if v else None
        if x is None:
            continue
        signed, decimal = kinds[k]
        if (x < 0 and not signed) or (x != int(x) and not decimal):
            return False
    return True


def _same_reading(a, b):
    return all(_number(a[k]) == _number(b[k]) if a[k] and b[k] else a[k] == b[k] for k in a)


def _totals_apart(shape, ordered, checks):
    """The readings in two flows that keep every identity once a row's total, or two
    rows' totals, are taken to stand after the second flow (column_flows.totals_apart);
    [] when none does, or when there are too many to judge."""
    width, own = shape.rows[0][2], own_identities(shape, checks)
    kept = []
    try:
        for reading, second in ordered:
            kept += totals_apart(reading, second, width,
                                 lambda r, row, reading=reading: holds_all(ChainMap(row, reading), own.get(r, ())),
                                 lambda whole: holds_all(whole, checks), MAX_TOTALS_APART)
    except TooMany:
        return []
    return kept


def _one_moved(table, template, shape, pieces, checks, worded):
    """The readings that keep every identity once one line of numbers is taken for the
    first cells of a row near the rows its neighbouring words name (a row's first
    number can stray from its row: a page break, a label set apart)."""
    index = {key: i for i, (key, _, _) in enumerate(shape.rows)}
    kept, tried = [], 0
    if sum(len(p.values) for p in pieces) > len(shape.cells):
        return []                  # too many numbers: moving one does not help
    for piece in pieces:
        if piece.options != (None,):
            continue
        named = [index[r.key] for n in range(max(1, piece.line - MOVE_REACH), piece.line + MOVE_REACH)
                 if n < len(worded) and worded[n]
                 for r in [nf.match_row(table, worded[n], template)]
                 if r is not None and r.key in index]
        if not named:
            continue
        rows = range(max(0, min(named) - 2), min(len(shape.rows), max(named) + 3))
        for r in rows:
            if len(piece.values) > shape.rows[r][2]:
                continue
            piece.options = (r,)
            found = _readings(shape, pieces) or []
            piece.options = (None,)
            tried += len(found)
            if tried > MAX_READINGS:
                return []
            kept.extend(x for x in found if holds_all(x, checks))
    return kept


def _bands(shape, pieces, checks, worded):
    """The readings that keep every identity when the numbers come in bands of rows,
    each band written down its columns (a row alone is a band of one, so reading row
    by row is one of them): a page's reading order takes a block of like rows as
    columns. Each band must keep the identities within its rows; the whole reading,
    every identity. None when there are too many to judge."""
    values = [v for p in pieces for v in p.values]
    if len(values) != len(shape.cells):
        return []
    line_of = [n for n, p in enumerate(pieces) for _ in p.values] + [-1]
    widths = [n for _, _, n in shape.rows]
    starts = [0]
    for n in widths:
        starts.append(starts[-1] + n)
    row_of = {k: r for k, (r, _) in enumerate(shape.cells)}
    within = [[] for _ in widths]
    for lhs, cells in checks:
        rows = {row_of[k] for k in cells}
        if len(rows) == 1:
            within[rows.pop()].append((lhs, cells))
    memo = {}

    def tails(a):
        """The readings of rows a… on, told apart by their numbers (rows of zeros cut
        into bands any way read alike)."""
        if a == len(widths):
            return [{}]
        if a in memo:
            return memo[a]
        out, seen = [], set()
        for b in range(a + 1, len(widths) + 1):
            if widths[b - 1] != widths[a]:
                break
            h, w, at = b - a, widths[a], starts[a]
            if h > 1 and (not _lines_down(line_of, at, h, w) or
                          any(worded[i] for i in range(values[at][1] + 1, values[at + h * w - 1][1]))):
                continue           # a band is one block of numbers: no words inside it
            band = {starts[r] + c: values[at + c * h + (r - a)] for c in range(w) for r in range(a, b)}
            if not all(holds_all(band, within[r]) for r in range(a, b)):
                continue
            rest = tails(b)
            if rest is None:
                memo[a] = None
                return None
            for tail in rest:
                reading = {**band, **tail}
                key = tuple(_number(reading[k]) for k in range(starts[a], len(values)))
                if key not in seen:
                    seen.add(key)
                    out.append(reading)
                    if len(out) > MAX_READINGS:
                        memo[a] = None
                        return None
        memo[a] = out
        return out

    found = tails(0)
    if found is None:
        return None
    return [r for r in found if holds_all(r, checks)]


def _lines_down(line_of, at, h, w):
    """Whether every line of numbers in a band written down its columns holds numbers of
    one column only (a line is one baseline: it never turns a column's corner)."""
    end = at + h * w
    if (at and line_of[at - 1] == line_of[at]) or line_of[end - 1] == line_of[end]:
        return False
    return all(line_of[p - 1] != line_of[p] for p in range(at + h, end, h))


def _broken(reading, checks):
    """The identities whose cells a reading all has that it breaks, one by one."""
    numbers = {}                  # a cell is in a row's identity and a column's: read it once
    for check in checks:
        lhs, cells = check
        vals = []
        for k in cells:
            v = numbers.get(k, _UNREAD)
            if v is _UNREAD:
                v = numbers[k] = _number(reading[k])
            vals.append(v)
        if None not in vals and abs(sum(vals[:lhs]) - sum(vals[lhs:])) > 1e-9:
            yield check


_UNREAD = object()


def holds_all(reading, checks):
    """Whether a reading breaks none of them (stops at the first broken: most break one early)."""
    return next(_broken(reading, checks), None) is None


def _checks_all(reading, checks):
    """Whether a reading has a number in every cell of every identity (none unchecked)."""
    return all(_number(reading[k]) is not None for _, cells in checks for k in cells)


def _failures(reading, checks):
    """How many identities whose cells a reading all has it breaks."""
    return sum(1 for _ in _broken(reading, checks))


def _row_words(table, template, shape, worded):
    """The lines' words, but for the lines that only name the block's columns: a column's
    header between two numbers (「现行有效件数」, the cells above it written after the cells
    of the column before) does not set two rows apart."""
    headers = sorted({nf.normalise_label(c.label) for key, _, _ in shape.rows
                      for c in nf.columns_for(table, nf.row_by_key(table, key), template)}, key=len, reverse=True)
    out = []
    for text in worded:
        rest = text
        for h in headers:
            rest = rest.replace(h, "")
        out.append(text if rest.strip() else "")
    return out


def _rows_apart(shape, reading, worded):
    """Whether words (other than column headers) stand between the numbers of each row
    and those of the next."""
    spans = {}
    for k, (r, _) in enumerate(shape.cells):
        v = reading[k]
        if v:
            first, last = spans.get(r, (v[1], v[1]))
            spans[r] = (min(first, v[1]), max(last, v[1]))
    rows = sorted(spans)
    for a, b in zip(rows, rows[1:]):
        end, start = spans[a][1], spans[b][0]
        if start > end and not any(worded[i] for i in range(end, start + 1)):
            return False
    return True


def _spilled(pieces, cells, start):
    """The pieces, and where they hold more numbers than the block's cells, the pieces
    without the numbers of a neighbouring table that the page's reading order put past the
    heading between them: a line or two of numbers at either end of the text (a table's
    last cell after the next heading), or every number before the first line that names a
    row of the table (the table before's numbers, all after its labels and the heading).
    Each way is a reading of its own, for the identities."""
    extra = sum(len(p.values) for p in pieces) - cells
    if extra <= 0:
        return [pieces]
    ways = []
    after = [p for p in pieces if start is not None and p.line > start]
    if after and len(after) < len(pieces) and sum(len(p.values) for p in after) <= cells:
        ways.append(after)
    if extra > MAX_SPILL:
        return ways or [pieces]
    for head in range(len(pieces) + 1):
        dropped = sum(len(p.values) for p in pieces[:head])
        if dropped > extra:
            break
        if any(p.options != (None,) for p in pieces[:head]):
            break               # a line with words names its row: never spilled
        for tail in range(len(pieces) - head + 1):
            end = pieces[len(pieces) - tail:] if tail else []
            gone = dropped + sum(len(p.values) for p in end)
            if gone > extra or any(p.options != (None,) for p in end):
                break
            if gone == extra:
                ways.append(pieces[head:len(pieces) - tail])
    return ways or [pieces]


# How a block without identities was placed, when its numbers have no words between rows:
SHOWN = "shown"         # in the text's order, the only order the format's columns allow
OPEN = "open"           # the text's order fits, and so does another
CONTRARY = "contrary"   # the text's order does not fit, another does


def settle(table, template, shape, pieces, worded, lines=(), text_order=False):
    """({cell index: value, "" or UNCERTAIN}, SHOWN, OPEN, CONTRARY or None) for a block.

    The readings kept are those that keep every identity; failing any, the one reading
    that breaks a single identity (a report's own slip, which the checks then report),
    where it leaves none unchecked: a blank may hide a misplaced number's other one.
    A block without identities (table 二) must have words between the numbers of any
    two of its rows: numbers of two rows with none between them may be a column (unless
    each of its rows holds one cell: then a column is the rows in order). Such a block
    is read in the text's order where that is the only order its columns allow (SHOWN),
    or, with `text_order` (a like block of the page showed it), where it is one of
    several (OPEN)."""
    order = None
    checks = identity_checks(table, template, shape)
    readings, flows, bands = [], [], []     # flows: (reading, its second flow's cells)
    start = next((i for i, words in enumerate(worded) if words and nf.match_row(table, words, template)), None)
    for ways in (_spilled(pieces, len(shape.cells), start) if checks else [pieces]):
        found = _readings(shape, ways)
        try:
            flowing = flows_with_order(table, template, shape, ways, worded, lines)
        except TooMany:
            flowing = None
        if found is None or flowing is None:
            return {k: UNCERTAIN for k in range(len(shape.cells))}, order
        readings += found
        flows += flowing
        # (Table 四 is one row in the format: its numbers come in no bands.)
        if all(p.options == (None,) for p in ways) and len(found) == 1 and table == "requests" and checks:
            # Numbers with no words beside them may come row by row or in bands down
            # the columns: every such reading that keeps the identities counts.
            banded = _bands(shape, ways, checks, worded)
            if banded is None:
                return {k: UNCERTAIN for k in range(len(shape.cells))}, order
            bands.append((found[0], banded))
    if not (readings or flows):
        return {k: UNCERTAIN for k in range(len(shape.cells))}, order
    if checks:
        in_bands = {id(r) for r, _ in bands}
        # Whether a reading holds stops at its first broken identity; the count of those it
        # breaks is needed only when none holds.
        kept = [r for r in readings if id(r) not in in_bands and holds_all(r, checks)]
        kept += [r for _, banded in bands for r in banded]
        # A page in two flows (readers/column_flows.py) is judged with the rest.
        kept += [r for r, _second in flows if holds_all(r, checks)]
        if not kept and flows:
            kept = _totals_apart(shape, flows, checks)
        if not kept:
            kept = _one_moved(table, template, shape, pieces, checks, worded)
        if not kept:
            near = [r for r in readings if _failures(r, checks) == 1]
            kept = near if len(near) == 1 and _checks_all(near[0], checks) else []
    elif all(n == 1 for _, _, n in shape.rows):
        kept = readings
    else:
        labels = _row_words(table, template, shape, worded)
        kept = [r for r in readings if _rows_apart(shape, r, labels)]
        if not kept and len(readings) == 1 and all(p.options == (None,) for p in pieces):
            # Numbers with no words between the rows: row by row, as the text has them, or in
            # bands down the columns. The text's own order is kept when it is the only one the
            # format's columns allow (every other puts a negative number or a fraction in a
            # column of counts: only 本年增/减 is signed, only 采购总金额 has decimals), or when
            # every order reads the same numbers.
            kinds = _column_kinds(table, template, shape)
            orders = _bands(shape, pieces, [], worded) or []
            fitting = [r for r in orders if _fits_columns(r, kinds)]
            if len(fitting) == 1 and _same_reading(fitting[0], readings[0]):
                # (a block whose every order reads alike shows no order)
                kept, order = readings, SHOWN if len(orders) > 1 else None
            elif any(_same_reading(r, readings[0]) for r in fitting):
                order = OPEN
                kept = readings if text_order else []
            elif fitting:
                order = CONTRARY
    if not kept:
        return {k: UNCERTAIN for k in range(len(shape.cells))}, order
    out = {}
    for k in range(len(shape.cells)):
        # The same number in every reading (from whichever of its equal tokens) is certain.
        seen = {_number(v) if v and _number(v) is not None else v[0] if v else "" for v in (r[k] for r in kept)}
        # A cell no number fills was not read: no blank is seen, only a number missing.
        out[k] = kept[0][k] if len(seen) == 1 and kept[0][k] else UNCERTAIN
    return out, order
