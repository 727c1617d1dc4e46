"""What the prose of a report says about its tables, as the national format's reports word it.

Each `Phrase` is one way of stating a number of the tables: a regular expression on
a *normalised* sentence (full-width punctuation half-width, so （ is ( and ， is ,; a
digit matches full-width digits too; every space and line break removed) with a slot
for the number, and the cells the number is the sum of. A new wording is a new line
below. The reader (checks/claims.py) finds the numbers; a number no phrase ties to a
cell is left alone.

Slots in a pattern:
  {n}      a count of 件 (53件, 1,234件, 五件)
  {case}   a count of cases: 件, 起 or 宗
  {money}  an amount of 元 or 万元
  {n2}     a second count of 件, for `cells2` (a list: 制发规章{n}、规范性文件{n2})
  {app}    an application: 政府信息公开申请, 依申请公开申请, 申请 …
  {fill}   共, 共计, 累计, 为, 达 … between the words and the number

Targets (`cells`): `table:rows:columns`, rows and columns joined by +, summed;
`@group` names a group below; `~` is the rows of the claim the sentence made before
(「共收到申请53件，其中自然人申请52件」: 自然人 of the rows the 53 named). Separated
by ` | `: the number may be either sum (「收到申请53件」 is 新收, or 新收 + 上年结转);
by ` & `: the number is each of them (「行政复议和行政诉讼各1件」).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gxgrammar import national as nf
from gxgrammar.cache import regex

# --- slots ------------------------------------------------------------------------------

# The numbers: found once in a sentence (NUMBERS), not by each phrase (a phrase's regex is
# its words before and after the number, which compile in a fraction of the time).
# A number is not the tail of a longer number, an ordinal (第3件) or an estimate (约、近、逾、
# 超过、不足, 30件以上, 30件左右), nor 件次.
# (Its first character a class of its own, as in checks/claims._TRIGGER: found sooner.)
NUMBERS = regex(r"(?P<n>[\d零〇一二两三四五六七八九十百千](?:(?<=\d)(?:[\d,.]*\d)?"
                r"|(?<=[零〇一二两三四五六七八九十百千])[零〇一二两三四五六七八九十百千]*))"
                r"(?P<unit>件|起|宗|万元|元)(?!以上|以下|左右|次|多)")
NOT_BEFORE = frozenset("0123456789.零〇一二两三四五六七八九十百千第约近逾过足")
# The units each slot takes.
SLOT_UNITS = {"n": ("件",), "n2": ("件",), "case": ("件", "起", "宗"), "money": ("万元", "元")}
SLOTS = {
    "app": r"(?:(?:政府信息公开|依申请公开|信息公开|公开)(?:的)?)?申请",
    "fill": r"(?:共计|合计|总计|累计|总数|总量|数量|达到|共|计|为|达|是|有|了|的){0,3}",
}

# Row and column groups that a stated number sums.
GROUPS = {
    "@denied": tuple(r.key for r in nf.REQUEST_ROWS if r.group == "（三）不予公开"),
    "@unavailable": tuple(r.key for r in nf.REQUEST_ROWS if r.group == "（四）无法提供"),
    "@rejected": tuple(r.key for r in nf.REQUEST_ROWS if r.group == "（五）不予处理"),
    # 2021's three rows of （六）其他处理, or 2019's one: the rows the report's format has.
    "@other": tuple(r.key for r in nf.REQUEST_ROWS if r.group == "（六）其他处理") + ("other_processing",),
    "@suits": ("suit_direct", "suit_after_review"),
    "@legal_persons": nf.LEGAL_PERSON_COLUMNS,
}

# Some wordings are the tables' only where the sentence speaks of their matter (an
# agency that decides 行政复议 cases may count them in its prose; 收到申请, 办结 and
# 结转下年度 are said of 行政许可 and 建议提案 too) or where they stand in the table's own
# section. The sentence is the whole of it, up to 。: its clauses after ； speak of what
# the first did; and a sentence that names no other matter speaks of what the one before
# it did.
DISCLOSURE = r"信息公开|依申请|公开申请"
# Matters of which a sentence may count 申请, 办结 or 结转 too: such a sentence speaks of its own
# matter, whatever the sentence before it spoke of.
OTHER_MATTERS = regex(r"许可|审批|建议|提案|信访|投诉|举报|热线|工单|来信|来访|留言|咨询")
HOME_SECTIONS = {"requests": 3, "appeals": 4, "active": 2}


@dataclass(frozen=True)
class Phrase:
    name: str            # what the number is (claims carry it: tests and callers tell them apart by it)
    pattern: str         # regex with slots (see above)
    cells: str           # the target (see above)
    templates: tuple = nf.TEMPLATES
    role: str = ""       # "scope": later 其中… parts refer to its rows; "part": refers to the scope's
    after: str = ""      # a part counts only when this word stands between the scope and it
    zero: bool = False   # the phrase states that there were none: the claim is 0
    context: str = ""    # a regex the sentence must match, outside the table's own section
    cells2: str = ""     # the target of the second number ({n2}), if the phrase states two

    @property
    def table(self):
        return self.cells.split(":", 1)[0]

    @property
    def unit(self):
        """The unit its cells count in, where the text may give another (元 for 万元); else ""."""
        return CELL_UNITS.get(self.cells.split(" ")[0].replace(":", "."), "")


_P = Phrase
_AND = r"(?:和|及|与|、|或|以及)"
_NONE = r"(?:(?:未|没有)(?:发生|收到|出现|产生|涉及|被提起|被申请|有)|无(?:因|涉及|发生))"
_END = r"(?:案件|的情况|情况|事项|的事项)?(?=[,;。!?]|$)"
_RECEIVE = r"(?:收到|接收|接到|受理)(?:了)?(?:各类)?"
_INCLUDING_CARRIED = r"(?=\(?(?:其中|含|包括)(?:含|包括)?上一?年度?结转)"
_NEW_OR_ALL = "requests:new:total | requests:new+carried_over:total"
_ISSUE = r"(?:制发|制定|新制定|印发|出台|新制作)(?:并公开|并发布)?(?:了)?"

# In order: where two phrases read the same number, the first wins.
PHRASES = (
    # --- table 三: applications ---
    # 收到申请 is said of 行政许可 and 低保 too: these count where the sentence speaks of 信息公开.
    _P("received_with_carried_over", _RECEIVE + r"{app}{fill}{n}" + _INCLUDING_CARRIED,
       "requests:new+carried_over:total", role="scope", context=DISCLOSURE),
    _P("new", r"新(?:收|收到|受理|接收)(?:到|了)?(?:各类)?(?:{app})?{fill}{n}", "requests:new:total", role="scope",
       context=DISCLOSURE),
    _P("received", _RECEIVE + r"{app}{fill}{n}", _NEW_OR_ALL, role="scope", context=DISCLOSURE),
    _P("received_none", r"(?:未|没有)(?:收到|受理|接到|接收)(?:过)?(?:任何)?{app}(?=[,;。!?]|$)", _NEW_OR_ALL,
       zero=True, context=DISCLOSURE),
    _P("carried_over", r"(?:上一?年度?|去年)结转(?:来|过来)?(?:的)?(?:{app})?{fill}{n}", "requests:carried_over:total",
       context=DISCLOSURE),
    _P("carried_forward", r"结转(?:至|到|入)?下一?年度?(?:继续)?(?:办理)?(?:的)?(?:{app})?{fill}{n}",
       "requests:carried_forward:total", context=DISCLOSURE),
    _P("carried_forward", r"{n}(?:{app})?[^,;。\d]{0,20}?结转(?:至|到|入)?下一?年度?", "requests:carried_forward:total",
       context=DISCLOSURE),
    _P("results_total", r"(?:办结|办理完毕|答复完毕|办理完成)(?:了)?(?:{app})?{fill}{n}", "requests:results_total:total",
       context=DISCLOSURE),
    _P("results_total", r"{n}(?:{app})?(?:已|均已|已经)?(?:全部)?(?:在(?:规定|法定)(?:期限|时限)内|按期|按时|依法)?"
       r"(?:办结|办理完毕|答复完毕|办理完成)", "requests:results_total:total", context=DISCLOSURE),
    _P("granted_or_partially", r"(?:予以公开|同意公开|全部公开)" + _AND + r"部分公开(?:的)?{fill}{n}",
       "requests:granted+partially_granted:total"),
    _P("granted", r"(?:予以公开|同意公开|全部公开)(?<!不予以公开)(?:的)?{fill}{n}", "requests:granted:total"),
    _P("granted", r"{n}(?:{app})?(?:予以公开|同意公开|全部公开)(?!" + _AND + r")", "requests:granted:total"),
    _P("partially_granted", r"部分公开(?:的)?{fill}{n}", "requests:partially_granted:total"),
    _P("partially_granted", r"{n}(?:{app})?部分公开", "requests:partially_granted:total"),
    _P("denied", r"不予公开(?:的)?{fill}{n}", "requests:@denied:total"),
    _P("denied", r"{n}(?:{app})?不予公开", "requests:@denied:total"),
    _P("unavailable", r"无法提供(?:的)?{fill}{n}", "requests:@unavailable:total"),
    _P("unavailable", r"{n}(?:{app})?无法提供", "requests:@unavailable:total"),
    _P("rejected", r"不予处理(?:的)?{fill}{n}", "requests:@rejected:total"),
    _P("rejected", r"{n}(?:{app})?不予处理", "requests:@rejected:total"),
    _P("other_processing", r"其他处理(?:的)?{fill}{n}", "requests:@other:total"),
    # 其中自然人申请52件、法人或其他组织申请1件: the applicants of the scope's rows
    _P("natural_person", r"自然人(?:提出)?(?:的)?(?:{app})?{fill}{n}", "requests:~:natural_person",
       role="part", after="其中"),
    _P("legal_persons", r"法人(?:或者|或|及|和)其他组织(?:提出)?(?:的)?(?:{app})?{fill}{n}",
       "requests:~:@legal_persons", role="part", after="其中"),
    _P("commercial", r"商业企业(?:提出)?(?:的)?(?:{app})?{fill}{n}", "requests:~:commercial", role="part", after="其中"),
    _P("research", r"科研机构(?:提出)?(?:的)?(?:{app})?{fill}{n}", "requests:~:research", role="part", after="其中"),
    _P("nonprofit", r"社会公益组织(?:提出)?(?:的)?(?:{app})?{fill}{n}", "requests:~:nonprofit", role="part",
       after="其中"),
    _P("legal_service", r"法律服务机构(?:提出)?(?:的)?(?:{app})?{fill}{n}", "requests:~:legal_service", role="part",
       after="其中"),

    # --- table 四: 行政复议 and 行政诉讼 of the agency's disclosure decisions ---
    _P("reviews_and_suits_each", r"行政复议" + _AND + r"(?:被?提起)?行政诉讼(?:案件)?(?:的)?各{fill}{case}",
       "appeals:review:total & appeals:@suits:total", context=DISCLOSURE),
    _P("reviews_and_suits", r"行政复议" + _AND + r"(?:被?提起)?行政诉讼(?:案件)?(?:共|共计|合计)?{case}",
       "appeals:review+suit_direct+suit_after_review:total", role="scope", context=DISCLOSURE),
    _P("reviews_and_suits_none", _NONE + r"[^,;。!?]{0,20}?行政复议" + _AND + r"(?:被?提起)?行政诉讼" + _END,
       "appeals:review:total & appeals:@suits:total", zero=True, context=DISCLOSURE),
    _P("suits_after_review", r"复议后(?:提起)?(?:行政)?(?:起诉|诉讼)(?:案件)?{fill}{case}",
       "appeals:suit_after_review:total", role="scope", context=DISCLOSURE),
    _P("suits_direct", r"直接(?:提起)?(?:行政)?(?:起诉|诉讼)(?:案件)?{fill}{case}", "appeals:suit_direct:total",
       role="scope", context=DISCLOSURE),
    _P("reviews", r"行政复议(?!后)(?:案件|申请)?(?:的)?{fill}{case}", "appeals:review:total", role="scope", context=DISCLOSURE),
    _P("reviews_none", _NONE + r"[^,;。!?]{0,20}?行政复议" + _END, "appeals:review:total", zero=True, context=DISCLOSURE),
    _P("suits", r"行政诉讼(?:案件)?(?:的)?{fill}{case}", "appeals:@suits:total", role="scope", context=DISCLOSURE),
    _P("suits_none", _NONE + r"[^,;。!?]{0,20}?行政诉讼" + _END, "appeals:@suits:total", zero=True, context=DISCLOSURE),
    # 行政复议2件，其中被纠错1件: the outcome of the scope's rows
    _P("corrected", r"(?:被|结果)?(?:纠错|纠正)(?:的)?{fill}{case}", "appeals:~:corrected", role="part", context=DISCLOSURE),
    _P("corrected", r"{case}(?:被|结果)(?:纠错|纠正)", "appeals:~:corrected", role="part", context=DISCLOSURE),
    _P("upheld", r"(?:结果)?维持(?:原(?:答复|决定|行政行为))?(?:的)?{fill}{case}", "appeals:~:upheld", role="part", context=DISCLOSURE),
    _P("pending", r"(?:尚未审结|未审结|尚在审理|正在审理)(?:中)?(?:的)?{fill}{case}", "appeals:~:pending", role="part", context=DISCLOSURE),

    # --- table 二: 规章, 规范性文件, 行政事业性收费 ---
    _P("documents_issued", _ISSUE + r"规章{fill}{n}[、,和及与](?:行政)?规范性文件{fill}{n2}",
       "active:regulations:issued", templates=("2021",), cells2="active:normative_documents:issued"),
    _P("documents_issued", _ISSUE + r"规章{fill}{n}[、,和及与](?:行政)?规范性文件{fill}{n2}",
       "active:regulations:new_made", templates=("2019",), cells2="active:normative_documents:new_made"),
    _P("regulations_issued", _ISSUE + r"规章{fill}{n}", "active:regulations:issued", templates=("2021",)),
    _P("regulations_issued", _ISSUE + r"规章{fill}{n}", "active:regulations:new_made", templates=("2019",)),
    _P("normative_documents_issued", _ISSUE + r"(?:行政)?规范性文件{fill}{n}",
       "active:normative_documents:issued", templates=("2021",)),
    _P("normative_documents_issued", _ISSUE + r"(?:行政)?规范性文件{fill}{n}",
       "active:normative_documents:new_made", templates=("2019",)),
    _P("regulations_repealed", r"废止(?:了)?规章{fill}{n}", "active:regulations:repealed", templates=("2021",)),
    _P("normative_documents_repealed", r"废止(?:了)?(?:行政)?规范性文件{fill}{n}",
       "active:normative_documents:repealed", templates=("2021",)),
    _P("normative_documents_repealed", r"规范性文件(?:(?!规章|规范性文件)[^。;!?]){0,16}?废止(?:了)?{fill}{n}",
       "active:normative_documents:repealed", templates=("2021",)),
    _P("regulations_in_force", r"现行有效(?:的)?规章{fill}{n}", "active:regulations:in_force", templates=("2021",)),
    _P("regulations_in_force", r"规章(?:中)?现行有效(?:的)?{fill}{n}", "active:regulations:in_force",
       templates=("2021",)),
    _P("normative_documents_in_force", r"现行有效(?:的)?(?:行政)?规范性文件{fill}{n}",
       "active:normative_documents:in_force", templates=("2021",)),
    _P("normative_documents_in_force", r"规范性文件(?:中)?现行有效(?:的)?{fill}{n}",
       "active:normative_documents:in_force", templates=("2021",)),
    _P("fees_amount", r"行政事业性收费(?:金额|收费金额|收入)?{fill}{money}", "active:fees:amount", templates=("2021",)),
)

# The unit each amount cell is counted in, and what a stated unit is worth in it.
CELL_UNITS = {"active.fees.amount": "万元"}
UNIT_VALUE = {("元", "万元"): 0.0001, ("万元", "万元"): 1.0}

# A number compared with the year before: 「同比增长10%」, 「较上年减少5件」. It speaks of
# the claim just before it in the sentence.
CHANGE = regex(
    r",?(?:(?:与上一?年度?|与去年)相比,?|(?:同比|较上一?年度?|比上一?年度?|较去年|比去年)(?:同期)?)"
    r"(?P<direction>增加|增长|上升|减少|下降)(?:了)?(?:(?P<count>\d+)件|(?P<percent>\d+(?:\.\d+)?)%)")
RISE = ("增加", "增长", "上升")


# --- section 六: the 信息处理费 statement (国办函〔2020〕109号; official-format.md §4.4–4.5) --

FEE_STATEMENT_TEMPLATES = ("2021",)     # the formats whose 六 reports the fee
FEE_STATEMENT = regex(r"信息处理费|收费通知|收取.{0,6}费")
FEE_NOTICES = regex(r"收费通知[^。；;，,]{0,8}?(\d+)\s*件")
NO_FEE_NOTICES = regex(r"(未|没有|无)[^。；;]{0,6}(发出|出具)?[^。；;]{0,4}收费通知")


# --- compiled -----------------------------------------------------------------------------

_SLOT = regex(r"\{(n|n2|case|money)\}")


def _expand(pattern):
    return re.sub(r"\{(\w+)\}", lambda m: SLOTS.get(m.group(1), "\x00"), pattern)


class Ready:
    """A phrase split at its numbers: the words before the first, between the two (if it
    states two), and after the last; each compiled when first needed (a report needs few)."""
    __slots__ = ("phrase", "before", "middle", "after", "units", "units2", "targets", "second", "context",
                 "home", "table", "unit", "_compiled")

    def __init__(self, phrase, template):
        self.phrase = phrase
        parts = _SLOT.split(phrase.pattern)     # text, slot, text[, slot, text]
        self.before, self.units = parts[0], SLOT_UNITS[parts[1]] if len(parts) > 1 else ()
        self.middle, self.units2 = (parts[2], SLOT_UNITS[parts[3]]) if len(parts) > 3 else (None, ())
        self.after = parts[-1] if len(parts) > 1 else ""
        self.targets = targets(phrase, template)
        self.second = targets(phrase, template, second=True)
        self.context = regex(phrase.context) if phrase.context else None
        self.home = HOME_SECTIONS[phrase.table]
        self.table, self.unit = phrase.table, phrase.unit
        self._compiled = None

    @property
    def number_first(self):
        return not self.before

    def regexes(self):
        """(before, middle, after) compiled; None for a part that is empty."""
        if self._compiled is None:
            self._compiled = tuple(regex(_expand(p)) if p else None
                                   for p in (self.before, self.middle, self.after))
        return self._compiled


@dataclass(frozen=True, eq=False)   # one a format, for good: cached by identity
class Compiled:
    """The phrases of a format ready to read a sentence with."""
    phrases: tuple      # Ready, in order
    words: object       # one regex of every word some phrase needs
    by_word: dict       # word -> indices of the phrases that need it
    overlaps: dict      # word -> the words that may share characters with it in a text
    always: tuple       # indices of the phrases that need no word

    def select(self, compact):
        """The indices, in order, of the phrases a sentence may match: those whose words it
        holds. One pass finds the words; a word found may hide one it overlaps (审结 in
        未审结转), so those are looked for too."""
        found = set(self.words.findall(compact))
        for word in tuple(found):
            found.update(v for v in self.overlaps[word] if v not in found and v in compact)
        return self._select(frozenset(found)) if found else ()

    @lru_cache(maxsize=1024)   # sentences of one kind hold the same few words
    def _select(self, found):
        chosen = set(self.always)
        for word in found:
            chosen.update(self.by_word[word])
        return tuple(sorted(chosen))


@lru_cache(maxsize=None)
def compiled(template):
    """The phrases of a format, in order, ready; with, for each, the words one of which
    every match holds, so that a sentence without them is not searched."""
    phrases, by_word, always = [], {}, []
    for phrase in PHRASES:
        if template not in phrase.templates:
            continue
        needs = _required(_expand(phrase.pattern))
        for word in needs:
            by_word.setdefault(word, set()).add(len(phrases))
        if not needs:
            always.append(len(phrases))
        phrases.append(Ready(phrase, template))
    words = sorted(by_word, key=len, reverse=True)
    overlaps = {w: tuple(v for v in words if v != w and _overlap(w, v)) for w in words}
    return Compiled(tuple(phrases), regex("|".join(map(re.escape, words))),
                    {w: tuple(sorted(i)) for w, i in by_word.items()}, overlaps, tuple(always))


def _overlap(a, b):
    """Whether two words can share characters in a text (one in the other, or one's end the other's start)."""
    return a in b or b in a or any(a.endswith(b[:k]) or b.endswith(a[:k]) for k in range(1, min(len(a), len(b))))


_ESCAPED = regex(r"\\.")
_GROUP = regex(r"\([^()]*\)(?:[?*+]|\{\d*,?\d*\})?\??")
_CLASS = regex(r"\[[^\]]*\](?:[?*+]|\{\d*,?\d*\})?\??")
_OPTIONAL = regex(r".(?:[?*]|\{0,\d*\})\??")
_CJK_RUN = regex(r"[\u4e00-\u9fff]+")


def _required(pattern):
    """Words one of which every match holds: the longest run of CJK characters outside
    every group, class and optional character; else the words of a group of plain
    alternatives (办结|办理完毕) that is not optional; else () (none known)."""
    rest = _ESCAPED.sub("\x00", pattern)
    alternatives = _PLAIN_GROUP.findall(_top_level(rest))
    while True:
        shorter = _GROUP.sub("\x00", rest)
        if shorter == rest:
            break
        rest = shorter
    rest = _OPTIONAL.sub("\x00", _CLASS.sub("\x00", rest))
    run = max(_CJK_RUN.findall(rest), key=len, default="")
    if run:
        return (run,)
    return tuple(alternatives[0].split("|")) if alternatives else ()


_PLAIN_GROUP = regex(r"\(\?:([\u4e00-\u9fff|]+)\)(?![?*{])")


def _top_level(pattern):
    """The pattern with everything inside its groups blanked, but for the outermost
    groups' own parentheses and words: what stands at the top level."""
    out, depth = [], 0
    for c in pattern:
        if c == "(":
            depth += 1
            out.append(c if depth == 1 else "\x00")
        elif c == ")":
            out.append(c if depth == 1 else "\x00")
            depth -= 1
        else:
            out.append(c if depth <= 1 else "\x00")
    return "".join(out)


def targets(phrase, template, second=False):
    """The cells of a phrase's number: for each claim it makes (` & `), the sums it may be
    (` | `) as tuples of cell keys; for a part, the columns of its scope's rows it sums.
    `second`: of `cells2`."""
    out = []
    spec = phrase.cells2 if second else phrase.cells
    for each in spec.split(" & ") if spec else ():
        alternatives = []
        for target in each.split(" | "):
            table, rows, columns = target.strip().split(":")
            rows, columns = _members(rows, table, template), _members(columns, table, template)
            if rows == ("~",):
                alternatives = columns
                break
            alternatives.append(tuple(f"{table}.{r}.{c}" for r in rows for c in columns))
        out.append(alternatives)
    return out


def _members(spec, table, template):
    if spec == "~":
        return ("~",)
    keys = []
    for part in spec.split("+"):
        keys.extend(GROUPS.get(part, (part,)))
    if table == "requests":
        in_format = {r.key for r in nf.rows_for("requests", template)} | {c.key for c in nf.REQUEST_COLUMNS}
        keys = [k for k in keys if k in in_format]
    return tuple(keys)
