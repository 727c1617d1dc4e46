"""The README's Dask example, run as written on a local cluster of two workers: every
kind of file the command line reads, the wide table as Parquet partitions."""
import pytest

from gxgrammar.writers.wide import wide_columns

from conftest import ALL_EXAMPLES, ROOT, expected_for

MARKER = "<!-- dask example: tests/test_dask.py runs this block -->"


def _example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(MARKER, 1)[1].split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_dask_example_writes_the_wide_table_as_parquet_partitions(tmp_path):
    pytest.importorskip("dask.dataframe", reason="dask[dataframe] is not installed (pip install '.[test]')")
    distributed = pytest.importorskip("dask.distributed", reason="distributed is not installed (pip install '.[test]')")
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install '.[test]')")
    code = _example()
    assert 'name.lower().endswith(suffixes)' in code and "report_suffixes()" in code
    namespace = {"__name__": "readme_dask"}
    exec(compile(code, "README.md (Dask example)", "exec"), namespace)
    out = tmp_path / "reports-parquet"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        namespace["build"](str(ROOT / "examples"), str(out), chunk=6)
    parts = sorted(out.glob("*.parquet"))
    assert len(parts) > 2                                # one a chunk
    table = pd.read_parquet(out)
    assert tuple(table.columns) == wide_columns()
    # every report the command line reads: the saved pages too; README.md is not one
    assert sorted(table["path"]) == sorted([str(p) for p in ALL_EXAMPLES] +
                                           [str(ROOT / "examples" / "with-errors" / "luming-sthj-2021.txt")])
    for example in ALL_EXAMPLES:
        row = table[table["path"] == str(example)].iloc[0]
        for key, value in expected_for(example)["cells"].items():
            assert (value is None and pd.isna(row[key])) or row[key] == value, (example, key)
