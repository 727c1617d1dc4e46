"""Running text cut at its headings, so that the document grammar reads whole lines.

Text saved by a crawler often has no line breaks at all: the whole report, or each
section, on one line, headings running into the sentences around them
(「…联系。 一、总体情况 2023年，…」, 「…监督。二、主动公开政府信息情况第二十条第（一）项…」).
The document grammar reads whole lines, so this pass cuts such a line where the
national format says a heading or a table can start: before and after a section
heading written out in full (national.sections.INLINE_TITLES), before the first label
of a table's header, and after a table's last row where prose follows it. A heading
wrapped over two lines (「四、政府信息公开行政」 / 「复议、行政诉讼情况」) is joined.
Lines that need none of this are left as they are, and a text that needs none is the
Source itself: the pass costs a scan of each line, nothing more.

Every piece keeps its place in the original line (a MappedSource), so line and column
numbers stay those of the user's file.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from gxgrammar import national as nf
from gxgrammar.cache import regex
from gxgrammar.national.sections import HEADING_MARK, NUMBER_FORM, inline_heading
from gxgrammar.readers.text import MappedSource, normalise_line
from gxgrammar.structure.document import is_site_furniture

# Where a table begins inside running text: the first label of its header.
# (「(本列」 and 「本列」 as branches of their own: every branch starting with a character is
# what lets `re` skip to the next of them, see _MAY_NEED.)
_TABLE_START = regex(r"第二十条第?\(一\)项|\(本列数据的勾稽关系|本列数据的勾稽关系|行政复议.{0,6}行政诉讼.{0,12}结果维持")
_SENTENCE = regex(r"[。；;！？!?]")
_NUMBERED_START = regex(rf"^[ \t]*{HEADING_MARK}{NUMBER_FORM}")
# A table's row: its label (anything but digits and sentence ends), then its numbers.
_DIGITS = regex(r"[\d.,\-—–/ ]*\d[\d.,\-—–/ ]*")
_A_DIGIT = regex(r"\d")
# The report's title at the start of running text (…年度报告本报告根据…), and a site's
# furniture around it (全真版 文字版 文件下载, 【打印本页】, 主办：…): cut off on lines of their own.
_TITLE = regex(r"[^\s。；;,，:：>›»|]{2,40}?(?:19|20)\d\d\s*年(?:度)?[^\s。；;,，:：]{0,12}?"
               r"(?:政府信息公开|政务公开)[^\s。；;,，:：]{0,10}?(?:报告|年报)")
# The signature at the end of running text: the body's name and the date, after the last sentence.
_SIGNATURE = regex(r"(?<=[。；;！？!?\s])\s*([^\s。；;，,:：]{2,30}?)?\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$")
# The date that must end the text for a signature to be looked for: a cheap test first, since
# the signature's own pattern costs a scan of every run of spaces (quadratic on aligned tables).
_DATE_AT_END = regex(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_SITE = regex(r"(?:全真版|文字版|文件下载|【[^】]{1,8}】|正文\s*=+)")
_FOOTER = regex(r"(?:主办|承办)(?:单位)?\s*[:：]|版权所有")
_TITLE_REACH = 400   # characters of a line the title may end within
_TITLE_LINES = 3     # the title is looked for in the first lines that are not blank
# A title is not cut from the Markdown marks around it (# …, **…**): they are no furniture.
_MARKS_ONLY = regex(r"[\s#*_]*")
_PROSE_BEFORE = regex(r"[，,。；;！？!?]")
# Cheap tests first: a line with none of these characters needs nothing.
# (everything _cuts and _wrapped_heading react to: a heading's numeral, a table's first
# labels, a site's furniture, the date of a signature at the end).
# Each numeral is a branch of its own: an alternation whose every branch starts with a
# character (not a class) lets `re` skip straight to the next of those characters; one
# that starts with a class is tried at every column, three times slower.
_NUMERAL_MARK = "|".join(rf"{n}[ \t]*[、.]" for n in "一二三四五六")
_MAY_NEED = regex(rf"{_NUMERAL_MARK}|第[一二三四五六]部分|本列数据|第二十条|结果维持|全真版|文字版"
                  r"|文件下载|【|正文|主办|承办|版权所有|日\s*$")
# What every inline heading holds (its numeral and 、 or 第…部分): found fast, since the
# heading's own pattern, which may start with Markdown marks, is tried at every column.
_HEADING_HINT = regex(rf"{_NUMERAL_MARK}|第[一二三四五六]部分")


def _table_line(line):
    """Whether a line is a table's, written with separators (pipes, tabs, cell rows): a
    layout's, not prose. (Tests of characters: a pattern would be tried at every column.)"""
    return "\t" in line or "\u241e" in line or "\u241f" in line or line.lstrip().startswith("|")


# Prose ends before a table's header starts on the same line.
_PROSE_END = ("。", "；", ";", "！", "?", "？", "!", "：", ":")


def split_running_text(source):
    """The Source with its running text cut at headings and tables (itself if none is)."""
    heading = inline_heading()
    norm = source.norm
    cuts, joins = {}, set()
    first_lines = _content_lines(norm, range(len(norm)), _TITLE_LINES)
    last_line = next(iter(_content_lines(norm, range(len(norm) - 1, -1, -1), 1)), -1)
    for i, line in enumerate(norm):
        if len(line) < 6 or not (i == last_line or i in first_lines or _MAY_NEED.search(line)) or \
                _table_line(line):
            continue
        if heading.fullmatch(line.strip()):
            continue      # a heading alone on its line (the usual case): nothing to cut or join
        found = _cuts(line, heading, i in first_lines, i == last_line)
        if found:
            cuts[i] = found
        elif i + 1 < len(norm) and _wrapped_heading(line, norm[i + 1], heading):
            joins.add(i)
    if not cuts and not joins:
        return source
    lines, places, normalised = [], [], []
    i = 0
    while i < len(norm):
        original = source.lines[i]
        text = original if len(original) == len(norm[i]) else norm[i]   # cut where NFKC kept the columns
        if i in joins:
            first = text.rstrip()
            following = source.lines[i + 1] if len(source.lines[i + 1]) == len(norm[i + 1]) else norm[i + 1]
            lead = len(following) - len(following.lstrip())
            lines.append(first + following.strip())
            places.append([(1, i + 1, 1), (len(first) + 1, i + 2, lead + 1)])
            normalised.append(normalise_line(lines[-1]))
            i += 2
            continue
        if i not in cuts:
            lines.append(text)
            places.append([(1, i + 1, 1)])
            normalised.append(norm[i])
            i += 1
            continue
        bounds = [0, *cuts[i], len(norm[i])]
        if text is not original:
            # NFKC changed the line's length (… is ...): cut the original where the normalised
            # text was cut, character for character.
            at = _original_columns(original, norm[i])
            if at is not None:
                text, bounds = original, [at[b] for b in bounds]
        for start, end in zip(bounds, bounds[1:]):
            piece = text[start:end]
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                lines.append(piece.strip())
                places.append([(1, i + 1, start + lead + 1)])
                normalised.append(normalise_line(lines[-1]))
        i += 1
    return MappedSource(source, lines, places, norm=normalised)


def _content_lines(norm, order, wanted):
    """The first `wanted` lines, in `order`, that hold text other than a site's furniture."""
    found = []
    for i in order:
        line = norm[i]
        if line.strip() and not (len(line) < 80 and is_site_furniture(line)):
            found.append(i)
            if len(found) == wanted:
                break
    return found


def _original_columns(original, normalised):
    """For each column of the normalised line (and its end), the column of the original it
    came from; None when the line does not normalise character by character."""
    out, pieces = [], []
    for column, ch in enumerate(original):
        piece = unicodedata.normalize("NFKC", ch)
        out.extend([column] * len(piece))
        pieces.append(piece)
    if "".join(pieces) != normalised:
        return None
    return out + [len(original)]


def _cuts(line, heading, may_hold_title=False, last=False):
    """The columns (0-based) at which a line is cut, in order; [] when it is one piece."""
    cuts = set()
    if may_hold_title:
        # In the line's first characters: a title follows at most a site's furniture, and
        # the pattern's lazy run would otherwise be tried at every column of a long line.
        m = _TITLE.search(line, 0, _TITLE_REACH)
        # A title starts its line, or follows a site's furniture: never inside a sentence.
        if m and not _PROSE_BEFORE.search(line, 0, m.start()) and \
                not (_MARKS_ONLY.fullmatch(line, 0, m.start()) and _MARKS_ONLY.fullmatch(line, m.end())):
            cuts.update((m.start(), m.end()))
    if len(line) > 80:     # a page's furniture run into the text of a long line
        for m in _SITE.finditer(line):
            cuts.update((m.start(), m.end()))
        cuts.update(m.start() for m in _FOOTER.finditer(line))
    if len(line) > 80 or last:
        cuts.update(_signature(line, cuts))
    for m in headings_in(line, heading):
        if line[:m.start()].strip():
            cuts.add(m.start())
        if line[m.end():].strip():
            cuts.add(m.end())
    for m in _TABLE_START.finditer(line):
        if line[:m.start()].strip().endswith(_PROSE_END):
            cuts.add(m.start())
    if cuts or _TABLE_START.search(line):
        cuts.update(_table_ends(line, sorted(cuts)))
        cuts.update(_row_breaks(line, sorted(cuts)))
    # A cut with nothing but spaces on one side changes nothing but the Source's kind.
    first, end = len(line) - len(line.lstrip()), len(line.rstrip())
    return sorted(c for c in cuts if first < c < end)


def headings_in(line, heading):
    """heading.finditer(line), found from the numerals that every heading holds: a heading
    starts at its numeral (一、, 第一部分) or at the Markdown marks just before it, so the
    pattern is tried there only, not at every column of a long line."""
    found, pos = [], 0
    for hint in _HEADING_HINT.finditer(line):
        at = hint.start()
        if at < pos:
            continue
        back = at
        while back > pos and line[back - 1] in _MARK_CHARS:
            back -= 1
        for q in range(back, at + 1):
            if q < at and line[q] not in "#*_":
                continue
            m = heading.match(line, q)
            if m:
                found.append(m)
                pos = m.end()
                break
    return found


_MARK_CHARS = "#*_ \t"


# Between two rows of a table run together: after a row's numbers, where the next label
# starts (a character, a bracket, or a sub-row number such as 「2.」 after a space); never
# before a unit (「113件」 is one number).
_ROW_BREAK = regex(r"(?<=[\d—–/])(?:\s+(?=[\u4e00-\u9fff(]|\d{1,2}[.、][\u4e00-\u9fff])|(?=[\u4e00-\u9fff(]))"
                   r"(?![件条个项次人元年月日万%])")


def _row_breaks(line, cuts):
    """Each row of a table written on one line, on a line of its own (a crawler's text)."""
    out = []
    bounds = [0, *cuts, len(line)]
    for start, end in zip(bounds, bounds[1:]):
        piece = line[start:end]
        breaks = [start + m.end() for m in _ROW_BREAK.finditer(piece)]   # (a header has none: found first)
        if breaks and (_TABLE_START.search(piece) or _names_rows(piece)):
            out.extend(breaks)
    return out


def _signature(line, cuts):
    """Before the signing body and the date that end the text (before any furniture after them)."""
    ends = sorted(c for c in cuts if _SITE.match(line, c)) + [len(line)]
    for end in ends:
        if not line[:end].rstrip().endswith("日"):
            continue              # (the date ends the text: a search of the whole line is not needed)
        date = _DATE_AT_END.search(line, 0, end)
        if date is None:
            continue
        # The body's name is at most 30 characters before the date (and the spaces around it).
        spaces = len(line[:date.start()]) - len(line[:date.start()].rstrip())
        m = _SIGNATURE.search(line, max(0, date.start() - spaces - 32), end)
        if m:
            return [m.start(1) if m.group(1) else m.start(2), m.start(2)]
    return []


def _table_ends(line, cuts):
    """After a table's last row, where a sentence of prose follows on the same line."""
    out = []
    bounds = [0, *cuts, len(line)]
    for start, end in zip(bounds, bounds[1:]):
        piece = line[start:end]
        # (No number or no sentence end in the piece: no row's numbers with prose after them.)
        if not _A_DIGIT.search(piece) or not _SENTENCE.search(piece) or \
                (not _TABLE_START.search(piece) and not _names_rows(piece)):
            continue
        last = _last_row_end(piece)
        if last is not None and _SENTENCE.search(piece[last:]):
            out.append(start + last)
    return out


def _names_rows(piece):
    named = 0
    for rx in _row_rules():
        if rx.search(piece):
            named += 1
            if named == 3:
                return True
    return False


@lru_cache(maxsize=None)
def _row_rules():
    return tuple(regex(row.rule) for rows in nf.TABLE_ROWS.values() for row in rows
                 if "^" not in row.rule and "$" not in row.rule)


def _last_row_end(piece):
    """The end of the numbers of the last row a piece names (None if it names none)."""
    last = max((m.end() for rx in _row_rules() for m in rx.finditer(piece)), default=None)
    if last is None:
        return None
    m = _DIGITS.search(piece, last)
    if m is None or _SENTENCE.search(piece, last, m.start()):
        return None
    return m.end()


def _wrapped_heading(line, following, heading):
    """A numbered heading cut short at the line's end, completed by the next line."""
    if not _NUMBERED_START.match(line) or _SENTENCE.search(line) or len(following.strip()) > 20:
        return False
    if heading.fullmatch(line.strip()):
        return False
    return bool(heading.fullmatch(line.strip() + following.strip()))
