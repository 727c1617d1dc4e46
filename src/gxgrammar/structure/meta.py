"""meta: the report's title, the reporting agency and the year it covers.

The agency comes from the title (the words before the year); failing that, from the
signature above the date at the end; failing that, from the body: the most often
named body whose name is a place followed by an organ (密云区融媒体中心).
The year is the one in the title; failing that, the statistics period of the
preamble; failing that, the year named most often in 一、总体情况.
"""
from __future__ import annotations

import re
from collections import Counter

from gxgrammar.cache import regex

_SPACES = regex(r"\s+")
_YEAR = regex(r"((?:19|20)\d{2})\s*年")
_CN_DIGITS = dict(zip("〇零一二三四五六七八九", "00123456789"))
_CN_YEAR = regex(r"([〇零一二三四五六七八九]{4})\s*年")
_TITLE_TAIL = regex(r"\s*(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年.*$|\s*(?:关于)?政府信息公开.*$|\s*政务公开.*$")

# An organ named in prose: a place (…区/县/市/镇/乡/旗/省) and what it runs. Compiled
# when first needed (a report without an agency in its title): CJK ranges are slow to
# compile, and a single parse on the command line should not wait for it.
_ORGAN = (r"[\u4e00-\u9fff]{1,8}?(?:省|市|区|县|镇|乡|旗|街道)[\u4e00-\u9fff]{0,14}?"
          r"(?:人民政府办公室|人民政府|办公室|委员会|中心|局|委|办|厅|院|所|署|站|馆|队|街道办事处|管理处|公司)")
_LEADING_NOISE = r"^(?:\d+年|年|全年|我|本|按照|根据|依据|在|由|对|经|为)+"
# Words of a sentence, never of a body's name: 「深入贯彻落实省委…」 is not an agency.
_SENTENCE_WORDS = regex(r"贯彻|落实|推进|深化|加强|开展|认真|坚持|围绕|按照|根据|依据|通过|进一步|全面|部署|领导|实现|网站|门户")


_MARKDOWN_SPAN = regex(r"\[([^\[\]]*)\](?:\{[^{}]*\}|\([^()]*\))")


def plain_markdown(text):
    """A line without Markdown's inline marks, as pandoc writes a page's title or signature:
    **bold**, [a span]{style=…}, [a link](url), the backslash of a line break."""
    if not any(m in text for m in ("**", "__", "](", "]{", "\\")):
        return text.strip()
    text = _MARKDOWN_SPAN.sub(r"\1", text).replace("**", "").replace("__", "").strip().rstrip("\\").strip()
    # A span cut at its title's end (the running-text pass cuts 「**[…报告」 from 「]{style…}**」).
    return text[1:] if text.startswith("[") and "]" not in text else text


def clean_title(lines):
    """Title lines joined, with the spaces PDFs and Word put between CJK characters removed
    (and Markdown's marks: a heading's # …, **bold**, spans and links)."""
    joined = plain_markdown("".join(l.strip().lstrip("#").strip() for l in lines))
    return _SPACES.sub(lambda m: _cjk_space(joined, m.start(), m.end()), joined)


def _is_cjk(ch):
    return "\u3000" <= ch <= "\u9fff"      # False for "" (no neighbour)


def _cjk_space(text, start, end):
    """A run of spaces goes when a CJK character stands on either side of it, or digits or
    CJK on both sides (「2 0 2 1 年」); spaces between Latin words stay."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if _is_cjk(before) or _is_cjk(after):
        return ""
    if before.isdigit() and after.isdigit():
        return ""
    return text[start:end]


# A year before the agency (「2019年上海市人民政府办公厅政府信息公开工作年度报告」), and 关于.
_YEAR_FIRST = regex(r"^\s*(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年(?:度)?\s*")
_ABOUT = regex(r"^关于|关于$")
# What an agency's name ends in: an organ, or the place of a government (…镇, …街道).
_ORGAN_END = regex(r"(?:局|委|办|院|厅|室|府|会|中心|所|站|馆|队|处|街道|办事处|公司|镇|乡|区|县|市|省|部|署|"
                   r"组|社|场|集团|政府|管委会|委员会|党校|学校|医院|银行|园区)$")


def agency_from_title(title):
    """The agency a title names before its year (or after a year that leads it); None when
    what is left does not read as the name of a body."""
    agency = _TITLE_TAIL.sub("", _YEAR_FIRST.sub("", title)).strip(" ：:，,")
    agency = _ABOUT.sub("", agency).strip()
    if not agency or len(agency) > 40 or not _ORGAN_END.search(agency):
        return None
    return agency


def year_from(text):
    m = _YEAR.search(text)
    if m:
        return int(m.group(1))
    m = _CN_YEAR.search(text)
    if m:
        return int("".join(_CN_DIGITS[c] for c in m.group(1)))
    return None


def most_named_year(text):
    years = Counter(int(y) for y in _YEAR.findall(text))
    return years.most_common(1)[0][0] if years else None


def statistics_year(text):
    """The year of 「统计期限自 2025 年 1 月 1 日起」 and similar wordings."""
    m = re.search(r"(?:统计期限|统计时限|统计时间|统计期)[^。]{0,8}?((?:19|20)\d{2})\s*年", text)
    return int(m.group(1)) if m else None


def agency_from_body(text):
    counts = Counter()
    first = {}
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        run = re.sub(_LEADING_NOISE, "", run)
        m = re.match(_ORGAN, run)
        if m and not _SENTENCE_WORDS.search(m.group(0)):
            name = m.group(0)
            counts[name] += 1
            first.setdefault(name, len(first))
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], -first[n]))
