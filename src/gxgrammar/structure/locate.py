"""Where each table stands: found by its own labels, whichever section holds it.

The national format puts table 二 in section 二, 三 in 三 and 四 in 四, but reports put
them where they like: attached at the end (附表), in a section of a regional list, or
under a heading that was lost. The strongest anchors of a table are its own labels
(第二十条第（一）项, 申请人情况, 本年新收政府信息公开申请数量, 结果维持 …), so a table is
looked for in every stretch of the report between two section headings, and read from
the stretch that names most of its rows. Two tables in one stretch are read from the
same lines, each from its own header on (`rows_of`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from gxgrammar import national as nf
from gxgrammar.cache import regex
from gxgrammar.i18n import N_, _
from gxgrammar.national.sections import NUMERALS, carries_anchor, table_anchor, table_anchors

# A stretch holds a table when it names this many of its rows (an anchor counts two):
# a sentence of prose names one or two; a table names all.
_FOUND = 3


@dataclass
class Region:
    table: str
    start: int                 # first line (1-based, inclusive)
    end: int                   # last line (1-based, inclusive)
    part: object = None        # the section (structure.document.Part) the lines belong to, if any
    shared: tuple = ()         # the tables read from the same lines (their rows told apart by anchors)
    anchor: int | None = None  # the first line that carries the table's header, if one does
    name: str = N_("the text before the first section")   # what holds it, when no section does

    @property
    def described(self):
        """「section 三、收到和处理政府信息公开申请情况」 where the table stands in its own section,
        else 「the table of section 三、…, in the appendix」."""
        own = next(n for n, t in nf.SECTION_TABLES.items() if t == self.table)
        if self.part is not None and self.part.number == own and self.part.report_number in (own, None):
            return self.where
        return _("the table of section {section}, in {where}").format(
            section=f"{NUMERALS[own - 1]}、{nf.SECTION_TITLES[own]}", where=self.where)

    @property
    def where(self):
        """「section 三、收到和处理政府信息公开申请情况」, or the lines when no section holds it."""
        part = self.part
        if part is None:
            return _(self.name)
        numeral = NUMERALS[part.report_number - 1] if part.report_number else ""
        return _("section {heading}").format(heading=f"{numeral}{'、' if numeral else ''}{part.report_title}")


@dataclass
class _Stretch:
    start: int
    end: int
    part: object
    name: str = ""
    norm: list = None          # the report's normalised lines

    # Made when first asked for: a report whose tables stand in their own sections asks
    # only for those sections'.
    @cached_property
    def text(self):
        """The stretch's normalised text without its spaces."""
        return nf.without_spaces("".join(self.norm[self.start - 1:self.end]))

    @cached_property
    def anchors(self):
        """The tables whose header the text carries."""
        return tuple(table_anchors(self.text))


def locate_tables(source, out, templates=nf.TEMPLATES):
    """{table: Region} for every table whose labels the report holds."""
    stretches = _stretches(source, out)
    found = {}
    for table in nf.SECTION_TABLES.values():
        best = None
        # The table's own section, when the report has one, reads it: as it always did. It
        # ranks above every other stretch, which then need no score.
        own = next((s for s in stretches if out.national and s.part is not None and s.part.number is not None
                    and nf.SECTION_TABLES.get(s.part.number) == table), None)
        for s in ([own] if own else []) + [s for s in stretches if s is not own]:
            # (the own section's score is counted only as far as it must reach)
            score = _score(table, s, _FOUND if s is own else None)
            if score < _FOUND:
                continue
            rank = (s is own, score)
            if best is None or rank > best[0]:
                best = (rank, s)
            if s is own:
                break
        if best is not None:
            s = best[1]
            anchor = next((n for n in range(s.start, s.end + 1)
                           if carries_anchor(table, nf.without_spaces(source.norm[n - 1]))), None)
            found[table] = Region(table, s.start, s.end, s.part, anchor=anchor, name=s.name)
    by_lines = {}
    for region in found.values():
        by_lines.setdefault((region.start, region.end), []).append(region.table)
    for region in found.values():
        region.shared = tuple(by_lines[(region.start, region.end)])
    return found


def _stretches(source, out):
    """The stretches between section headings: the front, then each section's body."""
    parts = out.parts
    first = parts[0].line - 1 if parts else len(source.lines)
    spans = [(1, first, None, N_("the text before the first section") if parts else N_("the report"))] \
        if first >= 1 else []
    spans += [(p.start, max(p.end, p.start - 1), p, "") for p in parts]
    if out.appendix:      # attached after the signature: the tables of a regional structure
        spans.append((out.appendix, len(source.lines), None, N_("the appendix")))
    out_ = []
    for start, end, part, name in spans:
        if end < start:
            continue
        out_.append(_Stretch(start, end, part, name, source.norm))
    return out_


def _score(table, stretch, enough=None):
    """How strongly a stretch's text names the table: its distinct rows, and two for an
    anchor; counted only up to `enough` when given."""
    text = stretch.text
    score = 2 if table in stretch.anchors else 0
    for words, rx in _row_searches(table):
        if enough is not None and score >= enough:
            break
        if any(w in text for w in words) if words else rx.search(text):
            score += 1
    return score


_LITERAL = regex(r"[^\\.^$*+?{}\[\]()|]+")


@lru_cache(maxsize=None)
def _row_searches(table):
    """For each row rule, the words it is an alternation of (「仍不明确|补正后申请」: a word
    is found at once, where an alternation is tried at every character), else its regex."""
    out = []
    for _row, rx in _row_rules(table):
        words = rx.pattern.split("|")
        out.append((tuple(words), rx) if all(_LITERAL.fullmatch(w) for w in words) else ((), rx))
    return tuple(out)


@lru_cache(maxsize=None)
def _row_rules(table):
    # Rules anchored at a label's start or end (「3.其他」) cannot be searched in running text.
    return tuple((row, regex(row.rule)) for row in nf.TABLE_ROWS[table]
                 if "^" not in row.rule and "$" not in row.rule)


def rows_of(table, grid, shared):
    """The grid rows of one table, when the lines it was read from hold several tables: from
    the row that carries its header (an anchor) to the row that carries another's."""
    if len(shared) < 2:
        return grid
    from gxgrammar.layouts.grid import Grid
    kept, current = [], None
    for row in grid.rows:
        named = table_anchor(nf.normalise_label("".join(c.text for c in row.cells)))
        if named in shared:
            current = named
        if current is None or current == table:
            kept.append(row)
    return Grid(kept, grid.prose_lines)
