"""The store's shape: cells keyed by small integers behind views that read as before,
every path of identical files kept, the wide view, and stores of earlier versions
brought up to date with their reports kept."""
import sqlite3

import pytest
from click.testing import CliRunner

from gxgrammar import national as nf
from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.writers.export import CSV_COLUMNS
from gxgrammar.writers.wide import wide_columns, wide_row

from conftest import EXAMPLES, FIXTURES, ROOT

OLD_STORE = FIXTURES / "stores" / "version-2.sql"
# What the cells table of versions 1 and 2 had: the view of version 3 keeps every column.
CELLS_BEFORE = ("report_id", "table_key", "row_key", "column_key", "key", "row_label", "column_label", "value",
                "source_line", "source_column", "inferred")


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _old_store(path, version):
    db = sqlite3.connect(path)
    db.executescript(OLD_STORE.read_text(encoding="utf-8"))
    if version == 1:                     # version 1 had no preamble
        db.executescript("ALTER TABLE reports DROP COLUMN preamble; PRAGMA user_version = 1;")
    db.close()
    return path


@pytest.mark.parametrize("version", [1, 2])
def test_a_store_of_an_earlier_version_is_brought_up_to_date_and_kept(tmp_path, version):
    store = _old_store(tmp_path / "old.sqlite", version)
    before = sqlite3.connect(store)
    old_cells = before.execute(f"SELECT {', '.join(CELLS_BEFORE)} FROM cells ORDER BY report_id, key").fetchall()
    old_reports = before.execute("SELECT id, path, sha256, status FROM reports ORDER BY id").fetchall()
    before.close()
    example = next(p for p in EXAMPLES if p.stem == "luming-sthj-2021")
    result = _run("parse", example, "-o", store)
    assert result.exit_code == 0, result.output
    assert result.stderr == "gxgrammar: 1 parsed (0 with errors), 0 failed, 0 skipped (already in " f"{store})\n"
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA user_version").fetchone() == (4,)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # the reports kept, the new one beside them
    assert db.execute("SELECT id, path, sha256, status FROM reports WHERE id <= 3 ORDER BY id").fetchall() == old_reports
    assert db.execute(f"SELECT {', '.join(CELLS_BEFORE)} FROM cells WHERE report_id <= 3 "
                      f"ORDER BY report_id, key").fetchall() == old_cells
    # the state and the finding codes of the moved cells are what a parse gives today
    for rid, path in db.execute("SELECT id, path FROM reports WHERE status = 'ok'").fetchall():
        report = parse_file(ROOT / path)
        stored = {k: (s, f) for k, s, f in db.execute("SELECT key, state, findings FROM cells WHERE report_id = ?",
                                                       (rid,))}
        rows = {r["key"]: (r["state"], r["findings"]) for r in report.rows()}
        assert stored == rows
    assert db.execute("SELECT path FROM paths ORDER BY path").fetchall() == \
        sorted([(p,) for (p,) in db.execute("SELECT path FROM reports")])
    if version == 1:
        assert db.execute("SELECT count(*) FROM reports WHERE preamble IS NULL AND id <= 3").fetchone() == (3,)
    # the agency keys of the reports kept, worked out as the store was brought up to date
    assert [k for k, a in db.execute("SELECT agency_key, agency FROM reports") if a] == \
        [nf.agency_key(a) for (a,) in db.execute("SELECT agency FROM reports") if a]


def test_the_store_sets_years_side_by_side_as_check_does(tmp_path):
    import json
    folder = FIXTURES / "series"
    store = tmp_path / "s.sqlite"
    assert _run("parse", folder, "-o", store).exit_code == 0
    expected = json.loads((folder / "series.expected.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(store)
    pairs = db.execute("SELECT previous_year, year FROM report_pairs ORDER BY year").fetchall()
    assert [list(p) for p in pairs] == expected["pairs"]
    broken = db.execute("SELECT r.path, s.cell FROM series_checks s JOIN reports r ON r.id = s.report_id "
                        "WHERE NOT s.holds ORDER BY r.path, s.cell").fetchall()
    assert broken == sorted((str(folder / name), cell) for name, found in expected["findings"].items()
                            for f in found for cell in f["cells"])
    # 申请增长率 against the year before, as the indicator computes it given that report
    from gxgrammar.national.indicators import indicators
    reports = {r.meta["year"]: r for r in map(parse_file, sorted(folder.glob("*.txt")))}
    growth = dict(db.execute("SELECT year, application_growth FROM report_pairs"))
    assert growth == {year: indicators(reports[year], reports[year - 1])["application_growth"]["value"]
                      for year in growth}
    assert len(growth) == 4


def test_two_reports_of_one_agency_and_year_are_paired_with_neither(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("qixiawan-zfb-2022.txt", "qixiawan-zfb-2023.txt"):
        (folder / name).write_bytes((FIXTURES / "series" / name).read_bytes())
    twice = (FIXTURES / "series" / "qixiawan-zfb-2023.txt").read_text(encoding="utf-8") + "\n附：另一份。\n"
    (folder / "qixiawan-zfb-2023-again.txt").write_text(twice, encoding="utf-8")
    store = tmp_path / "s.sqlite"
    assert _run("parse", folder, "-o", store).exit_code == 0
    db = sqlite3.connect(store)
    assert db.execute("SELECT count(*) FROM report_pairs").fetchone() == (0,)


def test_the_cells_and_report_cells_views_keep_their_columns_and_gain_state_and_findings(tmp_path):
    store = tmp_path / "s.sqlite"
    assert _run("parse", *EXAMPLES, "-o", store).exit_code == 0
    db = sqlite3.connect(store)
    cells = db.execute("SELECT * FROM cells LIMIT 1")
    assert tuple(d[0] for d in cells.description) == CELLS_BEFORE + ("state", "findings")
    view = db.execute("SELECT * FROM report_cells")
    assert tuple(d[0] for d in view.description) == CSV_COLUMNS
    rows = view.fetchall()
    expected = [tuple(r.values()) for p in EXAMPLES for r in parse_file(p).rows()]
    # the store holds booleans as 0/1
    assert sorted(rows, key=repr) == sorted((r[:16] + (int(r[16]),) + r[17:] for r in expected), key=repr)


def test_a_cell_row_holds_small_integers_only(tmp_path):
    store = tmp_path / "s.sqlite"
    assert _run("parse", *EXAMPLES, "-o", store).exit_code == 0
    db = sqlite3.connect(store)
    columns = [r[1] for r in db.execute("PRAGMA table_info(cell_values)")]
    assert columns == ["report_id", "cell", "value", "source_line", "source_column", "state", "inferred", "findings"]
    assert db.execute("SELECT count(*) FROM cell_keys").fetchone() == \
        (len(nf.cell_keys("2021")) + len(nf.cell_keys("2019")),)
    assert db.execute("SELECT code, name FROM cell_states").fetchall() == \
        [(0, "read"), (1, "blank"), (2, "inferred"), (3, "not_read")]


def test_every_path_of_identical_files_is_kept(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (reports / name).write_bytes(EXAMPLES[0].read_bytes())
    store = tmp_path / "s.sqlite"
    result = _run("parse", reports, "-o", store)
    assert result.stderr == "gxgrammar: 1 parsed (0 with errors), 0 failed, 2 identical to a stored report\n"
    db = sqlite3.connect(store)
    assert db.execute("SELECT count(*) FROM reports").fetchone() == (1,)
    assert db.execute("SELECT path FROM paths ORDER BY path").fetchall() == \
        [(str(reports / n),) for n in ("a.txt", "b.txt", "c.txt")]
    # a path whose content changes leaves the others where they were
    (reports / "a.txt").write_bytes(EXAMPLES[1].read_bytes())
    again = _run("parse", reports, "-o", store)
    assert again.stderr == f"gxgrammar: 1 parsed (0 with errors), 0 failed, 2 skipped (already in {store})\n"
    assert db.execute("SELECT r.sha256 = ? FROM paths p JOIN reports r ON r.id = p.report_id WHERE p.path = ?",
                      (parse_file(EXAMPLES[1]).source["sha256"], str(reports / "a.txt"))).fetchone() == (1,)
    assert db.execute("SELECT path FROM reports ORDER BY id").fetchall() == \
        [(str(reports / "b.txt"),), (str(reports / "a.txt"),)]


def test_the_wide_view_is_the_wide_export(tmp_path):
    store = tmp_path / "s.sqlite"
    assert _run("parse", *EXAMPLES, "-o", store).exit_code == 0
    db = sqlite3.connect(store)
    view = db.execute("SELECT * FROM report_wide ORDER BY path")
    assert tuple(d[0] for d in view.description) == wide_columns()
    expected = sorted(wide_row(parse_file(p)) for p in EXAMPLES)
    assert view.fetchall() == expected
