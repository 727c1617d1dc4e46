"""The identities (勾稽关系) of the national format, within one report and across two years.

Each kind of identity is described once, here: where it holds, its formula and its
basis, in English. The scope and the formula are marked for the catalogue where they are
written (`N_`) and translated where a finding shows them (`IdentityRule.summary`): one
description a rule, kept in English for docs/checks.md, and the Chinese in the catalogue
with every other message, so that a translator works in one place. The
checks, the inference messages and docs/checks.md all read these texts.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from gxgrammar import national as nf
from gxgrammar.i18n import N_, _


@dataclass(frozen=True)
class IdentityRule:
    """What one kind of identity says: where it holds, its formula, why it holds."""
    code: str
    severity: str
    scope: str         # where it holds: N_("in each column of table 三")
    formula: str       # the equation alone, as the inference messages give it
    basis: str         # why it holds (official-format.md)

    @property
    def text(self):
        """The rule in words, in English: 「in each column of table 三, 一 + 二 = …」 (the docs)."""
        return f"{self.scope}, {self.formula}"

    @property
    def summary(self):
        """The rule in words in the language of the moment, as findings give it."""
        return _("{scope}, {formula}").format(scope=_(self.scope), formula=_(self.formula))


BASIS_BALANCE = N_("the template's own note on table 三: 「本列数据的勾稽关系为：第一项加第二项之和，"
                   "等于第三项加第四项之和」")
BASIS_RESULTS = N_("the structure of table 三: （七）总计 totals the result rows （一）…（六）, and "
                   "（二）部分公开's note 「只计这一情形，不计其他情形」 counts each application once")
BASIS_ROW_TOTAL = N_("the structure of table 三: 总计 is the column that totals the six applicant columns of 申请人情况")
BASIS_OTHER_PROCESSING = N_("a report that writes （六）其他处理 both as the 2019 format's one row and as the 2021 "
                            "format's sub-rows 1.–3. gives the same applications twice: the one row totals them")
BASIS_APPEALS = N_("the structure of table 四: each group's 总计 totals its 结果维持, 结果纠正, 其他结果 and 尚未审结")

IDENTITY_RULES = {r.code: r for r in (
    IdentityRule("requests.balance", "error", N_("in each column of table 三"),
                 N_("一 + 二 = 三（七）总计 + 四"), BASIS_BALANCE),
    IdentityRule("requests.results_total", "error", N_("in each column of table 三"),
                 N_("（七）总计 = the sum of the result rows"), BASIS_RESULTS),
    IdentityRule("requests.row_total", "error", N_("in each row of table 三"),
                 N_("总计 = the sum of the six applicant columns"), BASIS_ROW_TOTAL),
    IdentityRule("requests.other_processing", "error", N_("in each column of table 三"),
                 N_("（六）其他处理 = the sum of its sub-rows 1.–3."), BASIS_OTHER_PROCESSING),
    IdentityRule("appeals.total", "error", N_("in each group of table 四"),
                 N_("总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"), BASIS_APPEALS),
)}


@dataclass(frozen=True, eq=False)   # built once per format: the same identity is the same object
class Identity:
    """A linear identity the cells of one report must satisfy: Σ lhs == Σ parts.

    `lhs` is the cell that is the total, `parts` the cells it must equal the sum of.
    """
    code: str
    basis: str
    lhs: tuple        # cell keys on the left-hand side (summed)
    parts: tuple      # cell keys on the right-hand side (summed)

    @cached_property      # identities are built once per template; their cells are read often
    def cells(self):
        return self.lhs + self.parts

    @property
    def rule(self):
        return IDENTITY_RULES[self.code]


def identities(template, form=None):
    """Every within-report identity of a template (and form: national.form_of), in a stable order."""
    return list(_identities(template, form))


@lru_cache(maxsize=None)
def table_identities(template, form, table):
    """The identities of one table (its cells' code starts with the table's name)."""
    return tuple(i for i in _identities(template, form) if i.code.split(".")[0] == table)


@lru_cache(maxsize=None)
def has_identities(table):
    """Whether a table has identities in either format (三 and 四; table 二 has none): only
    they can judge which numbers far from a table are its own."""
    return any(table_identities(t, None, table) for t in ("2019", "2021"))


@lru_cache(maxsize=None)
def _identities(template, form=None):
    out = []
    rule = IDENTITY_RULES
    results = nf.result_rows(template, form)
    # Both ways of writing （六）其他处理 held: the sub-rows are checked against the one row.
    whole = nf.INTERCHANGEABLE_ROWS[nf.WHOLE_WAY]
    subrows = [r for t, keys in nf.INTERCHANGEABLE_ROWS.items() if t != nf.WHOLE_WAY for r in keys]
    both = form is not None and set(whole) <= form and set(subrows) <= form
    for col in nf.REQUEST_COLUMNS:
        c = col.key
        out.append(Identity("requests.balance", rule["requests.balance"].basis,
                            (f"requests.new.{c}", f"requests.carried_over.{c}"),
                            (f"requests.results_total.{c}", f"requests.carried_forward.{c}")))
        out.append(Identity("requests.results_total", rule["requests.results_total"].basis,
                            (f"requests.results_total.{c}",),
                            tuple(f"requests.{r}.{c}" for r in results)))
        if both:
            out.append(Identity("requests.other_processing", rule["requests.other_processing"].basis,
                                tuple(f"requests.{r}.{c}" for r in whole),
                                tuple(f"requests.{r}.{c}" for r in subrows)))
    for row in nf.rows_for("requests", template, form):
        out.append(Identity("requests.row_total", rule["requests.row_total"].basis,
                            (f"requests.{row.key}.total",),
                            tuple(f"requests.{row.key}.{c}" for c in nf.APPLICANT_COLUMNS)))
    for row in nf.APPEAL_ROWS:
        out.append(Identity("appeals.total", rule["appeals.total"].basis,
                            (f"appeals.{row.key}.total",),
                            tuple(f"appeals.{row.key}.{c.key}" for c in nf.APPEAL_COLUMNS[:-1])))
    return tuple(out)


# --- across two consecutive years of one agency (official-format.md §4.3) ----------------

@dataclass(frozen=True)
class SeriesIdentity:
    """One cell of year N against cells of year N−1 (and of year N):
    now == Σ sign·(year N−1 cell) + Σ sign·(year N cell)."""
    code: str
    now: str              # the cell of year N
    before: tuple         # ((sign, key), …) of year N−1
    this_year: tuple = ()   # ((sign, key), …) of year N


@dataclass(frozen=True)
class SeriesRule:
    code: str
    severity: str
    templates: tuple      # the formats both reports must be in for the rule to apply
    summary: str
    basis: str


SERIES_RULES = {r.code: r for r in (
    SeriesRule("series.carried_over", "warning", nf.TEMPLATES,
               N_("二、上年结转 of year N, column by column, against 四、结转下年度继续办理 of year N−1"),
               N_("二、上年结转 counts the applications 四、结转下年度继续办理 carried into the year (§4.3 X1)")),
    SeriesRule("series.in_force", "warning", ("2021",),
               N_("现行有效件数 of year N against that of N−1 + 本年制发件数 − 本年废止件数"),
               N_("现行有效件数 rolls forward by 本年制发件数 − 本年废止件数 (§4.3 X2; 制发 may include amendments)")),
)}

# The documents whose stock rolls forward (2021 table 二, 第二十条第（一）项).
IN_FORCE_ROWS = ("regulations", "normative_documents")


@lru_cache(maxsize=None)
def series_identities(before, now):
    """Every cross-year identity of a report in format `now` following one in format `before`."""
    def applies(code):
        return before in SERIES_RULES[code].templates and now in SERIES_RULES[code].templates
    out = []
    if applies("series.carried_over"):
        out += [SeriesIdentity("series.carried_over", f"requests.carried_over.{c.key}",
                               ((1, f"requests.carried_forward.{c.key}"),)) for c in nf.REQUEST_COLUMNS]
    if applies("series.in_force"):
        for row in IN_FORCE_ROWS:
            out.append(SeriesIdentity("series.in_force", f"active.{row}.in_force",
                                      ((1, f"active.{row}.in_force"),),
                                      ((1, f"active.{row}.issued"), (-1, f"active.{row}.repealed"))))
    return tuple(out)
