"""text → outline → grids → model: the one-way flow of a parse.

`parse_text` and `parse_file` are the Python API; the CLI calls the same functions.
"""
from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lark.exceptions import UnexpectedInput


from gxgrammar.layouts import registry
from gxgrammar import national as nf
from gxgrammar.checks import check_report
from gxgrammar.layouts.caret import lark_failure
from gxgrammar.structure.document import check_structure, outline
from gxgrammar.errors import GxError, InputError, ReportError
from gxgrammar.layouts.grid import build_grid, set_aside_long_lines
from gxgrammar.structure.meta import (agency_from_body, agency_from_title, clean_title, most_named_year,
                   statistics_year, year_from)
from gxgrammar.model import Finding, Report, Section
from gxgrammar.national.completeness import account
from gxgrammar.national.mapping import missing_rows, read_table
from gxgrammar.readers import read_document, table_reader, text_source
from gxgrammar.readers.text import MappedSource, Offset


def parse_file(path, encoding=None, layout=None, grammar_dirs=()):
    """Parse a report file (any supported encoding) into a Report."""
    return parse_bytes(read_report(path), str(path), encoding=encoding, layout=layout,
                       grammar_dirs=grammar_dirs)


def read_report(path):
    """A report file's bytes; InputError naming the file when it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a report file", path=str(path)) from None
    except OSError as e:
        raise InputError(f"cannot be read ({e.strerror})", path=str(path)) from None


def parse_bytes(data, path="<bytes>", encoding=None, layout=None, grammar_dirs=(), reader=None):
    """Parse a report's bytes: the document reader its bytes call for (PDF, Word, a web
    page, text; or the one named by `reader`) makes its lines, the rest is the same."""
    try:
        source = read_document(data, path, encoding, reader)
    except GxError as e:
        e.path = e.path or path
        raise
    return _parse(source, hashlib.sha256(data).hexdigest(), layout, grammar_dirs)


def parse_text(text, path="<text>", layout=None, grammar_dirs=()):
    """Parse a report already decoded to a str."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _parse(text_source(text, path), sha, layout, grammar_dirs)


def _parse(source, sha256, layout, grammar_dirs):
    try:
        with _collector_paused():
            return _build(source, sha256, layout, grammar_dirs)
    except GxError as e:
        e.path = e.path or source.path
        raise


@contextmanager
def _collector_paused():
    """Python's cycle collector paused while a report is parsed.

    A parse allocates tens of thousands of short-lived objects (tokens, nodes, cells) and
    makes no reference cycles (a test keeps it so), yet the collector would scan them
    again and again: about a tenth of the time of a parse. Resumed after, as it was."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _build(source, sha256, forced_layout, grammar_dirs):
    if not any(l.strip() for l in source.norm):
        raise InputError("the file holds only blank lines")
    out = outline(source)
    check_structure(out)
    parts = {}
    for p in out.parts:
        parts.setdefault(p.number, p)
    findings = []

    # The title block, else the body, for the year; the template from the table headers.
    title = clean_title(str(t) for t in out.title) if out.title else ""
    body1 = _lines(source, parts.get(1))
    preamble = "\n".join(str(t) for t in out.preamble)
    year = (year_from(title) if title else None) or statistics_year(preamble) or \
        statistics_year(body1) or most_named_year(body1) or most_named_year("\n".join(source.norm))
    template = _template(source, parts, year, findings)

    all_layouts = registry.layouts(grammar_dirs)
    if forced_layout:
        lay = registry.resolve(forced_layout, all_layouts)
        if lay is None:
            raise InputError(f"no layout named {forced_layout!r} (known: {', '.join(all_layouts)})")
        forced_layout = lay.name

    tables, provenance, layouts_used, used_lines, readings = {}, {}, {}, {}, {}
    for number, table in nf.SECTION_TABLES.items():
        part = parts[number]
        read = _read_section_table(source, part, table, template, all_layouts, forced_layout, readings)
        layouts_used[table] = read.reported
        used_lines[number] = read.prose
        findings.extend(read.findings)
        findings.extend(missing_rows(table, read.values, template))
        provenance.update(read.provenance)
        tables[table] = read.values

    model_tables = {}
    for t, r, c, key in _key_parts(template):
        model_tables.setdefault(t, {}).setdefault(r, {})[c] = tables[t].get(key) if t in tables else None

    sections = []
    for number, canonical in nf.SECTION_TITLES.items():
        part = parts.get(number)
        if part is None:
            findings.append(Finding("structure.section_missing", "warning",
                                    f"section {nf.SECTION_NUMERALS[number - 1]}、{canonical} was not found"))
            sections.append(Section(number, canonical, ""))
            continue
        text = _prose(source, part, used_lines.get(number))
        subheadings = [{"text": source.lines[t.line - 1].strip(), "line": source.file_line(t.line)}
                       for t in part.body if t.type == "SUBHEADING" and t.line <= part.end
                       and (number not in used_lines or t.line in used_lines[number])]
        sections.append(Section(number, canonical, text, source.lines[part.line - 1].strip(),
                                source.file_line(part.line), subheadings))

    agency = agency_from_title(title) if title else None
    agency = agency or out.signature or agency_from_body(body1) or \
        agency_from_body("\n".join(source.norm))
    meta = {"title": title or None, "agency": agency, "year": year, "template": template}
    if out.signed:
        meta["signed"] = out.signed
    for key in ("agency", "year"):
        if meta[key] is None:
            findings.append(Finding(f"meta.{key}_unknown", "warning", f"the report's {key} could not be found"))

    layout = layouts_used.get("requests")
    source_info = {"path": source.path, "layout": layout, "sha256": sha256, "encoding": source.encoding,
                   "table_layouts": layouts_used}
    # In the format's order (a key outside the format, if any, after them)
    ordered = {key: provenance[key] for *_, key in _key_parts(template) if key in provenance}
    if len(ordered) < len(provenance):
        ordered.update(provenance)
    provenance = ordered
    preamble_text = "\n".join(l for l in (source.lines[t.line - 1].strip() for t in out.preamble) if l)
    report = Report(source_info, meta, sections, model_tables, findings, provenance,
                    preamble=preamble_text, readings=readings)
    report.findings.extend(check_report(report))
    account(report)
    return report


@lru_cache(maxsize=None)
def _key_parts(template):
    """(table, row, column, key) of every cell of a format, in its order."""
    return tuple((*key.split("."), key) for key in nf.cell_keys(template))


@lru_cache(maxsize=None)
def _table_size(table, template):
    return sum(1 for key in nf.cell_keys(template) if key.startswith(table + "."))


def _lines(source, part):
    if part is None:
        return ""
    return "\n".join(source.norm[part.start - 1:part.end])


def _prose(source, part, prose_lines=None):
    """The section's text from the original lines; in a table section, only its prose."""
    lines = [source.lines[i - 1].strip() for i in range(part.start, part.end + 1)
             if prose_lines is None or i in prose_lines]
    return "\n".join(l for l in lines if l)


def _template(source, parts, year, findings):
    text = _lines(source, parts.get(2)) + "\n" + _lines(source, parts.get(3))
    evidence = nf.template_evidence(text.replace(" ", ""))
    if evidence["2019"] and evidence["2021"]:
        findings.append(Finding("meta.template_mixed", "warning",
                                f"the table headers mix the two national formats "
                                f"(2019 markers: {evidence['2019']}, 2021 markers: {evidence['2021']})"))
    if evidence["2019"] != evidence["2021"]:
        return "2019" if evidence["2019"] > evidence["2021"] else "2021"
    guess = "2021" if (year or 2021) >= 2021 else "2019"
    findings.append(Finding("meta.template_unclear", "info",
                            f"the table headers do not tell the national format; {guess} assumed from the year"))
    return guess


@dataclass
class Attempt:
    """One layout's reading of one table, kept on the report for `--explain`."""
    layout: object                  # registry.Layout
    read: object = None             # tables.TableRead, None when the grammar failed
    grid: object = None             # grid.Grid, the cells as read before they were mapped
    error: object = None            # the grammar's UnexpectedInput, when it failed
    chosen: bool = False


@dataclass
class TableReadings:
    """Every layout tried on one table section, and the lines they read."""
    table: str
    section: str                    # 「section 三、收到和处理政府信息公开申请情况」
    lines: list                     # the section's lines as read
    file_lines: list                # the line of the user's file each of them stands for
    attempts: list = field(default_factory=list)
    skipped: list = field(default_factory=list)   # layouts not tried (detect matched no line, or forced)
    unreached: list = field(default_factory=list)  # layouts not reached: an earlier one read every cell
    text: str = ""                  # the section's text as the layouts read it
    forced: str = ""                # the layout the user asked for with --layout
    template: str = "2021"          # the national format the table was read in


class _Read:
    def __init__(self, table_read, prose, reported):
        self.layout = table_read.layout
        self.reported = reported
        self.values = table_read.values
        self.provenance = table_read.provenance
        self.findings = table_read.findings
        self.prose = prose


def _read_section_table(source, part, table, template, all_layouts, forced, readings):
    """Read one section's table with every layout that applies; keep the best reading.

    Every attempt is recorded in `readings[table]`: `--explain` shows them.
    """
    where = f"section {nf.SECTION_NUMERALS[part.number - 1]}、{nf.SECTION_TITLES[part.number]}"
    lines, set_aside = set_aside_long_lines(source.norm[part.start - 1:part.end], part.start, where,
                                            source.file_line)
    text = "\n".join(lines) + "\n"
    numbers = range(part.start, part.end + 1)
    tried = readings[table] = TableReadings(table, where, source.lines[part.start - 1:part.end],
                                            [source.file_line(n) for n in numbers]
                                            if source.maps_places else list(numbers))
    order = [all_layouts[forced]] if forced else list(all_layouts.values())
    tried.skipped = [l for l in all_layouts.values() if l not in order]
    tried.forced = forced or ""
    tried.template = template
    tried.text = text
    best = None
    cells = _table_size(table, template)
    for n, lay in enumerate(order, 1):
        if not forced and not lay.applies_to(text):   # its `detect` matched no line
            tried.skipped.append(lay)
            continue
        offset, places, lay_text = part.start - 1, source if source.maps_places else None, text
        if lay.reader:
            # A table drawn in two dimensions: its reader rebuilds the rows first.
            rebuilt = table_reader(lay.reader).read(lines)
            if rebuilt is None:
                tried.skipped.append(lay)
                continue
            lay_text = "\n".join(rebuilt.lines) + "\n"
            places = MappedSource(Offset(source, part.start - 1), rebuilt.lines, rebuilt.places)
            offset = 0
        try:
            parsed = lay.parse(lay_text)
        except UnexpectedInput as e:
            # Kept for --explain without its traceback: the parser's frames it holds would
            # make a reference cycle of the report (see _collector_paused).
            tried.attempts.append(Attempt(lay, error=e.with_traceback(None)))
            continue
        grid = build_grid(parsed, line_offset=offset, places=places)
        read = read_table(table, grid, template, lay.name)
        tried.attempts.append(Attempt(lay, read, grid))
        if read.rows_found and (best is None or read.score > best.read.score):
            best = tried.attempts[-1]
            if read.score == cells:   # every cell read, no doubt: no later layout can do better
                tried.unreached = order[n:]
                break
    if best is None:
        failed = next((a for a in tried.attempts if a.error is not None), None)
        if forced and failed:
            index, expected, shown = lark_failure(failed.error, tried.lines, failed.layout.terms)
            error = ReportError(f"the table of {where} is not in the {forced} layout: "
                                f"expected {expected or 'something else'} here",
                                tried.file_lines[min(index, len(tried.file_lines) - 1)], excerpt=shown)
        else:
            first = nf.rows_for(table, template)[0]
            error = ReportError(f"{where} has no table that can be read: expected rows such as "
                                f"「{first.label}」 with their numbers", source.file_line(part.line))
        error.readings = readings
        raise error
    best.chosen = True
    best.read.findings[:0] = set_aside
    return _Read(best.read, best.grid.prose_lines, best.layout.reported_as(source))
