"""One table read by every layout that applies to its lines; the best reading kept.

Each layout whose `detect` pattern matches a line of the table's text reads it (a
layout with a table reader rebuilds the grid first), in priority order, until one reads
every cell without a doubt; the national format maps each grid, and the reading with
the highest score wins (national.mapping.TableRead.score). Every attempt is kept for
`--explain`.
"""
from __future__ import annotations

from gxgrammar.cache import regex
from gxgrammar.i18n import _

from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from lark.exceptions import UnexpectedInput

from gxgrammar import national as nf
from gxgrammar.errors import ReportError
from gxgrammar.layouts.caret import lark_failure
from gxgrammar.layouts.displaced import leave_displaced_unread
from gxgrammar.layouts.grid import MAX_LINE, build_grid, set_aside_long_lines
from gxgrammar.national.mapping import read_table, unplaced_by_row
from gxgrammar.readers import table_reader
from gxgrammar.readers.text import MappedSource, Offset
from gxgrammar.structure.locate import rows_of


@dataclass
class Attempt:
    """One layout's reading of one table, kept on the report for `--explain`."""
    layout: object                  # registry.Layout
    read: object = None             # mapping.TableRead, None when the grammar failed
    grid: object = None             # grid.Grid, the cells as read before they were mapped
    error: object = None            # the grammar's UnexpectedInput, when it failed
    chosen: bool = False
    spilled: set = field(default_factory=set)   # lines after the region it read (numbers after a heading)


@dataclass
class TableReadings:
    """Every layout tried on one table, and the lines they read."""
    table: str
    region: object                  # structure.locate.Region: the lines the table was read from
    lines: list                     # the table's lines as read
    source: object                  # the text read (readers.text.Source)
    attempts: list = field(default_factory=list)
    skipped: list = field(default_factory=list)   # layouts not tried (detect matched no line, or forced)
    unreached: list = field(default_factory=list)  # layouts not reached: an earlier one read every cell
    text: str = ""                  # the table's text as the layouts read it
    forced: str = ""                # the layout the user asked for with --layout
    template: str = "2021"          # the national format the table was read in

    @property
    def chosen(self):
        return next((a for a in self.attempts if a.chosen), None)

    @cached_property
    def file_lines(self):
        """The line of the user's file each of the lines stands for (found when asked)."""
        numbers = range(self.region.start, self.region.end + 1)
        return [self.source.file_line(n) for n in numbers] if self.source.maps_places else list(numbers)

    @property
    def section(self):
        """「section 三、收到和处理政府信息公开申请情况」 (worded when asked: only --explain shows it)."""
        return self.region.described


@dataclass
class Reading:
    """The reading that won: its values and where they came from."""
    layout: str                     # the layout's name
    reported: str                   # what the report says it was in (html, pdf, box …)
    values: dict
    provenance: dict
    findings: list
    table_lines: set                # the lines that were the table's (not prose)
    taken_after: set = field(default_factory=set)   # of those, the lines after its region (a later table's)


@lru_cache(maxsize=None)
def _table_size(table, template):
    return sum(1 for key in nf.cell_keys(template) if key.startswith(table + "."))


_NUMBERS_ONLY = regex(r"^[\s\f]*[-+]?\d[\d,]*(?:\.\d+)?(?:[ \t]+[-+]?\d[\d,]*(?:\.\d+)?)*\s*$")
SPILL_LINES = 400                   # lines after a heading that may still be a table's


@lru_cache(maxsize=None)
def _column_words(table, template):
    """The words over a table's columns (its column labels and the headers above them)."""
    words = {c.label for r in nf.rows_for(table, template) for c in nf.columns_for(table, r, template)}
    headers = {"requests": nf.REQUESTS_HEADER.values(), "active": (nf.ACTIVE_HEADER,),
               "appeals": nf.APPEALS_HEADER.values()}[table]
    return tuple(nf.normalise_label(w) for w in words | set(headers))


def _column_header(line, table, template):
    """Whether a line holds nothing but pieces of the table's column headers (「商业 科研 社会公益」)."""
    if table is None:
        return False
    words = _column_words(table, template)
    pieces = [nf.normalise_label(p) for p in line.split()]
    return bool(pieces) and all(any(p in w for w in words) for p in pieces)


# The table whose section follows a table's (its header may stand between the heading and
# the first table's last numbers). Not for table 二: it has no identities to tell its own
# numbers from the next table's.
_NEXT_TABLE = {"requests": "appeals"}


def _numbers_after_heading(source, end, table, template, past_next_header=False):
    """The lines after a table's region up to its last line of numbers, when the next line
    with words (the next heading) is followed by lines of numbers alone, or of the table's
    own column headers (with `past_next_header`, or of the next table's): a page's reading
    order may put a table's cells, or all its numbers with its header, after the heading
    under it, even after the next table's header (then the next table's numbers follow:
    see `_as_many_as_lacking`). [] otherwise."""
    lines, n, heading = [], end, False
    while n < len(source.norm) and len(lines) < SPILL_LINES:
        line = source.norm[n]
        if len(line) > MAX_LINE:
            break
        if not line.strip():
            lines.append(line)
        elif _NUMBERS_ONLY.match(line) or (heading and (_column_header(line, table, template) or (
                past_next_header and _column_header(line, _NEXT_TABLE.get(table), template)))):
            if not heading:
                return []
            lines.append(line)
        elif heading:
            break
        else:
            heading = True
            lines.append(line)
        n += 1
    while lines and (not lines[-1].strip() or not _NUMBERS_ONLY.match(lines[-1])):
        lines.pop()
    return lines if heading and len(lines) > 1 else []


# Numbers that end a line, each ended by spaces, the sign of the next or the line's end:
# numbers written together with nothing between them (「12」 as 「1」「2」) are not tried,
# which made a long line of digits ending in words cost exponential time.
_TRAILING_NUMBERS = regex(r"(?:(?<=\s)|(?<=^)|(?<=[^\x00-\x7f]))"
                          r"(?:[-+]?\d[\d,]*(?:\.\d+)?(?:[ \t]+|(?=[-+])|$))+$")
_NUMBER = regex(r"[-+]?\d[\d,]*(?:\.\d+)?")


def _numbers_in(line):
    """How many numbers end a line (a row's numbers after its label, or numbers alone)."""
    m = _TRAILING_NUMBERS.search(line)
    return len(_NUMBER.findall(m.group())) if m else 0


def _as_many_as_lacking(have, spilled, cells):
    """The spilled lines up to the one that brings the numbers (`have` in the table's own
    lines) to the table's count of cells, when the spill holds more (the next table's
    numbers run on after the last of this one's); [] when no line ends exactly there."""
    if have + sum(map(_numbers_in, spilled)) <= cells:
        return []
    for k, line in enumerate(spilled):
        have += _numbers_in(line)
        if have == cells:
            return spilled[:k + 1]
        if have > cells:
            return []
    return []


def _attempt(lay, source, region, template, lines, text):
    """One layout's reading of the lines (a table reader first rebuilding the rows): an
    Attempt, or None when its table reader finds no table of its kind there."""
    table, start, end = region.table, region.start, region.end
    offset, places, lay_text = start - 1, source if source.maps_places else None, text
    if lay.reader:
        # A table drawn in two dimensions: its reader rebuilds the rows first.
        rebuilt = table_reader(lay.reader).read(lines)
        if rebuilt is None:
            return None
        lay_text = "\n".join(rebuilt.lines) + "\n"
        places = MappedSource(Offset(source, start - 1), rebuilt.lines, rebuilt.places)
        offset = 0
    try:
        parsed = lay.parse(lay_text)
    except UnexpectedInput as e:
        # Kept for --explain without its traceback: the parser's frames it holds would
        # make a reference cycle of the report (see parser._parse).
        return Attempt(lay, error=_without_frames(e))
    grid = rows_of(table, build_grid(parsed, line_offset=offset, places=places), region.shared)
    if lay.reader:      # prose lines of the rebuilt text → the lines they came from
        grid.prose_lines = {start - 1 + rebuilt.places[k - 1][0][1] for k in grid.prose_lines
                            if 0 < k <= len(rebuilt.places)}
    read = read_table(table, grid, template, lay.name)
    leave_displaced_unread(table, grid, template, read)
    if lay.reader:      # what the reader inferred, said where the cells were read
        for f in rebuilt.findings:
            lines_of = [read.provenance[k]["line"] for k in f.cells if "line" in read.provenance.get(k, {})]
            read.findings.append(replace(f, line=min(lines_of, default=None)))
    spilled = {start + k for k in range(end - start + 1, len(lines))
               if _NUMBERS_ONLY.match(lines[k]) or _column_header(lines[k], table, template)}
    return Attempt(lay, read, grid, spilled=spilled)


def _without_frames(error):
    """The error without its traceback, nor those of the errors it was raised while
    handling (the lexer's own, under Python 3.10), each holding the parser's frames."""
    inner = error
    while inner is not None:
        inner.__traceback__ = None
        inner = inner.__context__
    return error


def _numbers_later(source, end, until, table):
    """The lines after a table's region up to the next table's (`until`, 1-based) with every
    line but numbers alone blanked, for a table with identities whose last cells a page's
    second flow put after the text that follows it: plain pdftotext reads a wide table's
    right part after the page's left column (the next sections, the page's footer), before
    what is set right (the signature). A year split from its date (「2021」 beside
    「年1月28日」) is no cell. [] when no line of numbers is there."""
    if not nf.has_identities(table):
        return []
    norm, out, found = source.norm, [], False
    for n in range(end, min(until - 1, len(norm))):
        line = norm[n]
        if len(line) <= MAX_LINE and _NUMBERS_ONLY.match(line) and not _split_year(norm, n):
            out.append(line)
            found = True
        else:
            out.append("\f" if line.startswith("\f") else "")   # a page's end stays one
    while out and not out[-1].strip():
        out.pop()
    return out if found else []


_YEAR = regex(r"^\s*(?:19|20)\d\d\s*$")
_DATE_REST = regex(r"^\s*年\s*\d{1,2}\s*月")


def _split_year(norm, n):
    """Whether line n (0-based) is a year standing apart from the rest of its date."""
    if not _YEAR.match(norm[n]):
        return False
    near = [norm[k] for k in (n - 2, n - 1, n + 1, n + 2) if 0 <= k < len(norm)]
    return any(_DATE_REST.match(line) for line in near)


def _further_lines(source, region, lines, spilled, template, cells, until):
    """The lines after a table's region that a reader of text in reading order reads it
    with too, each set a reading of its own (the reading that reads more wins):

    - the lines of numbers just after the next heading (`spilled`);
    - the table's last columns past the next table's header, as many numbers as it lacks;
    - the lines of numbers alone up to the next table (a page's second flow, after its
      footer).

    The last two only for a table that lacks at least one number a row: a table short of
    a number or two has blank cells, and a number met further on is not its own."""
    table, end = region.table, region.end
    out = [spilled] if spilled else []
    have = sum(map(_numbers_in, lines))
    if cells - have < len(nf.rows_for(table, template)):
        return out
    if table in _NEXT_TABLE:
        past = _numbers_after_heading(source, end, table, template, past_next_header=True)
        lacking = _as_many_as_lacking(have, past, cells)
        if lacking and lacking != spilled:
            out.append(lacking)
    if until is not None:
        later = _numbers_later(source, end, until, table)
        if sum(1 for l in later if l.strip()) > sum(1 for l in spilled if _NUMBERS_ONLY.match(l)):
            out.append(later)
    return out


def read_region(source, region, template, all_layouts, forced, readings, until=None, taken=frozenset()):
    """Read one table's region with every layout that applies; the best Reading, or None
    when no layout found a row of it (the attempts stay in `readings` for --explain).

    With a forced layout whose grammar fails, the error says where and what it expected.
    """
    table, start, end = region.table, region.start, region.end
    # A line longer than any table row is set aside (reported) before the grammars see it;
    # a line a table read before took past its own region (its numbers after this
    # table's heading) is blank.
    lines, set_aside = source.norm[start - 1:end], []
    if taken and not taken.isdisjoint(range(start, end + 1)):
        lines = ["" if n in taken else line for n, line in enumerate(lines, start)]
    if any(len(line) > MAX_LINE for line in lines):
        lines, set_aside = set_aside_long_lines(lines, start, region.described, source.file_line)
    text = "\n".join(lines) + "\n"
    tried = readings[table] = TableReadings(table, region, source.lines[start - 1:end], source)
    order = [all_layouts[forced]] if forced else list(all_layouts.values())
    # (Compared by name: a Layout's own equality would compare its every field.)
    tried.skipped = [l for l in all_layouts.values() if l.name != forced] if forced else []
    tried.forced = forced or ""
    tried.template = template
    tried.text = text
    best = None
    cells = _table_size(table, template)
    for n, lay in enumerate(order, 1):
        # A reader of text in reading order also reads the table with the lines of numbers
        # that follow the next heading, if any: the reading that reads more wins.
        reading_order = bool(lay.reader) and table_reader(lay.reader).reading_order
        spilled = _numbers_after_heading(source, end, table, template) if reading_order else []
        if not forced and not lay.applies_to(text) and not (spilled and lay.applies_to("\n".join(spilled))):
            tried.skipped.append(lay)           # its `detect` matched no line
            continue
        attempts = [_attempt(lay, source, region, template, lines + more, text)
                    for more in [[]] + (_further_lines(source, region, lines, spilled, template, cells, until)
                                        if reading_order else [])]
        if all(a is None for a in attempts):
            tried.skipped.append(lay)
            continue
        for attempt in filter(None, attempts):
            tried.attempts.append(attempt)
            read = attempt.read
            if read is not None and read.rows_found and (best is None or read.score > best.read.score):
                best = attempt
        if best is not None and best.read.score == cells:   # every cell read, no doubt: no later layout can do better
            tried.unreached = order[n:]
            break
    if best is None:
        failed = next((a for a in tried.attempts if a.error is not None), None)
        if forced and failed:
            index, expected, shown = lark_failure(failed.error, tried.lines, failed.layout.terms)
            file_lines = tried.file_lines
            error = ReportError(_("the table of {where} is not in the {layout} layout: expected {expected} here")
                                .format(where=region.where, layout=forced, expected=expected or _("something else")),
                                file_lines[min(index, len(file_lines) - 1)], excerpt=shown)
            error.readings = readings
            raise error
        return None
    best.chosen = True
    read = best.read
    read.findings[:0] = set_aside
    # The lines that were the table's: every line of the region but its prose, and the
    # lines of its numbers after the next heading, if it read them.
    table_lines = (set(range(start, end + 1)) - best.grid.prose_lines) | best.spilled
    return Reading(read.layout, best.layout.reported_as(source), read.values, read.provenance,
                   unplaced_by_row(read.findings), table_lines, set(best.spilled))
