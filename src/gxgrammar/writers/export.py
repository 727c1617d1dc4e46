"""Reports as rows and as files: the long ("tidy") cell rows, and the JSON, JSON Lines
and CSV writers of `gxgrammar parse` (the wide table is in writers.wide).

A long row is one cell of one report: which report (path, sha256, agency, year …,
its status), which cell (its keys and its Chinese row and column labels, from
`national`), its value, where it stands in the file, what became of it (its state:
read, blank, inferred, not_read) and the codes of the findings that name it. The same
columns make the CSV export and the store's `report_cells` view, so a query written
against one works on the other.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from functools import lru_cache

from gxgrammar import national as nf
from gxgrammar.model import cell_state

REPORT_COLUMNS = ("path", "sha256", "agency", "year", "template", "layout", "status")
CELL_COLUMNS = ("table_key", "row_key", "column_key", "key", "row_label", "column_label",
                "value", "source_line", "source_column", "inferred", "state", "findings")
CSV_COLUMNS = REPORT_COLUMNS + CELL_COLUMNS

# pandas dtypes of the long columns, so that a DataFrame of many reports' rows (built
# by Dask or Spark a partition at a time) has one schema whatever each partition holds.
DTYPES = {**{c: "string" for c in CSV_COLUMNS}, "year": "Int64", "value": "float64",
          "source_line": "Int64", "source_column": "Int64", "inferred": "bool"}

# Excel takes a UTF-8 file for the local code page unless it starts with a BOM.
CSV_BOM = "\ufeff"


def status_of(report):
    """A parsed report's status: "errors" when it has findings of severity error, else "ok"."""
    return "errors" if report.errors else "ok"


def report_fields(report, status=None):
    """The report's own columns of a long row."""
    meta, source = report.meta, report.source
    return (source.get("path"), source.get("sha256"), meta.get("agency"), meta.get("year"),
            meta.get("template"), source.get("layout"), status or status_of(report))


def finding_codes(report):
    """{cell key: "code;code"}: the codes of the findings that name each cell, in the
    order of the findings, each code once."""
    codes = {}
    for f in report.findings:
        for key in f.cells:
            named = codes.setdefault(key, [])
            if f.code not in named:
                named.append(f.code)
    return {key: ";".join(named) for key, named in codes.items()}


def cell_tuples(report):
    """(table_key, row_key, column_key, key, row_label, column_label, value, source_line,
    source_column, inferred, state, findings) for every cell, in the format's order."""
    names = _cell_names(report.meta.get("template") or "2021")
    provenance, codes = report.provenance, finding_codes(report) if report.findings else {}
    for table, rows in report.tables.items():
        for row, cols in rows.items():
            for column, value in cols.items():
                head = names.get((table, row, column)) or _names_of(table, row, column)
                key = head[3]
                where = provenance.get(key)
                if where is None:
                    yield head + (value, None, None, False, "not_read", codes.get(key))
                else:
                    yield head + (value, where.get("line"), where.get("column"), bool(where.get("inferred")),
                                  cell_state(where, value), codes.get(key))


@lru_cache(maxsize=None)
def _cell_names(template):
    """(table, row, column) -> (table, row, column, key, row label, column label): the
    same few hundred for every report of a format, built once."""
    return {tuple(key.split(".")): (*key.split("."), key, *labels)
            for key, labels in nf.cell_labels(template).items()}


def _names_of(table, row, column):
    return (table, row, column, f"{table}.{row}.{column}", "", "")


def cell_rows(report):
    """The long view of a report: one dict a cell, keyed by CSV_COLUMNS.

    `inferred` is true where the value was not read but placed by the identities (or
    left blank because they could not tell); such a cell has a finding in `report.findings`.
    `state` says what became of the cell (model.CELL_STATES); `findings` holds the codes
    of the findings that name it, joined by ";" (None when none does).
    """
    head = dict(zip(REPORT_COLUMNS, report_fields(report)))
    for cell in cell_tuples(report):
        yield {**head, **dict(zip(CELL_COLUMNS, cell))}


def _csv_value(v):
    if v is None:
        return ""
    if v is True or v is False:
        return "true" if v else "false"
    return v


def csv_text(report, status=None):
    """The report's long rows as CSV lines (no header)."""
    head = _csv_fields(tuple(_csv_value(v) for v in report_fields(report, status)))
    names = _csv_names(report.meta.get("template") or "2021")
    provenance, codes = report.provenance, finding_codes(report) if report.findings else {}
    lines = []
    for table, rows in report.tables.items():
        for row, cols in rows.items():
            for column, value in cols.items():
                key, fields = names.get((table, row, column)) or _csv_names_of(table, row, column)
                where = provenance.get(key)
                # The states of model.cell_state, written out: this runs for every cell of a corpus.
                if where is None:
                    place, state = ",,false", "not_read"
                else:
                    line, col = where.get("line"), where.get("column")
                    place = f"{'' if line is None else line},{'' if col is None else col},"
                    if where.get("inferred"):
                        place, state = place + "true", "inferred" if value is not None else "not_read"
                    else:
                        place, state = place + "false", "read" if value is not None else "blank"
                lines.append(f"{head},{fields},{'' if value is None else value},{place},{state},"
                             f"{codes.get(key, '')}\r\n")
    return "".join(lines)


@lru_cache(maxsize=None)
def _csv_names(template):
    """(table, row, column) -> (key, the cell's six name fields as one piece of a CSV line)."""
    return {k: (names[3], _csv_fields(names)) for k, names in _cell_names(template).items()}


def _csv_names_of(table, row, column):
    names = _names_of(table, row, column)
    return names[3], _csv_fields(names)


_NUL_NEEDS_ESCAPE = sys.version_info < (3, 11)     # see _csv_fields


@lru_cache(maxsize=4096)
def _csv_fields(fields):
    """Fields quoted as the csv module quotes them, as one piece of a line; the names of
    the cells are the same few hundred in every report, and numbers need no quoting."""
    buf = io.StringIO()
    if _NUL_NEEDS_ESCAPE and any(isinstance(f, str) and "\0" in f for f in fields):
        # Python 3.10's csv refuses a NUL (a path may hold one); 3.11 writes it as it is,
        # quoting nothing for it: a character that quotes nothing stands in for it.
        stand_in = next(c for c in map(chr, range(0xE000, 0xF900)) if not any(
            isinstance(f, str) and c in f for f in fields))
        csv.writer(buf).writerow(tuple(f.replace("\0", stand_in) if isinstance(f, str) else f for f in fields))
        return buf.getvalue()[:-2].replace(stand_in, "\0")
    csv.writer(buf).writerow(fields)   # the line terminator's characters are what get quoted
    return buf.getvalue()[:-2]


def json_text(report, indent=None):
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=indent)


# What a worker sends back for each format: payload(report, status) -> UTF-8 bytes.
# Encoded where the report was parsed: the one process that writes then copies bytes,
# where a str would be decoded from the pipe and encoded again (a report's long CSV is
# some 60 KB of Chinese labels).
def json_payload(report, status):
    return json_text(report, indent=2).encode("utf-8")


def jsonl_payload(report, status):
    return json_text(report).encode("utf-8")


def csv_payload(report, status):
    return csv_text(report, status).encode("utf-8")


# --- writers: what `gxgrammar parse` does with each parsed report, in input order ---

class JsonWriter:
    """One JSON document: the report itself for one input, else a list of them."""

    def __init__(self, stream, single):
        self.stream, self.single, self.count = stream, single, 0

    def write(self, data):
        if self.single:
            self.stream.write(data + b"\n")
        else:
            # The same text as json.dumps(list, indent=2), without holding the list.
            self.stream.write((b"[\n" if not self.count else b",\n") + _indent(data))
        self.count += 1

    def close(self):
        if not self.single and self.count:
            self.stream.write(b"\n]\n")


def _indent(data):
    return b"  " + data.replace(b"\n", b"\n  ")


class JsonLinesWriter:
    def __init__(self, stream, single):
        self.stream = stream

    def write(self, data):
        self.stream.write(data + b"\n")

    def close(self):
        pass


class CsvWriter:
    """The long CSV: a BOM and a header line, then one line a cell."""

    def __init__(self, stream, single):
        self.stream = stream
        stream.write((CSV_BOM + ",".join(CSV_COLUMNS) + "\r\n").encode("utf-8"))

    def write(self, data):
        self.stream.write(data)

    def close(self):
        pass


WRITERS = {"json": (JsonWriter, json_payload), "jsonl": (JsonLinesWriter, jsonl_payload),
           "csv": (CsvWriter, csv_payload)}
