"""The national format of the 政府信息公开工作年度报告: the one place that knows it.

Everything about the 2021 format (国办公开办函〔2021〕30号) and the 2019 trial format
(国办公开办函〔2019〕60号) lives here: the six section titles, the rows and columns of
the three tables with their keys and canonical wording, the rules that recognise a row
label as it occurs in the wild, and the header words that tell the two formats apart.
Layout grammars know nothing of this; the table mapper asks this module.

Label rules are regular expressions matched against a *normalised* label
(see :func:`normalise_label`): NFKC (full-width punctuation and digits become
half-width), all whitespace and quote marks removed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from gxgrammar.cache import regex
from gxgrammar.i18n import N_

TEMPLATES = ("2021", "2019")
# The 2021 format (国办公开办函〔2021〕30号, September 2021) applies from the reports for 2021 on.
FIRST_YEAR_2021 = 2021


def template_for_year(year):
    """The format a report for `year` should be in."""
    return "2021" if year >= FIRST_YEAR_2021 else "2019"

# --- sections ------------------------------------------------------------------------

SECTION_TITLES = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}
SECTION_NUMERALS = "一二三四五六"

# The table each section holds, by section number.
SECTION_TABLES = {2: "active", 3: "requests", 4: "appeals"}


# --- rows and columns ----------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str                 # the row label worded exactly as the format words it
    rule: str                  # regex on the normalised label that recognises the row
    templates: tuple = TEMPLATES
    group: str = ""            # the merged parent label (（三）不予公开 …), if any
    columns: dict = None       # template -> tuple of Column, for `active`

    def in_template(self, template):
        return template in self.templates

    def columns_for(self, template):
        return self.columns[template]


REQUEST_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("nonprofit", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)
APPLICANT_COLUMNS = tuple(c.key for c in REQUEST_COLUMNS[:-1])

_G3, _G4, _G5, _G6 = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"
_RESULTS = "三、本年度办理结果"

REQUEST_ROWS = (
    Row("new", "一、本年新收政府信息公开申请数量", r"本年新收"),
    Row("carried_over", "二、上年结转政府信息公开申请数量", r"上年结转"),
    Row("granted", "（一）予以公开", r"(?<!不)予以公开", group=_RESULTS),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", r"部分公开", group=_RESULTS),
    Row("denied_state_secret", "1.属于国家秘密", r"国家秘密", group=_G3),
    # 「就法制行政禁止公开」 and other drift still end in 禁止公开.
    Row("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", r"禁止公开", group=_G3),
    Row("denied_security_stability", "3.危及“三安全一稳定”", r"三安全一稳定|危及", group=_G3),
    Row("denied_third_party", "4.保护第三方合法权益", r"第三方", group=_G3),
    Row("denied_internal_affairs", "5.属于三类内部事务信息", r"内部事务", group=_G3),
    Row("denied_process_info", "6.属于四类过程性信息", r"过程性", group=_G3),
    Row("denied_enforcement_files", "7.属于行政执法案卷", r"执法案卷", group=_G3),
    Row("denied_query_matter", "8.属于行政查询事项", r"查询事项", group=_G3),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", r"不掌握", group=_G4),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作", r"另行制作|没有现成", group=_G4),
    Row("unavailable_unclear", "3.补正后申请内容仍不明确", r"仍不明确|补正后申请", group=_G4),
    Row("rejected_complaint", "1.信访举报投诉类申请", r"信访|举报投诉", group=_G5),
    Row("rejected_duplicate", "2.重复申请", r"重复申请", group=_G5),
    Row("rejected_publication", "3.要求提供公开出版物", r"出版物", group=_G5),
    Row("rejected_excessive", "4.无正当理由大量反复申请", r"大量反复", group=_G5),
    Row("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", r"确认或重新|重新出具", group=_G5),
    Row("closed_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", r"不补正|无正当理由逾期",
        templates=("2021",), group=_G6),
    Row("closed_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", r"收费通知|缴纳费用",
        templates=("2021",), group=_G6),
    # A bare 其他 after a sub-row number, or standing alone as a cell.
    Row("closed_other", "3.其他", r"(?:^|\||\d[.、]?)其他$", templates=("2021",), group=_G6),
    Row("other_processing", "（六）其他处理", r"其他处理", templates=("2019",), group=_RESULTS),
    Row("results_total", "（七）总计", r"总计", group=_RESULTS),
    Row("carried_forward", "四、结转下年度继续办理", r"结转下年|下年度继续"),
)

# The result rows whose sum is （七）总计, per template (identity of the table's structure).
RESULT_ROWS = {
    t: tuple(r.key for r in REQUEST_ROWS
             if r.in_template(t) and r.key not in ("new", "carried_over", "results_total", "carried_forward"))
    for t in TEMPLATES
}

# --- rows the two formats write differently -----------------------------------------------
# （六）其他处理 is one row in the 2019 format and three sub-rows in the 2021 format. Real
# reports mix the two (a district's 2021 table 二 with the 2019 single row, a 2019 report
# with the 2021 sub-rows): whichever a report holds is read under its own keys. A report's
# *form* is the set of these rows it holds (None: its format's own); the keys, rows and
# identities of a report follow its form.
INTERCHANGEABLE_ROWS = {"2019": ("other_processing",),
                        "2021": ("closed_no_correction", "closed_unpaid_fee", "closed_other")}
INTERCHANGEABLE_WAYS = {"2019": N_("as one row"), "2021": N_("as the sub-rows 1.–3.")}   # shown through _()
_INTERCHANGEABLE = frozenset(k for keys in INTERCHANGEABLE_ROWS.values() for k in keys)
# Of two ways held at once, the one-row way is the one （七）总计 counts (each application once).
WHOLE_WAY = "2019"


def is_interchangeable(row_key):
    return row_key in _INTERCHANGEABLE


# The interchangeable row each cell key (and each `requests` row key) of one is of.
_INTERCHANGEABLE_KEYS = {**{f"requests.{row}.{column.key}": row for row in _INTERCHANGEABLE
                            for column in REQUEST_COLUMNS},
                         **{row: row for row in _INTERCHANGEABLE}}


def form_of(template, keys):
    """The form of a report or table whose cell keys (or `requests` row keys) are `keys`:
    None when it holds its format's own way of writing （六）其他处理 (or neither way),
    else the frozenset of the interchangeable rows it holds, whole ways only."""
    # (a set intersection, in C: a report's every cell key is asked about, several times a parse)
    held = {_INTERCHANGEABLE_KEYS[k] for k in _INTERCHANGEABLE_KEYS.keys() & keys}
    ways = [t for t in TEMPLATES if held & set(INTERCHANGEABLE_ROWS[t])]
    if not ways or ways == [template]:
        return None
    return frozenset(k for t in ways for k in INTERCHANGEABLE_ROWS[t])


# Every interchangeable row at once: the identities within each of their rows (row totals).
EVERY_FORM = _INTERCHANGEABLE


def row_in_template(table, row_key, template):
    return row_by_key(table, row_key).in_template(template)


def borrowed_ways(template, form):
    """The formats whose way of writing （六）其他处理 a form takes from the other format."""
    return tuple(t for t in TEMPLATES if t != template and form and set(INTERCHANGEABLE_ROWS[t]) <= form)


def result_rows(template, form=None):
    """The result rows whose sum is （七）总计 in a report of this format and form: with both
    ways held, the one row (its sub-rows are checked against it instead)."""
    if form is None:
        return RESULT_ROWS[template]
    counted = set(INTERCHANGEABLE_ROWS[WHOLE_WAY]) if set(INTERCHANGEABLE_ROWS[WHOLE_WAY]) <= form else form
    return tuple(r.key for r in REQUEST_ROWS if r.key in counted or
                 (r.key in RESULT_ROWS[template] and r.key not in _INTERCHANGEABLE))

_C = Column
_ACTIVE_2021_DOCS = (_C("issued", "本年制发件数"), _C("repealed", "本年废止件数"), _C("in_force", "现行有效件数"))
_ACTIVE_2019_DOCS = (_C("new_made", "本年新制作数量"), _C("new_published", "本年新公开数量"),
                     _C("total_published", "对外公开总数量"))
_DECISIONS = (_C("decisions", "本年处理决定数量"),)
_ITEMS_2019 = (_C("prior_items", "上一年项目数量"), _C("change", "本年增/减"), _C("decisions", "处理决定数量"))

ACTIVE_ROWS = (
    Row("regulations", "规章", r"规章", group="第二十条第（一）项",
        columns={"2021": _ACTIVE_2021_DOCS, "2019": _ACTIVE_2019_DOCS}),
    Row("normative_documents", "行政规范性文件", r"规范性文件", group="第二十条第（一）项",
        columns={"2021": _ACTIVE_2021_DOCS, "2019": _ACTIVE_2019_DOCS}),
    Row("licensing", "行政许可", r"行政许可", group="第二十条第（五）项",
        columns={"2021": _DECISIONS, "2019": _ITEMS_2019}),
    Row("other_services", "其他对外管理服务事项", r"对外管理服务", templates=("2019",),
        group="第二十条第（五）项", columns={"2019": _ITEMS_2019}),
    Row("penalties", "行政处罚", r"行政处罚", group="第二十条第（六）项",
        columns={"2021": _DECISIONS, "2019": _ITEMS_2019}),
    Row("coercive_measures", "行政强制", r"行政强制", group="第二十条第（六）项",
        columns={"2021": _DECISIONS, "2019": _ITEMS_2019}),
    Row("fees", "行政事业性收费", r"事业性收费", group="第二十条第（八）项",
        columns={"2021": (_C("amount", "本年收费金额（单位：万元）"),),
                 "2019": (_C("prior_items", "上一年项目数量"), _C("change", "本年增/减"))}),
    Row("procurement", "政府集中采购", r"集中采购", templates=("2019",), group="第二十条第（九）项",
        columns={"2019": (_C("projects", "采购项目数量"), _C("amount", "采购总金额"))}),
)

# 2019 wording of a row label where it differs from 2021.
ACTIVE_LABELS_2019 = {"normative_documents": "规范性文件"}

APPEAL_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
APPEAL_ROWS = (
    Row("review", "行政复议", r"行政复议(?!后)"),
    Row("suit_direct", "行政诉讼·未经复议直接起诉", r"直接起诉"),
    Row("suit_after_review", "行政诉讼·复议后起诉", r"复议后起诉"),
)

TABLE_ROWS = {"active": ACTIVE_ROWS, "requests": REQUEST_ROWS, "appeals": APPEAL_ROWS}
TABLE_TITLES = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}

# Values that are signed (2019's 本年增/减) or may carry decimals (amounts in 万元).
SIGNED_COLUMNS = {("active", "change")}
DECIMAL_COLUMNS = {("active", "amount")}


def rows_for(table, template, form=None):
    """The rows of a table in a report of this format (and form: see form_of)."""
    if form is None or table != "requests":
        return _rows_for(table, template)
    return tuple(r for r in REQUEST_ROWS if (r.key in form if r.key in _INTERCHANGEABLE else r.in_template(template)))


@lru_cache(maxsize=None)
def _rows_for(table, template):
    return tuple(r for r in TABLE_ROWS[table] if r.in_template(template))


def columns_for(table, row, template):
    if table == "requests":
        return REQUEST_COLUMNS
    if table == "appeals":
        return APPEAL_COLUMNS
    return row.columns_for(template)


def cell_keys(template, form=None):
    """Every cell key of a template (and form: see form_of), in the format's order."""
    return list(_cell_keys(template, form))


def cell_key_tuple(template, form=None):
    """cell_keys, as one tuple made once (not to be changed)."""
    return _cell_keys(template, form)


@lru_cache(maxsize=None)
def _cell_keys(template, form=None):
    return tuple(key for row in row_cell_keys(template, form) for key in row)


@lru_cache(maxsize=None)
def row_cell_keys(template, form=None):
    """The cell keys of each row of the three tables, row by row in the format's order
    (one tuple made once: not to be changed)."""
    return tuple(tuple(f"{table}.{row.key}.{col.key}" for col in columns_for(table, row, template))
                 for table in ("active", "requests", "appeals") for row in rows_for(table, template, form))


@lru_cache(maxsize=None)
def _key_set(template):
    return frozenset(_cell_keys(template))


def row_by_key(table, key):
    for r in TABLE_ROWS[table]:
        if r.key == key:
            return r
    raise KeyError(f"{table}.{key}")


def row_name(table, row_key, template="2021"):
    """The Chinese wording of a row, led by its group where the group is part of the name
    (（三）不予公开1.属于国家秘密)."""
    row = row_by_key(table, row_key)
    label = row_label(table, row, template)
    if row.group and row.group != _RESULTS and table == "requests":
        label = f"{row.group}{label}"
    return label


def column_label(table, row_key, column_key, template="2021"):
    """The Chinese wording of a column of a row ("" for a column the row does not have)."""
    row = row_by_key(table, row_key)
    col = next((c for c in columns_for(table, row, template) if c.key == column_key), None)
    return col.label if col else ""


def cell_label(key, template=None):
    """The Chinese wording of a cell key, e.g. requests.new.total -> 一、本年新收…·总计.

    Without a template, the wording of the format the key belongs to (2021's, else 2019's:
    其他对外管理服务事项 and 本年增/减 are 2019's only)."""
    if template is None or key not in _key_set(template):
        template = "2021" if key in _key_set("2021") else "2019"
    table, row_key, col_key = key.split(".")
    label, col = row_name(table, row_key, template), column_label(table, row_key, col_key, template)
    return f"{label}·{col}" if col else label


def cell_labels(template):
    """{cell key: (row label, column label)} for every cell of a template, in the format's order."""
    if template not in _CELL_LABELS:
        _CELL_LABELS[template] = {key: (row_name(*key.split(".")[:2], template),
                                        column_label(*key.split("."), template))
                                  for key in cell_keys(template)}
    return _CELL_LABELS[template]


_CELL_LABELS = {}


# --- recognising labels --------------------------------------------------------------

_QUOTES = regex(r"[\"'“”‘’「」『』〝〞\\]")


def without_spaces(text):
    """The text without whitespace: str.split() splits at the characters re's \\s matches
    (str.isspace), so this is re.sub(r"\\s+", "", text), four times sooner."""
    return "".join(text.split())


@lru_cache(maxsize=8192)
def normalise_label(text):
    """The form label rules are written against: NFKC, no whitespace, no quote marks, no
    backslash (Markdown's hard line break: pandoc writes a cell's <br> as 「4.保护第\\」 /
    「三方合法权益」)."""
    text = unicodedata.normalize("NFKC", text)
    return _QUOTES.sub("", without_spaces(text))


_GROUP_LABELS = frozenset((_G3, _G4, _G5, _G6))
_COMPILED = {table: [(row, regex(row.rule)) for row in rows] for table, rows in TABLE_ROWS.items()}


@lru_cache(maxsize=8192)
def match_row(table, label, template=None, mixed=False):
    """The row of `table` that a (normalised, possibly concatenated) label names, or None.

    A label read from a PDF may carry the group label and even header words before
    the row's own wording (三、本年度办理结果（一）予以公开); the row named nearest the
    end of the label is the specific one, so the match that ends last wins, the
    longer one on a tie.

    With a template, only that format's rows are named; `mixed` names the other format's
    way of writing （六）其他处理 too (INTERCHANGEABLE_ROWS), for the mapping of a report
    that may mix the two. Readers that place cells by a format's shape ask without it.
    """
    best = None
    for row, rx in _COMPILED[table]:
        # The 2019 row's words are the 2021 sub-rows' group: they name the row only when
        # they end the label (「（六）其他处理|1.申请人无正当理由」 is a wrapped 2021 sub-row).
        borrowed = template and not row.in_template(template)
        if borrowed and (not mixed or row.key not in _INTERCHANGEABLE):
            continue
        as_group = borrowed and row.label in _GROUP_LABELS
        for m in rx.finditer(label):
            if as_group and m.end() < len(label.rstrip("|")):
                continue
            rank = (m.end(), m.end() - m.start())
            if best is None or rank > best[0]:
                best = (rank, row)
    return best[1] if best else None


# Merged parent labels: part of a row's label, never a value.
_GROUP = regex(r"本年度办理结果|不予公开|无法提供|不予处理|其他处理|第二十条|信息内容")


@lru_cache(maxsize=8192)
def names_row(table, label):
    """Whether a label cell names a row or a row group of the table (rather than a value)."""
    label = normalise_label(label)
    return bool(match_row(table, label) or _GROUP.search(label))


# --- telling a report from other text ---------------------------------------------------

def anchors():
    """Words every report of the format carries somewhere: the section headings (一、总体情况 …)
    and the labels that open tables 二 and 三 (第二十条第（一）项,
    本年新收政府信息公开申请数量). A text holding none of them is not a report."""
    headings = tuple(f"{SECTION_NUMERALS[n - 1]}、{t}" for n, t in SECTION_TITLES.items())
    labels = (ACTIVE_ROWS[0].group, REQUEST_ROWS[0].label[2:])
    return headings + labels


@lru_cache(maxsize=1)
def _anchor_pattern():
    return regex("|".join(re.escape(normalise_label(a)) for a in anchors()))


def has_anchor(text):
    """Whether a text holds one of the format's anchors (whitespace and width ignored)."""
    return _anchor_pattern().search(unicodedata.normalize("NFKC", without_spaces(text))) is not None


# --- telling the two formats apart -----------------------------------------------------

# Header words found only in one format (official-format.md §3.3).
TEMPLATE_MARKERS = {
    "2019": (r"本年新制作数量", r"本年新公开数量", r"对外公开总数量", r"上一年项目数量",
             r"第二十条第\(九\)项", r"政府集中采购", r"采购项目数量", r"其他对外管理服务事项"),
    "2021": (r"本年制发件数", r"本年废止件数", r"现行有效件数", r"本年处理决定数量",
             r"本年收费金额"),
}
# Words of the rows a report may take from the other format (INTERCHANGEABLE_ROWS): they
# tell the format only where no header does.
ROW_MARKERS = {"2019": (), "2021": (r"逾期不补正", r"收费通知要求")}
_MARKERS = {t: [regex(m) for m in ms] for t, ms in TEMPLATE_MARKERS.items()}
_ROW_MARKERS = {t: [regex(m) for m in ms] for t, ms in ROW_MARKERS.items()}


def template_evidence(normalised_text):
    """How many markers of each format the (normalised) table text holds."""
    found = {t: sum(1 for rx in rxs if rx.search(normalised_text)) for t, rxs in _MARKERS.items()}
    if not any(found.values()):
        found = {t: sum(1 for rx in rxs if rx.search(normalised_text)) for t, rxs in _ROW_MARKERS.items()}
    return found


# --- identities (勾稽关系): national/identities.py, re-exported at the end ---------------

# --- the tables' headers, as the format lays them out (for rendering) --------------------

# The merged parent of each row group of table 三 (the sub-groups sit under 三、本年度办理结果).
RESULTS_GROUP = _RESULTS
GROUP_PARENTS = {_G3: _RESULTS, _G4: _RESULTS, _G5: _RESULTS, _G6: _RESULTS}

ACTIVE_HEADER = "信息内容"
REQUESTS_HEADER = {
    "note": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "applicants": "申请人情况",
    "legal_persons": "法人或其他组织",
}
# The applicant columns that are sub-columns of 法人或其他组织.
LEGAL_PERSON_COLUMNS = ("commercial", "research", "nonprofit", "legal_service", "other")
# Table 四's column groups: the header words above the five columns of each row of APPEAL_ROWS.
APPEALS_HEADER = {"review": "行政复议", "suit": "行政诉讼",
                  "suit_direct": "未经复议直接起诉", "suit_after_review": "复议后起诉"}

# Words of the tables' column headers: a row made of them and blanks is a header row.
HEADER_WORDS = tuple({c.label for c in REQUEST_COLUMNS[:-1]} | {c.label for c in APPEAL_COLUMNS[:-1]}
                     | {ACTIVE_HEADER, REQUESTS_HEADER["applicants"], REQUESTS_HEADER["legal_persons"],
                        "本年制发件数", "本年新制作数量"})

# The words every report's title ends in (the format's name for the report).
REPORT_NAME = "政府信息公开工作年度报告"


def row_label(table, row, template="2021"):
    """A row's own words as the given format words them (without its group: a rendered table
    shows the group as a merged cell above; row_name leads with it)."""
    if table == "active" and template == "2019":
        return ACTIVE_LABELS_2019.get(row.key, row.label)
    return row.label


# --- the reporting agency's name ----------------------------------------------------------

# Administrative levels: a name that starts with one (县政府办公室, 区融媒体中心,
# 市场监督管理局) does not say which county or district, and two such names may be two
# bodies; unless the level is the start of a place's name (镇江市, 市中区, 乡宁县:
# a level, one more character, then a level).
_LEVELS = "省市县区旗盟州镇乡村"
# 「X县政府」 is the usual short form of 「X县人民政府」 (the body's legal name): certain.
_SHORT_GOVERNMENT = regex(r"(?<=[省市县区旗盟州镇乡])政府")


def _names_place(key):
    if key.startswith(("街道", "本", "我")):
        return False
    if key[0] not in _LEVELS:
        return True
    return len(key) >= 3 and key[1] not in _LEVELS and key[2] in _LEVELS


def agency_key(name):
    """The form two names of one agency share, or None when the name alone cannot tell
    the agency (it names no place). Only certain equivalences are applied: NFKC, no
    spaces or quote marks, and 「X县政府」 read as 「X县人民政府」."""
    if not name:
        return None
    key = normalise_label(name)
    if not key or not _names_place(key):
        return None
    return _SHORT_GOVERNMENT.sub("人民政府", key)


def agency_key_reason(name):
    """Why a name gives no agency key (for --explain), or "" when it gives one."""
    from gxgrammar.i18n import _
    if not name:
        return _("the report's agency is not known")
    if agency_key(name) is None:
        return _("「{name}」 does not name its place, so it may be any county's or district's").format(name=name)
    return ""


from gxgrammar.national.identities import (  # noqa: E402,F401  (they read the rows and columns above)
    BASIS_APPEALS, BASIS_BALANCE, BASIS_OTHER_PROCESSING, BASIS_RESULTS, BASIS_ROW_TOTAL, IDENTITY_RULES,
    IN_FORCE_ROWS,
    SERIES_RULES, Identity, IdentityRule, SeriesIdentity, SeriesRule, has_identities, identities, series_identities,
    table_identities)
