"""The JSON Schema of the JSON output (`gxgrammar.report/1`), printed by `gxgrammar schema`.

Built from the national format, so that every table, row and column the format has is
named in it (and nothing else): a consumer can validate a report, or generate types.
"""
from __future__ import annotations

from gxgrammar import __version__
from gxgrammar import national as nf
from gxgrammar.model import CELL_STATES, FORMAT, SEVERITIES

SCHEMA_ID = "https://gxgrammar.invalid/schema/report-1.json"

_NUMBER_OR_NULL = {"type": ["number", "null"]}
_INT_OR_NULL = {"type": ["integer", "null"]}
_STRING_OR_NULL = {"type": ["string", "null"]}


def _tables():
    """tables: every table of both formats, every row, every column (a report holds those
    of its own format: rows and columns are not all required)."""
    tables = {}
    for table, rows in nf.TABLE_ROWS.items():
        props = {}
        for row in rows:
            columns = []
            for template in nf.TEMPLATES:
                if row.in_template(template):
                    columns += [c.key for c in nf.columns_for(table, row, template) if c.key not in columns]
            props[row.key] = {"type": "object", "description": row.label,
                              "properties": {c: _NUMBER_OR_NULL for c in columns},
                              "additionalProperties": False}
        tables[table] = {"type": "object", "description": nf.TABLE_TITLES[table],
                         "properties": props, "additionalProperties": False}
    return {"type": "object", "properties": tables, "required": list(nf.TABLE_ROWS),
            "additionalProperties": False}


def json_schema():
    """The schema of one report's JSON, as a dict."""
    cell_key = {"type": "string", "pattern": r"^[a-z_]+\.[a-z_0-9]+\.[a-z_0-9]+$"}
    place = {"type": "object", "properties": {
        "line": {"type": "integer", "minimum": 1, "description": "1-based line in the source text"},
        "column": {"type": "integer", "minimum": 1},
        "inferred": {"type": "boolean", "description": "placed by the identities (a finding says how), not read"},
        "page": {"type": "integer", "minimum": 1}, "x": {"type": "number"}, "y": {"type": "number"}}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "gxgrammar report",
        "description": f"One 政府信息公开工作年度报告 as gxgrammar {__version__} reads it (docs/model.md).",
        "type": "object",
        "required": ["format", "source", "meta", "preamble", "sections", "tables", "findings", "provenance"],
        "properties": {
            "format": {"const": FORMAT},
            "source": {"type": "object", "required": ["path", "layout", "sha256"], "properties": {
                "path": {"type": "string", "description": "as given; <stdin> for standard input"},
                "layout": {"type": "string", "description": "the layout of most tables"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "encoding": {"type": "string"},
                "table_layouts": {"type": "object", "additionalProperties": {"type": "string"}},
            }},
            "meta": {"type": "object", "required": ["agency", "year", "template"], "properties": {
                "title": _STRING_OR_NULL,
                "agency": _STRING_OR_NULL,
                "year": {"type": ["integer", "null"], "description": "the year the report covers"},
                "template": {"enum": list(nf.TEMPLATES)},
                "signed": _STRING_OR_NULL,
            }},
            "preamble": {"type": "string"},
            "sections": {"type": "array", "items": {
                "type": "object", "required": ["number", "title", "text"], "properties": {
                    "number": {"type": "integer", "minimum": 1, "maximum": 6},
                    "title": {"enum": list(nf.SECTION_TITLES.values())},
                    "text": {"type": "string"},
                    "heading": {"type": "string"},
                    "line": _INT_OR_NULL,
                    "subheadings": {"type": "array", "items": {
                        "type": "object", "properties": {"text": {"type": "string"}, "line": _INT_OR_NULL}}},
                }}},
            "tables": _tables(),
            "findings": {"type": "array", "items": {
                "type": "object", "required": ["code", "severity", "message", "cells", "line"], "properties": {
                    "code": {"type": "string"},
                    "severity": {"enum": list(SEVERITIES)},
                    "message": {"type": "string"},
                    "cells": {"type": "array", "items": cell_key},
                    "line": _INT_OR_NULL,
                }}},
            "provenance": {"type": "object", "propertyNames": cell_key, "additionalProperties": place},
            "indicators": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["value", "reason"], "properties": {
                    "value": _NUMBER_OR_NULL, "reason": _STRING_OR_NULL}}},
        },
        "$comment": f"cell states: {', '.join(CELL_STATES)} (not in the JSON: derived from tables and provenance)",
    }
