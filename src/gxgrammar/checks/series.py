"""Checks across the reports of one agency for consecutive years.

Both are warnings, never errors: mergers, splits and amendments break them
legitimately (official-format.md §4.3).
- series.carried_over: 二、上年结转 of year N equals 四、结转下年度继续办理 of year N−1,
  column by column (the two rows only make sense that way).
- series.in_force: in the 2021 format, 现行有效件数 of year N equals that of N−1 plus
  本年制发件数 minus 本年废止件数 of year N (制发 may include amendments, hence a warning).
"""
from __future__ import annotations

from gxgrammar import national as nf
from gxgrammar.model import Finding

BASIS = {
    "series.carried_over": "二、上年结转 counts the applications 四、结转下年度继续办理 carried into the year (§4.3 X1)",
    "series.in_force": "现行有效件数 rolls forward by 本年制发件数 − 本年废止件数 (§4.3 X2; 制发 may include amendments)",
}


def check_series(reports):
    """{id(report): [findings]} for reports that follow another of the same agency by one year."""
    by_agency = {}
    for r in reports:
        agency, year = r.meta.get("agency"), r.meta.get("year")
        if agency and year:
            by_agency.setdefault(agency, {}).setdefault(year, r)
    out = {}
    for years in by_agency.values():
        for year, report in years.items():
            before = years.get(year - 1)
            if before is None:
                continue
            found = _carried(before, report) + _in_force(before, report)
            if found:
                out.setdefault(id(report), []).extend(found)
    return out


def _carried(before, report):
    prev, cells = before.cells(), report.cells()
    findings = []
    for col in nf.REQUEST_COLUMNS:
        now_key = f"requests.carried_over.{col.key}"
        then_key = f"requests.carried_forward.{col.key}"
        now, then = cells.get(now_key), prev.get(then_key)
        if now is None or then is None or now == then:
            continue
        findings.append(Finding(
            "series.carried_over", "warning",
            f"{nf.cell_label(now_key)} is {now}, but {before.meta['year']}'s report "
            f"({before.source.get('path')}) carried {then} forward in {nf.cell_label(then_key)}",
            [now_key], (report.provenance.get(now_key) or {}).get("line")))
    return findings


def _in_force(before, report):
    if before.meta.get("template") != "2021" or report.meta.get("template") != "2021":
        return []
    prev, cells = before.cells(), report.cells()
    findings = []
    for row in ("regulations", "normative_documents"):
        keys = {c: f"active.{row}.{c}" for c in ("in_force", "issued", "repealed")}
        values = [cells.get(keys["in_force"]), prev.get(keys["in_force"]),
                  cells.get(keys["issued"]), cells.get(keys["repealed"])]
        if any(v is None for v in values):
            continue
        now, then, issued, repealed = values
        expected = then + issued - repealed
        if now == expected:
            continue
        findings.append(Finding(
            "series.in_force", "warning",
            f"{nf.cell_label(keys['in_force'])} is {now}, but {before.meta['year']}'s {then} "
            f"+ 本年制发件数 {issued} − 本年废止件数 {repealed} = {expected}",
            [keys["in_force"]], (report.provenance.get(keys["in_force"]) or {}).get("line")))
    return findings
