"""`gxgrammar parse` over many reports: expand folders, parse in worker processes,
write in the parent process only, and end with a summary.

Workers turn a report into exactly what the output needs (JSON text, CSV lines or the
store's rows), so the one process that writes does little else. Results come back in
input order, at most a few chunks ahead of the writer, so memory stays flat however
large the corpus. A file that cannot be read is a failure with its one-line reason;
the batch goes on past it.
"""
from __future__ import annotations

import hashlib
import os
import signal
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click

from gxgrammar import __version__
from gxgrammar.errors import GxError, InputError
from gxgrammar.readers import report_suffixes

# The files a folder is searched for (recursively; hidden files and folders skipped):
# what the document readers read (text and Markdown, saved web pages, PDF, Word).
REPORT_SUFFIXES = report_suffixes()
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclass
class Outcome:
    path: str
    status: str                  # ok, errors (parsed, with error findings), failed, skipped
    sha256: str | None = None
    message: str | None = None   # why it failed: `gxgrammar: FILE:LINE: message` without the prefix
    exit_code: int = EXIT_OK
    payload: object = None       # what the writer writes

    def notes(self):
        """The lines a parsed report with a table missing gets on standard error."""
        return [f"gxgrammar: {line}" for line in (self.message or "").splitlines()]


@dataclass
class Summary:
    counts: dict = field(default_factory=lambda: dict.fromkeys(("ok", "errors", "failed", "skipped"), 0))
    failures: list = field(default_factory=list)
    incomplete: list = field(default_factory=list)   # parsed, with a whole table missing
    exit_code: int = EXIT_OK
    skipped_older: int = 0       # skipped, but parsed by an earlier version of gxgrammar

    def add(self, outcome):
        self.counts[outcome.status] += 1
        if outcome.status == "failed":
            self.failures.append(outcome)
            self.exit_code = max(self.exit_code, outcome.exit_code)
        elif outcome.message:
            self.incomplete.append(outcome)
            self.exit_code = max(self.exit_code, outcome.exit_code)

    def lines(self, store=None):
        c = self.counts
        head = (f"{c['ok'] + c['errors']} parsed ({c['errors']} with errors), {c['failed']} failed")
        if store is not None:
            head += f", {c['skipped']} skipped (already in {store})"
        lines = [f"gxgrammar: {f.message}" for f in self.failures]
        lines += [line for f in self.incomplete for line in f.notes()]
        lines.append(f"gxgrammar: {head}")
        if self.skipped_older:
            lines.append(f"gxgrammar: {self.skipped_older} of the skipped reports were parsed by an earlier "
                         f"version of gxgrammar; --force parses them again")
        return lines


def report_files(args):
    """The report files named by `args`: files as given, folders searched for REPORT_SUFFIXES.

    A folder with no report file in it is returned as is, to fail with a reason.
    """
    seen, out = set(), []
    for arg in args:
        p = Path(arg)
        found = [str(f) for f in _walk(p)] if p.is_dir() else [arg]
        for f in found or [arg]:
            if f not in seen:
                seen.add(f)
                out.append(f)
    return out


def _walk(folder):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(REPORT_SUFFIXES):
                yield Path(root) / name


# --- the work of one process --------------------------------------------------------

_job = {}


def _start_worker(payload_of, parse_options, skip, worker=False):
    """Set up a process to parse (a worker, or the parent when it parses alone)."""
    if worker:
        # Ctrl-C is the parent's to handle: it stops the pool and keeps the store whole
        # (SIGTERM stays: the pool ends its workers with it); and a worker whose parent is
        # gone (killed) has no one to work for.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _job.update(payload_of=payload_of, options=parse_options, skip=skip)


def _exit_with_parent(parent):
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(EXIT_INTERRUPTED)


def _parse_one(path):
    from gxgrammar.parser import parse_bytes, read_report
    sha = None
    try:
        if Path(path).is_dir():
            return Outcome(path, "failed", message=f"{path}: a folder with no report files "
                           f"({', '.join('*' + s for s in REPORT_SUFFIXES)})", exit_code=EXIT_USAGE)
        data = read_report(path)
        sha = hashlib.sha256(data).hexdigest()
        if sha in _job["skip"]:
            return Outcome(path, "skipped", sha)
        report = parse_bytes(data, path, **_job["options"])
    except GxError as e:
        return Outcome(path, "failed", sha, e.located(path), e.exit_code)
    except Exception as e:  # a bug, not bad input: still one line, and the batch goes on
        return Outcome(path, "failed", sha,
                       f"{path}: internal error ({type(e).__name__}: {e}); please report it", EXIT_FAILED)
    status = "errors" if report.errors else "ok"
    outcome = Outcome(path, status, report.source["sha256"], payload=_job["payload_of"](report, status))
    unread = report.unread_tables()
    if unread:     # parsed, but a whole table is missing: said, and the exit status says so
        outcome.message = "\n".join(f"{path}{f':{f.line}' if f.line else ''}: {f.message}" for f in unread)
        outcome.exit_code = EXIT_FAILED
    return outcome


def _parse_chunk(paths):
    return [_parse_one(p) for p in paths]


# --- many processes -------------------------------------------------------------------

def outcomes(paths, payload_of, parse_options, jobs=None, skip=frozenset(), context=None):
    """Parse every path; yield an Outcome for each, in the order of `paths`.

    `payload_of(report, status)` runs in the worker and must be a module-level function
    (worker processes may be spawned). `jobs` worker processes (default: one a core);
    one job, or one path, parses in this process.
    """
    jobs = min(jobs or os.cpu_count() or 1, len(paths))
    if jobs <= 1:
        _start_worker(payload_of, parse_options, skip)
        for p in paths:
            yield _parse_one(p)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    def new_pool():
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(context),
                                   initializer=_start_worker, initargs=(payload_of, parse_options, skip, True))

    # Chunks amortise the round trip to a worker; a few per worker keep them all busy.
    # Small ones (8 reports, some 30 ms of work) let the workers finish together.
    size = max(1, min(8, len(paths) // (jobs * 8)))
    chunks = deque(paths[i:i + size] for i in range(0, len(paths), size))
    pool, running = new_pool(), deque()
    try:
        while chunks or running:
            while chunks and len(running) < jobs * 3:
                chunk = chunks.popleft()
                running.append((chunk, pool.submit(_parse_chunk, chunk)))
            chunk, future = running.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # A file took its worker down (memory, a crash): find it by parsing the
                # files in flight one at a time.
                pool.shutdown(wait=False, cancel_futures=True)
                retry = [p for c in [chunk, *(c for c, _ in running)] for p in c]
                running.clear()
                pool = new_pool()
                for p in retry:
                    try:
                        yield pool.submit(_parse_chunk, [p]).result()[0]
                    except BrokenProcessPool:
                        yield Outcome(p, "failed", message=f"{p}: the process parsing it stopped "
                                      f"(out of memory, or a crash)", exit_code=EXIT_FAILED)
                        pool.shutdown(wait=False, cancel_futures=True)
                        pool = new_pool()
                continue
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- the command ------------------------------------------------------------------------

def format_for(out):
    """The output format a file name asks for: .sqlite/.db the store, .csv, .jsonl, else JSON."""
    suffix = Path(out).suffix.lower() if out != "-" else ""
    if suffix in STORE_SUFFIXES:
        return "sqlite"
    return {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "json")


def run(reports, out="-", fmt=None, jobs=None, force=False, **parse_options):
    """`gxgrammar parse`: parse REPORTS into `out` in `fmt`; return the exit status.

    One file (not a folder) parses as it always has: its output, or its error line.
    Anything more is a batch, and a batch ends with a summary on standard error.
    """
    fmt = fmt or format_for(out)
    if fmt == "sqlite" and out == "-":
        raise click.UsageError("the sqlite format writes a store file: name it with --out FILE")
    paths = report_files(reports)
    single = len(paths) == 1 and not Path(reports[0]).is_dir()
    try:
        sink = _StoreSink(out, force) if fmt == "sqlite" else _StreamSink(out, fmt, single)
    except GxError as e:
        click.echo(f"gxgrammar: {e}", err=True)
        return EXIT_USAGE
    summary = Summary()
    results = outcomes(paths, sink.payload_of, parse_options, jobs, sink.skip)
    with _stop_requests() as stop:
        for o in progress(results, len(paths), enabled=not single and sys.stderr.isatty()):
            sink.take(o)
            summary.add(o)
            if o.message and single:
                click.echo("\n".join(o.notes()) if o.status != "failed" else f"gxgrammar: {o.message}", err=True)
            if stop:
                break
        results.close()
        kept = sink.close()
    summary.skipped_older = sink.older
    if not single or fmt == "sqlite":
        for line in summary.lines(out if fmt == "sqlite" else None):
            click.echo(line, err=True)
    if stop:
        click.echo(f"gxgrammar: interrupted{kept}", err=True)
        return EXIT_INTERRUPTED
    return summary.exit_code


class _StoreSink:
    """Outcomes into the store: parsed reports, failures (to be tried again), and
    duplicates within the run skipped."""

    def __init__(self, out, force):
        from gxgrammar.writers.store import Store, records
        self.store, self.force, self.out = Store(out), force, out
        self.known = {} if force else self.store.known_versions()
        self.skip = frozenset(self.known)
        self.payload_of, self.stored, self.older = records, set(), 0

    def take(self, o):
        from gxgrammar.writers.store import failure_record
        if o.status == "skipped" and self.known.get(o.sha256, __version__) != __version__:
            self.older += 1
        if o.status == "failed":
            self.store.add(failure_record(o.path, o.sha256, o.message))
        elif o.status != "skipped" and o.sha256 in self.stored:
            o.status = "skipped"        # the same content twice in one run
        elif o.status != "skipped":
            if not self.store.add(o.payload, replace=self.force):
                o.status = "skipped"
            self.stored.add(o.sha256)

    def close(self):
        """Commit and close; what an interrupted run would say of the store."""
        self.store.commit()
        kept = (f"; {self.out} holds {self.store.count()} reports, each complete "
                f"(run the same command again to go on)")
        self.store.close()
        return kept


class _StreamSink:
    """Outcomes as JSON, JSON Lines or CSV, to standard output or a file."""

    def __init__(self, out, fmt, single):
        from gxgrammar.writers.export import WRITERS
        writer_class, self.payload_of = WRITERS[fmt]
        self.stream = Output(out)
        self.stream.check()
        self.writer, self.skip = writer_class(self.stream, single), frozenset()
        self.older = 0       # nothing is skipped here

    def take(self, o):
        if o.status in ("ok", "errors"):
            self.writer.write(o.payload)

    def close(self):
        self.writer.close()
        self.stream.close()
        return ""


@contextmanager
def _stop_requests():
    """Ctrl-C (or SIGTERM) ends the batch after the report being written, so that what
    was written stays whole; a second Ctrl-C stops at once."""
    stop = []
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def request(signum, frame):
        if stop:
            raise KeyboardInterrupt
        stop.append(signum)

    before = {s: signal.signal(s, request) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def progress(items, length, enabled):
    """A progress bar on standard error when it is a terminal; the items unchanged."""
    if not enabled:
        yield from items
        return
    with click.progressbar(length=length, file=sys.stderr, label="parsing", show_pos=True) as bar:
        for item in items:
            yield item
            bar.update(1)


class Output:
    """Standard output, or a file opened at the first write (no empty file on failure).

    Written in bytes (UTF-8): the workers of a batch send their output encoded; text is
    encoded here."""

    def __init__(self, out):
        self.out, self.stream = out, None

    def write(self, data):
        if self.stream is None:
            if self.out == "-":
                sys.stdout.flush()
                self.stream = sys.stdout.buffer
            else:
                self.stream = open(self.out, "wb")
        self.stream.write(data.encode("utf-8") if isinstance(data, str) else data)

    def check(self):
        """Refuse, before any parsing, a file that could not be written."""
        if self.out == "-":
            return
        folder = os.path.dirname(os.path.abspath(self.out))
        if not os.path.isdir(folder):
            raise InputError("cannot be written: its folder does not exist", path=self.out)
        target = self.out if os.path.exists(self.out) else folder
        if not os.access(target, os.W_OK):
            raise InputError("cannot be written: permission denied", path=self.out)

    def close(self):
        if self.stream is not None:
            self.stream.flush()
            if self.out != "-":
                self.stream.close()
