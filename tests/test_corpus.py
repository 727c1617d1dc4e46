"""A corpus at a time: folders into the SQLite store, long CSV and JSON Lines exports,
re-runs that skip what is stored, and a batch that goes past a broken file."""
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from gxgrammar.readers.text import decode
from gxgrammar import national as nf
from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.writers.export import CSV_COLUMNS

from conftest import EXAMPLES, FIXTURES, expected_for

# A note that quotes the format's labels: a folder scan reads it, and it is not a report.
BROKEN = FIXTURES / "bad" / "labels-only.txt"


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# The heading of section 六 as a line of text, Markdown or a saved web page writes it.
SECTION_6 = re.compile(r"\s*(#+\s*|(<[^>]+>)*)六")


def _variant(text, n, html=False):
    """The report with a note of its own in section 六, so that each copy has its own sha256."""
    lines = text.split("\n")
    at = next(i for i, l in enumerate(lines) if SECTION_6.match(l)) + 1
    tag = "".join(chr(ord("a") + int(d)) for d in str(n))
    note = f"附注：副本编号 {tag}。"
    return "\n".join(lines[:at] + [f"<p>{note}</p>" if html else note] + lines[at:])


def _copy(example, n):
    """The file name of copy `n` of an example (its suffix kept: a folder holds .html too)."""
    return f"{example.stem}-{n}{example.suffix}"


def _corpus(folder, copies=1, broken=True):
    """Every example (`copies` variants of each) in sub-folders, and one broken report."""
    folder.mkdir(exist_ok=True)
    for i in range(copies):
        for ex in EXAMPLES:
            target = folder / ex.parent.name / _copy(ex, i)
            target.parent.mkdir(exist_ok=True)
            text = decode(ex.read_bytes())[0]       # a saved page may be in GB2312
            target.write_text(_variant(text, i, ex.suffix == ".html"), encoding="utf-8")
    if broken:
        (folder / "broken.txt").write_bytes(BROKEN.read_bytes())
    (folder / "notes.xlsx").write_bytes(b"PK not a report suffix, not read")
    return folder


def _broken_line(path):
    expected = (FIXTURES / "bad" / "labels-only.expected").read_text(encoding="utf-8")
    message = next(l for l in expected.splitlines() if l.startswith("stderr: "))[len("stderr: "):]
    return message.replace("{path}", str(path))


def test_a_folder_with_a_broken_file_goes_into_the_store_and_the_summary_names_it(tmp_path):
    corpus = _corpus(tmp_path / "reports")
    store = tmp_path / "corpus.sqlite"
    result = _run("parse", corpus, "--out", store, "--jobs", "2")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        _broken_line(corpus / "broken.txt"),
        f"gxgrammar: {len(EXAMPLES)} parsed (0 with errors), 1 failed"]     # a fresh store: nothing skipped

    db = sqlite3.connect(store)
    rows = db.execute("SELECT path, status, error, agency, year, template, layout FROM reports "
                      "ORDER BY path != ?, path", (str(corpus / "broken.txt"),)).fetchall()
    assert len(rows) == len(EXAMPLES) + 1
    broken = next(r for r in rows if r[0] == str(corpus / "broken.txt"))     # sorted among the folders
    assert broken == (str(corpus / "broken.txt"), "failed", _broken_line(corpus / "broken.txt")[len("gxgrammar: "):],
                      None, None, None, None)
    for (path, status, error, agency, year, template, layout), example in zip(
            [r for r in rows if r is not broken], EXAMPLES):
        expected = expected_for(example)
        assert path == str(corpus / example.parent.name / _copy(example, 0))
        assert (status, error) == ("ok", None)
        assert (agency, year, template) == (expected["meta"]["agency"], expected["meta"]["year"],
                                           expected["meta"]["template"])
        assert layout == expected["layout"]
        cells = dict(db.execute("SELECT c.key, c.value FROM cells c JOIN reports r ON r.id = c.report_id "
                                "WHERE r.path = ?", (path,)))
        assert cells == expected["cells"]
        titles = [t for (t,) in db.execute("SELECT s.title FROM sections s JOIN reports r ON r.id = s.report_id "
                                           "WHERE r.path = ? ORDER BY s.number", (path,))]
        assert titles == expected["sections"]
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_store_holds_labels_provenance_and_findings_as_the_parse_gives_them(tmp_path):
    example = next(p for p in EXAMPLES if p.stem == "bailuwan-zrzy-2021")   # one inferred cell
    store = tmp_path / "one.sqlite"
    assert _run("parse", example, "--out", store).exit_code == 0
    report = parse_file(example)
    db = sqlite3.connect(store)
    label, column, value, line, col, inferred = db.execute(
        "SELECT row_label, column_label, value, source_line, source_column, inferred FROM cells "
        "WHERE key = 'requests.denied_state_secret.total'").fetchone()
    assert (label, column) == ("（三）不予公开1.属于国家秘密", "总计")
    assert f"{label}·{column}" == nf.cell_label("requests.denied_state_secret.total")
    where = report.provenance["requests.denied_state_secret.total"]
    assert (value, line, col, inferred) == (report.cells()["requests.denied_state_secret.total"],
                                            where["line"], where.get("column"), 0)
    inferred_keys = {k for (k,) in db.execute("SELECT key FROM cells WHERE inferred = 1")}
    assert inferred_keys == {k for k, p in report.provenance.items() if p.get("inferred")} != set()
    findings = db.execute("SELECT code, severity, message, cells, line FROM findings ORDER BY seq").fetchall()
    assert findings == [(f.code, f.severity, f.message, json.dumps(f.cells, ensure_ascii=False), f.line)
                        for f in report.findings]
    view = db.execute("SELECT * FROM report_cells WHERE key = 'requests.new.total'")
    assert tuple(d[0] for d in view.description) == CSV_COLUMNS
    assert view.fetchone()[CSV_COLUMNS.index("value")] == report.cells()["requests.new.total"]


def test_the_store_keeps_the_preamble_and_the_report_meta(tmp_path):
    example = next(p for p in EXAMPLES if p.stem == "bailuwan-zrzy-2021")
    store = tmp_path / "one.sqlite"
    assert _run("parse", example, "--out", store).exit_code == 0
    report = parse_file(example)
    row = sqlite3.connect(store).execute("SELECT preamble, title, signed, encoding FROM reports").fetchone()
    assert row == (report.preamble, report.meta["title"], report.meta.get("signed"), "utf-8")
    assert report.preamble


def test_running_again_skips_what_the_store_holds_unless_forced(tmp_path):
    corpus = _corpus(tmp_path / "reports", broken=False)
    store = tmp_path / "corpus.sqlite"
    n = len(EXAMPLES)
    assert _run("parse", corpus, "--out", store).exit_code == 0
    again = _run("parse", corpus, "--out", store)
    assert again.exit_code == 0
    assert again.stderr == f"gxgrammar: 0 parsed (0 with errors), 0 failed, {n} skipped (already in {store})\n"
    db = sqlite3.connect(store)

    edited = corpus / EXAMPLES[0].parent.name / _copy(EXAMPLES[0], 0)
    edited.write_text(_variant(edited.read_text(encoding="utf-8"), 7, edited.suffix == ".html"), encoding="utf-8")
    (corpus / "copy-a.txt").write_bytes(EXAMPLES[1].read_bytes())
    (corpus / "copy-b.txt").write_bytes(EXAMPLES[1].read_bytes())     # the same content twice in a run
    third = _run("parse", corpus, "--out", store)
    assert third.stderr.splitlines()[-1] == (f"gxgrammar: 2 parsed (0 with errors), 0 failed, {n - 1} skipped "
                                             f"(already in {store}), 1 identical to a stored report")
    paths = [p for (p,) in db.execute("SELECT path FROM reports")]
    assert len(paths) == n + 1 and paths.count(str(edited)) == 1   # the new version replaced the old one
    assert str(corpus / "copy-a.txt") in paths and str(corpus / "copy-b.txt") not in paths
    # every file's path is kept: the second copy is a path of the first's report
    assert db.execute("SELECT p.report_id = r.id FROM paths p, reports r WHERE p.path = ? AND r.path = ?",
                      (str(corpus / "copy-b.txt"), str(corpus / "copy-a.txt"))).fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM paths").fetchone() == (n + 2,)
    for copy in ("copy-a.txt", "copy-b.txt"):
        (corpus / copy).unlink()
    before = db.execute("SELECT id FROM reports ORDER BY id").fetchall()

    forced = _run("parse", corpus, "--out", store, "--force")
    assert forced.stderr.splitlines()[-1] == \
        f"gxgrammar: {n} parsed (0 with errors), 0 failed, 0 skipped (already in {store})"
    after = db.execute("SELECT id FROM reports ORDER BY id").fetchall()
    assert len(after) == n + 1 and len(set(after) - set(before)) == n   # the same rows, written anew
    per_report = db.execute("SELECT r.template, count(*) FROM cells c JOIN reports r ON r.id = c.report_id "
                            "GROUP BY r.id").fetchall()
    assert all(count == len(nf.cell_keys(t)) for t, count in per_report)


def test_the_summary_says_when_skipped_reports_were_parsed_by_an_earlier_version(tmp_path):
    corpus = _corpus(tmp_path / "reports", broken=False)
    store = tmp_path / "corpus.sqlite"
    assert _run("parse", corpus, "--out", store).exit_code == 0
    db = sqlite3.connect(store)
    db.execute("UPDATE reports SET version = '0.0.9' WHERE id <= 3")
    db.commit()
    again = _run("parse", corpus, "--out", store)
    n = len(EXAMPLES)
    assert again.stderr.splitlines() == [
        f"gxgrammar: 0 parsed (0 with errors), 0 failed, {n} skipped (already in {store})",
        "gxgrammar: 3 of the skipped reports were parsed by an earlier version of gxgrammar; "
        "--force parses them again"]


def test_the_long_csv_loads_in_pandas_with_keys_and_labels_side_by_side(tmp_path):
    pd = pytest.importorskip("pandas")
    corpus = _corpus(tmp_path / "reports")
    out = tmp_path / "cells.csv"
    result = _run("parse", corpus, "--out", out)
    assert result.exit_code == 1 and result.stderr.splitlines()[0] == _broken_line(corpus / "broken.txt")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf" + b"path,sha256,agency,year")   # Excel reads it as UTF-8
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype={"template": str})
    assert tuple(frame.columns) == CSV_COLUMNS
    reports = {p: parse_file(p) for p in EXAMPLES}
    assert len(frame) == sum(len(r.cells()) for r in reports.values())
    assert frame["inferred"].dtype == bool and frame["year"].dtype == "int64"
    for example, report in reports.items():
        rows = frame[frame["path"] == str(corpus / example.parent.name / _copy(example, 0))]
        values = {k: (None if pd.isna(v) else v) for k, v in zip(rows["key"], rows["value"])}
        assert values == report.cells()
        first = rows.iloc[0]
        assert f"{first['row_label']}·{first['column_label']}" == nf.cell_label(first["key"], first["template"])


def test_jsonl_and_csv_go_to_standard_output(tmp_path):
    a, b = EXAMPLES[:2]
    lines = _run("parse", a, b, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(l) for l in lines] == [parse_file(a).to_dict(), parse_file(b).to_dict()]
    text = _run("parse", a, "--format", "csv").stdout
    assert text.startswith("\ufeffpath,sha256,agency,year,template,layout,status,table_key,row_key,column_key,key,")
    assert len(text.splitlines()) == 1 + len(parse_file(a).cells())


def test_several_reports_as_json_are_the_list_json_dumps_would_write():
    result = _run("parse", *EXAMPLES[:3], "--jobs", "2")
    docs = [parse_file(p).to_dict() for p in EXAMPLES[:3]]
    assert result.stdout == json.dumps(docs, ensure_ascii=False, indent=2) + "\n"


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("not a database, " * 100, encoding="utf-8")
    result = _run("parse", EXAMPLES[0], "--out", notes)
    assert result.exit_code == 2
    assert result.stderr == f"gxgrammar: {notes}: cannot be used as the store: file is not a database\n"
    no_out = _run("parse", EXAMPLES[0], "--format", "sqlite")
    assert no_out.exit_code == 2
    assert "the sqlite format writes a store file: name it with -o FILE.sqlite" in no_out.stderr


def test_a_folder_without_reports_is_named(tmp_path):
    (tmp_path / "empty").mkdir()
    result = _run("parse", tmp_path / "empty", EXAMPLES[0], "--format", "jsonl")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"gxgrammar: {tmp_path / 'empty'}: a folder with no report files (*.pdf, *.docx, *.doc, *.wps, *.html, *.htm, *.mht, *.mhtml, *.txt, *.md)",
        "gxgrammar: 1 parsed (0 with errors), 1 failed"]


def _store_is_whole(store):
    """Every stored report has all its cells and sections: no report is half written."""
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for rid, template in db.execute("SELECT id, template FROM reports WHERE status = 'ok'").fetchall():
        assert db.execute("SELECT count(*) FROM cells WHERE report_id = ?", (rid,)).fetchone()[0] == \
            len(nf.cell_keys(template))
        assert db.execute("SELECT count(*) FROM sections WHERE report_id = ?", (rid,)).fetchone()[0] == 6
    return db.execute("SELECT count(*) FROM reports").fetchone()[0]


def _start(corpus, store):
    proc = subprocess.Popen([sys.executable, "-m", "gxgrammar", "parse", str(corpus), "--out", str(store)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:   # until the first reports are committed
        try:
            if sqlite3.connect(store).execute("SELECT count(*) FROM reports").fetchone()[0]:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    return proc


def test_an_interrupted_run_stops_after_whole_reports_and_says_so(tmp_path):
    corpus = _corpus(tmp_path / "reports", copies=40, broken=False)
    store = tmp_path / "corpus.sqlite"
    proc = _start(corpus, store)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    stored = _store_is_whole(store)
    assert 0 < stored < 40 * len(EXAMPLES)
    assert err.splitlines()[-1] == (f"gxgrammar: interrupted; {store} holds {stored} reports, each complete "
                                    f"(run the same command again to go on)")


def test_a_killed_run_leaves_a_whole_store_and_the_next_run_goes_on(tmp_path):
    corpus = _corpus(tmp_path / "reports", copies=40, broken=False)
    store = tmp_path / "corpus.sqlite"
    proc = _start(corpus, store)
    proc.kill()
    proc.communicate(timeout=60)    # returns once the workers, orphaned, have stopped too
    stored = _store_is_whole(store)
    assert 0 < stored < 40 * len(EXAMPLES)
    result = _run("parse", corpus, "--out", store)
    assert result.stderr.splitlines()[-1] == (f"gxgrammar: {40 * len(EXAMPLES) - stored} parsed (0 with errors), "
                                              f"0 failed, {stored} skipped (already in {store})")
    assert _store_is_whole(store) == 40 * len(EXAMPLES)


def _exit_on_one(report, status):
    if "shiliu" in report.source["path"]:
        os._exit(3)
    return report.source["path"]


def test_a_file_that_takes_its_worker_down_fails_alone():
    from gxgrammar.cli.batch import outcomes
    paths = [str(p) for p in EXAMPLES]
    results = list(outcomes(paths, _exit_on_one, {}, jobs=2, context="fork"))
    assert [o.path for o in results] == paths
    failed = [(o.path, o.message) for o in results if o.status == "failed"]
    crashed = next(p for p in paths if "shiliu" in p)
    assert failed == [(crashed, f"{crashed}: the process parsing it stopped (out of memory, or a crash)")]
    assert [o.payload for o in results if o.status == "ok"] == [p for p in paths if p != crashed]


def test_workers_may_be_spawned():
    """Nothing a worker needs comes from the parent's memory (macOS and Windows spawn)."""
    from gxgrammar.cli.batch import outcomes
    from gxgrammar.writers.export import jsonl_payload
    paths = [str(p) for p in EXAMPLES[:4]]
    spawned = [o.payload for o in outcomes(paths, jsonl_payload, {}, jobs=2, context="spawn")]
    assert spawned == [jsonl_payload(parse_file(p), "ok") for p in paths]


def test_the_compiled_parser_reads_every_report_as_the_pure_python_one():
    """With lark_cython installed (the `fast` extra) the output, errors included, is the same."""
    pytest.importorskip("lark_cython")
    bad = sorted(p for p in (FIXTURES / "bad").iterdir() if p.suffix != ".expected")
    runs = []
    for pure in ("", "1"):
        env = dict(os.environ, GXGRAMMAR_PURE_PYTHON=pure)
        runs.append(subprocess.run([sys.executable, "-m", "gxgrammar", "parse", "--format", "jsonl", "--jobs", "1",
                                    *map(str, EXAMPLES + bad)], env=env, capture_output=True, text=True))
    fast, pure = runs
    assert (fast.returncode, fast.stdout, fast.stderr) == (pure.returncode, pure.stdout, pure.stderr)
    assert len(fast.stdout.splitlines()) == len(EXAMPLES)
    assert len(fast.stderr.splitlines()) == len(bad) + 1


def test_an_output_that_cannot_be_written_is_refused_before_parsing(tmp_path):
    out = tmp_path / "no" / "such" / "cells.csv"
    result = _run("parse", *EXAMPLES[:2], "--out", out)
    assert result.exit_code == 2
    assert result.stderr == f"gxgrammar: {out}: cannot be written: its folder does not exist\n"


def test_content_stored_meanwhile_by_another_run_is_kept_as_a_path_not_duplicated(tmp_path):
    from gxgrammar.writers.store import Store, records
    report, moved = parse_file(EXAMPLES[0]), parse_file(EXAMPLES[0])
    moved.source["path"] = "elsewhere/copy.txt"
    first, second = Store(tmp_path / "s.sqlite"), Store(tmp_path / "s.sqlite")
    first.add(records(report, "ok"))
    first.close()
    second.add(records(moved, "ok"))     # its skip list predates the first's write
    second.flush()
    assert second.identical == ["elsewhere/copy.txt"]
    second.close()
    db = sqlite3.connect(tmp_path / "s.sqlite")
    assert db.execute("SELECT count(*) FROM reports").fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM cells").fetchone() == (len(report.cells()),)
    assert sorted(db.execute("SELECT path FROM paths")) == sorted([("elsewhere/copy.txt",), (str(EXAMPLES[0]),)])


@pytest.mark.parametrize("out,fmt", [("corpus.sqlite", "sqlite"), ("corpus.sqlite3", "sqlite"), ("x.DB", "sqlite"),
                                     ("cells.csv", "csv"), ("r.jsonl", "jsonl"), ("r.ndjson", "jsonl"),
                                     ("r.json", "json"), ("-", "json"), ("reports.wide.csv", "wide"),
                                     ("wide-2024.CSV", "wide"), ("reports.parquet", "parquet")])
def test_the_out_files_suffix_names_the_format(out, fmt):
    from gxgrammar.cli.batch import format_for
    assert format_for(out) == fmt
