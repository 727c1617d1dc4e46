"""What templates receive: the report laid out as the national format lays it out.

Templates only render. Everything they show is prepared here, from `national`:
the canonical section headings, the cleaned paragraphs, and each table as rows of
cells with their merges (rowspan/colspan), row labels worded as the format words
them, and the findings that name each cell. docs/templates.md documents this model.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gxgrammar import national as nf
from gxgrammar.structure.prose import paragraphs, wrap_width


@dataclass
class CellView:
    text: str = ""              # what the cell shows; "" for a blank cell
    kind: str = "value"         # "header", "label", "value", or "merged" (covered by a rowspan above)
    colspan: int = 1
    rowspan: int = 1
    key: str | None = None      # the cell key (requests.new.total) of a value cell
    value: object = None        # the model's value of a value cell (None when blank)
    findings: list = field(default_factory=list)   # the findings (FindingView) that name this cell

    @property
    def severity(self):
        """The gravest severity among the cell's findings ("" when it has none)."""
        found = {f.severity for f in self.findings}
        return next((s for s in ("error", "warning", "info") if s in found), "")


@dataclass
class RowView:
    cells: list
    header: bool = False        # a row of column headings (or a block heading of table 二)
    key: str | None = None      # the row key for a row of values (requests.new), else None


@dataclass
class TableView:
    name: str                   # active, requests, appeals
    title: str                  # the section heading it belongs to (三、收到和处理…)
    columns: int                # the width of the table in columns
    rows: list

    @property
    def head(self):
        """The leading header rows."""
        out = []
        for row in self.rows:
            if not row.header:
                break
            out.append(row)
        return out

    @property
    def body(self):
        return self.rows[len(self.head):]


@dataclass
class FindingView:
    number: int                 # 1-based, the order of report.findings
    code: str
    severity: str
    message: str
    cells: list
    line: int | None
    labels: list                # the Chinese wording of each cell (cell_label)


@dataclass
class SectionView:
    number: int
    numeral: str                # 一 … 六
    title: str                  # canonical title (总体情况)
    heading: str                # canonical heading (一、总体情况)
    original_heading: str       # the heading as the report wrote it
    paragraphs: list
    table: TableView | None
    line: int | None = None     # the line of the original's heading


def format_value(value):
    """A value written so that it reads back as the same value ("" for a blank)."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "inf" in text or "nan" in text:
            text = f"{value:.10f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    return str(value)


def _header(text, colspan=1, rowspan=1):
    return CellView(text, "header", colspan, rowspan)


def _merged(colspan=1):
    return CellView("", "merged", colspan)


class _Cells:
    """Value cells, with the findings that name them."""

    def __init__(self, report, findings_by_cell):
        self.values = report.cells()
        self.findings = findings_by_cell

    def __call__(self, key, colspan=1):
        value = self.values.get(key)
        return CellView(format_value(value), "value", colspan, key=key, value=value,
                        findings=list(self.findings.get(key, ())))


def _active(template, cell):
    rows_ = nf.rows_for("active", template)
    width = 1 + max(len(r.columns_for(template)) for r in rows_)
    rows, group = [], None
    for row in rows_:
        cols = row.columns_for(template)
        if row.group != group:
            group = row.group
            rows.append(RowView([_header(group, width)], header=True))
            heads = [_header(nf.ACTIVE_HEADER)] + [_header(c.label) for c in cols]
            heads[-1].colspan = width - len(cols)
            rows.append(RowView(heads, header=True))
        cells = [CellView(nf.row_label("active", row, template), "label")]
        cells += [cell(f"active.{row.key}.{c.key}") for c in cols]
        cells[-1].colspan = width - len(cols)
        rows.append(RowView(cells, key=f"active.{row.key}"))
    return TableView("active", nf.TABLE_TITLES["active"], width, rows)


def _requests(template, cell):
    labels = 3
    width = labels + len(nf.REQUEST_COLUMNS)
    h = nf.REQUESTS_HEADER
    persons = [c for c in nf.REQUEST_COLUMNS if c.key in nf.LEGAL_PERSON_COLUMNS]
    first, total = nf.REQUEST_COLUMNS[0], nf.REQUEST_COLUMNS[-1]
    rows = [
        RowView([_header(h["note"], labels, 3), _header(h["applicants"], len(nf.REQUEST_COLUMNS))], True),
        RowView([_merged(labels), _header(first.label, rowspan=2), _header(h["legal_persons"], len(persons)),
                 _header(total.label, rowspan=2)], True),
        RowView([_merged(labels), _merged()] + [_header(c.label) for c in persons] + [_merged()], True),
    ]
    rows_ = nf.rows_for("requests", template, nf.form_of(template, cell.values))   # a mixed report's rows
    results = [r for r in rows_ if r.group == nf.RESULTS_GROUP or r.group in nf.GROUP_PARENTS]
    seen = set()
    for row in rows_:
        label = CellView(nf.row_label("requests", row, template), "label")
        if not row.group:
            label.colspan = labels
            cells = [label]
        else:
            cells = []
            if nf.RESULTS_GROUP not in seen:
                seen.add(nf.RESULTS_GROUP)
                cells.append(CellView(nf.RESULTS_GROUP, "label", rowspan=len(results)))
            else:
                cells.append(_merged())
            if row.group == nf.RESULTS_GROUP:
                label.colspan = 2
            elif row.group not in seen:
                seen.add(row.group)
                members = sum(1 for r in rows_ if r.group == row.group)
                cells.append(CellView(row.group, "label", rowspan=members))
            else:
                cells.append(_merged())
            cells.append(label)
        cells += [cell(f"requests.{row.key}.{c.key}") for c in nf.REQUEST_COLUMNS]
        rows.append(RowView(cells, key=f"requests.{row.key}"))
    return TableView("requests", nf.TABLE_TITLES["requests"], width, rows)


def _appeals(template, cell):
    h = nf.APPEALS_HEADER
    n = len(nf.APPEAL_COLUMNS)
    columns = [_header(c.label) for c in nf.APPEAL_COLUMNS]
    rows = [
        RowView([_header(h["review"], n), _header(h["suit"], 2 * n)], True),
        RowView([_header(c.label, rowspan=2) for c in nf.APPEAL_COLUMNS]
                + [_header(h["suit_direct"], n), _header(h["suit_after_review"], n)], True),
        RowView([_merged() for _ in range(n)] + columns + [_header(c.label) for c in nf.APPEAL_COLUMNS], True),
        RowView([cell(f"appeals.{r.key}.{c.key}") for r in nf.APPEAL_ROWS for c in nf.APPEAL_COLUMNS],
                key="appeals"),
    ]
    return TableView("appeals", nf.TABLE_TITLES["appeals"], 3 * n, rows)


_TABLE_BUILDERS = {"active": _active, "requests": _requests, "appeals": _appeals}


def _label(key, template):
    try:
        return nf.cell_label(key, template)
    except (KeyError, ValueError):  # not a cell of the tables
        return None


def findings_view(report):
    template = report.meta.get("template") or "2021"
    out = []
    for i, f in enumerate(report.findings, 1):
        labels = [label for label in (_label(k, template) for k in f.cells) if label]
        out.append(FindingView(i, f.code, f.severity, f.message, list(f.cells), f.line, labels))
    return out


def tables_view(report, findings=None):
    template = report.meta.get("template") or "2021"
    by_cell = {}
    for f in findings if findings is not None else findings_view(report):
        for key in f.cells:
            by_cell.setdefault(key, []).append(f)
    cell = _Cells(report, by_cell)
    return {name: build(template, cell) for name, build in _TABLE_BUILDERS.items()}


def canonical_title(meta):
    """The report's own title; failing that, the title the format gives it."""
    if meta.get("title"):
        return meta["title"]
    agency = meta.get("agency") or ""
    year = f"{meta['year']}年" if meta.get("year") else ""
    return f"{agency}{year}{nf.REPORT_NAME}"


def prose_width(report):
    """The width the report's prose was wrapped at (None when it was not)."""
    return wrap_width([report.preamble] + [s.text for s in report.sections])


def sections_view(report, tables, width=None):
    out = []
    for s in report.sections:
        numeral = nf.SECTION_NUMERALS[s.number - 1]
        table = tables.get(nf.SECTION_TABLES.get(s.number))
        out.append(SectionView(s.number, numeral, s.title, f"{numeral}、{s.title}", s.heading,
                               paragraphs(s.text, width), table, s.line))
    return out
