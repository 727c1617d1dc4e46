"""Years side by side: the reports of one agency for consecutive years, and what must
follow from one year to the next.

Reports are paired by the agency's name (`national.agency_key`: only equivalences that
are certain) and `meta.year`. For each report with one of the year before, the
cross-year identities of the national format are checked (national/identities.py);
both are warnings, never errors: mergers, splits and amendments break them
legitimately (official-format.md §4.3).

- series.carried_over: 二、上年结转 of year N equals 四、结转下年度继续办理 of year N−1,
  column by column.
- series.in_force: in the 2021 format, 现行有效件数 of year N equals that of N−1 plus
  本年制发件数 minus 本年废止件数 of year N.
- series.duplicate: two different reports of one agency for one year; neither is
  compared with its neighbours (which is right cannot be told).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gxgrammar import national as nf
from gxgrammar.checks import Rule
from gxgrammar.i18n import N_, _
from gxgrammar.model import Finding

RULES = {r.code: r for r in (
    *(Rule(code, rule.severity, rule.basis, rule.summary) for code, rule in nf.SERIES_RULES.items()),
    Rule("series.duplicate", "warning", N_("a report covers one agency's year; two different ones cannot both be right"),
         N_("two different reports of one agency for one year: neither is compared with other years")),
)}
BASIS = {code: rule.basis for code, rule in RULES.items()}


@dataclass
class Pairing:
    """Which reports follow which, and why the others do not."""
    pairs: list = field(default_factory=list)        # (report of year N−1, report of year N)
    duplicates: list = field(default_factory=list)   # [reports of one agency and year]
    notes: list = field(default_factory=list)        # why a report was not paired, for --explain
    groups: dict = field(default_factory=dict)       # agency key -> {year: report}

    def before(self, report):
        """The report of the year before `report`'s, or None."""
        if len(self._before) != len(self.pairs):
            self._before = {id(a): b for b, a in self.pairs}
        return self._before.get(id(report))

    _before: dict = field(default_factory=dict, repr=False)


def pair(reports):
    """Pair the reports of one agency in consecutive years (see the module's docstring)."""
    out = Pairing()
    by_key, seen = {}, {}
    for r in reports:
        agency, year = r.meta.get("agency"), r.meta.get("year")
        key = nf.agency_key(agency)
        if key is None or not year:
            why = nf.agency_key_reason(agency) if key is None else _("its year is not known")
            out.notes.append(_("{path}: not compared with other years: {why}").format(path=_path(r), why=why))
            continue
        sha = r.source.get("sha256")
        if sha and (key, year, sha) in seen:      # the same file twice: one report
            continue
        seen[(key, year, sha)] = r
        by_key.setdefault(key, {}).setdefault(year, []).append(r)
    for key, years in by_key.items():
        single = {}
        for year, found in sorted(years.items()):
            if len(found) > 1:
                out.duplicates.append(found)
                out.notes.append(_("{agency} {year}: {count} different reports ({paths}); neither is compared "
                                   "with other years").format(agency=found[0].meta["agency"], year=year,
                                                              count=len(found),
                                                              paths=", ".join(_path(r) for r in found)))
            else:
                single[year] = found[0]
        out.groups[key] = single
        for year, report in sorted(single.items()):
            before = single.get(year - 1)
            if before is not None:
                out.pairs.append((before, report))
            elif year - 1 in years:
                pass                              # a duplicate year before: said above
            elif any(y < year for y in years):
                last = max(y for y in years if y < year)
                out.notes.append(_("{agency} {year}: the report before it is of {last}; no {wanted} report to "
                                   "compare with").format(agency=report.meta["agency"], year=year, last=last,
                                                          wanted=year - 1))
    out.notes += _near_misses(by_key)
    return out


def _near_misses(by_key):
    """Names that may be one agency written two ways, but are not certainly (not paired)."""
    notes, keys = [], set(by_key)
    names = {k: next(iter(next(iter(by_key[k].values())))).meta["agency"] for k in keys}
    for key in sorted(keys):
        # 淄博市张店区人民政府办公室 and 张店区人民政府办公室; 沭阳县人民政府 and 沭阳县人民政府办公室
        for other in (key[i:] for i in range(1, len(key) - 3)):
            if other in keys:
                notes.append(_nearly(names[key], names[other]))
        for suffix in ("办公室", "办"):
            if key + suffix in keys:
                notes.append(_nearly(names[key], names[key + suffix]))
    return notes


def _nearly(a, b):
    return _("「{a}」 and 「{b}」 may be one agency or two: not paired").format(a=a, b=b)


def check_series(reports, pairing=None):
    """{id(report): [findings]}: for each report, what the year before (and a duplicate) says of it."""
    pairing = pairing or pair(reports)
    out = {}
    for found in pairing.duplicates:
        for report in found:
            others = [r for r in found if r is not report]
            out.setdefault(id(report), []).append(Finding(
                "series.duplicate", "warning",
                _("another report of {agency} for {year} is {paths}: which is right cannot be told, so "
                  "neither is compared with other years").format(
                    agency=report.meta["agency"], year=report.meta["year"],
                    paths=", ".join(_path(r) for r in others))))
    for before, report in pairing.pairs:
        found = follow_on(before, report)
        if found:
            out.setdefault(id(report), []).extend(found)
    return out


def follow_on(before, report):
    """The cross-year findings of `report` against `before`, the report of the year before."""
    return _identities(before, report) + _changes(before, report)


def _identities(before, report):
    prev, cells = before.cells(), report.cells()
    template = lambda r: r.meta.get("template") or "2021"   # noqa: E731
    findings = []
    for ident in nf.series_identities(template(before), template(report)):
        now = cells.get(ident.now)
        then = [(sign, key, prev.get(key)) for sign, key in ident.before]
        this_year = [(sign, key, cells.get(key)) for sign, key in ident.this_year]
        if now is None or any(term[2] is None for term in then + this_year):
            continue
        expected = sum(sign * v for sign, key, v in then + this_year)
        if now == expected:
            continue
        findings.append(Finding(ident.code, "warning", _MESSAGES[ident.code](before, report, now, then, this_year,
                                                                            expected, ident),
                                [ident.now], (report.provenance.get(ident.now) or {}).get("line")))
    return findings


def _carried(before, report, now, then, this_year, expected, ident):
    (sign, then_key, value), = then
    return _("{cell} is {now}, but {year}'s report ({path}) carried {then} forward in {then_cell}").format(
        cell=nf.cell_label(ident.now), now=now, year=before.meta["year"], path=_path(before), then=value,
        then_cell=nf.cell_label(then_key))


def _in_force(before, report, now, then, this_year, expected, ident):
    (sign, key, value), = then
    terms = " ".join(f"{'+' if sign > 0 else '−'} {nf.cell_label(key).split('·')[-1]} {v}"
                     for sign, key, v in this_year)
    return _("{cell} is {now}, but {year}'s report ({path}) gives {then}, and {then} {terms} = {expected}").format(
        cell=nf.cell_label(ident.now), now=now, year=before.meta["year"], path=_path(before), then=value,
        terms=terms, expected=expected)


_MESSAGES = {"series.carried_over": _carried, "series.in_force": _in_force}


def _changes(before, report):
    """「新收申请168件，同比下降2.9%」, 「较上年减少5件」: what the prose says of the year before,
    against the year before's report (claims.change)."""
    from gxgrammar.checks.claims import read_claims, stated_change
    prev, cells = before.cells(), report.cells()
    findings = []
    for claim in read_claims(report):
        change = claim.change
        if change is None or len(claim.alternatives) != 1:
            continue
        keys = claim.alternatives[0]
        now, then = _total(keys, cells), _total(keys, prev)
        if now is None or then is None:
            continue
        wrong = stated_change(change, now, then)
        if wrong is None:
            continue
        findings.append(Finding("claims.change", "warning", _(
            "the text says 「{quote}」 of {cells}, but it went from {then} ({year}'s report, {path}) to {now}: "
            "{actual}").format(quote=change["quote"], cells=" + ".join(nf.cell_label(k) for k in keys), then=then,
                               year=before.meta["year"], path=_path(before), now=now, actual=wrong),
            list(keys), claim.line))
    return findings


def _total(keys, cells):
    values = [cells.get(k) for k in keys]
    return None if any(v is None for v in values) else sum(values)


def explain(pairing):
    """The pairing in words, for `check --explain`: what was compared with what, and why not."""
    lines = []
    for key, years in sorted(pairing.groups.items()):
        if not years:
            continue
        agency = next(iter(years.values())).meta["agency"]
        listed = _(", ").join(_("{year} ({path})").format(year=y, path=_path(r)) for y, r in sorted(years.items()))
        compared = [f"{b.meta['year']}→{a.meta['year']}" for b, a in pairing.pairs
                    if nf.agency_key(a.meta.get("agency")) == key]
        lines.append(_("{agency}: {listed}; compared: {compared}").format(
            agency=agency, listed=listed, compared=_(", ").join(compared) or _("none")))
    return lines + pairing.notes


def _path(report):
    return report.source.get("path") or "?"
