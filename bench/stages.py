#!/usr/bin/env python3
"""Where a report's time goes: each stage of a parse, and each layout, in one process.

    python bench/stages.py [-n 1000] [--repeat 3] [--corpus DIR]

Builds the benchmark's corpus (bench.py's, the same seed) and parses it with the API in
this process, timing the stages of every parse: decoding, reading a saved web page,
splitting running text, the document grammar, finding the tables, reading each table (its
layout grammar shown apart), the sections, the checks, and the rest. Then the mean time of a report by layout. Best of --repeat runs.
A measurement, not a test: the timers themselves add a little to each stage.
"""
from __future__ import annotations

import argparse
import collections
import tempfile
import time
from pathlib import Path

from bench import build_corpus

import gxgrammar
from gxgrammar import parser
from gxgrammar.layouts import registry
from gxgrammar.readers import html

# (module, function name, stage) timed by wrapping; the layouts' grammars are timed per layout.
STAGES = [(html, "read", "reading a saved web page (lxml)"),
          (parser, "read_document", "decoding and normalising the lines (NFKC)"),
          (parser, "split_running_text", "splitting running text at headings and tables"),
          (parser, "outline", "the document grammar"),
          (parser, "locate_tables", "finding the tables by their labels"),
          (parser, "read_region", "reading a table: grid and mapping (grammars included)"),
          (parser, "build_sections", "the sections"),
          (parser, "check_report", "the checks"), (parser, "account", "accounting for every cell")]


def timed(totals, counts, label, function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - start
            counts[label] += 1
    return wrapper


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="reports in the corpus (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs; the fastest counts")
    ap.add_argument("--corpus", type=Path, help="parse the files of this folder instead of building a corpus "
                    "(-n is then ignored); e.g. DIR/corpus after bench.py --keep DIR")
    a = ap.parse_args()
    if a.corpus:
        files = sorted(p for p in a.corpus.rglob("*") if p.is_file())
        if not files:
            ap.error(f"--corpus {a.corpus}: no files there")
    else:
        files, _ = build_corpus(Path(tempfile.mkdtemp(prefix="gxgrammar-stages-")) / "corpus", a.n)
    for f in files:
        f.read_bytes()
    totals, counts = collections.Counter(), collections.Counter()
    for module, name, label in STAGES:
        setattr(module, name, timed(totals, counts, label, getattr(module, name)))
    parse = registry.Layout.parse
    registry.Layout.parse = lambda self, text: timed(totals, counts, f"the {self.name} grammar",
                                                     parse)(self, text)
    gxgrammar.parse_file(files[0])            # grammars loaded, regexes compiled
    best = None
    for _ in range(a.repeat):
        totals.clear()
        counts.clear()
        by_layout = collections.defaultdict(list)
        start = time.perf_counter()
        for f in files:
            t = time.perf_counter()
            gxgrammar.parse_file(f)
            by_layout[f.parent.name].append(time.perf_counter() - t)
        wall = time.perf_counter() - start
        if best is None or wall < best[0]:
            best = (wall, dict(totals), dict(counts), by_layout)
    wall, totals, counts, by_layout = best
    n = len(files)
    print(f"{n} reports, {wall:.2f} s: {wall / n * 1000:.2f} ms a report, {n / wall:.0f} reports/s "
          f"(parser: {'lark_cython' if registry.accelerator() else 'pure Python'})")
    print("\nms a report (over the whole corpus), by stage:")
    rest = wall - sum(totals.values())
    for label, seconds in sorted(totals.items(), key=lambda kv: -kv[1]) + [("the rest", rest)]:
        print(f"  {seconds / n * 1000:5.2f}  {label}" + (f" ({counts[label]} calls)" if label in counts else ""))
    print("\nms a report, by layout:")
    for layout, times in sorted(by_layout.items(), key=lambda kv: sum(kv[1]) / len(kv[1])):
        print(f"  {sum(times) / len(times) * 1000:5.2f}  {layout} ({len(times)} reports)")


if __name__ == "__main__":
    main()
