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
from gxgrammar.national.cells import read_cell
from gxgrammar.national.infer import JoinedRow, ShortRow, resolve
from gxgrammar.model import Finding

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

    @property
    def score(self):
        """How well the layout read the table: cells read from the text, less doubts.

        A cell the layout had to infer costs more than a cell it found but could not
        read: the second layout saw the table's real shape, the first did not.
        """
        inferred = sum(1 for p in self.provenance.values() if p.get("inferred"))
        read = len(self.provenance) - inferred
        doubts = sum(1 for f in self.findings if f.severity != "info")
        return read - 3 * inferred - 2 * doubts


def split_row(row, table):
    """(label text, value cells) of a grid row.

    The values start after the last cell that names a row (or a row group) before
    the first number; a word among the values is an unreadable value, not a label.
    """
    cells = row.cells
    kinds = ["number" if c.joined else read_cell(c.text).kind for c in cells]   # joined: numbers run together
    first_value = next((i for i, k in enumerate(kinds) if k == "number" or
                        (k == "blank" and cells[i].text)), None)
    texts = [i for i in range(first_value or len(cells)) if kinds[i] == "text"]
    naming = [i for i in texts if nf.names_row(table, cells[i].text)] if first_value else []
    start = (naming or texts or [-1])[-1] + 1
    label = "|".join(nf.normalise_label(c.text) for c in cells[:start] if c.text)
    return label, cells[start:]


def _trim(values, k):
    """Drop empty cells at the ends (merged cells written as empties) down to k cells."""
    values = list(values)
    while len(values) > k and values and not values[-1].text:
        values.pop()
    while len(values) > k and values and not values[0].text:
        values.pop(0)
    return values


def _is_header(label, values):
    return all(not v.text for v in values) and any(w in label for w in HEADER_WORDS)


def read_table(table, grid, template, layout):
    out = TableRead(table, layout)
    known, short = {}, []
    chosen = {}   # row key -> number of values read, to prefer the fuller of two rows

    for row in grid.rows:
        label, values = split_row(row, table)
        if not values or _is_header(label, values):
            continue
        for keys, vals, row_label in _assign(table, label, values, template):
            rowkey = keys[0].rsplit(".", 1)[0]
            filled = sum(1 for v in vals if v.text)
            if rowkey in chosen:
                if filled <= chosen[rowkey]:
                    if filled:
                        out.findings.append(Finding(
                            "table.duplicate_row", "warning",
                            f"{rowkey} ({row_label}) appears again at line {row.line}; the first is kept",
                            [], row.line))
                    continue
                _forget(rowkey, known, short, out)
            chosen[rowkey] = filled
            out.rows_found += 1
            if len(vals) == 1 and vals[0].joined and len(keys) > 1:
                short.append(_joined_row(table, keys, vals[0], row_label, template))
                continue
            if len(vals) > len(keys):
                vals = _trim(vals, len(keys))
            if len(vals) > len(keys):
                out.findings.append(Finding(
                    "table.extra_cells", "warning",
                    f"{rowkey} ({row_label}): line {row.line} has {len(vals)} cells for "
                    f"{len(keys)} columns; the row is left blank",
                    list(keys), row.line))
                for k in keys:
                    known[k] = None
                continue
            if len(vals) < len(keys):
                line = next((v.line for v in vals if v.text), row.line)
                short.append(ShortRow(tuple(keys), [_value(table, k, v, out) for k, v in
                                                    zip(keys, vals)], vals, row_label, line))
                continue
            for k, v in zip(keys, vals):
                known[k] = _value(table, k, v, out)
                out.provenance[k] = _where(v)

    identities = [i for i in nf.identities(template) if i.code.split(".")[0] == table]
    assigned, provenance, findings = resolve(known, short, identities)
    known.update(assigned)
    out.provenance.update(provenance)
    out.findings.extend(findings)
    out.values = known
    return out


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
    totals = tuple((at[i.lhs[0]], tuple(at[p] for p in i.parts)) for i in nf.identities(template)
                   if len(i.lhs) == 1 and all(c in at for c in i.cells))
    return kinds, totals


def _forget(rowkey, known, short, out):
    for k in [k for k in known if k.startswith(rowkey + ".")]:
        del known[k]
        out.provenance.pop(k, None)
    short[:] = [s for s in short if not s.keys[0].startswith(rowkey + ".")]


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
    if v.kind == "text":
        out.findings.append(Finding("table.unreadable_cell", "warning",
                                    f"{nf.cell_label(key, _template_of(key))} reads 「{cell.text}」, "
                                    f"which is not a number; the cell is left blank",
                                    [key], cell.line))
    return None


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
        return [([f"appeals.{row.key}.{c.key}" for c in nf.APPEAL_COLUMNS], values, row.label)]
    row = nf.match_row(table, label, template)
    if row is None:
        return []
    cols = nf.columns_for(table, row, template)
    return [([f"{table}.{row.key}.{c.key}" for c in cols], values, row.label)]


def named_rows(table, row, template):
    """The model rows (table.row) a grid row fills, as `read_table` would map it."""
    label, values = split_row(row, table)
    if not values or _is_header(label, values):
        return []
    return sorted({k.rsplit(".", 1)[0] for keys, _, _ in _assign(table, label, values, template) for k in keys})


def missing_rows(table, values, template):
    """Findings for the format's rows the table did not have, whose cells stay blank."""
    findings = []
    for row in nf.rows_for(table, template):
        keys = [f"{table}.{row.key}.{c.key}" for c in nf.columns_for(table, row, template)]
        if not any(k in values for k in keys):
            for k in keys:
                values[k] = None
            findings.append(Finding("table.row_missing", "warning",
                                    f"{table}.{row.key}: the row 「{row.label}」 was not found; its cells are blank",
                                    keys, None))
    return findings
