"""From a grid of cells to the cells of the model: the national format meets a layout.

For each grid row: the label cells come first, the value cells after them; the label
names the row (by the rules of `national`), the values fill its columns in order.
A row with fewer values than columns had cells cut off by its encoding; those rows go
to `infer`, which places the values only where the identities leave one answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from gxgrammar import national as nf
from gxgrammar.cache import regex
from gxgrammar.layouts.grid import Cell, Row
from gxgrammar.national.cells import read_cell
from gxgrammar.national.infer import JoinedRow, ShortRow, resolve
from gxgrammar.i18n import _
from gxgrammar.model import Finding

_ROW_NUMBER = regex(r"^\d{1,2}[.、]")
_DIGIT = regex(r"\d")


def _has_number(text):
    """Whether a word holds digits other than a leading row number (「1.属于国家秘密」 does not)."""
    number = _ROW_NUMBER.match(text)
    return _DIGIT.search(text, number.end() if number else 0) is not None

# Words of the tables' column headers: a row made of them and blanks is a header row.
HEADER_WORDS = nf.HEADER_WORDS


@dataclass
class TableRead:
    table: str
    layout: str
    values: dict = field(default_factory=dict)       # cell key -> value (None: blank)
    provenance: dict = field(default_factory=dict)   # cell key -> {"line", "column", "inferred"?}
    findings: list = field(default_factory=list)
    rows_found: int = 0
    missing: int = 0       # cells of the format's rows that no grid row filled

    @property
    def score(self):
        """How well the layout read the table: cells read from the text, less doubts.

        A cell the layout had to infer costs more than a cell it found but could not
        read: the second layout saw the table's real shape, the first did not. A cell of
        a row the layout did not find at all costs as much as a doubt: passing over a
        row must not beat reading it and saying what is wrong with it.
        """
        inferred = sum(1 for p in self.provenance.values() if p.get("inferred"))
        read = len(self.provenance) - inferred
        doubts = sum(1 for f in self.findings if f.severity != "info")
        return read - 3 * inferred - 2 * doubts - 2 * self.missing


def split_row(row, table):
    """(label text, value cells) of a grid row.

    The values start after the last cell that names a row (or a row group) before
    the first number; a word among the values is an unreadable value, not a label. In a
    row without a number, a word with digits (other than a row number, 「1.」) after the
    first cell that names the row is an unreadable value too (「164>」, 「5第二十条…」), not
    more of the label.
    """
    cells = row.cells
    kinds = ["number" if c.joined else read_cell(c.text).kind for c in cells]   # joined: numbers run together
    if len(kinds) > 1 and kinds[0] == "text" and (kinds[1] in ("number", "unplaced") or
                                                  kinds[1] == "blank" and cells[1].text):
        return nf.normalise_label(cells[0].text), cells[1:]     # most rows: a label, then values
    first_value = next((i for i, k in enumerate(kinds) if k in ("number", "unplaced") or
                        (k == "blank" and cells[i].text)), None)
    end = len(cells) if first_value is None else first_value
    texts = [i for i in range(end) if kinds[i] == "text"]
    naming = [i for i in texts if nf.names_row(table, cells[i].text)]
    if first_value is None and naming:
        first_value = next((i for i in texts if i > naming[0] and _has_number(cells[i].text)), None)
        texts = [i for i in texts if first_value is None or i < first_value]
        naming = [i for i in naming if first_value is None or i < first_value]
    if first_value is None:
        naming = []           # only words: they are all the label
    start = (naming or texts or [-1])[-1] + 1
    label = "|".join(nf.normalise_label(c.text) for c in cells[:start] if c.text)
    return label, cells[start:]


def _edges(values):
    """How many cells at the start, and then at the end, of a row's values are empty."""
    lead = 0
    while lead < len(values) and not values[lead].text:
        lead += 1
    trail = 0
    while trail < len(values) - lead and not values[-1 - trail].text:
        trail += 1
    return lead, trail


def _is_header(label, values, table):
    """A row of words over empty cells that holds a column's header, or names two rows of the
    table at once (「未经复议直接起诉|复议后起诉」: a header spanning their columns)."""
    if any(v.text for v in values):
        return False
    named = {getattr(nf.match_row(table, part), "key", None) for part in label.split("|")} - {None}
    return any(w in label for w in HEADER_WORDS) or len(named) > 1


def read_table(table, grid, template, layout):
    out = TableRead(table, layout)
    known, short = {}, []
    chosen = {}   # row key -> number of values read, to prefer the fuller of two rows
    entries = _entries(table, grid, template)
    form = nf.form_of(template, [keys[0] for _row, keys, *_rest in entries])
    # Rows all as wide as each other are a grid whose cells stand in their columns (a web
    # page's table, say): an empty cell there is a cell. Rows of varied widths (tabs or
    # pipes written by hand, merged cells dropped) make no such promise.
    width = {id(row): _width(row) for row, *_rest in entries}
    regular = len(set(width.values())) == 1
    header = _header_columns(table, grid, next(iter(width.values()))) if regular and width else {}
    widest = {}       # the widest row of each size (number of columns)
    for row, keys, *_rest in entries:
        widest[len(keys)] = max(widest.get(len(keys), 0), width[id(row)])

    for row, keys, vals, row_label in entries:
        rowkey = keys[0].rsplit(".", 1)[0]
        filled = sum(1 for v in vals if v.joined or read_cell(v.text).kind == "number")
        if rowkey in chosen:
            if filled <= chosen[rowkey]:
                if filled:
                    # Which of the two is the row cannot be told: its cells are in doubt.
                    out.findings.append(Finding(
                        "table.duplicate_row", "warning",
                        _("{key} ({row}) appears again at line {line}; the first is kept").format(
                            key=rowkey, row=row_label, line=row.line),
                        list(keys), row.line))
                continue
            _forget(keys, known, short, out)
        chosen[rowkey] = filled
        out.rows_found += 1
        if len(vals) == 1 and vals[0].joined and len(keys) > 1:
            short.append(_joined_row(table, keys, vals[0], row_label, template))
            continue
        # A row narrower than the widest of its size may have lost a cell; so may a row with
        # no more cells than columns in a table whose rows differ in width anyway.
        lost = width[id(row)] < widest[len(keys)] or (not regular and len(vals) <= len(keys))
        placed = _place(table, keys, vals, row, row_label, lost, out)
        if header and isinstance(placed, (list, tuple)) and placed:
            placed = _under_header(header, keys, placed, row, row_label, out)
        if isinstance(placed, ShortRow):
            short.append(placed)
        elif not placed:
            for k in keys:
                known[k] = None
        else:
            for k, v in zip(keys, placed):
                if v is None:          # a column the table does not have: not read (said)
                    continue
                value = known[k] = _value(table, k, v, out)
                if value is not None or not v.text or read_cell(v.text).kind == "blank":
                    out.provenance[k] = _where(v)     # an unreadable cell is not read: no place

    assigned, provenance, findings = resolve(known, short, nf.table_identities(template, form, table))
    known.update(assigned)
    out.provenance.update(provenance)
    out.findings.extend(findings)
    out.values = known
    out.missing = sum(1 for key in _table_keys(table, template, form) if key not in known)
    return out


def _width(row):
    """The columns a grid row covers."""
    return sum(c.span for c in row.cells)


def _header_columns(table, grid, columns):
    """{grid column: column key} from the header rows of table 三 (自然人 … 总计) as wide as
    its rows (`columns`), when they name the columns in the format's order; {} otherwise."""
    if table != "requests":
        return {}
    wanted = {nf.normalise_label(c.label): c.key for c in nf.REQUEST_COLUMNS}
    found = {}
    for row in grid.rows:
        if _width(row) != columns:
            continue
        at, named = 0, {}
        for cell in row.cells:
            key = wanted.get(nf.normalise_label(cell.text)) if cell.text else None
            if key:
                named[at] = key
            at += cell.span
        if named and not any(read_cell(c.text).kind == "number" for c in row.cells if c.text):
            found.update(named)
    order = [c.key for c in nf.REQUEST_COLUMNS]
    ranks = [order.index(found[p]) for p in sorted(found)]
    return found if len(found) >= 3 and ranks == sorted(set(ranks)) else {}


def _under_header(header, keys, placed, row, row_label, out):
    """The row's cells as its header places them, where the placement by the row alone
    puts a value under another column's heading (a table that lost a column: its last
    cells are not 总计). A column the header does not have is not read, with a finding."""
    at, position = 0, {}
    for cell in row.cells:
        position[id(cell)] = at
        at += cell.span
    where = {key: p for p, key in header.items()}
    columns = [k.rsplit(".", 1)[1] for k in keys]
    if all(where.get(c, position.get(id(v))) == position.get(id(v)) for c, v in zip(columns, placed) if v.text):
        return placed
    by_position = {}
    for cell in row.cells:
        by_position.setdefault(position[id(cell)], cell)
    moved = [by_position.get(where[c]) for c in columns if c in where]
    # The header is believed only where it places every number the row has, and nothing
    # but numbers and blanks (a header whose columns stand elsewhere than the rows' is not).
    if any(v is not None and v.text and read_cell(v.text).kind not in ("number", "blank") for v in moved) or \
            sum(1 for v in moved if v is not None and v.text) != sum(1 for v in placed if v.text):
        return placed
    missing = [k for k, c in zip(keys, columns) if c not in where]
    said = next((f for f in out.findings if f.code == "table.column_missing"), None)
    if missing and said:
        said.cells.extend(missing)
    elif missing:
        names = "、".join(c.label for c in nf.REQUEST_COLUMNS if c.key in {k.rsplit(".", 1)[1] for k in missing})
        out.findings.append(Finding(
            "table.column_missing", "error",
            _("table 三 has no column 「{columns}」 under its header (from line {line} on, its cells stand under the "
              "headings they have): the cells of that column are not read").format(columns=names, line=row.line),
            missing, row.line))
    return [by_position.get(where[c], Cell("")) if c in where else None for c in columns]


def _place(table, keys, vals, row, row_label, lost, out):
    """The cells of a row in its columns' order; a ShortRow when where they go is in doubt;
    () when the row has too many (reported; its cells are left blank).

    Empty cells at a row's ends may be its blank values, or the empty slots of a merged
    label (or a trailing tab) that are no values at all. When the cells between them are
    as many as the columns, the empties are slots. When fewer, each way to keep some of
    the empties is a reading; and when the row may have `lost` a cell, each way to place
    what it has is a reading too. The identities judge the readings (infer.py).
    """
    k = len(keys)
    lead, trail = _edges(vals)
    core = vals[lead:len(vals) - trail]
    if len(core) > k:
        out.findings.append(Finding(
            "table.extra_cells", "warning",
            _("{key} ({row}): line {line} has {count} cells for {columns} columns; the row is left blank").format(
                key=keys[0].rsplit(".", 1)[0], row=row_label, line=row.line, count=len(core), columns=k),
            list(keys), row.line))
        return ()
    if len(core) == k:
        return core
    if not core:                       # every value cell empty: a blank row
        if len(vals) >= k:
            return vals[:k]
        return _short(table, keys, vals, row_label, out)
    if not lead and not trail:
        return _short(table, keys, vals, row_label, out)
    windows = [(a, b) for a in range(lead + 1) for b in range(trail + 1) if a + len(core) + b <= k]
    exact = [(a, b) for a, b in windows if a + len(core) + b == k]
    if exact and not lost:
        windows = exact
    ways = [vals[lead - a:len(vals) - trail + b] for a, b in windows]
    if len(ways) == 1 and len(ways[0]) == k:
        return ways[0]
    line = next((v.line for v in core if v.line), row.line)
    first = ways[0]
    value = {id(v): _value(table, key, v, out) for key, v in zip(keys, first)}
    value.update((id(v), _value(table, None, v, None)) for v in vals if id(v) not in value)
    options = tuple(([value[id(v)] for v in way], way) for way in ways)
    return ShortRow(tuple(keys), options[0][0], options[0][1], row_label, line, options, len(vals))


def _short(table, keys, vals, row_label, out):
    line = next((v.line for v in vals if v.text), None) or (vals[0].line if vals else None)
    return ShortRow(tuple(keys), [_value(table, k, v, out) for k, v in zip(keys, vals)], vals, row_label, line)


def _is_value(cell):
    """Whether a cell holds a value (a number, a dash) or a word with digits (an unreadable
    one), rather than nothing or a header's words."""
    return bool(cell.text) and (cell.joined or read_cell(cell.text).kind != "text" or
                                _has_number(cell.text))


def _entries(table, grid, template):
    """[(grid row, cell keys, value cells, row label)] for the grid rows that fill rows of
    the format, in order.

    A label wrapped onto a grid row of its own (「2.其他法律行政法规」 / 「禁止公开」) is
    joined up again: a row with values whose label names no row, followed by a row with
    no values whose label completes it, is one row (and the other way round); the
    continuation is not a blank row of its own. Numbers with no words of their own
    between two labels that each name a row (plain pdftotext: 「一、本年新收…」 / numbers /
    「二、上年结转…」) are no more the label's after them than the one's before: neither's.
    """
    out, before, prior = [], None, None
    for row in grid.rows:
        label, values = split_row(row, table)
        if values and _is_header(label, values, table):
            before = prior = None
            continue
        has_values = any(_is_value(v) for v in values)
        assigned = _assign(table, label, values, template) if values else []
        if before is not None and label:
            b_row, b_label, b_values, b_assigned, b_has_values = before
            if b_has_values and not b_assigned and not has_values:
                joined = _assign_joined(table, b_row, row, template) or \
                    _assign(table, b_label + label, b_values, template)
                if joined and not b_label and _names_another_row(table, prior, joined, template):
                    joined = []         # (numbers between two rows' labels: neither's)
                if joined:
                    out.extend((b_row, *a) for a in joined)
                    before = prior = None
                    continue
            if has_values and not assigned and not b_has_values and b_label:
                assigned = _assign_joined(table, b_row, row, template) or \
                    _assign(table, b_label + label, values, template)
        out.extend((row, *a) for a in assigned)
        before, prior = (row, label, values, assigned, has_values), before
    return out


def _names_another_row(table, entry, joined, template):
    """Whether `entry` (the state of a grid row: its label and values) is a label alone that
    names a row of the table other than the rows `joined` fills."""
    if entry is None or entry[4] or not entry[1]:
        return False
    row = nf.match_row(table, entry[1], template, mixed=True)
    return row is not None and all(not keys[0].startswith(f"{table}.{row.key}.") for keys, _cells, _label in joined)


def _assign_joined(table, first, second, template):
    """The rows of two grid rows that are one row of the table cut in two, cell by cell
    (a row broken over a page: 「（四）无法提 | 1.本机关不掌」 over 「供 | 握相关政府信息」): each
    cell's text is its two parts joined, a cell with one part keeps it (and its place)."""
    if len(first.cells) != len(second.cells) or any(a.span != b.span for a, b in zip(first.cells, second.cells)):
        return []
    cells = [b if not a.text else a if not b.text else
             Cell(a.text + b.text, a.line, a.column, a.joined or b.joined, a.extra, a.span)
             for a, b in zip(first.cells, second.cells)]
    label, values = split_row(Row(cells, first.line, second.end_line or second.line), table)
    return _assign(table, label, values, template) if values else []


@lru_cache(maxsize=None)
def _table_keys(table, template, form=None):
    return tuple(key for key in nf.cell_keys(template, form) if key.startswith(table + "."))


def _joined_row(table, keys, cell, label, template):
    """A row whose values were written together with no separator (801000081)."""
    kinds, totals = _joined_shape(table, tuple(keys), template)
    return JoinedRow(tuple(keys), kinds, cell, label, cell.line, totals)


@lru_cache(maxsize=256)
def _joined_shape(table, keys, template):
    """The kinds of a row's columns, and the identities within the row (as positions)."""
    kinds = tuple("signed" if (table, k.rsplit(".", 1)[1]) in nf.SIGNED_COLUMNS else
                  "decimal" if (table, k.rsplit(".", 1)[1]) in nf.DECIMAL_COLUMNS else "count" for k in keys)
    at = {k: i for i, k in enumerate(keys)}
    totals = tuple((at[i.lhs[0]], tuple(at[p] for p in i.parts)) for i in nf.identities(template, nf.EVERY_FORM)
                   if len(i.lhs) == 1 and all(c in at for c in i.cells))
    return kinds, totals


def _forget(keys, known, short, out):
    """Drop what an earlier grid row gave these cells: a fuller row replaces it."""
    keys = set(keys)
    for k in keys & known.keys():
        del known[k]
        out.provenance.pop(k, None)
    short[:] = [s for s in short if keys.isdisjoint(s.keys)]
    out.findings[:] = [f for f in out.findings if not keys.issuperset(f.cells) or
                       f.code not in ("table.unreadable_cell", "table.cell_unplaced", "table.extra_cells")]


def unplaced_by_row(findings):
    """The findings, with those of a row's cells a reader could not place made one (the
    row named once, its cells listed), where the first of them stood. For the reading
    chosen: the layouts are scored with a doubt a cell (TableRead.score)."""
    rows = {}
    for f in findings:
        if f.code == "table.cell_unplaced":
            rows.setdefault(f.cells[0].rsplit(".", 1)[0], []).append(f)
    out = []
    for f in findings:
        if f.code != "table.cell_unplaced":
            out.append(f)
            continue
        same = rows.pop(f.cells[0].rsplit(".", 1)[0], None)
        if same is None:
            continue                    # said with the row's first
        keys = [k for g in same for k in g.cells]
        out.append(Finding("table.cell_unplaced", "warning", _unplaced(keys), keys, f.line))
    return out


def _unplaced(keys):
    """What is said of cells of one row that a reader could not place."""
    labels = [nf.cell_label(k, _template_of(k)) for k in keys]
    row, columns = labels[0].rsplit("·", 1)[0], "、".join(label.rsplit("·", 1)[-1] for label in labels)
    text = _("{row}: the order of the table's text leaves open which of its numbers is its {columns}; "
             "the cell is not read") if len(keys) == 1 else \
        _("{row}: the order of the table's text leaves open which of its numbers are its {columns}; "
          "these {count} cells are not read")
    return text.format(row=row, columns=columns, count=len(keys))


def order_of_like_block(table, keys, row, like):
    """The finding for a block of table 二 read in the text's order because a block of the
    same shape (its first row `like`) fits no other order; `row`: the block's first row."""
    block, model = nf.row_by_key(table, row).group, nf.row_by_key(table, like).group
    return Finding("table.order_inferred", "warning",
                   _("{block}: its numbers fit a reading row by row and one down its columns; they are "
                     "read row by row, as {like} of the same table is written, whose numbers fit no "
                     "other order").format(block=block, like=model), keys)


def _where(cell):
    p = {"line": cell.line}
    if cell.column:
        p["column"] = cell.column
    if cell.extra:
        p.update(cell.extra)
    return p


def _value(table, key, cell, out):
    v = read_cell(cell.text)
    if v.kind == "number":
        return v.value
    if v.kind == "unplaced":
        out.findings.append(Finding("table.cell_unplaced", "warning", _unplaced([key]), [key], cell.line))
    elif v.kind == "text":
        out.findings.append(Finding("table.unreadable_cell", "warning",
                                    _("{cell} reads 「{text}」, which is not a number; the cell is left blank").format(
                                        cell=nf.cell_label(key, _template_of(key)), text=_shown(cell.text)),
                                    [key], cell.line))
    return None


def _shown(text, limit=40):
    """A cell's text as a message quotes it: a long one cut short."""
    return text if len(text) <= limit else f"{text[:limit]}…"


def _template_of(key):
    """Which format's wording names a key (the 2019-only rows and columns say 2019)."""
    return "2019" if key in _KEYS_2019_ONLY else "2021"


_KEYS_2019_ONLY = set(nf.cell_keys("2019")) - set(nf.cell_keys("2021"))


def _assign(table, label, values, template):
    """The (cell keys, value cells, row label) a grid row fills; none for a row of no interest."""
    if table == "appeals":
        row = nf.match_row("appeals", label)
        # Values run together under a header that names every group belong to the whole table.
        header = len(values) == 1 and values[0].joined and \
            sum(1 for r in nf.APPEAL_ROWS if re.search(r.rule, label)) > 1
        if row is None or header or len(values) > len(nf.APPEAL_COLUMNS):
            if not any(v.text for v in values):
                return []
            keys = [f"appeals.{r.key}.{c.key}" for r in nf.APPEAL_ROWS for c in nf.APPEAL_COLUMNS]
            return [(keys, values, "行政复议、行政诉讼")]
        return [(list(_row_keys("appeals", row.key, template)), values, row.label)]
    row = nf.match_row(table, label, template, mixed=True)
    if row is None or (not row.in_template(template) and not _borrowed_row(values)):
        return []
    return [(list(_row_keys(table, row.key, template)), values, row.label)]


@lru_cache(maxsize=None)
def _row_keys(table, row_key, template):
    """The cell keys of a row of the format, in its columns' order."""
    columns = nf.columns_for(table, nf.row_by_key(table, row_key), template)
    return tuple(f"{table}.{row_key}.{c.key}" for c in columns)


def _borrowed_row(values):
    """Whether the cells after a label of the other format's row (（六）其他处理 in a 2021
    table) make it that row: some value the source writes (a number, a blank's dash,
    digits run together), and no words. Empty cells beside 「（六）其他处理」 are the merged
    label over the 2021 sub-rows; words after it are a sub-row's label. Cells a layout
    could not place (a reader's ⁇, under labels it wrote from a format's shape) say
    nothing of how the report writes the row."""
    return any(read_cell(v.text).kind not in ("text", "unplaced") or _DIGIT.search(v.text)
               for v in values if v.text) and \
        not any(read_cell(v.text).kind == "text" for v in values if v.text and not v.joined)


def named_rows(table, row, template):
    """The model rows (table.row) a grid row fills, as `read_table` would map it."""
    label, values = split_row(row, table)
    if not values or _is_header(label, values, table):
        return []
    return sorted({k.rsplit(".", 1)[0] for keys, _cells, _label in _assign(table, label, values, template) for k in keys})


def missing_rows(table, values, template, provenance=None):
    """Findings for the format's rows the table did not have: errors, as their cells are
    not read (they stay null). A row whose label was found without a single cell after
    it is not found either. A table that writes （六）其他处理 the other format's way has
    that way's rows instead of its format's (said once: `table.rows_mixed`)."""
    form = nf.form_of(template, values) if table == "requests" else None
    findings = _mixed_rows(table, values, template, form, provenance or {})
    for row in nf.rows_for(table, template, form):
        keys = [f"{table}.{row.key}.{c.key}" for c in nf.columns_for(table, row, template)]
        if not any(k in values for k in keys):
            for k in keys:
                values[k] = None
            findings.append(Finding("table.row_missing", "error",
                                    _("{key}: the row 「{row}」 was not found; its cells are not read").format(
                                        key=f"{table}.{row.key}", row=row.label),
                                    keys, None))
    return findings


def _mixed_rows(table, values, template, form, provenance):
    """The finding that says a table took the other format's way of writing （六）其他处理."""
    borrowed = nf.borrowed_ways(template, form)
    if not borrowed:
        return []
    other = borrowed[0]
    keys = [k for k in values if k.split(".")[1] in nf.INTERCHANGEABLE_ROWS[other]]
    line = next((provenance[k]["line"] for k in keys if k in provenance), None)
    # It names the cells read the other way and the format's own cells left out (not read).
    keys += [k for k in _table_keys(table, template)
             if k.split(".")[1] in nf.INTERCHANGEABLE_ROWS[template] and k not in values]
    rows = {t: ", ".join(f"{table}.{r}" for r in nf.INTERCHANGEABLE_ROWS[t]) for t in nf.TEMPLATES}
    if any(k.split(".")[1] in nf.INTERCHANGEABLE_ROWS[template] for k in values):
        message = _("table 三 gives （六）其他处理 both ways, as the 2019 format's one row ({whole}) and as the "
                    "2021 format's sub-rows 1.–3. ({parts}); （七）总计 counts the one row, and the sub-rows "
                    "are checked against it").format(whole=rows["2019"], parts=rows["2021"])
    else:
        message = _("table 三 of this {template}-format report gives （六）其他处理 {way}, the {other} format's "
                    "way: read as {borrowed}; the report has no {own}").format(
            template=template, other=other, way=_(nf.INTERCHANGEABLE_WAYS[other]), borrowed=rows[other],
            own=rows[template])
    return [Finding("table.rows_mixed", "warning", message, keys, line)]
