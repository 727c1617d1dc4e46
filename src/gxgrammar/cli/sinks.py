"""Where `gxgrammar parse` puts what its workers send: the store, or a stream (JSON,
JSON Lines, the long CSV, the wide CSV, Parquet) to standard output or a file. A write
that fails (a full disk, a file-size limit, a store that stays locked) is one
InputError, and what was written stays whole."""
from __future__ import annotations

import os
import sys

from gxgrammar import __version__
from gxgrammar.errors import InputError
from gxgrammar.i18n import _


class StoreSink:
    """Outcomes into the store: parsed reports, failures (to be tried again), and the
    paths of files whose content the store holds."""

    def __init__(self, out, force):
        from gxgrammar.writers.store import Store, records
        self.store, self.force, self.out = Store(out), force, out
        self.fresh = self.store.fresh
        self.known = {} if force else self.store.known_versions()
        self.skip = frozenset(self.known)
        self.payload_of, self.stored, self.older = records, set(), 0
        self.statuses = {}

    def take(self, o):
        from gxgrammar.writers.store import failure_record
        if o.status == "skipped":
            if self.known.get(o.sha256, __version__) != __version__:
                self.older += 1
            self.store.add_path(o.path, o.sha256)
        elif o.status == "failed":
            self.store.add(failure_record(o.path, o.sha256, o.message))
        elif o.status in ("ok", "errors"):
            if o.sha256 in self.stored:          # the same content twice in one run
                self._recount(o.status)
                o.status = "identical"
                self.store.add_path(o.path, o.sha256)
            else:
                self.stored.add(o.sha256)
                self.statuses[o.path] = o.status
                self.store.add(o.payload, replace=self.force)
        self._take_identical()

    def _recount(self, status):
        self.summary.counts[status] -= 1
        self.summary.counts["identical"] += 1

    def _take_identical(self):
        """Reports another run stored meanwhile: counted as identical, not parsed."""
        for path in self.store.identical:
            self._recount(self.statuses.get(path, "ok"))
        self.store.identical.clear()
        if len(self.statuses) > 10_000:
            self.statuses.clear()

    def close(self):
        """Write what is pending and close; what an interrupted run would say of the store."""
        self.store.flush()
        self._take_identical()
        kept = {"store": self.out, "count": self.store.count()}   # for the line an interrupted run ends with
        self.store.close()
        return kept

    def abandon(self):
        self.store.abandon()


class StreamSink:
    """Outcomes as JSON, JSON Lines, CSV, the wide CSV or Parquet, to standard output or a file."""

    def __init__(self, out, fmt, single):
        from gxgrammar.writers.export import WRITERS
        if fmt in ("wide", "parquet"):
            from gxgrammar.writers import wide
            if fmt == "parquet":
                wide.pyarrow_modules()         # the extra is installed, or say so before parsing
            writer_class, self.payload_of = {"wide": (wide.WideCsvWriter, wide.wide_payload),
                                             "parquet": (wide.ParquetWriter, wide.parquet_payload)}[fmt]
        else:
            writer_class, self.payload_of = WRITERS[fmt]
        self.stream = Output(out)
        self.stream.check()
        self.writer, self.skip = writer_class(self.stream, single), frozenset()
        self.older = 0       # nothing is skipped here

    def take(self, o):
        if o.status in ("ok", "errors"):
            try:
                self.writer.write(o.payload)
            except OSError as e:      # a writer of its own (Parquet) that met a full disk
                raise self.stream.problem(e) from None

    def close(self):
        try:
            self.writer.close()
        except OSError as e:
            raise self.stream.problem(e) from None
        self.stream.close()
        return ""

    def abandon(self):
        self.stream.abandon()


class Output:
    """Standard output, or a file opened at the first write (no empty file on failure).

    Written in bytes (UTF-8): the workers of a batch send their output encoded; text is
    encoded here. A write that fails (disk full, a file-size limit) is one InputError."""

    def __init__(self, out):
        self.out, self.stream, self.created = out, None, False

    def file(self):
        if self.stream is None:
            if self.out == "-":
                sys.stdout.flush()
                self.stream = sys.stdout.buffer
            else:
                self.created = not os.path.exists(self.out)
                try:
                    self.stream = open(self.out, "wb")
                except OSError as e:
                    raise self.problem(e) from None
        return self.stream

    def write(self, data):
        stream = self.file()
        try:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as e:
            raise self.problem(e) from None

    def problem(self, e):
        name = "standard output" if self.out == "-" else self.out
        return InputError(_("cannot be written ({reason})").format(reason=e.strerror or e), path=name)

    def check(self):
        """Refuse, before any parsing, a file that could not be written."""
        if self.out == "-":
            return
        folder = os.path.dirname(os.path.abspath(self.out))
        if not os.path.isdir(folder):
            raise InputError(_("cannot be written: its folder does not exist"), path=self.out)
        if os.path.isdir(self.out):
            raise InputError(_("cannot be written: it is a folder"), path=self.out)
        target = self.out if os.path.exists(self.out) else folder
        if not os.access(target, os.W_OK):
            raise InputError(_("cannot be written: permission denied"), path=self.out)

    def close(self):
        if self.stream is not None:
            try:
                self.stream.flush()
                if self.out != "-":
                    self.stream.close()
            except OSError as e:
                raise self.problem(e) from None

    def abandon(self):
        """Close after a failed write; a partial file this run created is removed."""
        if self.stream is not None and self.out != "-":
            try:
                self.stream.close()
            except OSError:
                pass
            if self.created and os.path.isfile(self.out):
                os.unlink(self.out)
