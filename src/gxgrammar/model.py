"""The report model of docs/model.md (`gxgrammar.report/1`) as Python objects."""
from __future__ import annotations

from dataclasses import dataclass, field

from gxgrammar.national.indicators import indicators

FORMAT = "gxgrammar.report/1"
SEVERITIES = ("error", "warning", "info")
# What became of a cell of the format (every cell ends in exactly one):
#   read      a value read from the source (provenance: where)
#   blank     blank in the source: an empty cell, a dash, &nbsp; (provenance: where)
#   inferred  a value the identities determined, not read (a finding names the cell)
#   not_read  no value: the cell could not be read or placed (a finding names the cell)
CELL_STATES = ("read", "blank", "inferred", "not_read")
# Findings that say a whole table is missing: a parse that has one exits 1 and says so.
UNREAD_TABLE_CODES = ("table.not_found", "table.not_read")


def cell_state(where, value):
    """The state of a cell from its provenance (None when it has none) and its value."""
    if where is None:
        return "not_read"
    if where.get("inferred"):
        return "inferred" if value is not None else "not_read"
    return "read" if value is not None else "blank"


@dataclass
class Finding:
    code: str
    severity: str
    message: str
    cells: list = field(default_factory=list)
    line: int | None = None

    def to_dict(self):
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "cells": list(self.cells), "line": self.line}


@dataclass
class Section:
    number: int | None     # the canonical section (1–6) it is; None where none clearly corresponds
    title: str | None      # the canonical title of the 2021 format (None with number)
    text: str              # the section's prose, tables left out
    heading: str = ""      # the heading as written in the report
    line: int | None = None
    subheadings: list = field(default_factory=list)   # [{"text", "line"}], （一）… inside
    report_number: int | None = None   # the report's own number for it (三 → 3); None if unnumbered
    report_title: str = ""             # the report's own title words (主动公开工作情况)
    # (line, column) in the user's file of each line of `text`, for the claims' places;
    # not serialised (the text's lines are the file's, stripped).
    places: object = field(default_factory=list, repr=False, compare=False)   # a sequence (structure.sections.LinePlaces)

    def to_dict(self):
        return {"number": self.number, "title": self.title, "text": self.text,
                "heading": self.heading, "line": self.line, "subheadings": list(self.subheadings),
                "report_number": self.report_number, "report_title": self.report_title}


@dataclass
class Report:
    source: dict
    meta: dict
    sections: list
    tables: dict                 # table -> row -> column -> value
    findings: list = field(default_factory=list)
    provenance: dict = field(default_factory=dict)   # cell key -> {"line", "column"?, "inferred"?}
    preamble: str = ""           # the text between the title and 一、 (statistics period, contact)
    # How each table was read (every layout tried, and its grid): for --explain, not serialised.
    readings: dict = field(default_factory=dict, repr=False, compare=False)

    def cells(self):
        """The flat view: {"requests.new.total": 52, …} in the format's order."""
        out = {}
        for t, rows in self.tables.items():
            for r, cols in rows.items():
                for c, v in cols.items():
                    out[f"{t}.{r}.{c}"] = v
        return out

    def states(self, cells=None):
        """{cell key: state} for every cell, in the format's order (see CELL_STATES);
        `cells`: the report's cells() when the caller has them already."""
        provenance = self.provenance
        cells = self.cells() if cells is None else cells
        return {key: cell_state(provenance.get(key), value) for key, value in cells.items()}

    def rows(self):
        """The long ("tidy") view: one dict a cell, with the report's path, sha256, agency,
        year, template, layout and status beside the cell's keys, its Chinese row and
        column labels, its value, the line and column it was read from, its state and the
        codes of the findings naming it (the columns of the CSV export,
        gxgrammar.writers.export.CSV_COLUMNS; docs/model.md)."""
        from gxgrammar.writers.export import cell_rows
        return list(cell_rows(self))

    def to_dict(self):
        return {
            "format": FORMAT,
            "source": dict(self.source),
            "meta": dict(self.meta),
            "preamble": self.preamble,
            "sections": [s.to_dict() for s in self.sections],
            "tables": {t: {r: dict(c) for r, c in rows.items()} for t, rows in self.tables.items()},
            "findings": [f.to_dict() for f in self.findings],
            "provenance": {k: dict(v) for k, v in self.provenance.items()},
            "indicators": indicators(self),
        }

    def unread_tables(self):
        """The findings of tables not found or not read: the report is incomplete."""
        return [f for f in self.findings if f.code in UNREAD_TABLE_CODES]

    def unread_notes(self, shown):
        """`FILE:LINE: message` for each table not read: what every command says on standard error."""
        return [f"{shown}{f':{f.line}' if f.line else ''}: {f.message}" for f in self.unread_tables()]

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == "error"]
