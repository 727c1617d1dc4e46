"""A batch under faults: files that are not files, a stuck worker, two runs writing one
store, a full disk or a file-size limit, an undecodable grammar. One clear line each,
an exit status, a store that stays whole and that a re-run completes."""
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from gxgrammar import national as nf
from gxgrammar.cli import main

from conftest import EXAMPLES, ROOT

ENV = dict(os.environ, GXGRAMMAR_LANG="en")


def _run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def _gxgrammar(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "gxgrammar", *map(str, args)], capture_output=True, text=True,
                          env=ENV, timeout=120, **kwargs)


def _copies(folder, n, tag):
    """`n` copies of a 2021 example, each with content of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    text = next(p for p in EXAMPLES if p.stem == "luming-sthj-2021" or "luming" in p.stem).read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"r{i}.txt").write_text(text + f"\n附注：{tag}{i}\n", encoding="utf-8")
    return folder


def _whole(store):
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'reports'").fetchone():
        return 0                      # the limit was reached before the store was made
    for rid, template in db.execute("SELECT id, template FROM reports WHERE status != 'failed'").fetchall():
        assert db.execute("SELECT count(*) FROM cell_values WHERE report_id = ?", (rid,)).fetchone()[0] == \
            len(nf.cell_keys(template))
    return db.execute("SELECT count(*) FROM reports").fetchone()[0]


# --- files that are not files ---------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_folder_or_named_is_skipped_never_opened(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "r.txt").write_bytes(EXAMPLES[0].read_bytes())
    os.mkfifo(reports / "p.txt")
    os.mkfifo(tmp_path / "named.txt")
    result = _gxgrammar("parse", reports, tmp_path / "named.txt", "-o", tmp_path / "out.jsonl")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"gxgrammar: {reports / 'p.txt'}: skipped: not a regular file (a FIFO)",
        f"gxgrammar: {tmp_path / 'named.txt'}: skipped: not a regular file (a FIFO)",
        "gxgrammar: 1 parsed (0 with errors), 0 failed, 2 skipped (not a regular file)"]
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_reading_a_fifo_by_its_path_does_not_wait_on_it(tmp_path):
    from gxgrammar.cli.inputs import read_bytes
    from gxgrammar.errors import InputError
    os.mkfifo(tmp_path / "p.txt")
    with pytest.raises(InputError) as e:
        read_bytes(str(tmp_path / "p.txt"))
    assert str(e.value) == f"{tmp_path / 'p.txt'}: not a regular file (a FIFO)"


# --- stopping ---------------------------------------------------------------------------

STUCK = textwrap.dedent("""
    import sys, time
    from gxgrammar.cli import batch
    from gxgrammar.writers import store

    real = store.records

    def stuck(report, status):            # one report never finishes
        if report.source["path"].endswith("r5.txt"):
            time.sleep(3600)
        return real(report, status)

    store.records = stuck
    sys.exit(batch.run([sys.argv[1]], out=sys.argv[2], jobs=int(sys.argv[3])))
""")


@pytest.mark.parametrize("jobs", [1, 2])
def test_sigterm_stops_a_batch_whose_worker_is_stuck_and_the_store_stays_whole(tmp_path, jobs):
    reports = _copies(tmp_path / "reports", 12, "stuck")
    store = tmp_path / "s.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", STUCK, str(reports), str(store), str(jobs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.monotonic() + 60
    while not store.exists() and time.monotonic() < deadline:    # the run has started
        time.sleep(0.1)
    time.sleep(3)                               # the others parsed, one stuck
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    stored = _whole(store)
    assert err.splitlines()[-1] == (f"gxgrammar: interrupted; {store} holds {stored} reports, each complete "
                                    f"(run the same command again to go on)")
    again = _gxgrammar("parse", reports, "-o", store)   # and a re-run completes it
    assert again.returncode == 0, again.stderr
    assert _whole(store) == 12


# --- two runs, one store ----------------------------------------------------------------

def test_two_batches_writing_one_store_at_once_both_end_up_stored(tmp_path):
    a, b = _copies(tmp_path / "a", 30, "a"), _copies(tmp_path / "b", 30, "b")
    store = tmp_path / "s.sqlite"
    runs = [subprocess.Popen([sys.executable, "-m", "gxgrammar", "parse", str(folder), "-o", str(store), "-j", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV) for folder in (a, b)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    for code, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "locked" not in err
    assert _whole(store) == 60
    assert sqlite3.connect(store).execute("SELECT count(*) FROM paths").fetchone() == (60,)


def test_a_store_that_stays_locked_is_named_plainly(tmp_path, monkeypatch):
    from gxgrammar.writers import store as st
    target = tmp_path / "s.sqlite"
    assert _run("parse", EXAMPLES[0], "-o", target).exit_code == 0
    monkeypatch.setattr(st, "BUSY_SECONDS", 0.3)
    other = sqlite3.connect(target, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")           # another run in the middle of its write
    try:
        result = _run("parse", *EXAMPLES[1:3], "-o", target)
    finally:
        other.execute("ROLLBACK")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"gxgrammar: {target}: the store is in use by another run of gxgrammar and stayed locked for 0.3 s; "
        f"run this again when that run has finished")
    assert "Traceback" not in result.output
    assert _run("parse", *EXAMPLES[1:3], "-o", target).exit_code == 0
    assert _whole(target) == 3


# --- a full disk ------------------------------------------------------------------------

def _limited(kbytes):
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (kbytes * 1024, kbytes * 1024))
    return limit


@pytest.mark.parametrize("out,message", [
    ("s.sqlite", "cannot be written: disk I/O error (is the disk full, or a file-size limit reached?)"),
    ("big.json", "cannot be written (File too large)"),
    ("cells.csv", "cannot be written (File too large)")])
def test_a_file_size_limit_is_one_line_and_a_rerun_completes(tmp_path, out, message):
    reports = _copies(tmp_path / "reports", 20, "limit")
    target = tmp_path / out
    result = _gxgrammar("parse", reports, "-o", target, "-j", "1", preexec_fn=_limited(100))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"gxgrammar: {target}: {message}"]
    if out.endswith(".sqlite"):
        _whole(target)                              # whole, if not complete
        again = _gxgrammar("parse", reports, "-o", target)
        assert again.returncode == 0, again.stderr
        assert _whole(target) == 20
    else:
        assert not target.exists()                  # no half-written file left behind


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_full_disk_is_one_line():
    result = _run("parse", *EXAMPLES[:3], "-o", "/dev/full")
    assert result.exit_code == 2
    assert result.stderr == "gxgrammar: /dev/full: cannot be written (No space left on device)\n"


# --- a grammar that is not text -----------------------------------------------------------

def test_an_undecodable_grammar_is_named_once_per_run(tmp_path):
    grammars = tmp_path / "grammars"
    grammars.mkdir()
    (grammars / "binary.lark").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    for command in ("parse", "check", "render"):
        result = _run(command, "--grammars", grammars, *EXAMPLES[:4],
                      *(["-o", tmp_path / f"{command}-out/"] if command == "render" else []))
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.splitlines() == [
            f"gxgrammar: grammar {grammars / 'binary.lark'} is not UTF-8 text "
            f"(byte 0: invalid start byte); a grammar is a text file"], command


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", ["check", "render"])
def test_check_and_render_say_so_when_their_output_cannot_be_written(command, tmp_path):
    result = _run(command, EXAMPLES[0], "-o", "/dev/full")
    assert result.exit_code == 2
    assert result.stderr == "gxgrammar: /dev/full: cannot be written (No space left on device)\n"
    missing = _run(command, EXAMPLES[0], "-o", tmp_path / "no" / "such" / "folder" / "x.txt")
    assert missing.exit_code in (0, 2) and "Traceback" not in missing.output


def test_a_file_size_limit_on_parquet_is_one_line(tmp_path):
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install '.[parquet]')")
    target = tmp_path / "reports.parquet"
    result = _gxgrammar("parse", ROOT / "examples", "-o", target, "-j", "1", preexec_fn=_limited(30))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"gxgrammar: {target}: cannot be written (File too large)"]
    assert not target.exists()
