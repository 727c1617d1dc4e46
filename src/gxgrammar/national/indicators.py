"""Indicators: the rates evaluators and researchers compute from a report's tables.

Each indicator is defined once here, with its formula and description; the JSON
(`indicators`), the store, the exports, `gxgrammar compare` and docs/indicators.md
read it. A value is a ratio (0.25 is 25%), rounded to four decimal places; where it
cannot be computed (a cell blank, a denominator of 0, no report of the year before)
the value is None and the reason says why.
"""
from __future__ import annotations

from dataclasses import dataclass

from gxgrammar import national as nf
from gxgrammar.i18n import _

_RESULTS = "requests.results_total.total"
_DENIED = tuple(f"requests.denied_{k}.total" for k in (
    "state_secret", "prohibited_by_law", "security_stability", "third_party", "internal_affairs",
    "process_info", "enforcement_files", "query_matter"))
_UNAVAILABLE = tuple(f"requests.unavailable_{k}.total" for k in ("not_held", "needs_creation", "unclear"))
_REJECTED = tuple(f"requests.rejected_{k}.total" for k in (
    "complaint", "duplicate", "publication", "excessive", "confirmation"))
_SUITS = ("appeals.suit_direct", "appeals.suit_after_review")


@dataclass(frozen=True)
class Indicator:
    name: str             # its key in the JSON and the exports
    label: str            # its Chinese name
    numerator: tuple      # cell keys, summed
    denominator: tuple    # cell keys, summed
    formula: str          # the formula in the format's words
    description: str      # what it measures (English, translated where shown)
    previous: bool = False   # numerator and denominator are of this year less the year before


INDICATORS = (
    Indicator("disclosure_rate", "公开率", ("requests.granted.total", "requests.partially_granted.total"),
              (_RESULTS,), "(（一）予以公开 + （二）部分公开) / （七）总计",
              "the share of the applications answered this year that were disclosed, in whole or in part"),
    Indicator("denial_rate", "不予公开率", _DENIED, (_RESULTS,), "（三）不予公开 1–8 / （七）总计",
              "the share of the applications answered this year that were refused (不予公开, any of its eight grounds)"),
    Indicator("unavailable_rate", "无法提供率", _UNAVAILABLE, (_RESULTS,), "（四）无法提供 1–3 / （七）总计",
              "the share of the applications answered this year whose information the agency could not provide"),
    Indicator("rejection_rate", "不予处理率", _REJECTED, (_RESULTS,), "（五）不予处理 1–5 / （七）总计",
              "the share of the applications answered this year that were not processed (不予处理)"),
    Indicator("carry_forward_rate", "结转率", ("requests.carried_forward.total",),
              ("requests.new.total", "requests.carried_over.total"), "四、结转下年度 / (一、本年新收 + 二、上年结转)",
              "the share of the applications on hand this year (new and carried over) that are carried into the next"),
    Indicator("review_correction_rate", "复议纠错率", ("appeals.review.corrected",), ("appeals.review.total",),
              "行政复议 结果纠正 / 行政复议 总计",
              "the share of the 行政复议 cases against the agency's disclosure decisions whose result was a correction"),
    Indicator("suit_correction_rate", "诉讼纠错率", tuple(f"{g}.corrected" for g in _SUITS),
              tuple(f"{g}.total" for g in _SUITS), "行政诉讼 结果纠正 / 行政诉讼 总计 (直接起诉 and 复议后起诉)",
              "the share of the 行政诉讼 cases against the agency's disclosure decisions whose result was a correction"),
    Indicator("application_growth", "申请增长率", ("requests.new.total",), ("requests.new.total",),
              "(本年新收 − 上年新收) / 上年新收",
              "the change in new applications against the agency's report of the year before", previous=True),
)
BY_NAME = {i.name: i for i in INDICATORS}


def indicators(report, previous=None):
    """{name: {"value": float or None, "reason": why None, or None}} for a report; `previous`
    is the agency's report of the year before, when known (for 申请增长率)."""
    cells = report.cells()
    before = previous.cells() if previous is not None else None
    return {i.name: _value(i, cells, before) for i in INDICATORS}


def _value(indicator, cells, before):
    if indicator.previous:
        if before is None:
            return _none(_("no report of the year before"))
        now, then = _sum(indicator.numerator, cells), _sum(indicator.denominator, before)
        if now is None or then is None:
            blank = next(k for k in indicator.numerator if cells.get(k) is None) if now is None else \
                next(k for k in indicator.denominator if before.get(k) is None)
            which = _("this year's {cell}") if now is None else _("the year before's {cell}")
            return _none(_("{which} is blank").format(which=which.format(cell=nf.cell_label(blank))))
        if then == 0:
            return _none(_("the year before's {cell} is 0").format(cell=nf.cell_label(indicator.denominator[0])))
        return {"value": round((now - then) / then, 4), "reason": None}
    top, bottom = _sum(indicator.numerator, cells), _sum(indicator.denominator, cells)
    for keys, total in ((indicator.denominator, bottom), (indicator.numerator, top)):
        if total is None:
            blank = [k for k in keys if cells.get(k) is None]
            return _none(_("{cells} {verb} blank").format(
                cells=", ".join(nf.cell_label(k) for k in blank), verb=_("is") if len(blank) == 1 else _("are")))
    if bottom == 0:
        if len(indicator.denominator) == 1:
            return _none(_("{cell} is 0").format(cell=nf.cell_label(indicator.denominator[0])))
        return _none(_("{cells} add up to 0").format(cells=" + ".join(nf.cell_label(k) for k in indicator.denominator)))
    return {"value": round(top / bottom, 4), "reason": None}


def _sum(keys, cells):
    total = 0
    for k in keys:
        v = cells.get(k)
        if v is None:
            return None
        total += v
    return total


def _none(reason):
    return {"value": None, "reason": reason}
