"""The Python API: parse_text / parse_file, Report.to_dict() and the long rows."""
import csv
import io
import json
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gxgrammar
from gxgrammar import national as nf
from gxgrammar.writers.export import CSV_COLUMNS, JsonWriter, _csv_fields, csv_text

from conftest import EXAMPLES, expected_for

EXAMPLE = next(p for p in EXAMPLES if p.stem == "bailuwan-zrzy-2021")


def test_parse_text_and_parse_file_read_the_same_report():
    from_file = gxgrammar.parse_file(EXAMPLE)
    from_text = gxgrammar.parse_text(EXAMPLE.read_text(encoding="utf-8"), path=str(EXAMPLE))
    assert from_text.to_dict() == from_file.to_dict()
    assert json.loads(json.dumps(from_file.to_dict(), ensure_ascii=False)) == from_file.to_dict()


def test_the_long_rows_are_one_a_cell_with_labels_from_the_national_format():
    report = gxgrammar.parse_file(EXAMPLE)
    rows = report.rows()
    assert [r["key"] for r in rows] == nf.cell_keys(report.meta["template"]) == list(report.cells())
    assert all(tuple(r) == CSV_COLUMNS for r in rows)
    new_total = next(r for r in rows if r["key"] == "requests.new.total")
    assert new_total == {
        "path": str(EXAMPLE), "sha256": report.source["sha256"], "agency": "白鹭湾区自然资源局",
        "year": 2024, "template": "2021", "layout": "markdown", "status": "ok",
        "table_key": "requests", "row_key": "new", "column_key": "total", "key": "requests.new.total",
        "row_label": "一、本年新收政府信息公开申请数量", "column_label": "总计",
        "value": expected_for(EXAMPLE)["cells"]["requests.new.total"],
        "source_line": report.provenance["requests.new.total"]["line"],
        "source_column": report.provenance["requests.new.total"]["column"], "inferred": False,
        "state": "read", "findings": None}
    inferred = [r["key"] for r in rows if r["inferred"]]
    assert inferred == [f.cells[0] for f in report.findings if f.code == "table.cell_inferred"]
    assert [(r["key"], r["state"], r["findings"]) for r in rows if r["findings"]] == \
        [("requests.granted.total", "inferred", "table.cell_inferred")]
    assert [r["state"] for r in rows] == list(report.states().values())


def test_rows_of_many_reports_pivot_to_one_wide_table():
    pd = pytest.importorskip("pandas")
    reports = [gxgrammar.parse_file(p) for p in EXAMPLES]
    frame = pd.DataFrame([row for r in reports for row in r.rows()])
    wide = frame.pivot(index="path", columns="key", values="value")
    assert wide.shape == (len(EXAMPLES), len(set(nf.cell_keys("2021")) | set(nf.cell_keys("2019"))))
    for path in EXAMPLES:
        assert wide.loc[str(path), "requests.new.total"] == expected_for(path)["cells"]["requests.new.total"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


@given(st.lists(json_values, min_size=2, max_size=5))
def test_the_streamed_json_list_is_what_json_dumps_writes(docs):
    out = io.BytesIO()
    writer = JsonWriter(out, single=False)
    for doc in docs:
        writer.write(json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"))
    writer.close()
    assert out.getvalue().decode("utf-8") == json.dumps(docs, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
@example("\0")
def test_any_path_survives_the_csv(path):
    report = gxgrammar.parse_text(EXAMPLE.read_text(encoding="utf-8"), path=path)
    text = csv_text(report)
    if "\0" in path and sys.version_info < (3, 11):
        # Python 3.10's csv module neither writes nor reads a NUL: the path is written as
        # 3.11's writes it, the NUL as it is.
        lines = text.split("\r\n")
        assert lines.pop() == "" and len(lines) == len(report.cells())
        assert all(line.startswith(_csv_fields((path,)) + ",") for line in lines)
        assert "\0" in _csv_fields((path,))
        return
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(report.cells())
    assert {r[0] for r in rows} == {path}
    assert [r[CSV_COLUMNS.index("key")] for r in rows] == list(report.cells())
    # the very text the csv module writes for the same rows
    expected = io.StringIO()
    csv.writer(expected).writerows(["" if v is None else {True: "true", False: "false"}.get(v, v)
                                    if isinstance(v, bool) or v is None else v for v in row.values()]
                                   for row in report.rows())
    assert text == expected.getvalue()


def test_a_parse_leaves_no_reference_cycles():
    """The collector is paused during a parse (see parser._parse): that is only
    sound while a parse leaves nothing that needs it."""
    import gc
    for path in EXAMPLES:      # every layout, web pages too; grammars loaded first
        gxgrammar.parse_file(path)
    gc.collect()
    gc.disable()
    try:
        for path in EXAMPLES:
            report = gxgrammar.parse_file(path)
            del report
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_the_collector_is_resumed_as_it_was():
    import gc
    gxgrammar.parse_file(EXAMPLES[0])
    assert gc.isenabled()
    gc.disable()
    try:
        gxgrammar.parse_file(EXAMPLES[0])
        assert not gc.isenabled()
    finally:
        gc.enable()
