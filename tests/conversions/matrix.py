"""Scoring a converter's text of an example page against the page's expected values.

Every cell of the format ends in one of three places:
- right: the value expected (null where the page leaves it blank);
- flagged: wrong or null, and a finding names the cell (or the whole file was refused
  with a message): the user is told;
- silent: wrong, and nothing says so. The one outcome gxgrammar must never have.
"""
from __future__ import annotations

import json
import math
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from gxgrammar import parse_file
from gxgrammar.errors import GxError


@dataclass
class Outcome:
    converter: str
    page: str
    total: int
    right: int = 0
    flagged: int = 0
    silent: int = 0
    status: str = "parsed"          # parsed, refused (a clear message), crashed (a traceback), skipped
    detail: str = ""
    silent_cells: list = field(default_factory=list)
    text_path: Path | None = None
    wrong_meta: list = field(default_factory=list)   # agency, year or template wrong (none may be)

    @property
    def coverage(self):
        return self.right / self.total if self.total else 0.0

    def cell(self):
        """This outcome in one cell of the printed matrix."""
        if self.status == "skipped":
            return "skipped"
        if self.status in ("refused", "crashed"):
            return self.status
        parts = [f"{self.right}/{self.total}"]
        if self.flagged:
            parts.append(f"{self.flagged}f")
        if self.silent:
            parts.append(f"{self.silent}s!")
        return " ".join(parts)


def same(got, want):
    if got is None or want is None:
        return got is None and want is None
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return False
    return math.isclose(float(got), float(want), abs_tol=1e-9)


def score(text_path, expected_path, converter, page):
    page_values = json.loads(Path(expected_path).read_text(encoding="utf-8"))
    expected = page_values["cells"]
    out = Outcome(converter, page, len(expected), text_path=text_path)
    try:
        report = parse_file(text_path)
    except GxError as e:             # the whole file refused, with one clear line
        out.status, out.detail, out.flagged = "refused", str(e).splitlines()[0], len(expected)
        return out
    except Exception as e:           # a traceback: a bug, though no value is wrong
        out.status = "crashed"
        out.detail = f"{type(e).__name__}: {e} ({traceback.extract_tb(e.__traceback__)[-1].name})"
        out.flagged = len(expected)
        return out
    cells = report.cells()
    named = {key for f in report.findings for key in f.cells}
    for key, want in expected.items():
        got = cells.get(key)
        if key in cells and same(got, want):
            out.right += 1
        elif key in named:
            out.flagged += 1
        else:
            out.silent += 1
            out.silent_cells.append(f"{key}: expected {want!r}, got {got!r}")
    # The page's agency, year and format: read right, or unknown with a finding (meta.*_unknown).
    codes = {f.code for f in report.findings}
    for key, want in page_values.get("meta", {}).items():
        got = report.meta.get(key)
        if got != want and not (got is None and f"meta.{key}_unknown" in codes):
            out.wrong_meta.append(f"meta.{key}: expected {want!r}, got {got!r}")
    return out


def table(outcomes, converters, pages):
    """The matrix as lines of text: a row per converter, a column per page."""
    by = {(o.converter, o.page): o for o in outcomes}
    width = max(len(p) for p in pages)
    head = "converter".ljust(18) + "".join(p[:width].ljust(width + 2) for p in pages)
    lines = [head]
    for c in converters:
        row = c.ljust(18)
        for p in pages:
            o = by.get((c, p))
            row += (o.cell() if o else "").ljust(width + 2)
        lines.append(row.rstrip())
    return lines
