"""Two reports side by side: what changed in the tables, which identities hold in each,
and how much of the prose is repeated word for word (`gxgrammar compare`).

The comparison is prepared here as plain data (`comparison`), written as text, as JSON,
or as an HTML page through the template `_compare.html.j2` (a partial: not one of
`gxgrammar render`'s templates, which render one report).

Text reuse: a character of the newer report's prose counts as repeated when it lies in
a run of at least REUSE_RUN characters (about a clause) found word for word anywhere in
the earlier report's prose. Spaces and line breaks are left out first, and full-width
forms made half-width, so that a PDF's wrapping does not hide a copy. The format names
内容雷同 as a defect of a report; evaluators count it (official-format.md §5.2).
"""
from __future__ import annotations

import json
import unicodedata

from gxgrammar import national as nf
from gxgrammar.checks.series import follow_on
from gxgrammar.i18n import _
from gxgrammar.national.indicators import INDICATORS, indicators

REUSE_RUN = 12
_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def comparison(old, new):
    """The comparison of two parsed reports, as plain data (the JSON of `compare`)."""
    consecutive = (nf.agency_key(old.meta.get("agency")) is not None
                   and nf.agency_key(old.meta.get("agency")) == nf.agency_key(new.meta.get("agency"))
                   and old.meta.get("year") and new.meta.get("year") == old.meta["year"] + 1)
    return {
        "old": _about(old),
        "new": _about(new),
        "same_agency_next_year": bool(consecutive),
        "cells": _cells(old, new),
        "identities": {"old": _identities(old), "new": _identities(new),
                       "across": [f.to_dict() for f in follow_on(old, new)] if consecutive else []},
        "indicators": _indicators(old, new, consecutive),
        "reuse": reuse(old, new),
    }


def _about(report):
    return {"path": report.source.get("path"), "agency": report.meta.get("agency"),
            "year": report.meta.get("year"), "template": report.meta.get("template")}


def _cells(old, new):
    """The cells of both reports' formats, those that changed, with the change and its rate."""
    before, after = old.cells(), new.cells()
    template = new.meta.get("template") or "2021"
    changed, same, only = [], 0, []
    for key in after:
        if key not in before:
            only.append(key)
            continue
        a, b = before[key], after[key]
        if a == b:
            same += 1
            continue
        change = b - a if a is not None and b is not None else None
        rate = round(change / a, 4) if change is not None and a else None
        changed.append({"key": key, "label": nf.cell_label(key, template), "old": a, "new": b,
                        "change": _round(change), "rate": rate})
    return {"changed": changed, "unchanged": same,
            "only_new": only, "only_old": [k for k in before if k not in after]}


def _round(value):
    return round(value, 6) if isinstance(value, float) else value


def _identities(report):
    """How the identities of a report fare: how many hold, are broken or could not be checked,
    and the findings that say which."""
    cells = report.cells()
    counts = {"hold": 0, "broken": 0, "unchecked": 0}
    for ident in nf.identities(report.meta.get("template") or "2021"):
        values = [cells.get(k) for k in ident.cells]
        if any(v is None for v in values):
            counts["unchecked"] += 1
        elif sum(cells[k] for k in ident.lhs) == sum(cells[k] for k in ident.parts):
            counts["hold"] += 1
        else:
            counts["broken"] += 1
    codes = set(nf.IDENTITY_RULES) | {"identity.unchecked", "total.blank"}
    return dict(counts, findings=[f.to_dict() for f in report.findings if f.code in codes])


def _indicators(old, new, consecutive):
    before, after = indicators(old), indicators(new, old if consecutive else None)
    return [{"name": i.name, "label": i.label, "formula": i.formula,
             "old": before[i.name], "new": after[i.name]} for i in INDICATORS]


# --- text reuse ----------------------------------------------------------------------------

def reuse(old, new, run=REUSE_RUN):
    """For each section of `new` with prose, and for all of it: how many of its characters
    lie in a run of at least `run` characters found word for word in `old`'s prose."""
    source = _plain("\n".join([old.preamble] + [s.text for s in old.sections]))
    seen = {source[i:i + run] for i in range(len(source) - run + 1)}
    sections, total, repeated = [], 0, 0
    for s in new.sections:
        text = _plain(s.text)
        if not text:
            continue
        count = _covered(text, seen, run)
        total, repeated = total + len(text), repeated + count
        sections.append({"number": s.number, "title": s.title or s.heading, "heading": _heading(s),
                         "characters": len(text), "repeated": count,
                         "ratio": round(count / len(text), 4)})
    return {"run": run, "sections": sections, "characters": total, "repeated": repeated,
            "ratio": round(repeated / total, 4) if total else None}


def _heading(section):
    """一、总体情况 for a section of the format; the heading as written for any other part."""
    if section.number:
        return f"{nf.SECTION_NUMERALS[section.number - 1]}、{section.title}"
    return section.heading or "?"


def _plain(text):
    return "".join(text.translate(_HALF_WIDTH).split())


def _covered(text, seen, run):
    """How many characters of `text` lie in some run of `run` characters that is in `seen`."""
    covered, reach = 0, 0        # reach: the end of the last repeated run found so far
    for i in range(len(text) - run + 1):
        if text[i:i + run] in seen:
            covered += i + run - max(i, reach)
            reach = i + run
    return covered


# --- writing -------------------------------------------------------------------------------

def as_json(data):
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def as_text(data):
    """The comparison for people, one fact a line."""
    lines = []
    for side in ("old", "new"):
        a = data[side]
        lines.append(f"{side.upper():<4} {a['path']}  {a['agency'] or '?'} {a['year'] or '?'} "
                     f"({a['template']} format)")
    if not data["same_agency_next_year"]:
        lines.append(_("     (not the same agency's consecutive years: the year-to-year identities and "
                       "申请增长率 are left out)"))
    lines += ["", _("Identities")]
    for side in ("old", "new"):
        ident = data["identities"][side]
        lines.append(_("  {side}: {hold} hold, {broken} broken, {unchecked} could not be checked").format(
            side=side, **{k: ident[k] for k in ("hold", "broken", "unchecked")}))
        lines += [f"    {f['severity']:<7} {f['code']}  {f['message']}" for f in ident["findings"]
                  if f["severity"] != "info"]
    if data["same_agency_next_year"]:
        across = data["identities"]["across"]
        lines.append(_("  year to year: {result}").format(
            result=_("every identity holds") if not across else _("{count} do not hold").format(count=len(across))))
        lines += [f"    {f['severity']:<7} {f['code']}  {f['message']}" for f in across]
    lines += ["", _("Indicators")]
    for i in data["indicators"]:
        lines.append(f"  {_pad(i['label'], 10)} {_rate(i['old']):>7} → {_rate(i['new'])}")
    r = data["reuse"]
    lines += ["", _("Prose repeated word for word from the old report (runs of {run} characters or more)").format(
        run=r["run"])]
    for s in r["sections"]:
        lines.append(f"  {_pad(s['heading'], 36)} {s['ratio']:>5.0%}  "
                     + _("({repeated} of {characters} characters)").format(**s))
    if r["ratio"] is not None:
        lines.append(f"  {_pad(_('all the prose'), 36)} {r['ratio']:>5.0%}  "
                     + _("({repeated} of {characters} characters)").format(**r))
    cells = data["cells"]
    lines += ["", _("Cells that changed: {changed} ({unchanged} unchanged)").format(
        changed=len(cells["changed"]), unchanged=cells["unchanged"])]
    width = max((_width(c["label"]) for c in cells["changed"]), default=0)
    for c in cells["changed"]:
        change = "" if c["change"] is None else f"{c['change']:+}"
        rate = "" if c["rate"] is None else f"{c['rate']:+.1%}"
        lines.append(f"  {_pad(c['label'], width)}  {_v(c['old']):>7} → {_v(c['new']):<7} {change:>6} {rate:>8}")
    for key in ("only_old", "only_new"):
        if cells[key]:
            lines.append(_("  cells of one format only ({side}): {count}").format(side=key[5:], count=len(cells[key])))
    return "\n".join(lines) + "\n"


def _width(text):
    """Columns a text takes in a terminal: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text, width):
    return text + " " * max(0, width - _width(text))


def _v(value):
    return "" if value is None else str(value)


def _rate(entry):
    return f"{entry['value']:.1%}" if entry["value"] is not None else "—"


def as_html(data):
    from gxgrammar import __version__
    from gxgrammar.writers.render import _environment
    title = _("{old} and {new} compared").format(old=_title(data["old"]), new=_title(data["new"]))
    return _environment().get_template("_compare.html.j2").render(
        comparison=data, generator=f"gxgrammar {__version__}", title=title)


def _title(about):
    return f"{about['agency'] or '?'} {about['year'] or '?'}"
