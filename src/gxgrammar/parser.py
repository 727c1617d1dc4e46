"""text → outline → grids → model: the one-way flow of a parse.

`parse_text` and `parse_file` are the Python API; the CLI calls the same functions.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from lark.exceptions import UnexpectedInput

from . import registry
from . import national as nf
from .checks import check_report
from .document import check_structure, outline
from .errors import GxError, InputError, ReportError
from .grid import build_grid
from .meta import (agency_from_body, agency_from_title, clean_title, most_named_year,
                   statistics_year, year_from)
from .model import Finding, Report, Section
from .tables import missing_rows, read_table
from .text import Source, decode


def parse_file(path, encoding=None, layout=None, grammar_dirs=()):
    """Parse a report file (any supported encoding) into a Report."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a report file", path=str(path)) from None
    except OSError as e:
        raise InputError(f"cannot be read ({e.strerror})", path=str(path)) from None
    return parse_bytes(data, str(path), encoding=encoding, layout=layout, grammar_dirs=grammar_dirs)


def parse_bytes(data, path="<bytes>", encoding=None, layout=None, grammar_dirs=()):
    try:
        text, used = decode(data, encoding)
    except GxError as e:
        e.path = path
        raise
    return _parse(Source(text, path, used), hashlib.sha256(data).hexdigest(), layout, grammar_dirs)


def parse_text(text, path="<text>", layout=None, grammar_dirs=()):
    """Parse a report already decoded to a str."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _parse(Source(text, path, "utf-8"), sha, layout, grammar_dirs)


def _parse(source, sha256, layout, grammar_dirs):
    try:
        return _build(source, sha256, layout, grammar_dirs)
    except GxError as e:
        e.path = e.path or source.path
        raise


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
    if forced_layout and forced_layout not in all_layouts:
        raise InputError(f"no layout named {forced_layout!r} (known: {', '.join(all_layouts)})")

    tables, provenance, layouts_used, used_lines = {}, {}, {}, {}
    for number, table in nf.SECTION_TABLES.items():
        part = parts[number]
        read = _read_section_table(source, part, table, template, all_layouts, forced_layout)
        layouts_used[table] = read.layout
        used_lines[number] = read.prose
        findings.extend(read.findings)
        findings.extend(missing_rows(table, read.values, template))
        provenance.update(read.provenance)
        tables[table] = read.values

    model_tables = {}
    for key in nf.cell_keys(template):
        t, r, c = key.split(".")
        model_tables.setdefault(t, {}).setdefault(r, {})[c] = tables.get(t, {}).get(key)

    sections = []
    for number, canonical in nf.SECTION_TITLES.items():
        part = parts.get(number)
        if part is None:
            findings.append(Finding("structure.section_missing", "warning",
                                    f"section {nf.SECTION_NUMERALS[number - 1]}、{canonical} was not found"))
            sections.append(Section(number, canonical, ""))
            continue
        text = _prose(source, part, used_lines.get(number))
        subheadings = [{"text": source.lines[t.line - 1].strip(), "line": t.line}
                       for t in part.body if t.type == "SUBHEADING" and t.line <= part.end
                       and (number not in used_lines or t.line in used_lines[number])]
        sections.append(Section(number, canonical, text, source.lines[part.line - 1].strip(), part.line,
                                subheadings))

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
    order = {k: i for i, k in enumerate(nf.cell_keys(template))}
    provenance = dict(sorted(provenance.items(), key=lambda kv: order.get(kv[0], len(order))))
    preamble_text = "\n".join(l for l in (source.lines[t.line - 1].strip() for t in out.preamble) if l)
    report = Report(source_info, meta, sections, model_tables, findings, provenance, preamble_text)
    report.findings.extend(check_report(report))
    return report


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


class _Read:
    def __init__(self, table_read, prose):
        self.layout = table_read.layout
        self.values = table_read.values
        self.provenance = table_read.provenance
        self.findings = table_read.findings
        self.prose = prose


def _read_section_table(source, part, table, template, all_layouts, forced):
    """Read one section's table with every layout that applies; keep the best reading."""
    text = source.norm_text(part.start - 1, part.end)
    candidates = [all_layouts[forced]] if forced else \
        [l for l in all_layouts.values() if l.applies_to(text)]
    best, failures = None, []
    for lay in candidates:
        try:
            tree = lay.parse(text)
        except UnexpectedInput as e:
            failures.append((lay, e))
            continue
        grid = build_grid(tree, line_offset=part.start - 1)
        read = read_table(table, grid, template, lay.name)
        if read.rows_found and (best is None or read.score > best[0].score):
            best = (read, grid)
    where = f"section {nf.SECTION_NUMERALS[part.number - 1]}、{nf.SECTION_TITLES[part.number]}"
    if best is None:
        if forced and failures:
            lay, e = failures[0]
            raise ReportError(f"the table of {where} is not in the {forced} layout "
                              f"(unexpected text at column {e.column})", part.start - 1 + e.line)
        first = nf.rows_for(table, template)[0]
        raise ReportError(f"{where} has no table that can be read: expected rows such as "
                          f"「{first.label}」 with their numbers", part.line)
    read, grid = best
    return _Read(read, grid.prose_lines)
