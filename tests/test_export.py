"""Exports people load: the long CSV with status, state and finding codes; the wide table
as CSV and Parquet; the JSON Schema of the JSON output."""
import csv
import io
import json

import pytest

from gxgrammar.national.indicators import INDICATORS, indicators
from click.testing import CliRunner

from gxgrammar import national as nf
from gxgrammar import parse_file
from gxgrammar.cli import main
from gxgrammar.writers.wide import WIDE_META, wide_columns, wide_keys

from conftest import EXAMPLES, FIXTURES, expected_for

WITH_ERRORS = sorted((EXAMPLES[0].parent.parent / "with-errors").glob("*.txt"))


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_the_long_csv_carries_status_state_and_the_codes_of_the_findings(tmp_path):
    out = tmp_path / "cells.csv"
    assert _run("parse", *EXAMPLES, *WITH_ERRORS, "-o", out).exit_code == 0
    rows = _csv(out)
    bad = [r for r in rows if r["path"] == str(WITH_ERRORS[0])]
    assert {r["status"] for r in bad} == {"errors"}
    named = {r["key"]: r["findings"] for r in bad if r["findings"]}
    report = parse_file(WITH_ERRORS[0])
    for f in report.findings:
        for key in f.cells:
            assert f.code in named[key].split(";")
    assert {r["state"] for r in rows} <= {"read", "blank", "inferred", "not_read"}
    for example in EXAMPLES:
        report = parse_file(example)
        mine = [r for r in rows if r["path"] == str(example)]
        assert [r["state"] for r in mine] == list(report.states().values())
        assert {r["status"] for r in mine} == {"ok"}


@pytest.mark.parametrize("how", [("--format", "wide", "-o", "{dir}/reports.csv"), ("-o", "{dir}/reports.wide.csv"),
                                 ("-o", "{dir}/wide-2024.csv")])
def test_the_wide_csv_is_one_row_a_report_one_column_a_cell(tmp_path, how):
    args = [a.format(dir=tmp_path) for a in how]
    result = _run("parse", *EXAMPLES, *WITH_ERRORS, *args)
    assert result.exit_code == 0, result.output
    out = tmp_path / args[-1].rsplit("/", 1)[1]
    assert out.read_bytes().startswith(b"\xef\xbb\xbfpath,sha256,agency,year,template,layout,status,errors,warnings,"
                                       b"active.regulations.issued,")
    rows = _csv(out)
    assert tuple(rows[0]) == wide_columns()
    assert len(rows) == len(EXAMPLES) + len(WITH_ERRORS)
    for row, example in zip(rows, EXAMPLES):
        expected = expected_for(example)
        assert row["path"] == str(example)
        assert (row["agency"], row["year"], row["template"], row["status"]) == \
            (expected["meta"]["agency"], str(expected["meta"]["year"]), expected["meta"]["template"], "ok")
        for key in wide_keys():
            value = expected["cells"].get(key)
            assert row[key] == ("" if value is None else str(value)), (example, key)
    bad = rows[-1]
    report = parse_file(WITH_ERRORS[0])
    assert (bad["status"], bad["errors"], bad["warnings"]) == \
        ("errors", str(len(report.errors)), str(sum(f.severity == "warning" for f in report.findings)))


def test_the_wide_columns_hold_both_formats_keys_in_the_formats_order():
    keys = wide_keys()
    assert set(keys) == set(nf.cell_keys("2021")) | set(nf.cell_keys("2019"))
    assert [k for k in keys if k in set(nf.cell_keys("2021"))] == nf.cell_keys("2021")
    # 2019: its rows in its order (a row's 2019-only columns follow the 2021 ones)
    rows = lambda ks: list(dict.fromkeys(k.rsplit(".", 1)[0] for k in ks))   # noqa: E731
    assert rows(k for k in keys if k in set(nf.cell_keys("2019"))) == rows(nf.cell_keys("2019"))


def test_indicators_are_columns_named_after_them(tmp_path):
    out = tmp_path / "r.wide.csv"
    assert _run("parse", *EXAMPLES[:3], "-o", out, "--jobs", "1").exit_code == 0
    rows = _csv(out)
    names = [i.name for i in INDICATORS]
    assert tuple(rows[0])[-len(names):] == tuple(f"indicator.{n}" for n in names)
    for row, example in zip(rows, EXAMPLES[:3]):
        found = indicators(parse_file(example))
        for name in names:           # a rate without a value (a denominator of 0) is empty
            value = found[name]["value"]
            assert row[f"indicator.{name}"] == ("" if value is None else str(value)), (example, name)


def test_the_wide_table_as_parquet(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "reports.parquet"
    result = _run("parse", *EXAMPLES, "-o", out)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert tuple(table.column_names) == wide_columns()
    assert str(table.schema.field("year").type) == "int64"
    assert str(table.schema.field("requests.new.total").type) == "double"
    frame = table.to_pandas()
    for (_, row), example in zip(frame.iterrows(), EXAMPLES):
        assert row["path"] == str(example)
        for key, value in expected_for(example)["cells"].items():
            assert (row[key] != row[key] and value is None) or row[key] == value, (example, key)


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    import builtins
    real = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    result = _run("parse", *EXAMPLES[:2], "-o", tmp_path / "r.parquet")
    assert result.exit_code == 2
    assert result.stderr == "gxgrammar: writing Parquet needs pyarrow: pip install 'gxgrammar[parquet]'\n"
    assert not (tmp_path / "r.parquet").exists()


@pytest.mark.parametrize("name", ["out.xyz", "out", "report.txt"])
def test_an_unknown_output_suffix_is_refused_with_the_known_ones(tmp_path, name):
    result = _run("parse", EXAMPLES[0], "-o", tmp_path / name)
    assert result.exit_code == 2
    assert "cannot tell the output format" in result.stderr
    for known in (".json", ".jsonl", ".csv", "wide", ".parquet", ".sqlite"):
        assert known in result.stderr
    assert not (tmp_path / name).exists()
    named = _run("parse", EXAMPLES[0], "-o", tmp_path / name, "--format", "json")    # said outright: fine
    assert named.exit_code == 0
    assert json.loads((tmp_path / name).read_text(encoding="utf-8"))["format"] == "gxgrammar.report/1"


def test_the_json_schema_is_printed_and_every_example_is_valid_against_it():
    jsonschema = pytest.importorskip("jsonschema")
    result = _run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = sorted((FIXTURES / "bad").glob("*.txt"))
    for path in EXAMPLES + WITH_ERRORS:
        doc = parse_file(path).to_dict()
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]
        assert errors == [], path
    # and it is not so loose that anything passes
    doc = parse_file(EXAMPLES[0]).to_dict()
    doc["tables"]["requests"]["new"]["total"] = "52"
    assert not validator.is_valid(doc)
    doc = parse_file(EXAMPLES[0]).to_dict()
    doc["tables"]["requests"]["no_such_row"] = {}
    assert not validator.is_valid(doc)
    assert bad      # (bad input has no JSON: it is refused)


def test_wide_meta_is_the_reports_columns_then_the_counts():
    assert WIDE_META == ("path", "sha256", "agency", "year", "template", "layout", "status", "errors", "warnings")
