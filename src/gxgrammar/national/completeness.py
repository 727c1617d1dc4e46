"""Every cell of the format accounted for: the model's invariant, checked in one place.

Each cell of a report's format ends in exactly one state (model.CELL_STATES):

- read      a value, with the place in the source it was read from;
- blank     no value, with the place of the blank cell (empty, a dash, &nbsp;);
- inferred  a value the identities determined, and a finding that names the cell;
- not_read  no value, and a finding that names the cell.

A report that writes （六）其他处理 the other format's way (national.form_of) holds that
way's cells instead of its format's: the format's own cells it leaves out are not read,
and a finding (`table.rows_mixed`) must name them too.

The parser calls `account` once, after the tables are mapped and checked. A cell that
fits none of the states is a fault of the mapping, not of the report: it is reported
all the same (`table.cell_unaccounted`, an error naming the cells), so that the
promise holds for the user, and the tests fail on it (`problems` lists it).
"""
from __future__ import annotations

from gxgrammar import national as nf
from gxgrammar.i18n import _
from gxgrammar.model import Finding

UNACCOUNTED = "table.cell_unaccounted"


def problems(report, cells=None):
    """[(cell key, what is wrong)] for each cell of the format not in exactly one state
    (`cells`: the report's cells(), when the caller has them)."""
    template = report.meta.get("template") or "2021"
    cells = report.cells() if cells is None else cells
    provenance = report.provenance
    form = nf.form_of(template, cells)
    keys = nf.cell_keys(template, form)
    out = [(key, "missing from the tables") for key in keys if key not in cells] \
        if len(cells) != len(keys) or list(cells) != keys else []
    named = None
    if form is not None:
        # The form follows the rows the tables hold: the format's own cells that it leaves
        # out are not read, and a finding must name them (table.rows_mixed), or a row lost
        # by the mapping would pass for a row the report does not write.
        named = {k for f in report.findings if f.code != UNACCOUNTED for k in f.cells}
        out += [(key, "left out of the tables without a finding that names it")
                for key in nf.cell_keys(template) if key not in cells and key not in named]
    for key, value in cells.items():
        where = provenance.get(key)
        if where is not None and not where.get("inferred"):
            if type(where.get("line")) is not int:
                out.append((key, "read without the line it was read from"))
            continue                               # read, or blank in the source: its place is known
        if where is None and value is not None:
            out.append((key, "a value without the place it was read from"))
            continue
        if named is None:                          # most reports never get here
            named = {k for f in report.findings if f.code != UNACCOUNTED for k in f.cells}
        if key not in named:
            state = "inferred" if value is not None else "not read"
            out.append((key, f"{state} without a finding that names it"))
    return out


def account(report, cells=None):
    """Report every cell the mapping left unaccounted for (see the module's docstring)."""
    found = problems(report, cells)
    if not found:
        return
    keys = [key for key, _why in found]
    listed = "; ".join(f"{nf.cell_label(key)}: {why}" for key, why in found[:5])
    more = _(" … and {count} more").format(count=len(found) - 5) if len(found) > 5 else ""
    report.findings.append(Finding(
        UNACCOUNTED, "error",
        _("cells not accounted for ({count}): {cells}{more}; their values cannot be "
          "trusted, please report it").format(count=len(found), cells=listed, more=more),
        keys, None))
