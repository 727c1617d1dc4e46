#!/usr/bin/env python3
"""What running text costs: each example as a crawler saves it, against the example itself.

    python bench/running_text.py [--repeat 5] [NAME ...]

A crawler that keeps a page's text alone loses every line break and cell boundary
(tests/flatten.py makes that text from an example's own lines: the whole report on one
line, or one line a section). Such text is cut at its headings and tables before the
document grammar reads it, and its rows' digits run together are cut back into values.
For every example with expected values this prints the CPU time of a parse of the
example and of its two crawler variants (best of --repeat), their ratio, and the ratio
over all examples together. A measurement, not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from flatten import VARIANTS, crawler_text      # noqa: E402

import gxgrammar                                 # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*") if p.suffix in (".txt", ".html")
                  and p.with_suffix(".expected.json").exists())


def best(function, repeat):
    function()                                   # grammars loaded, caches warm
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs of each parse; the fastest counts")
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help="only the examples whose path holds one of these (e.g. tongxi)")
    a = ap.parse_args()
    examples = [p for p in EXAMPLES if not a.names or any(n in str(p) for n in a.names)]
    totals = {"example": 0.0, **{v: 0.0 for v in VARIANTS}}
    print("| example | ms | " + " | ".join(f"{v} ms (×)" for v in VARIANTS) + " |")
    print("|---|---|" + "---|" * len(VARIANTS))
    for path in examples:
        report = gxgrammar.parse_file(path)
        base = best(lambda: gxgrammar.parse_file(path), a.repeat)
        totals["example"] += base
        cells = []
        for variant in VARIANTS:
            text = crawler_text(path, variant, report)
            t = best(lambda: gxgrammar.parse_text(text), a.repeat)
            totals[variant] += t
            cells.append(f"{t * 1000:.1f} (×{t / base:.2f})")
        print(f"| {path.parent.name}/{path.name} | {base * 1000:.1f} | " + " | ".join(cells) + " |")
    print(f"\nall {len(examples)} examples: {totals['example'] * 1000:.0f} ms; " +
          "; ".join(f"{v} {totals[v] * 1000:.0f} ms (×{totals[v] / totals['example']:.2f})" for v in VARIANTS))


if __name__ == "__main__":
    main()
