"""The wide table: one row a report, one column a cell.

Columns: the report's meta (WIDE_META), then every cell key of both formats in the
format's order (a 2019-only key is empty in a 2021 report and the other way round),
then its indicators as `indicator.NAME` (their values; why one is empty is in the
JSON). Written as CSV (`--format wide`, or an output file named *wide*.csv) and, with
pyarrow installed (`pip install 'gxgrammar[parquet]'`), as Parquet (`-o x.parquet`).
The store's `report_wide` view has the same shape.
"""
from __future__ import annotations

from functools import lru_cache

from gxgrammar import national as nf
from gxgrammar.errors import InputError
from gxgrammar.national.indicators import indicators
from gxgrammar.writers.export import CSV_BOM, _csv_fields, _csv_value, report_fields

WIDE_META = ("path", "sha256", "agency", "year", "template", "layout", "status", "errors", "warnings")
INDICATOR_PREFIX = "indicator."
PARQUET_EXTRA = "parquet"


@lru_cache(maxsize=1)
def wide_keys():
    """Every cell key of both formats, in the format's order: table by table, row by row
    (a 2019-only row where the 2019 format has it), each row's 2021 columns then its
    2019-only ones."""
    keys = []
    for table in ("active", "requests", "appeals"):
        for row in nf.TABLE_ROWS[table]:
            for template in nf.TEMPLATES:
                if row.in_template(template):
                    for column in nf.columns_for(table, row, template):
                        key = f"{table}.{row.key}.{column.key}"
                        if key not in keys:
                            keys.append(key)
    return tuple(keys)


def wide_columns(indicator_names=()):
    return WIDE_META + wide_keys() + tuple(INDICATOR_PREFIX + n for n in indicator_names)


def wide_dtypes(indicator_names=()):
    """pandas dtypes of the wide columns: one schema for every partition (Dask, Spark)."""
    out = {c: "string" for c in WIDE_META}
    out.update(year="Int64", errors="Int64", warnings="Int64")
    out.update({k: "float64" for k in wide_keys()})
    out.update({INDICATOR_PREFIX + n: "float64" for n in indicator_names})
    return out


def wide_meta(report, status=None):
    severities = [f.severity for f in report.findings]
    return report_fields(report, status) + (severities.count("error"), severities.count("warning"))


def wide_values(report):
    cells = report.cells()
    return tuple(cells.get(k) for k in wide_keys())


def indicator_values(report):
    """{name: value} of the report's indicators."""
    return {name: (v or {}).get("value") for name, v in indicators(report).items()}


def wide_row(report, status=None, indicator_names=None):
    """The report as one row of `wide_columns(indicator_names)` (default: its own indicators)."""
    found = indicator_values(report)
    names = tuple(found) if indicator_names is None else indicator_names
    return wide_meta(report, status) + wide_values(report) + tuple(found.get(n) for n in names)


# --- what a worker sends, and the writers ---------------------------------------------

def wide_payload(report, status):
    """(indicators, the meta and cells as a CSV line without its indicators and line end)."""
    fields = wide_meta(report, status) + wide_values(report)
    line = _csv_fields(tuple(_csv_value(v) for v in fields[:7])) + "," + ",".join(
        "" if v is None else str(v) for v in fields[7:])
    return indicator_values(report), line.encode("utf-8")


def parquet_payload(report, status):
    return indicator_values(report), wide_meta(report, status) + wide_values(report)


class _Indicators:
    """The indicator columns, named by the first report written (every report has the
    same indicators; a name a later report lacks is left empty)."""

    names = None

    def aligned(self, found):
        if self.names is None:
            self.names = tuple(found)
        return [found.get(n) for n in self.names]


class WideCsvWriter(_Indicators):
    """The wide CSV: a BOM and a header line (written with the first report), then one
    line a report."""

    def __init__(self, stream, single):
        self.stream = stream

    def _header(self):
        self.stream.write((CSV_BOM + ",".join(_csv_fields((c,)) for c in wide_columns(self.names))
                           + "\r\n").encode("utf-8"))

    def write(self, data):
        found, line = data
        first = self.names is None
        values = self.aligned(found)
        if first:
            self._header()
        tail = "".join("," + ("" if v is None else str(v)) for v in values)
        self.stream.write(line + tail.encode("utf-8") + b"\r\n")

    def close(self):
        if self.names is None:
            self.names = ()
            self._header()


def pyarrow_modules():
    """(pyarrow, pyarrow.parquet); InputError naming the extra when pyarrow is missing."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise InputError(f"writing Parquet needs pyarrow: pip install 'gxgrammar[{PARQUET_EXTRA}]'") from None
    return pyarrow, pyarrow.parquet


class ParquetWriter(_Indicators):
    """The wide table as one Parquet file, written a row group of `batch` reports at a time."""

    def __init__(self, stream, single, batch=2000):
        self.pa, self.pq = pyarrow_modules()
        self.stream, self.batch, self.rows, self.writer = stream, batch, [], None

    def schema(self):
        pa = self.pa
        types = {"year": pa.int64(), "errors": pa.int64(), "warnings": pa.int64()}
        fields = [pa.field(c, types.get(c, pa.string())) for c in WIDE_META]
        fields += [pa.field(c, pa.float64()) for c in wide_columns(self.names)[len(WIDE_META):]]
        return pa.schema(fields)

    def write(self, data):
        found, row = data
        self.rows.append(tuple(row) + tuple(self.aligned(found)))
        if len(self.rows) >= self.batch:
            self._flush()

    def _flush(self):
        if self.writer is None:
            self.writer = self.pq.ParquetWriter(self.stream.file(), self.schema())
        columns = list(zip(*self.rows)) if self.rows else [[] for _ in self.schema()]
        schema = self.schema()
        arrays = [self.pa.array([None if v is None else float(v) for v in col], type=f.type)
                  if f.type == self.pa.float64() else self.pa.array(list(col), type=f.type)
                  for col, f in zip(columns, schema)]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=schema))
        self.rows = []

    def close(self):
        if self.names is None:
            self.names = ()
        if self.rows or self.writer is None:
            self._flush()
        self.writer.close()
