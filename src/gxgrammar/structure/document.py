"""The document grammar's tree as the report's outline: title, preamble, six sections.

`report.lark` says which lines are what; this module keeps, for each part, the span
of lines it covers, so that prose is taken from the user's original lines.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lark.exceptions import UnexpectedInput

from gxgrammar.layouts import registry
from gxgrammar import national as nf
from gxgrammar.layouts.caret import lark_failure
from gxgrammar.errors import ReportError
from gxgrammar.structure.prose import is_page_furniture

# Heading terminals of report.lark -> section numbers.
HEADINGS = {"GENERAL": 1, "ACTIVE": 2, "REQUESTS": 3, "APPEALS": 4, "PROBLEMS": 5, "OTHER": 6}


@dataclass
class Part:
    number: int
    heading: str
    line: int               # 1-based line of the heading
    body: list              # tokens of the body lines
    start: int = 0          # first body line (1-based)
    end: int = 0            # last body line (1-based, inclusive)


@dataclass
class Outline:
    title: list = field(default_factory=list)       # title tokens
    preamble: list = field(default_factory=list)
    parts: list = field(default_factory=list)
    signature: str = ""
    signed: str = ""
    last_line: int = 0
    file_line: object = None     # a line of the text read -> the line of the user's file


class _OutlineBuilder:
    """The document parser's transformer: lark calls it as it reduces (see registry.load).

    Not a lark Transformer: the rules it has no method for (lark's own, for the lists in
    `body: (LINE | …)*`) then stay lark's plain Trees, the cheapest thing lark builds.
    """

    def heading(self, children):
        return children[0]

    def title(self, tokens):
        return ("title", tokens)

    def preamble(self, tokens):
        return ("preamble", tokens)

    def body(self, tokens):
        return tokens

    def section(self, children):
        heading, body = children[0], children[1] if len(children) > 1 else ()
        return ("section", Part(HEADINGS[heading.type], str(heading).strip(), heading.line, list(body)))

    def start(self, items):
        outline = Outline()
        for kind, value in items:
            if kind == "title":
                outline.title = value
            elif kind == "preamble":
                outline.preamble = value
            else:
                outline.parts.append(value)
        return outline


_BUILDER = _OutlineBuilder()


def outline(source):
    """The outline of a Source; raises ReportError when it is not a report."""
    text = source.norm_text()
    try:
        out = registry.document_parser(_BUILDER).parse(text)
    except UnexpectedInput as e:  # the grammar accepts any lines; this is a safeguard
        index, expected, shown = lark_failure(e, source.lines)
        raise ReportError(f"cannot read the report's structure here: expected {expected}",
                          source.file_line(index + 1), excerpt=shown) from None
    out.last_line = len(source.lines)
    out.file_line = source.file_line
    for i, part in enumerate(out.parts):
        part.start = part.line + 1
        part.end = out.parts[i + 1].line - 1 if i + 1 < len(out.parts) else out.last_line
    if out.parts:
        _find_signature(out, out.parts[-1])
    return out


def _find_signature(out, last):
    """A date line at the end, and the short line above it, are the signature."""
    tokens = []   # the last two lines that are not page furniture
    for t in reversed(last.body):
        if str(t).strip() and not is_page_furniture(str(t).strip()):
            tokens.insert(0, t)
            if len(tokens) == 2:
                break
    if not tokens or tokens[-1].type != "DATE_LINE":
        return
    out.signed = str(tokens[-1]).strip()
    end = tokens[-1].line - 1
    if len(tokens) >= 2 and tokens[-2].type == "LINE":
        line = str(tokens[-2]).strip()
        if len(line) <= 30 and not any(p in line for p in "。，,；;：:"):
            out.signature = line
            end = tokens[-2].line - 1
    last.end = end


def check_structure(outline_):
    """The sections that hold the tables must be there; raises ReportError naming what is missing."""
    found = {p.number for p in outline_.parts}
    line = outline_.file_line or (lambda n: n)
    if not found:
        raise ReportError("not a 政府信息公开工作年度报告: none of the six section headings "
                          "(一、总体情况 … 六、其他需要报告的事项) was found")
    for number in nf.SECTION_TABLES:
        if number in found:
            continue
        wanted = f"section {nf.SECTION_NUMERALS[number - 1]}、{nf.SECTION_TITLES[number]} is missing"
        if number > max(found):
            last = max(outline_.parts, key=lambda p: p.line)
            raise ReportError(f"{wanted}: the report ends in section "
                              f"{nf.SECTION_NUMERALS[last.number - 1]} (it seems truncated)",
                              line(outline_.last_line))
        before = max((p for p in outline_.parts if p.number < number), key=lambda p: p.number, default=None)
        after = min((p for p in outline_.parts if p.number > number), key=lambda p: p.number)
        where = f"between line {line(before.line)} and line {line(after.line)}" if before \
            else f"before line {line(after.line)}"
        raise ReportError(f"{wanted}: expected its heading {where}", line(after.line))
