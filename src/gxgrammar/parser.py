"""text → outline → grids → model: the one-way flow of a parse.

`parse_text` and `parse_file` are the Python API; the CLI calls the same functions.
"""
from __future__ import annotations

import gc
import hashlib
from functools import lru_cache
from pathlib import Path

from gxgrammar import national as nf
from gxgrammar.checks import check_report
from gxgrammar.errors import GxError, InputError, ReportError
from gxgrammar.i18n import _, hold_language, release_language
from gxgrammar.layouts import registry
from gxgrammar.layouts.reading import read_region
from gxgrammar.model import Finding, Report
from gxgrammar.national.completeness import account
from gxgrammar.national.mapping import missing_rows
from gxgrammar.readers import read_document, text_source
from gxgrammar.structure.document import is_site_furniture, outline
from gxgrammar.structure.locate import locate_tables
from gxgrammar.structure.meta import (agency_from_body, agency_from_title, most_named_year,
                                      statistics_year, year_from)
from gxgrammar.structure.running import split_running_text
from gxgrammar.structure.sections import (NOT_A_REPORT, build_sections, report_title,
                                          structure_findings, table_not_read)


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
        raise InputError(_("no such file"), path=str(path)) from None
    except IsADirectoryError:
        raise InputError(_("is a folder, not a report file"), path=str(path)) from None
    except OSError as e:
        raise InputError(_("cannot be read ({reason})").format(reason=e.strerror), path=str(path)) from None


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
    # Python's cycle collector paused while a report is parsed: a parse allocates tens of
    # thousands of short-lived objects (tokens, nodes, cells) and makes no reference
    # cycles (a test keeps it so), yet the collector would scan them again and again,
    # about a tenth of the time of a parse. Resumed after, as it was. (Not a context
    # manager: its generator costs a parse more than the pause itself.)
    paused = gc.isenabled()
    if paused:
        gc.disable()
    held = hold_language()
    try:
        return _build(source, sha256, layout, grammar_dirs)
    except GxError as e:
        e.path = e.path or source.path
        raise
    finally:
        release_language(held)
        if paused:
            gc.enable()


def _build(source, sha256, forced_layout, grammar_dirs):
    if not any(l.strip() for l in source.norm):
        raise InputError(_("the file holds only blank lines"))
    # Headings and tables standing inside running text get lines of their own first.
    source = split_running_text(source)
    out = outline(source, grammar_dirs)
    regions = locate_tables(source, out)
    if not regions and not out.parts:
        raise ReportError(_(NOT_A_REPORT))
    findings = structure_findings(out, regions, source)

    # The title block, else the body, for the year; the template from the table headers.
    title = report_title(out)
    first = next((p for p in out.parts if p.number == 1), None)
    body1 = _lines(source, first)
    preamble = "\n".join(str(t) for t in out.preamble)
    year = (year_from(title) if title else None) or statistics_year(preamble) or \
        statistics_year(body1) or most_named_year(body1) or most_named_year("\n".join(source.norm))
    template = _template(source, regions, year, findings)

    all_layouts = registry.layouts(grammar_dirs)
    if forced_layout:
        lay = registry.resolve(forced_layout, all_layouts)
        if lay is None:
            raise InputError(_("no layout named {name} (known: {known})").format(
                name=repr(forced_layout), known=", ".join(all_layouts)))
        forced_layout = lay.name

    tables, provenance, layouts_used, table_lines, readings, taken = {}, {}, {}, set(), {}, set()
    starts = sorted(r.start for r in regions.values())
    for table in nf.SECTION_TABLES.values():
        region = regions.get(table)
        # (the lines a table's last cells may stand in: up to the next table's, or the end)
        until = next((s for s in starts if region is not None and s > region.end), len(source.norm) + 1)
        read = read_region(source, region, template, all_layouts, forced_layout, readings, until,
                           taken) if region is not None else None
        if read is None:
            findings.append(table_not_read(table, template, region, source, out))
            continue
        layouts_used[table] = read.reported
        table_lines |= read.table_lines
        taken |= read.taken_after
        findings.extend(read.findings)
        findings.extend(missing_rows(table, read.values, template, read.provenance))
        provenance.update(read.provenance)
        tables[table] = read.values

    if not out.parts and not any(not where.get("inferred") for where in provenance.values()):
        # Labels of the format in the text, but neither a section nor a cell read from a table:
        # not a report (a note about reports, a README), however many of the format's words it uses.
        raise ReportError(_(NOT_A_REPORT))
    # The rows the report holds where the two formats differ (national.form_of).
    form = nf.form_of(template, tables.get("requests", ()))
    model_tables, cells = {}, {}      # (cells: the report's cells(), made on the way)
    for t, rows in _table_parts(template, form):
        values = tables.get(t, {})
        model_tables[t] = table = {}
        for r, columns in rows:
            table[r] = row = {}
            for c, key in columns:
                row[c] = cells[key] = values.get(key)

    sections = build_sections(source, out, table_lines, findings)
    agency = agency_from_title(title) if title else None
    # Not from the site's furniture: 「主办：某市人民政府办公室」 names the website's host.
    agency = agency or out.signature or agency_from_body(body1) or \
        agency_from_body("\n".join(l for l in source.norm if not is_site_furniture(l)))
    meta = {"title": title or None, "agency": agency, "year": year, "template": template}
    if out.signed:
        meta["signed"] = out.signed
    for key in ("agency", "year"):
        if meta[key] is None:
            findings.append(Finding(f"meta.{key}_unknown", "warning", _("the report's agency could not be found")
                                    if key == "agency" else _("the report's year could not be found")))

    layout = layouts_used.get("requests") or next(iter(layouts_used.values()), None)
    source_info = {"path": source.path, "layout": layout, "sha256": sha256, "encoding": source.encoding,
                   "table_layouts": layouts_used}
    # In the format's order (a key outside the format, if any, after them)
    ordered = {key: provenance[key] for key in nf.cell_key_tuple(template, form) if key in provenance}
    if len(ordered) < len(provenance):
        ordered.update(provenance)
    provenance = ordered
    preamble_text = "\n".join(l for l in (source.lines[t.line - 1].strip() for t in out.preamble) if l)
    report = Report(source_info, meta, sections, model_tables, findings, provenance,
                    preamble=preamble_text, readings=readings)
    report.findings.extend(check_report(report, cells))
    account(report, cells)
    return report


@lru_cache(maxsize=None)
def _table_parts(template, form=None):
    """((table, ((row, ((column, key), …)), …)), …): every cell of a format (and form), in its
    order (national.row_cell_keys, grouped by table)."""
    tables = {}
    for keys in nf.row_cell_keys(template, form):
        table, row, _column = keys[0].split(".")
        tables.setdefault(table, []).append((row, tuple((key.rsplit(".", 1)[1], key) for key in keys)))
    return tuple((table, tuple(rows)) for table, rows in tables.items())


def _lines(source, part):
    if part is None:
        return ""
    return "\n".join(source.norm[part.start - 1:part.end])


def _template(source, regions, year, findings):
    text = "\n".join(source.norm_text(r.start - 1, r.end) for r in regions.values())
    evidence = nf.template_evidence(text.replace(" ", ""))
    if evidence["2019"] and evidence["2021"]:
        findings.append(Finding("meta.template_mixed", "warning",
                                _("the table headers mix the two national formats (2019 markers: {markers_2019}, "
                                  "2021 markers: {markers_2021})").format(markers_2019=evidence["2019"],
                                                                          markers_2021=evidence["2021"])))
    if evidence["2019"] != evidence["2021"]:
        return "2019" if evidence["2019"] > evidence["2021"] else "2021"
    guess = "2021" if (year or 2021) >= 2021 else "2019"
    findings.append(Finding("meta.template_unclear", "info",
                            _("the table headers do not tell the national format; {template} assumed from the year")
                            .format(template=guess)))
    return guess
