"""The wide table: one row a report, one column a cell.

Columns: the report's meta (WIDE_META), then every cell key of both formats in the
format's order (a 2019-only key is empty in a 2021 report and the other way round),
then its indicators as `indicator.NAME` (their values; why one is empty is in the
JSON). Written as CSV (`--format wide`, or an output file named *wide*.csv) and, with
pyarrow installed (`pip install 'gxgrammar[parquet]'`), as Parquet (`-o x.parquet`).
The store's `report_wide` view has the same shape.
"""
from __future__ import annotations

from gxgrammar.i18n import _

from functools import lru_cache

from gxgrammar import national as nf
from gxgrammar.errors import InputError
from gxgrammar.national.indicators import INDICATORS, indicators
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


# The indicators, in the order national.indicators defines them: a column each.
INDICATOR_NAMES = tuple(i.name for i in INDICATORS)


def wide_columns():
    return WIDE_META + wide_keys() + tuple(INDICATOR_PREFIX + n for n in INDICATOR_NAMES)


def wide_dtypes():
    """pandas dtypes of the wide columns: one schema for every partition (Dask, Spark)."""
    out = {c: "string" for c in WIDE_META}
    out.update(year="Int64", errors="Int64", warnings="Int64")
    out.update({k: "float64" for k in wide_keys()})
    out.update({INDICATOR_PREFIX + n: "float64" for n in INDICATOR_NAMES})
    return out


def wide_meta(report, status=None):
    severities = [f.severity for f in report.findings]
    return report_fields(report, status) + (severities.count("error"), severities.count("warning"))


def wide_values(report):
    cells = report.cells()
    return tuple(cells.get(k) for k in wide_keys())


def indicator_values(report):
    """The values of the report's indicators, in INDICATOR_NAMES' order (None where one has none)."""
    found = indicators(report)
    return tuple((found.get(name) or {}).get("value") for name in INDICATOR_NAMES)


def wide_row(report, status=None):
    """The report as one row of `wide_columns()`."""
    return wide_meta(report, status) + wide_values(report) + indicator_values(report)


# --- what a worker sends, and the writers ---------------------------------------------

def wide_payload(report, status):
    """The report as a line of the wide CSV (without its line end), UTF-8."""
    fields = wide_row(report, status)
    line = _csv_fields(tuple(_csv_value(v) for v in fields[:7])) + "," + ",".join(
        "" if v is None else str(v) for v in fields[7:])
    return line.encode("utf-8")


def parquet_payload(report, status):
    return wide_row(report, status)


class WideCsvWriter:
    """The wide CSV: a BOM and a header line (written with the first report), then one
    line a report."""

    def __init__(self, stream, single):
        self.stream, self.started = stream, False

    def _header(self):
        self.stream.write((CSV_BOM + ",".join(_csv_fields((c,)) for c in wide_columns())
                           + "\r\n").encode("utf-8"))
        self.started = True

    def write(self, line):
        if not self.started:
            self._header()
        self.stream.write(line + b"\r\n")

    def close(self):
        if not self.started:
            self._header()


def pyarrow_modules():
    """(pyarrow, pyarrow.parquet); InputError naming the extra when pyarrow is missing."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise InputError(_("writing Parquet needs pyarrow: {command}").format(
            command=f"pip install 'gxgrammar[{PARQUET_EXTRA}]'")) from None
    return pyarrow, pyarrow.parquet


class ParquetWriter:
    """The wide table as one Parquet file, written a row group of `batch` reports at a time."""

    def __init__(self, stream, single, batch=2000):
        self.pa, self.pq = pyarrow_modules()
        self.stream, self.batch, self.rows, self.writer = stream, batch, [], None

    def schema(self):
        pa = self.pa
        types = {"year": pa.int64(), "errors": pa.int64(), "warnings": pa.int64()}
        fields = [pa.field(c, types.get(c, pa.string())) for c in WIDE_META]
        fields += [pa.field(c, pa.float64()) for c in wide_columns()[len(WIDE_META):]]
        return pa.schema(fields)

    def write(self, row):
        self.rows.append(row)
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
        if self.rows or self.writer is None:
            self._flush()
        self.writer.close()
