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

from gxgrammar.i18n import _

import json
import sqlite3
import time
from datetime import datetime, timezone

from gxgrammar import __version__
from gxgrammar import national as nf
from gxgrammar.errors import InputError
from gxgrammar.model import CELL_STATES, cell_state
from gxgrammar.writers.export import finding_codes, status_of
from gxgrammar.writers.store_schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION, statements, wide_view
from gxgrammar.writers.wide import indicators

# How long a run waits for another run's write to the same store before giving up.
BUSY_SECONDS = 60

_STATE_CODES = {name: i for i, name in enumerate(CELL_STATES)}

_REPORT_FIELDS = ("path", "sha256", "status", "error", "layout", "agency", "year", "template",
                  "title", "signed", "encoding", "table_layouts", "preamble", "agency_key")
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
            json.dumps(source.get("table_layouts") or {}, ensure_ascii=False), report.preamble or None,
            nf.agency_key(meta.get("agency")))
    provenance, codes, none = report.provenance, finding_codes(report) if report.findings else {}, {}
    cells = []
    for key, value in report.cells().items():
        where = provenance.get(key)
        state = _STATE_CODES[cell_state(where, value)]
        where = where or none
        cells.append((key, value, where.get("line"), where.get("column"), state,
                      1 if where.get("inferred") else 0, codes.get(key)))
    findings = [(i, f.code, f.severity, f.message, json.dumps(list(f.cells), ensure_ascii=False), f.line)
                for i, f in enumerate(report.findings, 1)]
    sections = [(s.number, s.title, s.heading, s.line, s.text, json.dumps(s.subheadings, ensure_ascii=False))
                for s in report.sections]
    found = [(name, (v or {}).get("value"), (v or {}).get("reason")) for name, v in indicators(report).items()]
    return head, cells, findings, sections, found


def failure_record(path, sha256, message):
    return (path, sha256, "failed", message) + (None,) * (len(_REPORT_FIELDS) - 4), [], [], [], []


def _write_ahead_log(db):
    """Put the store in WAL mode. SQLite answers 「locked」 at once, without waiting, when
    another run opens the same new store at that moment: try again until BUSY_SECONDS."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class StoreError(InputError):
    """The store cannot be opened or written (not a store, in use, disk full …)."""


def _problem(e):
    """What a user is told of an SQLite error while writing."""
    text = str(e)
    if "locked" in text or "busy" in text:
        return _("the store is in use by another run of gxgrammar and stayed locked for {seconds} s; "
                 "run this again when that run has finished").format(seconds=BUSY_SECONDS)
    if "disk is full" in text or "disk I/O" in text:
        return _("cannot be written: {reason} (is the disk full, or a file-size limit reached?)").format(reason=text)
    if "readonly" in text:
        return _("cannot be written: the file or its folder is read-only")
    return _("cannot be written: {reason}").format(reason=text)


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
            raise StoreError(_("cannot be used as the store: {reason}").format(reason=e), path=self.path) from None
        self.parsed_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._last_commit = time.monotonic()

    def _prepare(self):
        """Create the schema, or bring a store of an earlier version up to date; whether
        the store held no report before."""
        db = self.db
        _write_ahead_log(db)
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.create_function("gx_agency_key", 1, nf.agency_key, deterministic=True)
        db.execute("BEGIN IMMEDIATE")      # two runs creating one store: the second waits, then sees it
        try:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if "reports" not in tables:
                for statement in statements(SCHEMA):
                    db.execute(statement)
            elif version != SCHEMA_VERSION:
                if version not in MIGRATIONS:
                    raise sqlite3.DatabaseError(_("it holds a reports table that is not of gxgrammar's store version "
                                                  "{schema} (user_version {version})").format(
                                                    schema=SCHEMA_VERSION, version=version))
                for v in range(version, SCHEMA_VERSION):
                    for statement in statements(MIGRATIONS[v]()):
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
        self.db.execute(wide_view(ids))

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
