"""How reports write the format's sections and where its tables begin.

The national format has six sections (一、总体情况 … 六、其他需要报告的事项), but
reports word and number their headings in many ways, and some regions use their own
list of sections (上海: 一、总体情况 二、工作机制保障 三、主动公开工作情况 …) with the
three national tables attached at the end. What this module knows:

- SECTION_RULES: the words by which a heading's title clearly is one of the six
  canonical sections, whatever its numbering (三、主动公开工作情况 is 主动公开);
- INLINE_TITLES: the titles as written in full, by which a heading is recognised in
  the middle of running text (text saved with every line break gone);
- TABLE_ANCHORS: the labels that only a table's own header carries (第二十条第（一）项,
  申请人情况, 结果维持 …), by which a table is found wherever it stands.

Everything is matched against NFKC-normalised text (（一） is (一)).
"""
from __future__ import annotations

from functools import lru_cache

from gxgrammar.cache import regex

NUMERALS = "一二三四五六七八九十"

# A heading's title → the canonical section it is. Tried in this order: a title naming
# 行政复议 is section 四 even when it also names 申请; one naming 主动公开 is 二.
SECTION_RULES = (
    (4, r"行政法?复议|行政诉讼|复议[、和及与]?诉讼"),
    (2, r"主动公开"),
    (3, r"收到和处理|依申请|申请(?:公开)?(?:的)?(?:情况|工作)"),
    (5, r"问题|改进|整改"),
    (6, r"其他|其它"),
    (1, r"总体|概述|概况|基本情况"),
)
_SECTION_RULES = tuple((n, regex(rule)) for n, rule in SECTION_RULES)

# The six titles as written out in full, with their common variants and typos: enough
# to cut a heading out of the sentence it runs into (…监督。二、主动公开政府信息情况第二十条…).
INLINE_TITLES = {
    1: r"总体情况|概述|总体概况",
    2: r"主动公开政府信息(?:的)?(?:工作)?情况",
    3: r"收到和处理政府信息公开申请(?:的)?情况|依申请公开政府信息(?:的)?(?:工作)?情况",
    4: r"(?:政府信息公开|因政府信息公开(?:工作)?)?(?:被申请)?行政法?复议[、和及与]?(?:提起)?(?:行政)?诉讼(?:的)?情况",
    5: r"(?:政府信息公开工作)?存在(?:的)?(?:主要)?问题(?:及|和|与)?(?:改进|整改)(?:情况|措施)",
    6: r"其他需要报告的事项|其他事项",
}

# Marks before a heading (Markdown's # and **) and the forms of its number.
HEADING_MARK = r"(?:#{1,6}[ \t]+|\*\*|__)?"
NUMBER_FORM = r"(?:第([一二三四五六七八九十]{1,3})部分[ \t]*|([一二三四五六七八九十]{1,3})[ \t]*[、.,:][ \t]*)"

# Labels that only a table's own header or first rows carry: a line holding one is part
# of that table (its start, when the table follows something else).
TABLE_ANCHORS = {
    "active": r"第二十条第?\((?:一|五|六|八|九)\)项|信息内容",
    "requests": r"勾稽关系|申请人情况|本年新收政府信息公开申请",
    "appeals": r"结果维持|结果纠正|尚未审结|未经复议直接起诉|复议后起诉",
}
_TABLE_ANCHORS = {t: regex(rule) for t, rule in TABLE_ANCHORS.items()}


def canonical_section(title):
    """The canonical section number (1–6) a heading's title clearly is, or None."""
    title = "".join(title.split())       # (str.split cuts where \s matches)
    for number, rx in _SECTION_RULES:
        if rx.search(title):
            return number
    return None


@lru_cache(maxsize=None)
def _inline_titles():
    return regex("|".join(f"(?:{rule})" for rule in INLINE_TITLES.values()))


def section_title(title):
    """The canonical section a title is written out as in full (INLINE_TITLES), or None."""
    title = "".join(title.split())
    for number, rx in _INLINE_TITLE_RULES.items():
        if rx.fullmatch(title):
            return number
    return None


_INLINE_TITLE_RULES = {number: regex(rule) for number, rule in INLINE_TITLES.items()}


def numeral_value(numeral):
    """一 → 1 … 十 → 10, 十一 → 11, 二十 → 20; None for anything else."""
    if not numeral or any(ch not in NUMERALS for ch in numeral):
        return None
    if numeral == "十":
        return 10
    if len(numeral) == 1:
        return NUMERALS.index(numeral) + 1
    if numeral[0] == "十" and len(numeral) == 2:
        return 10 + NUMERALS.index(numeral[1]) + 1
    if len(numeral) in (2, 3) and numeral[1] == "十" and numeral[0] != "十":
        tens = (NUMERALS.index(numeral[0]) + 1) * 10
        return tens + (NUMERALS.index(numeral[2]) + 1 if len(numeral) == 3 else 0)
    return None


def table_anchor(text):
    """The table whose header a (normalised) text carries, or None."""
    for table, rx in _TABLE_ANCHORS.items():
        if rx.search(text):
            return table
    return None


def table_anchors(text):
    """Every table whose header a (normalised) text carries."""
    return [table for table, rx in _TABLE_ANCHORS.items() if rx.search(text)]


def carries_anchor(table, text):
    """Whether a (normalised) text carries the header of `table`."""
    return _TABLE_ANCHORS[table].search(text) is not None


@lru_cache(maxsize=None)
def inline_heading():
    """A heading standing inside running text: its number, then a title written out in full.

    Group `number`'s value is the section's numeral (一 … 六); the title that follows
    must be that section's (一、 then 总体情况, 二、 then 主动公开…)."""
    alternatives = "|".join(
        rf"(?:{HEADING_MARK}(?:第{NUMERALS[n - 1]}部分|{NUMERALS[n - 1]}[ \t]*[、.][ \t]*)(?:{INLINE_TITLES[n]})(?:\*\*|__)?)"
        for n in INLINE_TITLES)
    return regex(alternatives)
