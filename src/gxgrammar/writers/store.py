"""The corpus store: parsed reports in one SQLite file (the standard library's sqlite3).

Tables (docs/model.md, "The store"):
  reports      one row a report content: path, sha256, status (ok, errors, failed), meta
  paths        one row a file path: the report its bytes are (byte-identical files share one)
  cell_keys    one row a cell of a format: template, key, table/row/column keys, labels
  cell_values  one row a cell of a report: the cell's id, value, source line, state, findings
  findings     one row a finding of a report
  sections     one row a section of a report, with its prose
  indicators   one row an indicator of a report
and the views `cells` (cell_values with their keys and labels: the columns of the
`cells` table of earlier versions, and state and findings), `report_cells` (cells beside
their report's path, agency, year …: the columns of the long CSV) and `report_wide`
(one row a report, one column a cell: the wide export).

A cell row holds small integers only (the key and labels are in cell_keys, once), so a
store stays near the size of the text it was read from.

A report is written whole or not at all: reports are kept in memory and written together
in one short transaction (at most `commit_reports` reports or `commit_seconds` seconds
apart), so a run that is interrupted, killed or out of disk leaves every stored report
complete, and running it again carries on. Another run writing the same store waits for
the lock (`BUSY_SECONDS`) rather than failing.
"""
from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timezone

from gxgrammar import __version__
from gxgrammar.errors import InputError
from gxgrammar.model import CELL_STATES
from gxgrammar.writers.export import CELL_COLUMNS, REPORT_COLUMNS, finding_codes, status_of
from gxgrammar.writers.wide import WIDE_META, indicators, wide_keys

SCHEMA_VERSION = 3
# How long a run waits for another run's write to the same store before giving up.
BUSY_SECONDS = 60

_STATE_CODES = {name: i for i, name in enumerate(CELL_STATES)}

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
    preamble      TEXT             -- the text between the title and section 一
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

SCHEMA = _REPORTS + _CELLS


def _wide_view(ids):
    """The report_wide view: one row a report, one column a cell key (`ids`: the cell_keys
    ids of each key, one a format), each a lookup of the cell_values primary key."""
    def column(key):
        wanted = ", ".join(str(i) for i in ids.get(key, ())) or "NULL"
        return f'(SELECT v.value FROM cell_values v WHERE v.report_id = r.id AND v.cell IN ({wanted})) AS "{key}"'
    return (f"CREATE VIEW report_wide AS SELECT {', '.join(f'r.{c}' for c in WIDE_META[:-2])}, "
            "(SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'error') AS errors, "
            "(SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'warning') AS warnings, "
            + ", ".join(column(key) for key in wide_keys()) + " FROM reports r WHERE r.status != 'failed'")


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
}

_REPORT_FIELDS = ("path", "sha256", "status", "error", "layout", "agency", "year", "template",
                  "title", "signed", "encoding", "table_layouts", "preamble")
_INSERT_REPORT = (f"INSERT INTO reports ({', '.join(_REPORT_FIELDS)}, parsed_at, version) "
                  f"VALUES ({', '.join('?' * len(_REPORT_FIELDS))}, ?, ?)")
_INSERT_CELL = "INSERT INTO cell_values VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_FINDING = "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)"
_INSERT_SECTION = "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?)"
_INSERT_INDICATOR = "INSERT INTO indicators VALUES (?, ?, ?, ?)"
_CHILDREN = ("cell_values", "findings", "sections", "indicators", "paths")


def records(report, status):
    """A parsed report as the rows the store writes (built where the report was parsed,
    so that the process writing the store only inserts)."""
    meta, source = report.meta, report.source
    head = (source.get("path"), source.get("sha256"), status or status_of(report), None, source.get("layout"),
            meta.get("agency"), meta.get("year"), meta.get("template"), meta.get("title"),
            meta.get("signed"), source.get("encoding"),
            json.dumps(source.get("table_layouts") or {}, ensure_ascii=False), report.preamble or None)
    provenance, states, codes, none = report.provenance, report.states(), finding_codes(report), {}
    cells = []
    for key, value in report.cells().items():
        where = provenance.get(key) or none
        cells.append((key, value, where.get("line"), where.get("column"), _STATE_CODES[states[key]],
                      1 if where.get("inferred") else 0, codes.get(key)))
    findings = [(i, f.code, f.severity, f.message, json.dumps(list(f.cells), ensure_ascii=False), f.line)
                for i, f in enumerate(report.findings, 1)]
    sections = [(s.number, s.title, s.heading, s.line, s.text, json.dumps(s.subheadings, ensure_ascii=False))
                for s in report.sections]
    found = [(name, (v or {}).get("value"), (v or {}).get("reason")) for name, v in indicators(report).items()]
    return head, cells, findings, sections, found


def failure_record(path, sha256, message):
    return (path, sha256, "failed", message) + (None,) * (len(_REPORT_FIELDS) - 4), [], [], [], []


class StoreError(InputError):
    """The store cannot be opened or written (not a store, in use, disk full …)."""


def _problem(e):
    """What a user is told of an SQLite error while writing."""
    text = str(e)
    if "locked" in text or "busy" in text:
        return (f"the store is in use by another run of gxgrammar and stayed locked for {BUSY_SECONDS} s; "
                f"run this again when that run has finished")
    if "disk is full" in text or "disk I/O" in text:
        return f"cannot be written: {text} (is the disk full, or a file-size limit reached?)"
    if "readonly" in text:
        return "cannot be written: the file or its folder is read-only"
    return f"cannot be written: {text}"


class Store:
    """A store file opened for adding reports. Reports are written in batches of up to
    `commit_reports` reports or `commit_seconds` seconds, whichever comes first."""

    def __init__(self, path, commit_reports=200, commit_seconds=1.0):
        self.path = str(path)
        self.commit_reports, self.commit_seconds = commit_reports, commit_seconds
        self.pending, self.identical = [], []
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_SECONDS)
            self.fresh = self._prepare()
            self.cell_ids = {(t, k): i for i, t, k in self.db.execute("SELECT id, template, key FROM cell_keys")}
        except sqlite3.OperationalError as e:
            raise StoreError(_problem(e), path=self.path) from None
        except sqlite3.DatabaseError as e:
            raise StoreError(f"cannot be used as the store: {e}", path=self.path) from None
        self.parsed_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._last_commit = time.monotonic()

    def _prepare(self):
        """Create the schema, or bring a store of an earlier version up to date; whether
        the store held no report before."""
        db = self.db
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN IMMEDIATE")      # two runs creating one store: the second waits, then sees it
        try:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if "reports" not in tables:
                for statement in _statements(SCHEMA):
                    db.execute(statement)
            elif version != SCHEMA_VERSION:
                if version not in MIGRATIONS:
                    raise sqlite3.DatabaseError(f"it holds a reports table that is not of gxgrammar's store "
                                                f"version {SCHEMA_VERSION} (user_version {version})")
                for v in range(version, SCHEMA_VERSION):
                    for statement in _statements(MIGRATIONS[v]()):
                        db.execute(statement)
            if version != SCHEMA_VERSION or "reports" not in tables or self._missing_cell_keys():
                self._add_format_cell_keys()
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            fresh = not db.execute("SELECT 1 FROM reports LIMIT 1").fetchone()
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return fresh

    def _missing_cell_keys(self):
        from gxgrammar import national as nf
        have = set(self.db.execute("SELECT template, key FROM cell_keys"))
        return any((t, k) not in have for t in nf.TEMPLATES for k in nf.cell_keys(t))

    def _add_format_cell_keys(self):
        """Every cell of both formats in cell_keys (in the format's order, so that a store's
        ids are the same from one store to the next), and report_wide over them."""
        from gxgrammar import national as nf
        self.cell_ids = {(t, k): i for i, t, k in self.db.execute("SELECT id, template, key FROM cell_keys")}
        for template in nf.TEMPLATES:
            self._add_cell_keys(template, nf.cell_keys(template))
        ids = {}
        for (template, key), i in sorted(self.cell_ids.items(), key=lambda kv: kv[1]):
            ids.setdefault(key, []).append(i)
        self.db.execute("DROP VIEW IF EXISTS report_wide")
        self.db.execute(_wide_view(ids))

    def known_versions(self):
        """{SHA-256: the gxgrammar version that parsed it} of every report stored (not failed)."""
        return dict(self.db.execute("SELECT sha256, version FROM reports WHERE status != 'failed'"))

    def add(self, record, replace=False):
        """Keep one report's rows to be written (see `flush`)."""
        self.pending.append((record, replace))
        if len(self.pending) >= self.commit_reports or time.monotonic() - self._last_commit >= self.commit_seconds:
            self.flush()

    def add_path(self, path, sha256):
        """A file whose content the store holds (skipped without parsing): keep its path."""
        self.pending.append(((path, sha256), None))

    def flush(self):
        """Write what is pending in one transaction. Reports whose content the store turned
        out to hold already (stored by another run meanwhile, or twice in this one) are
        kept as paths of the stored report and listed in `identical` (their paths)."""
        if not self.pending:
            self._last_commit = time.monotonic()
            return
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            for record, replace in self.pending:
                if replace is None:
                    self._write_path(*record)
                elif not self._write(record, replace):
                    self.identical.append(record[0][0])
            db.execute("COMMIT")
        except sqlite3.Error as e:
            if db.in_transaction:
                try:
                    db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            self.pending = []
            raise StoreError(_problem(e), path=self.path) from None
        self.pending = []
        self._last_commit = time.monotonic()

    def _write_path(self, path, sha256):
        held = self.db.execute("SELECT id FROM reports WHERE sha256 = ? AND status != 'failed'", (sha256,)).fetchone()
        if held:
            self._point(path, held[0])

    def _point(self, path, rid):
        """Make a path one of a stored report's paths."""
        row = self.db.execute("SELECT report_id FROM paths WHERE path = ?", (path,)).fetchone()
        if row and row[0] == rid:
            return
        self._detach(path)
        self.db.execute("INSERT INTO paths VALUES (?, ?)", (path, rid))

    def _detach(self, path):
        """Take a path from the report it pointed to; a report left without a path goes."""
        row = self.db.execute("SELECT report_id FROM paths WHERE path = ?", (path,)).fetchone()
        if row is None:
            return
        self.db.execute("DELETE FROM paths WHERE path = ?", (path,))
        other = self.db.execute("SELECT min(path) FROM paths WHERE report_id = ?", row).fetchone()[0]
        if other is None:
            self._delete(row[0])
        else:
            self.db.execute("UPDATE reports SET path = ? WHERE id = ? AND path = ?", (other, row[0], path))

    def _write(self, record, replace):
        head, cells, findings, sections, found = record
        path, sha256, status = head[:3]
        db = self.db
        also = []
        if status != "failed":
            held = db.execute("SELECT id FROM reports WHERE sha256 = ? AND status != 'failed'", (sha256,)).fetchone()
            if held and not replace:
                self._point(path, held[0])
                return False
            self._detach(path)
            held = held and db.execute("SELECT id FROM reports WHERE id = ?", held).fetchone()
            if held:
                also = [p for (p,) in db.execute("SELECT path FROM paths WHERE report_id = ?", held)]
                self._delete(held[0])
        else:
            self._detach(path)
        rid = db.execute(_INSERT_REPORT, head + (self.parsed_at, __version__)).lastrowid
        db.executemany("INSERT INTO paths VALUES (?, ?)", [(p, rid) for p in [path, *also]])
        if cells:
            template = head[7] or ""
            ids = self.cell_ids
            if any((template, c[0]) not in ids for c in cells):
                self._add_cell_keys(template, [c[0] for c in cells])
            db.executemany(_INSERT_CELL, [(rid, ids[template, c[0]]) + c[1:] for c in cells])
        db.executemany(_INSERT_FINDING, [(rid,) + f for f in findings])
        db.executemany(_INSERT_SECTION, [(rid,) + s for s in sections])
        db.executemany(_INSERT_INDICATOR, [(rid,) + i for i in found])
        return True

    def _add_cell_keys(self, template, keys):
        from gxgrammar import national as nf
        labels = nf.cell_labels(template) if template in nf.TEMPLATES else {}
        for key in keys:
            if (template, key) not in self.cell_ids:
                row_label, column_label = labels.get(key, ("", ""))
                cid = self.db.execute(
                    "INSERT INTO cell_keys (template, key, table_key, row_key, column_key, row_label, column_label) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", (template, key, *key.split(".", 2), row_label, column_label)
                ).lastrowid
                self.cell_ids[template, key] = cid

    def _delete(self, rid):
        for table in _CHILDREN:
            self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", (rid,))
        self.db.execute("DELETE FROM reports WHERE id = ?", (rid,))

    def commit(self):
        self.flush()

    def close(self):
        try:
            self.flush()
        finally:
            try:
                self.db.close()
            except sqlite3.Error as e:
                raise StoreError(_problem(e), path=self.path) from None

    def abandon(self):
        """Close without writing what is pending (the batch failed)."""
        self.pending = []
        try:
            self.db.close()
        except sqlite3.Error:
            pass

    def count(self):
        return self.db.execute("SELECT count(*) FROM reports WHERE status != 'failed'").fetchone()[0]

    def path_count(self):
        return self.db.execute("SELECT count(*) FROM paths p JOIN reports r ON r.id = p.report_id "
                               "WHERE r.status != 'failed'").fetchone()[0]


def _statements(script):
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
