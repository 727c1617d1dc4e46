"""The document grammar's tree as the report's outline: title, preamble, sections.

`report.lark` says which lines are what, and marks every line that can be a section
heading. Which of them are the report's sections is decided here, by their numbering
in order: a heading numbered 四 is a section when the last one was 三, unless its title
names a row of a table (四、结转下年度继续办理); a heading out of turn is a line of the
section it stands in. Each section keeps the report's own number and title, and the
canonical section (一 … 六) it clearly is, if any (gxgrammar.national.sections).
For each part the outline keeps the span of lines it covers, so that prose is taken
from the user's original lines.
"""
from __future__ import annotations

from gxgrammar.cache import regex
from gxgrammar.i18n import _

import sys
from dataclasses import dataclass, field
from functools import lru_cache

from lark.exceptions import UnexpectedInput

from gxgrammar import national as nf
from gxgrammar.errors import ReportError
from gxgrammar.layouts import registry
from gxgrammar.layouts.caret import lark_failure
from gxgrammar.national.sections import canonical_section, numeral_value, section_title
from gxgrammar.structure.meta import agency_from_title, plain_markdown
from gxgrammar.structure.prose import is_page_furniture

HEADING_TYPES = ("NUMBERED_HEADING", "BARE_HEADING")

_HEADING = regex(r"^[ \t]*(?:#{1,6}[ \t]+|\*\*[ \t]*|__[ \t]*)?"
                 r"(?:第(?P<part>[一二三四五六七八九十]{1,3})部分|(?P<number>[一二三四五六七八九十]{1,3})[ \t]*[、.,:]"
                 r"|(?P<arabic>[1-9]\d?)[ \t]*[、.])?"
                 r"[ \t]*(?P<title>.*?)[ \t]*(?:\*\*|__)?[ \t]*$")

# Lines a website or a crawler puts before a report: not its title, not its preamble.
# Those known by their start, and those known by words anywhere in them (searched for,
# rather than matched after a `.*` that backtracks over the whole line for each word).
_FURNITURE = regex(
    r"^(?:(?:标题|题名|发布时间|发布日期|成文日期|来源|信息来源|发布机构|发文机关|索引号|主题分类|"
    r"文号|作者|点击数|浏览次数|访问量|字号|分享到|打印|关闭|有效性)\s*[:：]"
    r"|=+\s*正文\s*=+$|-{3,}\s*正文\s*-{3,}$"
    r"|(?:首页|网站首页)\s*[>›»|｜/]"
    r"|(?:主办|承办|技术支持)\s*(?:单位)?\s*[:：]"
    r"|:{3,}\s*(?:\{[^{}]*\}|[\w-]+)?\s*$"       # pandoc Markdown's fenced div: ::: {#content}, :::
    # a menu or breadcrumbs in Markdown: links (and separators), the current page's name last
    r"|[-*+]\s*$|(?:[-*+]\s+)?(?:\[[^\]]*\]\([^)]*\)\s*[>›»|｜/]?\s*)+(?:[^\[\]()。，,；;]{0,20})$)")
_FURNITURE_WORDS = regex(
    r"(?:当前位置|您的位置|你的位置|所在位置|现在的位置|现在位置)\s*[:：]"
    r"|全真版|文字版|文件下载|打印本页|关闭窗口|【字体|字体\s*[:：]\s*大\s*中\s*小"
    r"|版权所有|ICP备|网站标识码")
# The title a crawler's header names, up to the header's next field when the header is on one line.
_CRAWLER_TITLE = regex(r"^\s*(?:标题|题名)\s*[:：]\s*(?P<title>\S.*?)\s*"
                       r"(?=(?:发布时间|发布日期|成文日期|来源|信息来源|发布机构|索引号|浏览次数|点击数)\s*[:：]|=+\s*正文|$)")
# Words a body calls itself by, never its name.
_SELF_REFERENCE = ("本局", "本委", "本办", "本机关", "本单位", "本院", "本部门", "我局", "我委", "我办", "我单位")
# A page header before the title on the same line: 首页|政务公开|…
_HEADER_PREFIX = regex(r"^.*?(?:首页|网站首页)\s*(?:[>›»|｜/]\s*[^>›»|｜/]{0,12}\s*)*[>›»|｜/]\s*")


@dataclass
class Part:
    number: int | None      # the canonical section (1–6) it clearly is, else None
    heading: str
    line: int               # 1-based line of the heading
    body: list              # tokens of the body lines
    report_number: int | None = None   # the report's own number for it (三 → 3); None if unnumbered
    report_title: str = ""  # the report's own words for it
    start: int = 0          # first body line (1-based)
    end: int = 0            # last body line (1-based, inclusive)


@dataclass
class Outline:
    title: list = field(default_factory=list)       # title tokens
    preamble: list = field(default_factory=list)
    furniture: list = field(default_factory=list)   # site furniture before the report
    parts: list = field(default_factory=list)
    crawler_title: str = ""         # the title a crawler's header names (标题: …)
    signature: str = ""
    signed: str = ""
    last_line: int = 0
    national: bool = True           # the sections follow the national format's numbering
    file_line: object = None        # a line of the text read -> the line of the user's file
    rejected: list = field(default_factory=list)    # heading-like lines that are not sections
    appendix: int | None = None     # the first line of what is attached after the signature


class _OutlineBuilder:
    """The document parser's transformer: lark calls it as it reduces (see registry.load).

    Not a lark Transformer: the rules it has no method for (lark's own, for the lists in
    `body: (LINE | …)*`) are spliced into their parents' children as plain lists (its
    callbacks are written out, layouts.callbacks).
    """

    def heading(self, children):
        return children[0]

    def front(self, tokens):
        return ("front", tokens)

    def body(self, tokens):
        return tokens

    def section(self, children):
        heading, body = children[0], children[1] if len(children) > 1 else ()
        return ("section", (heading, list(body)))

    def start(self, items):
        return items

    def node_for(self, name):
        """The method that makes a rule's node (layouts.callbacks), None for a rule without one."""
        return None if name.startswith("_") else getattr(self, name, None)


_BUILDER = _OutlineBuilder()


def outline(source, grammar_dirs=()):
    """The outline of a Source (it never fails on text: any lines make an outline).

    The built-in grammar reads the text with most plain lines between the first heading
    and the last left blank (see _quiet_lines): the same outline, from a third of the
    tokens. Where a blanked line would have counted (before the first section, or in
    the last, whose lines hold the signature), the whole text is read."""
    parser = registry.document_parser(_BUILDER, grammar_dirs)
    if len(source.norm) >= _QUIET_FROM and \
            registry.document_grammar(grammar_dirs) == registry.package_grammars() / registry.DOCUMENT_GRAMMAR:
        quiet = _quiet_lines(source.norm, parser)
        if quiet:
            out = _outline(source, parser, "\n".join(quiet[0]) + "\n")
            if out.parts and out.parts[0].line < quiet[1] and quiet[2] < out.parts[-1].line:
                return out
    return _outline(source, parser, source.norm_text())


# A text this long is read quietly: in a shorter one too few lines are blanked to pay for
# finding them (a report's text and its tables on 100 lines: no faster either way).
_QUIET_FROM = 200


def _quiet_lines(norm, parser):
    """(the lines with the plain lines between the first heading and the last blank, the
    first and the last line blanked, 1-based); None if none is.

    A plain line is one that no terminal of the grammar but LINE can start: the grammar
    makes a LINE of it, and a LINE in a section's body counts for nothing but being
    there (a body with text is no table of contents): the first one after each other
    line is kept."""
    special, heading = _line_starts(parser)
    marks = list(map(special.match, norm))
    heads = [i for i, m in enumerate(marks) if m is not None and heading.match(norm[i])]
    if len(heads) < 2:
        return None
    lines, blanked, keep_next = norm[:heads[0] + 1], [], True
    for i in range(heads[0] + 1, heads[-1]):
        line = norm[i]
        if marks[i] is not None:
            keep_next = True
        elif keep_next and line.strip():
            keep_next = False
        elif line:
            blanked.append(i + 1)
            line = ""
        lines.append(line)
    if not blanked:
        return None
    return lines + norm[heads[-1]:], blanked[0], blanked[-1]


_STARTS = {}


def _line_starts(parser):
    """(a regex matching the start of any line that a terminal other than LINE can start,
    one matching the start of a heading), from the grammar's own terminals."""
    if id(parser) not in _STARTS:
        terms = [t for t in parser.terminals if not t.name.startswith("_") and t.name != "LINE"]
        either = [t for t in terms if t.name in HEADING_TYPES]
        # A line's indent (and a form feed) is the line break's before it, as the grammar
        # reads: taken whole (possessive), so that no terminal tries each part of it.
        _STARTS[id(parser)] = tuple(regex(_INDENT + "(?:" + "|".join(f"(?:{t.pattern.to_regexp()})" for t in group)
                                          + ")") for group in (terms, either))
    return _STARTS[id(parser)]


# Possessive quantifiers are Python 3.11's; before, a look-ahead and its group take the
# indent whole the same way.
_INDENT = "[ \t\f]*+" if sys.version_info >= (3, 11) else "(?=([ \t\f]*))\\1"


def _outline(source, parser, text):
    try:
        items = parser.parse(text)
    except UnexpectedInput as e:  # the grammar accepts any lines; a user's grammar may not
        index, expected, shown = lark_failure(e, source.lines)
        raise ReportError(_("cannot read the report's structure here: expected {expected}").format(expected=expected),
                          source.file_line(index + 1), excerpt=shown) from None
    out = Outline(last_line=len(source.lines), file_line=source.file_line)
    front, sections = [], []
    for kind, value in items:
        if kind == "front":
            front = list(value)
        else:
            sections.append(value)
    _front(out, front)
    _sections(out, sections)
    for i, part in enumerate(out.parts):
        part.start = part.line + 1
        part.end = out.parts[i + 1].line - 1 if i + 1 < len(out.parts) else out.last_line
    if out.parts:
        _find_signature(out, out.parts[-1])
    return out


# --- before the first section: furniture, title, preamble ---------------------------------

def _front(out, tokens):
    """Site furniture first, then the title (title lines ending in 报告), then the preamble."""
    tokens = [t for t in tokens if str(t).strip()]      # a line of spaces (a wrapper tag blanked out)
    i = 0
    while i < len(tokens) and _is_furniture(str(tokens[i])):
        m = _CRAWLER_TITLE.match(str(tokens[i]))
        if m and not out.crawler_title:
            out.crawler_title = m.group("title")
        i += 1
    out.furniture = tokens[:i]
    # The site's furniture among the first lines (a menu between the site's name and the
    # title) stands in no title: the title is looked for in the lines around it.
    head = [t for t in tokens[i:i + _HEADER_LINES] if _is_furniture(str(t))]
    if head:
        out.furniture += head
        gone = {id(t) for t in head}
        tokens = tokens[:i] + [t for t in tokens[i:] if id(t) not in gone]
    j = i
    # Title lines: those naming the report, and short lines before its last (the agency's
    # name on a line of its own: 「白鹭湾区自然资源局」 / 「2024年政府信息公开工作年度报告」).
    while j < len(tokens) and (tokens[j].type == "TITLE_LINE" or (
            j - i < _TITLE_LINES and _short_title_piece(str(tokens[j]))
            and any(t.type == "TITLE_END" for t in tokens[j + 1:i + _TITLE_LINES + 1]))):
        j += 1
    if j < len(tokens) and tokens[j].type == "TITLE_END":
        # A last line that is a whole title by itself (an agency before its year) is the
        # title; the lines before it are the site's header (its name, its menu).
        if j > i and agency_from_title(title_text(str(tokens[j]))):
            out.furniture += tokens[i:j]
            i = j
        out.title, rest = tokens[i:j + 1], tokens[j + 1:]
    elif j > i:
        out.title, rest = tokens[i:j], tokens[j:]
    else:
        rest = tokens[i:]
    out.preamble = [t for t in rest if not _is_furniture(str(t))]
    out.furniture += [t for t in rest if _is_furniture(str(t))]
    for t in out.furniture:
        m = _CRAWLER_TITLE.match(str(t))
        if m and not out.crawler_title:
            out.crawler_title = m.group("title")


_TITLE_LINES = 3
_HEADER_LINES = 11          # the first lines a site's header (its name, menus, breadcrumbs) may fill
_SENTENCE_MARKS = regex(r"[。，,；;：:！？!?]")


def _short_title_piece(line):
    line = line.strip()
    return 0 < len(line) <= 30 and not _SENTENCE_MARKS.search(line)


def is_site_furniture(line):
    """A line that a website or a crawler put around the report (breadcrumbs, 标题: …, 主办: …)."""
    line = line.strip()
    if "\\" in line:
        line = _MARKDOWN_ESCAPE.sub(r"\1", line)      # pandoc Markdown writes 首页\|信息公开
    return bool(line) and (_FURNITURE.match(line) is not None or _FURNITURE_WORDS.search(line) is not None)


_MARKDOWN_ESCAPE = regex(r"\\([|>*_\[\]#<])")


_is_furniture = is_site_furniture


def title_text(line):
    """A title line without a page header before it (首页|政务公开|…), nor pandoc's
    attributes after it ({#id align="center"})."""
    line = _ATTRIBUTES.sub("", line.strip())
    return _HEADER_PREFIX.sub("", line) if _HEADER_PREFIX.match(line) else line


_ATTRIBUTES = regex(r"[ \t]*\{[#.][^\n{}]*\}$")


# --- sections ----------------------------------------------------------------------------

def parse_heading(text):
    """(the report's number, its title) of a heading line; the number None if it has none."""
    m = _HEADING.match(text.strip())
    numeral = m.group("part") or m.group("number")
    if m.group("arabic"):       # a user's document grammar may number sections 1． 2． …
        return int(m.group("arabic")), m.group("title").strip()
    return numeral_value(numeral) if numeral else None, m.group("title").strip()


def _names_table_label(title):
    """Whether a heading-like title is a row or group label of a table (四、结转下年度继续办理,
    or its first line 「四、结转下」 when the label wraps), rather than a section's title that
    names a table's words (四、…行政复议、行政诉讼情况)."""
    label = nf.normalise_label(title)
    if section_title(label):
        return False
    return any(nf.names_row(table, label) for table in nf.TABLE_ROWS) or \
        (len(label) >= 3 and any(row.startswith(label) for row in _row_labels()))


@lru_cache(maxsize=None)
def _row_labels():
    """Every row and group label of the tables, without its number (结转下年度继续办理)."""
    labels = {r.label for rows in nf.TABLE_ROWS.values() for r in rows} | {r.group for rows in nf.TABLE_ROWS.values()
                                                                             for r in rows if r.group}
    return tuple(sorted({parse_heading(nf.normalise_label(label))[1] for label in labels}))


def _sections(out, sections):
    """Accept as sections the headings numbered in turn; the others join the section above."""
    accepted, expected = [], 1
    for heading, body in sections:
        number, title = parse_heading(str(heading))
        canonical = canonical_section(title)
        if heading.type == "BARE_HEADING":
            ok = canonical is not None and canonical >= expected   # in turn: never back to an earlier one
        elif _names_table_label(title):
            ok = False
        elif number == expected or (canonical is not None and canonical == number and number > expected):
            ok = True
        elif number == 1 and accepted and all(not _has_text(b) for _, _, b, _, _ in accepted):
            accepted, ok = [], True      # what came before was a table of contents
        else:
            ok = False
        if ok:
            accepted.append((heading, number, list(body), title, canonical))
            expected = (number if number is not None else (canonical or expected - 1)) + 1
        else:
            out.rejected.append(heading)
            target = accepted[-1][2] if accepted else None
            if target is not None:
                target.append(heading)
                target.extend(body)
            else:
                out.preamble.extend([heading, *body])
    counts = {}
    for *_parts, canonical in accepted:
        if canonical is not None:
            counts[canonical] = counts.get(canonical, 0) + 1
    for heading, number, body, title, canonical in accepted:
        if canonical is not None and counts[canonical] > 1:
            canonical = None    # two sections of one kind: neither clearly is it
        out.parts.append(Part(canonical, str(heading).strip(), heading.line, body, number, title))
    out.national = all(p.number is not None and (p.report_number is None or p.report_number == p.number)
                       for p in out.parts)


def _has_text(tokens):
    return any(str(t).strip() for t in tokens)


# What is attached after the report: 附表1, 附件2：… (the tables, in regional structures).
_APPENDIX = regex(r"^\s*(?:附表|附件|附:|附：)\s*[\d一二三四五六七八九十]*")


def _find_signature(out, last):
    """A date line at the end, and the short line above it, are the signature; what is
    attached after them (附表1 …) is the report's appendix, not its last section."""
    body = last.body
    appendix = next((i for i, line in enumerate(map(str, body)) if "附" in line and _APPENDIX.match(line) and i > 0
                     and any(b.type == "DATE_LINE" for b in body[:i])), None)
    if appendix is not None:
        out.appendix = body[appendix].line
        last.end = out.appendix - 1
        body = [t for t in body[:appendix]]
    tokens = []   # the last two lines that are not page or site furniture
    for t in reversed(body):
        if str(t).strip() and not is_page_furniture(str(t).strip()) and not _is_furniture(str(t)):
            tokens.insert(0, t)
            if len(tokens) == 2:
                break
    if not tokens or tokens[-1].type != "DATE_LINE":
        return
    out.signed = str(tokens[-1]).strip()
    end = tokens[-1].line - 1
    if len(tokens) >= 2 and tokens[-2].type == "LINE":
        line = plain_markdown(str(tokens[-2]))
        if len(line) <= 30 and not any(p in line for p in "。，,；;：:"):
            # 「本局」 signs the report but names no agency: the signature, not an agency.
            out.signature = "" if line.startswith(_SELF_REFERENCE) else line
            end = tokens[-2].line - 1
    last.end = end
