"""`gxgrammar parse` over many reports: expand folders, parse in worker processes,
write in the parent process only, and end with a summary.

Workers turn a report into exactly what the output needs (JSON text, CSV lines or the
store's rows), so the one process that writes does little else. Results come back in
input order, at most a few chunks ahead of the writer, so memory stays flat however
large the corpus. A file that cannot be read is a failure with its one-line reason;
the batch goes on past it. Ctrl-C or SIGTERM stops it, even while a worker is stuck:
the workers are ended, what was written stays whole.
"""
from __future__ import annotations

import hashlib
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click

from gxgrammar.cli import inputs
from gxgrammar.cli.sinks import StoreSink, StreamSink
from gxgrammar.errors import GxError
from gxgrammar.i18n import N_, _
from gxgrammar.readers import report_suffixes

# The files a folder is searched for (recursively; hidden files and folders skipped):
# what the document readers read (text and Markdown, saved web pages, PDF, Word).
REPORT_SUFFIXES = report_suffixes()
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
# What the summary calls the kinds of failure (Outcome.kind).
FAILURE_KINDS = {"InputError": N_("InputError"), "ReportError": N_("ReportError"),
                 "internal error": N_("internal error"), "crash": N_("crash")}


@dataclass
class Outcome:
    path: str
    status: str                  # ok, errors (parsed, with error findings), failed, skipped, not_report
    sha256: str | None = None
    message: str | None = None   # why it failed: `gxgrammar: FILE:LINE: message` without the prefix
    exit_code: int = EXIT_OK
    payload: object = None       # what the writer writes
    kind: str | None = None      # the class of the error that failed it

    def notes(self):
        """The lines a parsed report with a table missing gets on standard error."""
        return [f"gxgrammar: {line}" for line in (self.message or "").splitlines()]


_STATUSES = ("ok", "errors", "failed", "skipped", "identical", "not_report", "special")


@dataclass
class Summary:
    counts: dict = field(default_factory=lambda: dict.fromkeys(_STATUSES, 0))
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

    def lines(self, store=None, fresh=False):
        c = self.counts
        kinds = Counter(f.kind for f in self.failures if f.kind)
        if len(kinds) > 1:
            failed = _("{count} failed ({kinds})").format(count=c["failed"], kinds=_(", ").join(
                _("{count} {kind}").format(count=n, kind=_(FAILURE_KINDS.get(k, k))) for k, n in kinds.most_common()))
        else:
            failed = _("{count} failed").format(count=c["failed"])
        clauses = [_("{count} parsed ({errors} with errors)").format(count=c["ok"] + c["errors"], errors=c["errors"]),
                   failed]
        if store is not None and not fresh:
            clauses.append(_("{count} skipped (already in {store})").format(count=c["skipped"], store=store))
        if c["identical"]:
            clauses.append(_("{count} identical to a stored report").format(count=c["identical"]))
        if c["not_report"]:
            clauses.append(_("{count} skipped (not a report)").format(count=c["not_report"]))
        if c["special"]:
            clauses.append(_("{count} skipped (not a regular file)").format(count=c["special"]))
        lines = [f"gxgrammar: {f.message}" for f in self.failures]
        lines += [line for f in self.incomplete for line in f.notes()]
        lines.append("gxgrammar: " + _(", ").join(clauses))
        if self.skipped_older:
            lines.append("gxgrammar: " + _("{count} of the skipped reports were parsed by an earlier version of "
                                           "gxgrammar; --force parses them again").format(count=self.skipped_older))
        return lines


def report_files(args):
    """The report files named by `args`: files as given, folders searched for REPORT_SUFFIXES.

    A folder with no report file in it is returned as is, to fail with a reason.
    """
    return inputs.expand(args).paths


# --- the work of one process --------------------------------------------------------

_job = {}


class _Stopped(BaseException):
    """Ctrl-C or SIGTERM while this process parses (a parse may be stuck)."""


def _start_worker(payload_of, parse_options, skip, worker=False, scanned=frozenset(), stdin=None):
    """Set up a process to parse (a worker, or the parent when it parses alone)."""
    if worker:
        # Ctrl-C is the parent's to handle: it ends the workers and keeps the output
        # whole; and a worker whose parent is gone (killed) has no one to work for.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _job.update(payload_of=payload_of, options=parse_options, skip=skip, scanned=scanned, stdin=stdin)


def _exit_with_parent(parent):
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(EXIT_INTERRUPTED)


def _parse_one(path):
    from gxgrammar.parser import parse_bytes
    sha, shown = None, inputs.display(path)
    try:
        if path != inputs.STDIN and Path(path).is_dir():
            return Outcome(path, "failed", message=_("{path}: a folder with no report files ({suffixes})").format(
                           path=path, suffixes=", ".join("*" + s for s in REPORT_SUFFIXES)), exit_code=EXIT_USAGE,
                           kind="InputError")
        data = inputs.read_bytes(path, _job.get("stdin"))
        sha = hashlib.sha256(data).hexdigest()
        if sha in _job["skip"]:
            return Outcome(shown, "skipped", sha)
        report = parse_bytes(data, shown, **_job["options"])
    except GxError as e:
        if path in _job.get("scanned", ()) and inputs.is_plain_text(path) and sha is not None \
                and not inputs.looks_like_report(data, _job["options"].get("encoding")):
            return Outcome(shown, "not_report", sha)
        return Outcome(shown, "failed", sha, e.located(shown), e.exit_code, kind=type(e).__name__)
    except Exception as e:  # a bug, not bad input: still one line, and the batch goes on
        return Outcome(shown, "failed", sha,
                       _("{path}: internal error ({reason}); please report it").format(
                           path=shown, reason=f"{type(e).__name__}: {e}"), EXIT_FAILED,
                       kind="internal error")
    status = "errors" if report.errors else "ok"
    outcome = Outcome(shown, status, report.source["sha256"], payload=_job["payload_of"](report, status))
    unread = report.unread_notes(shown)
    if unread:     # parsed, but a whole table is missing: said, and the exit status says so
        outcome.message = "\n".join(unread)
        outcome.exit_code = EXIT_FAILED
    return outcome


def _parse_chunk(paths):
    return [_parse_one(p) for p in paths]


# --- many processes -------------------------------------------------------------------

def outcomes(paths, payload_of, parse_options, jobs=None, skip=frozenset(), context=None,
             stop=None, scanned=frozenset(), stdin=None):
    """Parse every path; yield an Outcome for each, in the order of `paths`.

    `payload_of(report, status)` runs in the worker and must be a module-level function
    (worker processes may be spawned). `jobs` worker processes (default: one a core);
    one job, or one path, parses in this process. When `stop` (a list) fills up, no more
    outcomes come: the workers are ended, stuck or not.
    """
    stop = [] if stop is None else stop
    jobs = min(jobs or os.cpu_count() or 1, len(paths))
    if jobs <= 1:
        _start_worker(payload_of, parse_options, skip, scanned=scanned, stdin=stdin)
        for p in paths:
            if stop:
                return
            with _parsing():
                outcome = _parse_one(p)
            yield outcome
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, TimeoutError
    from concurrent.futures.process import BrokenProcessPool

    def new_pool():
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(context),
                                   initializer=_start_worker,
                                   initargs=(payload_of, parse_options, skip, True, scanned, stdin))

    def result(future):
        """The future's result, waiting in short steps so that a stop request is heard."""
        while True:
            if stop:
                raise _Stopped
            try:
                return future.result(timeout=0.2)
            except TimeoutError:
                continue

    # Chunks amortise the round trip to a worker; a few per worker keep them all busy.
    # Small ones (8 reports, some 30 ms of work) let the workers finish together.
    size = max(1, min(8, len(paths) // (jobs * 8)))
    chunks = deque(paths[i:i + size] for i in range(0, len(paths), size))
    pool, running, finished = new_pool(), deque(), False
    try:
        while chunks or running:
            while chunks and len(running) < jobs * 3:
                chunk = chunks.popleft()
                running.append((chunk, pool.submit(_parse_chunk, chunk)))
            chunk, future = running.popleft()
            try:
                results = result(future)
            except BrokenProcessPool:
                # A file took its worker down (memory, a crash): find it by parsing the
                # files in flight one at a time.
                _end(pool)
                retry = [p for c in [chunk, *(c for c, _ in running)] for p in c]
                running.clear()
                pool = new_pool()
                for p in retry:
                    try:
                        yield result(pool.submit(_parse_chunk, [p]))[0]
                    except BrokenProcessPool:
                        yield Outcome(inputs.display(p), "failed", message=_(
                                      "{path}: the process parsing it stopped (out of memory, or a crash)").format(
                                      path=inputs.display(p)), exit_code=EXIT_FAILED,
                                      kind="crash")
                        _end(pool)
                        pool = new_pool()
                continue
            yield from results
        finished = True
    except _Stopped:
        return
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _end(pool)


def _end(pool):
    """End a pool's workers now, whatever they are doing (a worker may be stuck)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


_in_parse = [False]


@contextmanager
def _parsing():
    """While this process parses, a stop request interrupts the parse (it may be stuck)."""
    _in_parse[0] = True
    try:
        yield
    finally:
        _in_parse[0] = False


# --- the command ------------------------------------------------------------------------

# How an output file's name says its format: the suffix, and "wide" in the name of a CSV.
OUTPUT_SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
                   ".parquet": "parquet", **{s: "sqlite" for s in STORE_SUFFIXES}}
FORMATS = ("json", "jsonl", "csv", "wide", "parquet", "sqlite")
KNOWN_OUTPUTS = ("FILE.json (JSON), FILE.jsonl or .ndjson (JSON Lines), FILE.csv (long CSV: one cell a line), "
                 "FILE.wide.csv or any *wide*.csv (wide CSV: one report a line), FILE.parquet (the wide "
                 "table as Parquet, needs pyarrow), FILE.sqlite, .sqlite3 or .db (the store)")


def format_for(out):
    """The output format a file name asks for; a usage error for a name that says none."""
    if out == "-" or _is_stream(out):
        return "json"
    name = Path(out).name.lower()
    suffix = Path(name).suffix
    if suffix == ".csv" and "wide" in name[:-4]:
        return "wide"
    if suffix in OUTPUT_SUFFIXES:
        return OUTPUT_SUFFIXES[suffix]
    message = (_("{path}: cannot tell the output format (its suffix {suffix}); known: {known}; or name it "
                 "with --format") if suffix else
               _("{path}: cannot tell the output format (it has no suffix); known: {known}; or name it with "
                 "--format"))
    raise click.UsageError(message.format(path=out, suffix=repr(suffix), known=KNOWN_OUTPUTS))


def _is_stream(out):
    """A device or a pipe (/dev/stdout, /dev/null, a FIFO) named without a suffix: JSON, as
    standard output would be."""
    import stat
    try:
        mode = os.stat(out).st_mode
    except OSError:
        return False
    return not Path(out).suffix and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode))


def run(reports, out="-", fmt=None, jobs=None, force=False, **parse_options):
    """`gxgrammar parse`: parse REPORTS into `out` in `fmt`; return the exit status.

    One file (not a folder) parses as it always has: its output, or its error line.
    Anything more is a batch, and a batch ends with a summary on standard error.
    """
    fmt = fmt or format_for(out)
    if fmt == "sqlite" and out == "-":
        raise click.UsageError(_("the sqlite format writes a store file: name it with -o FILE.sqlite"))
    if fmt == "parquet" and out == "-":
        raise click.UsageError(_("Parquet is written to a file: name it with -o FILE.parquet"))
    found = inputs.expand(reports)
    for message in found.messages():
        click.echo(f"gxgrammar: {message}", err=True)
    paths = found.paths
    single = len(paths) == 1 and not found.folders and not found.special
    try:
        inputs.check_grammars(parse_options.get("grammar_dirs") or ())
        sink = StoreSink(out, force) if fmt == "sqlite" else StreamSink(out, fmt, single)
    except GxError as e:
        click.echo(f"gxgrammar: {e.located() if e.path else e.message}", err=True)
        return EXIT_USAGE
    summary = Summary()
    summary.counts["special"] = len(found.special)
    sink.summary = summary
    stdin = inputs.read_stdin() if inputs.STDIN in paths else None
    problem, kept = None, ""
    with _stop_requests() as stop:
        results = outcomes(paths, sink.payload_of, parse_options, jobs, sink.skip,
                           scanned=frozenset(found.scanned), stdin=stdin, stop=stop)
        try:
            for o in progress(results, paths, enabled=not single and sys.stderr.isatty()):
                summary.add(o)
                sink.take(o)
                if o.message and single:
                    click.echo("\n".join(o.notes()) if o.status != "failed" else f"gxgrammar: {o.message}",
                               err=True)
                if stop:
                    break
        except _Stopped:
            pass
        except GxError as e:          # the output cannot be written (disk full, store in use …)
            problem = e
        finally:
            results.close()
        if problem is None:
            try:
                kept = sink.close()
            except GxError as e:
                problem = e
        if problem is not None:
            sink.abandon()
    summary.skipped_older = sink.older
    if problem is not None:
        click.echo(f"gxgrammar: {problem.located() if problem.path else problem.message}", err=True)
        return EXIT_USAGE
    if not single or fmt == "sqlite":
        for line in summary.lines(out if fmt == "sqlite" else None, getattr(sink, "fresh", False)):
            click.echo(line, err=True)
    if stop:
        click.echo("gxgrammar: " + (_("interrupted; {store} holds {count} reports, each complete (run the same "
                                      "command again to go on)").format(**kept) if kept else _("interrupted")),
                   err=True)
        return EXIT_INTERRUPTED
    return summary.exit_code


@contextmanager
def _stop_requests():
    """Ctrl-C (or SIGTERM) ends the batch after the report being written, so that what
    was written stays whole (a parse in this process is interrupted: it may be stuck);
    a second Ctrl-C stops at once."""
    stop = []
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def request(signum, frame):
        if stop:
            raise KeyboardInterrupt
        stop.append(signum)
        if _in_parse[0]:
            raise _Stopped

    before = {s: signal.signal(s, request) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def progress(items, paths, enabled):
    """A progress bar on standard error when it is a terminal; the items unchanged.

    It counts reports, or pages when the batch holds PDFs: one 80-page PDF among text
    files would otherwise stall it for as long as eighty of them."""
    if not enabled:
        yield from items
        return
    weights = {inputs.display(p): _pages(p) for p in paths}
    label = _("parsing (pages)") if any(map(_is_pdf, paths)) else _("parsing")
    with click.progressbar(length=sum(weights.values()), file=sys.stderr, label=label, show_pos=True) as bar:
        for item in items:
            yield item
            bar.update(weights.get(item.path, 1))


def _is_pdf(path):
    return str(path).lower().endswith(".pdf")


def _pages(path):
    if _is_pdf(path):
        from gxgrammar.readers.pdf import page_count
        return page_count(path)
    return 1
