"""The corpus store: parsed reports in one SQLite file (the standard library's sqlite3).

Tables (see README, "Parsing a corpus"):
  reports   one row a report file: path, sha256, status (ok, errors, failed), meta
  cells     one row a cell (long format): keys, Chinese labels, value, source line
  findings  one row a finding of a report
  sections  one row a section of a report, with its prose
and the view `report_cells`: cells beside their report's path, agency, year, template
and layout, the same columns as the CSV export.

A report is written whole or not at all: its rows go in one transaction with other
whole reports, so a run that is interrupted (or killed) leaves every stored report
complete, and running it again carries on where it stopped.
"""
from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timezone

from gxgrammar import __version__
from gxgrammar.errors import InputError
from gxgrammar.writers.export import CELL_COLUMNS, CSV_COLUMNS, REPORT_COLUMNS, cell_tuples

SCHEMA_VERSION = 2

# How a store of an earlier version is brought up to this one (its reports are kept;
# what they lack stays NULL until they are parsed again with --force).
MIGRATIONS = {
    1: "ALTER TABLE reports ADD COLUMN preamble TEXT;",   # version 2: the text before 一
}

SCHEMA = f"""
CREATE TABLE reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused, even after a report is replaced
    path          TEXT NOT NULL,
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
CREATE TABLE cells (
    report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    table_key     TEXT NOT NULL,
    row_key       TEXT NOT NULL,
    column_key    TEXT NOT NULL,
    key           TEXT NOT NULL,
    row_label     TEXT NOT NULL,
    column_label  TEXT NOT NULL,
    value,        -- no type: counts stay integers, amounts stay decimals, blanks are NULL
    source_line   INTEGER,
    source_column INTEGER,
    inferred      INTEGER NOT NULL,
    PRIMARY KEY (report_id, key)
) WITHOUT ROWID;
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
CREATE VIEW report_cells AS
    SELECT {", ".join(f"r.{c}" for c in REPORT_COLUMNS)}, {", ".join(f"c.{c}" for c in CELL_COLUMNS)}
    FROM cells c JOIN reports r ON r.id = c.report_id;
PRAGMA user_version = {SCHEMA_VERSION};
"""

# For questions by cell across the corpus (WHERE key = 'requests.new.total').
INDEXES = "CREATE INDEX IF NOT EXISTS cells_by_key ON cells (key)"

_REPORT_FIELDS = ("path", "sha256", "status", "error", "layout", "agency", "year", "template",
                  "title", "signed", "encoding", "table_layouts", "preamble")
_INSERT_REPORT = (f"INSERT INTO reports ({', '.join(_REPORT_FIELDS)}, parsed_at, version) "
                  f"VALUES ({', '.join('?' * len(_REPORT_FIELDS))}, ?, ?)")
_INSERT_CELL = f"INSERT INTO cells VALUES (?, {', '.join('?' * len(CELL_COLUMNS))})"
_INSERT_FINDING = "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)"
_INSERT_SECTION = "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?)"
_CHILDREN = ("cells", "findings", "sections")

assert CSV_COLUMNS == REPORT_COLUMNS + CELL_COLUMNS


def records(report, status):
    """A parsed report as the rows the store writes (built where the report was parsed,
    so that the process writing the store only inserts)."""
    meta, source = report.meta, report.source
    head = (source.get("path"), source.get("sha256"), status, None, source.get("layout"),
            meta.get("agency"), meta.get("year"), meta.get("template"), meta.get("title"),
            meta.get("signed"), source.get("encoding"),
            json.dumps(source.get("table_layouts") or {}, ensure_ascii=False), report.preamble or None)
    cells = list(cell_tuples(report))      # inferred is a bool: sqlite3 stores it as 0 or 1
    findings = [(i, f.code, f.severity, f.message, json.dumps(list(f.cells), ensure_ascii=False), f.line)
                for i, f in enumerate(report.findings, 1)]
    sections = [(s.number, s.title, s.heading, s.line, s.text, json.dumps(s.subheadings, ensure_ascii=False))
                for s in report.sections]
    return head, cells, findings, sections


def failure_record(path, sha256, message):
    return (path, sha256, "failed", message) + (None,) * (len(_REPORT_FIELDS) - 4), [], [], []


class Store:
    """A store file opened for adding reports, committed every `commit_reports` reports
    or `commit_seconds` seconds, whichever comes first."""

    def __init__(self, path, commit_reports=200, commit_seconds=1.0):
        self.path = str(path)
        self.commit_reports, self.commit_seconds, self.pending = commit_reports, commit_seconds, 0
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self._prepare()
        except sqlite3.DatabaseError as e:
            raise InputError(f"cannot be used as the store: {e}", path=self.path) from None
        self.parsed_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._last_commit = time.monotonic()

    def _prepare(self):
        db = self.db
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if "reports" in tables and version != SCHEMA_VERSION:
            if version not in MIGRATIONS:
                raise sqlite3.DatabaseError(f"it holds a reports table that is not of gxgrammar's store "
                                            f"version {SCHEMA_VERSION} (user_version {version})")
            steps = "".join(MIGRATIONS[v] for v in range(version, SCHEMA_VERSION))
            db.executescript(f"BEGIN; {steps} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if "reports" not in tables:
            db.executescript("BEGIN;" + SCHEMA + "COMMIT;")

    def known_versions(self):
        """{SHA-256: the gxgrammar version that parsed it} of every report stored (not failed)."""
        return dict(self.db.execute("SELECT sha256, version FROM reports WHERE status != 'failed'"))

    def add(self, record, replace=False):
        """Write one report's rows, in place of what the store held for the same path
        (an earlier version, or a failure); with `replace`, also in place of a report
        of the same content under another path. False if the store has that content."""
        head, cells, findings, sections = record
        path, sha256, status = head[:3]
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        stale = [i for (i,) in self.db.execute("SELECT id FROM reports WHERE path = ?", (path,))]
        if replace and status != "failed":
            stale += [i for (i,) in self.db.execute(
                "SELECT id FROM reports WHERE sha256 = ? AND status != 'failed'", (sha256,))]
        if stale:
            self._delete(stale)
        try:
            rid = self.db.execute(_INSERT_REPORT, head + (self.parsed_at, __version__)).lastrowid
        except sqlite3.IntegrityError:   # another run stored the same content meanwhile
            return False
        self.db.executemany(_INSERT_CELL, [(rid,) + c for c in cells])
        self.db.executemany(_INSERT_FINDING, [(rid,) + f for f in findings])
        self.db.executemany(_INSERT_SECTION, [(rid,) + s for s in sections])
        self.pending += 1
        if self.pending >= self.commit_reports or time.monotonic() - self._last_commit >= self.commit_seconds:
            self.commit()
        return True

    def _delete(self, ids):
        ids = [(i,) for i in set(ids)]
        for table in _CHILDREN:
            self.db.executemany(f"DELETE FROM {table} WHERE report_id = ?", ids)
        self.db.executemany("DELETE FROM reports WHERE id = ?", ids)

    def commit(self):
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self._last_commit, self.pending = time.monotonic(), 0

    def close(self):
        self.commit()
        # Built once the run's rows are in (a sorted build), then kept up by later runs.
        self.db.execute(INDEXES)
        self.db.close()

    def count(self):
        return self.db.execute("SELECT count(*) FROM reports WHERE status != 'failed'").fetchone()[0]
