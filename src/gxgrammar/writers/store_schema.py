"""The store's schema (version 4) and how a store of an earlier version is brought up to
it. The tables and views are described in docs/model.md ("The store")."""
from __future__ import annotations

import sqlite3

from gxgrammar import national as nf
from gxgrammar.model import CELL_STATES
from gxgrammar.writers.export import CELL_COLUMNS, REPORT_COLUMNS
from gxgrammar.writers.wide import INDICATOR_NAMES, INDICATOR_PREFIX, WIDE_META, wide_keys

SCHEMA_VERSION = 4

_REPORTS = """
CREATE TABLE reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused, even after a report is replaced
    path          TEXT NOT NULL,   -- the first path it was stored from (every path: the paths table)
    sha256        TEXT,
    status        TEXT NOT NULL CHECK (status IN ('ok', 'errors', 'failed')),
    error         TEXT,
    layout        TEXT,
    agency        TEXT,
    year          INTEGER,
    template      TEXT,
    title         TEXT,
    signed        TEXT,
    encoding      TEXT,
    table_layouts TEXT,
    parsed_at     TEXT NOT NULL,
    version       TEXT NOT NULL,
    preamble      TEXT,            -- the text between the title and section 一
    agency_key    TEXT             -- national.agency_key(agency): how years of one agency are paired
);
CREATE UNIQUE INDEX reports_by_sha256 ON reports (sha256) WHERE status != 'failed';
CREATE INDEX reports_by_path ON reports (path);
CREATE TABLE findings (
    report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    code          TEXT NOT NULL,
    severity      TEXT NOT NULL,
    message       TEXT NOT NULL,
    cells         TEXT NOT NULL,
    line          INTEGER,
    PRIMARY KEY (report_id, seq)
);
CREATE TABLE sections (
    report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    heading       TEXT,
    line          INTEGER,
    text          TEXT NOT NULL,
    subheadings   TEXT NOT NULL,
    PRIMARY KEY (report_id, number)
);
"""

# What version 3 added; a store of version 2 gets this and its cells moved (MIGRATIONS).
_CELLS = f"""
CREATE TABLE paths (
    path          TEXT PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX paths_by_report ON paths (report_id);
CREATE TABLE cell_keys (
    id            INTEGER PRIMARY KEY,
    template      TEXT NOT NULL,
    key           TEXT NOT NULL,
    table_key     TEXT NOT NULL,
    row_key       TEXT NOT NULL,
    column_key    TEXT NOT NULL,
    row_label     TEXT NOT NULL,
    column_label  TEXT NOT NULL,
    UNIQUE (template, key)
);
CREATE TABLE cell_states (
    code          INTEGER PRIMARY KEY,
    name          TEXT NOT NULL
);
INSERT INTO cell_states VALUES {", ".join(f"({i}, '{name}')" for i, name in enumerate(CELL_STATES))};
CREATE TABLE cell_values (
    report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    cell          INTEGER NOT NULL,   -- cell_keys.id (not declared: no lookup per row written)
    value,        -- no type: counts stay integers, amounts stay decimals, blanks are NULL
    source_line   INTEGER,
    source_column INTEGER,
    state         INTEGER NOT NULL,   -- cell_states.code: 0 read, 1 blank, 2 inferred, 3 not_read
    inferred      INTEGER NOT NULL,
    findings      TEXT,            -- codes of the findings naming the cell, ";"-separated
    PRIMARY KEY (report_id, cell)
) WITHOUT ROWID;
CREATE TABLE indicators (
    report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    value         REAL,
    reason        TEXT,
    PRIMARY KEY (report_id, name)
) WITHOUT ROWID;
CREATE VIEW cells AS
    SELECT v.report_id, k.table_key, k.row_key, k.column_key, k.key, k.row_label, k.column_label,
           v.value, v.source_line, v.source_column, v.inferred, s.name AS state, v.findings
    FROM cell_values v JOIN cell_keys k ON k.id = v.cell JOIN cell_states s ON s.code = v.state;
CREATE VIEW report_cells AS
    SELECT {", ".join(f"r.{c}" for c in REPORT_COLUMNS)}, {", ".join(f"c.{c}" for c in CELL_COLUMNS)}
    FROM cells c JOIN reports r ON r.id = c.report_id;
"""

def _cell(report, key):
    return f"(SELECT c.value FROM cells c WHERE c.report_id = {report} AND c.key = '{key}')"


def _terms(report, terms):
    return " + ".join(f"{'-' if sign < 0 else ''}{_cell(report, key)}" for sign, key in terms)


def _series_views():
    """report_pairs: each report beside its agency's report of the year before (only
    when each year has exactly one report: of two, which is right cannot be told), with
    申请增长率; series_checks: one row a cross-year identity of a pair (the national
    format's, national/identities.py), with the value, what the year before expects and
    whether it holds."""
    new = "requests.new.total"
    single = ("(SELECT count(*) FROM reports d WHERE d.agency_key = {r}.agency_key AND d.year = {r}.year "
              "AND d.status != 'failed') = 1")
    pairs = f"""
CREATE VIEW report_pairs AS
    SELECT r.id AS report_id, r.path, r.agency, r.year, r.template,
           p.id AS previous_id, p.path AS previous_path, p.year AS previous_year, p.template AS previous_template,
           {_cell("r.id", new)} AS new_total, {_cell("p.id", new)} AS previous_new_total,
           CASE WHEN {_cell("p.id", new)} > 0 AND {_cell("r.id", new)} IS NOT NULL
                THEN round(({_cell("r.id", new)} - {_cell("p.id", new)}) * 1.0 / {_cell("p.id", new)}, 4)
           END AS application_growth
    FROM reports r JOIN reports p ON p.agency_key = r.agency_key AND p.year = r.year - 1 AND p.status != 'failed'
    WHERE r.status != 'failed' AND r.agency_key IS NOT NULL
      AND {single.format(r="r")} AND {single.format(r="p")};
"""
    checks = []
    for before in nf.TEMPLATES:
        for now in nf.TEMPLATES:
            for i in nf.series_identities(before, now):
                expected = _terms("x.previous_id", i.before) + (" + " + _terms("x.report_id", i.this_year)
                                                                  if i.this_year else "")
                checks.append(f"SELECT x.report_id, x.previous_id, '{i.code}' AS code, '{i.now}' AS cell, "
                              f"{_cell('x.report_id', i.now)} AS value, {expected} AS expected "
                              f"FROM report_pairs x WHERE x.previous_template = '{before}' AND x.template = '{now}'")
    series = ("CREATE VIEW series_checks AS SELECT report_id, previous_id, code, cell, value, expected, "
              "CASE WHEN value IS NULL OR expected IS NULL THEN NULL ELSE value = expected END AS holds FROM ("
              + " UNION ALL ".join(checks) + ");\n")
    return pairs + series


SCHEMA = _REPORTS + _CELLS + _series_views()


def wide_view(ids):
    """The report_wide view: one row a report, one column a cell key (`ids`: the cell_keys
    ids of each key, one a format), each a lookup of the cell_values primary key."""
    def column(key):
        wanted = ", ".join(str(i) for i in ids.get(key, ())) or "NULL"
        return f'(SELECT v.value FROM cell_values v WHERE v.report_id = r.id AND v.cell IN ({wanted})) AS "{key}"'
    return (f"CREATE VIEW report_wide AS SELECT {', '.join(f'r.{c}' for c in WIDE_META[:-2])}, "
            "(SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'error') AS errors, "
            "(SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'warning') AS warnings, "
            + ", ".join(column(key) for key in wide_keys()) + ", "
            + ", ".join(f'(SELECT i.value FROM indicators i WHERE i.report_id = r.id AND i.name = \'{name}\') '
                        f'AS "{INDICATOR_PREFIX}{name}"' for name in INDICATOR_NAMES)
            + " FROM reports r WHERE r.status != 'failed'")


def _from_version_2():
    """Version 2 → 3: the cells table becomes cell_keys + cell_values (its rows moved,
    their state and finding codes worked out), and the paths table is filled."""
    state = ("CASE WHEN c.inferred AND c.value IS NOT NULL THEN 2 WHEN c.inferred THEN 3 "
             "WHEN c.value IS NOT NULL THEN 0 WHEN c.source_line IS NOT NULL THEN 1 ELSE 3 END")
    codes = ("(SELECT group_concat(code, ';') FROM (SELECT f.code FROM findings f, json_each(f.cells) j "
             "WHERE f.report_id = c.report_id AND j.value = c.key GROUP BY f.code ORDER BY min(f.seq)))")
    return f"""
DROP VIEW IF EXISTS report_cells;
DROP INDEX IF EXISTS cells_by_key;
ALTER TABLE cells RENAME TO cells_version_2;
{_CELLS}
INSERT INTO cell_keys (template, key, table_key, row_key, column_key, row_label, column_label)
    SELECT DISTINCT coalesce(r.template, ''), c.key, c.table_key, c.row_key, c.column_key, c.row_label, c.column_label
    FROM cells_version_2 c JOIN reports r ON r.id = c.report_id;
INSERT INTO cell_values
    SELECT c.report_id, k.id, c.value, c.source_line, c.source_column, {state}, c.inferred, {codes}
    FROM cells_version_2 c JOIN reports r ON r.id = c.report_id
    JOIN cell_keys k ON k.template = coalesce(r.template, '') AND k.key = c.key;
DROP TABLE cells_version_2;
INSERT OR IGNORE INTO paths SELECT path, id FROM reports ORDER BY id;
"""


# How a store of an earlier version is brought up to this one (its reports are kept;
# what they lack stays NULL until they are parsed again with --force).
MIGRATIONS = {
    1: lambda: "ALTER TABLE reports ADD COLUMN preamble TEXT;",   # version 2: the text before 一
    2: _from_version_2,
    # version 4: years side by side (gx_agency_key is national.agency_key, given by the store)
    3: lambda: ("ALTER TABLE reports ADD COLUMN agency_key TEXT;\n"
                "UPDATE reports SET agency_key = gx_agency_key(agency);\n" + _series_views()),
}


def statements(script):
    """The statements of a script, to run inside the caller's transaction (executescript
    would commit it)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return [s for s in out if s]
