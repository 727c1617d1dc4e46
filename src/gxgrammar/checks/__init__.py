"""The checks of one report: the identities (勾稽关系) and the format's other rules.

Every rule has a stable code, a severity and a basis (see RULES and docs/checks.md).
A broken identity is reported cell by cell: when one cell explains every identity
that it breaks (setting it to one value mends them all and breaks none), the finding
names that cell and the value the identities expect; otherwise the finding names the
identity's total and lists its parts.
"""
from __future__ import annotations

from dataclasses import dataclass

from gxgrammar import national as nf
from gxgrammar.checks.claims import check_claims
from gxgrammar.i18n import N_, _
from gxgrammar.model import Finding, cell_state
from gxgrammar.national import claims as wording


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    basis: str        # why it holds; marked for the catalogue (N_), translated where shown
    summary: str      # what it finds, likewise

    def described(self):
        """(what it finds, why it holds) in the language of the moment (`check --rules`)."""
        identity = nf.IDENTITY_RULES.get(self.code)
        return identity.summary if identity else _(self.summary), _(self.basis)


RULES = {r.code: r for r in (
    # The identities, as the national format describes them (national/identities.py).
    *(Rule(i.code, i.severity, i.basis, i.text) for i in nf.IDENTITY_RULES.values()),
    Rule("identity.unchecked", "info",
         N_("an identity whose cells are blank or unread cannot be checked; the report says so rather than pass it"),
         N_("identities that could not be checked, and the cells (blank, or not read) that stopped them")),
    Rule("total.blank", "warning",
         N_("a total is part of the table's structure: parts without their total leave the table unchecked"),
         N_("a blank 总计 whose parts are filled (in a row's sum, the finding names the whole row)")),
    Rule("row.end_blank", "info", N_("a number lost from a row leaves the same text as a blank last cell, with the "
                                     "numbers after it one column to the left: the text cannot tell them apart"),
         N_("a row whose last cell is blank while its other cells are filled")),
    Rule("value.negative", "error",
         N_("counts of applications, items and cases cannot be negative (official-format.md §4.2 R5)"),
         N_("a negative count (2019's 本年增/减 excepted)")),
    Rule("value.not_integer", "error", N_("counts are whole numbers; only amounts in 万元 may have decimals (§4.2 R5)"),
         N_("a decimal where the format counts")),
    Rule("meta.template_year", "warning",
         N_("the 2021 format (国办公开办函〔2021〕30号) applies from the 2021 reports on (§3.1)"),
         N_("a report whose format does not match its year")),
    Rule("fees.statement_missing", "warning",
         N_("the 2021 format's 六 reports 信息处理费 (国办函〔2020〕109号; §2.1, §4.5)"),
         N_("section 六 says nothing of 信息处理费")),
    Rule("fees.notices_below_unpaid", "warning", N_("an application closed for an unpaid fee had a 收费通知 (§4.4)"),
         N_("section 六 states fewer 收费通知 than 三（六）2 counts")),
    Rule("strict.inferred", "error", N_("check --strict: an office that publishes wants every number read from "
                                        "its own table"),
         N_("with --strict, cells that were not read but inferred from the identities")),
    Rule("strict.not_read", "error", N_("check --strict: a cell that could not be read leaves a number unknown"),
         N_("with --strict, cells that could not be read at all")),
    *(Rule(f"claims.{table}", "warning", N_("reports restate the tables' figures in their prose, and the two often "
                                            "disagree (§4.4, §5.3)"), summary)
      for table, summary in (
          ("active", N_("a number the prose states about table 二 that its cells contradict")),
          ("requests", N_("a number the prose states about table 三 that its cells contradict")),
          ("appeals", N_("a number the prose states about table 四 that its cells contradict")))),
    Rule("claims.change", "warning", N_("what the prose says of the year before can be checked against the year "
                                        "before's report (§4.3, §4.4)"),
         N_("a change on the year before (同比增长10%, 较上年减少5件) that the two reports contradict (check, given "
            "both years)")),
)}


def check_report(report, cells=None):
    """Every finding of the rules above for one parsed report, in a stable order
    (`cells`: the report's cells(), when the caller has them)."""
    template = report.meta.get("template") or "2021"
    cells = report.cells() if cells is None else cells
    where = report.provenance
    findings = []
    findings += _identity_findings(report, cells, where, template)
    findings += _value_findings(cells, where)
    findings += _template_year(report.meta)
    findings += _fees(report, cells, where)
    findings += check_claims(report, cells=cells)
    return findings


def strict_findings(report):
    """`check --strict`: an error for the cells that were inferred, and one for the cells
    that were not read, so that a report goes out only with every number read."""
    states = report.states()
    where = report.provenance
    findings = []
    for state, code, text in (
            ("inferred", "strict.inferred", (_("{count} cell was not read from the table but inferred from the "
                                               "identities: {listed}"),
                                             _("{count} cells were not read from the table but inferred from the "
                                               "identities: {listed}"))),
            ("not_read", "strict.not_read", (_("{count} cell was not read at all: {listed}"),
                                             _("{count} cells were not read at all: {listed}")))):
        keys = [k for k, s in states.items() if s == state]
        if keys:
            findings.append(Finding(code, "error", text[len(keys) != 1].format(
                count=len(keys), listed=_listed(keys, limit=8)), keys,
                _line(keys[0], where) or _named_at(keys[0], report)))
    return findings


def _named_at(key, report):
    """The line of the first finding that names a cell (a cell not read has no provenance)."""
    return next((f.line for f in report.findings if key in f.cells and f.line), None)


# --- identities ---------------------------------------------------------------------

def _sum(keys, cells):
    return sum(map(cells.__getitem__, keys))


def _identity_findings(report, cells, where, template):
    form = nf.form_of(template, cells)
    idents = nf.identities(template, form)
    known, broken, unchecked = [], [], []
    for i in idents:
        try:
            holds = _sum(i.lhs, cells) == _sum(i.parts, cells)
        except (KeyError, TypeError):   # a cell missing or blank: the identity cannot be checked
            unchecked.append(i)
            continue
        known.append(i)
        if not holds:
            broken.append(i)
    findings = _blank_totals(idents, cells, where)
    findings += _blank_row_ends(cells, where, template, {f.cells[0] for f in findings}, form)
    findings += _unchecked(report, unchecked, idents, cells, where)
    explained = set()
    for cell, value, ids in _culprits(broken, known, cells):
        explained.update(id(i) for i in ids)
        rule = _rule_for(cell, ids)
        reasons = _("; ").join(_equation(i, cells) for i in ids)
        message = (_("{cell} is {value}{at}, but the identities expect {expected}: {reasons}") if len(ids) > 1
                   else _("{cell} is {value}{at}, but the identity expects {expected}: {reasons}"))
        findings.append(Finding(
            rule, "error",
            message.format(cell=_name(cell), value=cells[cell], at=_at(cell, where), expected=value, reasons=reasons),
            [cell], _line(cell, where)))
    for ident in broken:
        if id(ident) in explained:
            continue
        # No lone culprit: every cell of the identity may be the wrong one, and is named.
        findings.append(Finding(ident.code, "error", _unexplained(ident, cells, where),
                                list(dict.fromkeys((*ident.lhs, *ident.parts))), _line(ident.lhs[0], where)))
    return findings


def _culprits(broken, known, cells):
    """(cell, the value that mends, the identities it explains) for each lone culprit."""
    by_cell = {}
    for ident in broken:
        for k in ident.cells:
            by_cell.setdefault(k, []).append(ident)
    out, taken = [], set()
    # A cell that explains more broken identities is the likelier culprit.
    for cell in sorted(by_cell, key=lambda k: -len(by_cell[k])):
        ids = by_cell[cell]
        if any(id(i) in taken for i in ids):
            continue
        values = {_mend(i, cell, cells) for i in ids}
        if len(values) != 1:
            continue
        value = values.pop()
        trial = dict(cells, **{cell: value})
        if any(_sum(i.lhs, trial) != _sum(i.parts, trial) for i in known if cell in i.cells):
            continue
        rivals = [k for k in by_cell if k != cell and set(map(id, by_cell[k])) >= set(map(id, ids))
                  and _mends_all(k, by_cell[k], known, cells)]
        if rivals:  # another cell would explain the same: no lone culprit
            continue
        taken.update(id(i) for i in ids)
        out.append((cell, value, ids))
    return out


def _mend(ident, cell, cells):
    lhs, parts = _sum(ident.lhs, cells), _sum(ident.parts, cells)
    return cells[cell] + (parts - lhs if cell in ident.lhs else lhs - parts)


def _mends_all(cell, ids, known, cells):
    values = {_mend(i, cell, cells) for i in ids}
    if len(values) != 1:
        return False
    trial = dict(cells, **{cell: values.pop()})
    return all(_sum(i.lhs, trial) == _sum(i.parts, trial) for i in known if cell in i.cells)


def _rule_for(cell, ids):
    """The rule a culprit breaks: the one whose total it is, else the first broken."""
    for ident in ids:
        if cell in ident.lhs:
            return ident.code
    return ids[0].code


def _equation(ident, cells):
    lhs = " + ".join(f"{_name(k)} {cells[k]}" for k in ident.lhs)
    equation = "{totals} ≠ {parts} ({rule})" if len(ident.lhs) > 1 else _("{totals} but {parts} ({rule})")
    return equation.format(totals=lhs, parts=_parts(ident, cells), rule=ident.rule.summary)


def _parts(ident, cells):
    total = _sum(ident.parts, cells)
    if len(ident.parts) > 4:
        return _("the {count} parts add up to {total}").format(count=len(ident.parts), total=total)
    listed = " + ".join(f"{_short(k, ident)} {cells[k]}" for k in ident.parts)
    return f"{listed} = {total}"


def _unexplained(ident, cells, where):
    totals = " + ".join(f"{_name(k)} {cells[k]}{_at(k, where)}" for k in ident.lhs)
    return _("{totals} should equal {sum}: {parts} ({rule}); which cell is wrong cannot be told").format(
        totals=totals, sum=_sum(ident.parts, cells), parts=_parts(ident, cells), rule=ident.rule.summary)


def _unchecked(report, unchecked, idents, cells, where):
    """One finding for each kind of identity that blank or unread cells kept from being checked."""
    if not unchecked:
        return []
    findings = []
    for code in dict.fromkeys(i.code for i in unchecked):
        these = [i for i in unchecked if i.code == code]
        stopped = list(dict.fromkeys(k for i in these for k in i.cells if cells.get(k) is None))
        unread = [k for k in stopped if _state(k, cells, where) in (None, "not_read")]
        blank = [k for k in stopped if k not in unread]
        why = []
        if unread:
            why.append(_("{cells} could not be read").format(cells=_listed(unread)))
        if blank:
            why.append((_("{cells} is blank in the report") if len(blank) == 1
                        else _("{cells} are blank in the report")).format(cells=_listed(blank)))
        rule = nf.IDENTITY_RULES[code]
        message = _("{count} of the {total} identities 「{summary}」 could not be checked: {why}").format(
            count=len(these), total=sum(1 for i in idents if i.code == code), summary=rule.summary,
            why=_("; ").join(why))
        findings.append(Finding("identity.unchecked", "info", message, stopped,
                                _line(stopped[0], where)))
    return findings


def _listed(keys, limit=4):
    shown = ", ".join(_name(k) for k in keys[:limit])
    return shown if len(keys) <= limit else _("{shown} and {more} more").format(shown=shown, more=len(keys) - limit)


def _blank_totals(idents, cells, where):
    findings, seen = [], set()
    for ident in idents:
        if len(ident.lhs) != 1 or ident.lhs[0] in seen:
            continue
        total = ident.lhs[0]
        if cells.get(total) is not None:
            continue
        filled = [k for k in ident.parts if cells.get(k) is not None]
        if filled and any(cells[k] for k in filled):
            seen.add(total)
            in_row = all(_row_of(k) == _row_of(total) for k in ident.parts)
            message = (_("{cell} is blank while its parts hold {sum} in all; if the source lost a number from "
                         "this row, the numbers after it stand one column to the left") if in_row
                       else _("{cell} is blank while its parts hold {sum} in all"))
            findings.append(Finding(
                "total.blank", "warning", message.format(cell=_name(total), sum=sum(cells[k] for k in filled)),
                [total] + (filled if in_row else []), _line(filled[0], where)))
    return findings


# Any line-based encoding that loses a number from a row shows the row as one whose last
# cell is blank: the numbers after the lost one move one column left. The text cannot
# tell the two apart, so a blank last cell names the whole row.


def _blank_row_ends(cells, where, template, said, form=None):
    findings = []
    for keys in nf.row_cell_keys(template, form):
        last = keys[-1]
        # (a last cell that holds a value is the common case: asked first)
        if len(keys) < 2 or cells.get(last) is not None or last in said or \
                _state(last, cells, where) != "blank":   # not read: already said
            continue
        filled = [k for k in keys[:-1] if cells.get(k) is not None]
        if filled:
            findings.append(Finding(
                "row.end_blank", "info",
                _("{cell} is blank while the row's other cells are filled; if the source lost a number "
                  "from this row, the numbers after it stand one column to the left").format(cell=_name(last)),
                [last] + filled, _line(filled[-1], where)))
    return findings


def _state(key, cells, where):
    """A cell's state (model.cell_state), None for a key the report does not hold: asked
    of the few cells that need it, not built for every cell."""
    return cell_state(where.get(key), cells[key]) if key in cells else None


def _row_of(key):
    return key.rsplit(".", 1)[0]


# --- values, format and section 六 ---------------------------------------------------

def _value_findings(cells, where):
    findings = []
    for key, value in cells.items():
        if value is None or (type(value) is int and value >= 0):   # most cells: nothing to say
            continue
        table, _row, col = key.split(".")
        if value < 0 and (table, col) not in nf.SIGNED_COLUMNS:
            findings.append(Finding("value.negative", "error",
                                    _("{cell} is {value}{at}; a count cannot be negative").format(
                                        cell=_name(key), value=value, at=_at(key, where)),
                                    [key], _line(key, where)))
        if isinstance(value, float) and (table, col) not in nf.DECIMAL_COLUMNS:
            findings.append(Finding("value.not_integer", "error",
                                    _("{cell} is {value}{at}; the format counts here in whole numbers").format(
                                        cell=_name(key), value=value, at=_at(key, where)),
                                    [key], _line(key, where)))
    return findings


def _template_year(meta):
    year, template = meta.get("year"), meta.get("template")
    if not year or not template:
        return []
    expected = nf.template_for_year(year)
    if template == expected:
        return []
    return [Finding("meta.template_year", "warning",
                    _("a report for {year} in the {template} format; the {expected} format applies to {year}").format(
                        year=year, template=template, expected=expected))]


def _fees(report, cells, where):
    year = report.meta.get("year")
    if report.meta.get("template") not in wording.FEE_STATEMENT_TEMPLATES or \
            (year and nf.template_for_year(year) not in wording.FEE_STATEMENT_TEMPLATES):
        return []
    six = next((s for s in report.sections if s.number == 6), None)
    if six is None or not six.heading:     # section 六 was not found: what it says cannot be checked
        return []
    text = six.text
    line = six.line if six else None
    if not wording.FEE_STATEMENT.search(text):
        return [Finding("fees.statement_missing", "warning",
                        _("section 六 says nothing of 信息处理费 (收费通知件数, 总金额, 实际收取总金额)"), [], line)]
    unpaid = cells.get("requests.closed_unpaid_fee.total")
    if not unpaid:
        return []
    m = wording.FEE_NOTICES.search(text)
    notices = int(m.group(1)) if m else (0 if wording.NO_FEE_NOTICES.search(text) else None)
    if notices is not None and notices < unpaid:
        key = "requests.closed_unpaid_fee.total"
        return [Finding("fees.notices_below_unpaid", "warning",
                        _("section 六 states {notices} 收费通知, but {cell} is {value}{at}: each of those applications "
                          "had a 收费通知").format(notices=notices, cell=_name(key), value=unpaid, at=_at(key, where)),
                        [key], line)]
    return []


# --- wording --------------------------------------------------------------------------

def _name(key):
    return nf.cell_label(key)


def _short(key, ident):
    """A part's label within its identity: its column in a row's sum, else its full name."""
    if ident.code in ("requests.row_total", "appeals.total"):
        return _name(key).split("·")[-1]
    return _name(key)


def _line(key, where):
    return (where.get(key) or {}).get("line")


def _at(key, where):
    line = _line(key, where)
    # A place inside a message: 「{cell} is {value}{at}」.
    return _(" (line {line})").format(line=line) if line else ""
