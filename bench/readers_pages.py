#!/usr/bin/env python3
"""How fast the structured-document readers make a report, against their floor, on one core.

    python bench/readers_pages.py [--rounds 60]

For every saved web page (examples/html/*.html) and Word document (examples/docx/*.docx),
in this one process:

  report    gxgrammar.parse_file: the whole parse, reader included (reports/s)
  reader    the document reader alone: the file's bytes to lines and cell rows (files/s)
  floor     lxml's bare parse of the markup: the page, or a .docx's word/document.xml
            taken out of its zip (files/s); no reader can be faster than this

and parse_file on every text example, one line each, led by its folder: the layout,
so the table readers (box, aligned, columns, md-labels …) each get their lines; where a
table reader rebuilt the report's tables, `reader` is that reader alone on them. The calls take turns, round after
round, and each figure is the fastest call (CPU time of this process): on a machine
busy with other work the turns share its disturbances, and the fastest call is the one
least disturbed. Compare the ratios (page against text, reader against floor) more
than the absolute figures. A measurement, not a test: it asserts nothing.

Instructions counted with callgrind are steadier still; see the commit messages of the
readers for those.
"""
from __future__ import annotations

import argparse
import io
import time
import zipfile
from pathlib import Path

from lxml import etree, html

import gxgrammar
from gxgrammar.readers import read_document, table_reader

ROOT = Path(__file__).resolve().parent.parent


def page_floor(data):
    # lxml given the bytes finds the page's declared charset itself (a GB2312 page too).
    return lambda: html.document_fromstring(data)


def docx_floor(data):
    def parse():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            etree.fromstring(z.read("word/document.xml"))
    return parse


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=60)
    args = ap.parse_args()

    rows, calls = [], {}
    kinds = [("page", sorted((ROOT / "examples" / "html").glob("*.html")), page_floor),
             ("docx", sorted((ROOT / "examples" / "docx").glob("*.docx")), docx_floor)]
    for kind, paths, floor in kinds:
        for path in paths:
            data = path.read_bytes()
            label = f"{kind} {path.name}"
            rows.append(label)
            calls[(label, "report")] = lambda path=path: gxgrammar.parse_file(path)
            calls[(label, "reader")] = lambda data=data, path=path: read_document(data, str(path))
            calls[(label, "floor")] = floor(data)
    texts = [p for p in sorted(ROOT.glob("examples/*/*.txt")) if p.with_suffix(".expected.json").exists()]
    for path in texts:
        label = f"text {path.parent.name}/{path.name}"
        rows.append(label)
        calls[(label, "report")] = lambda path=path: gxgrammar.parse_file(path)
        tables = _table_reader_calls(path)
        if tables:       # a table drawn in two dimensions: its table reader alone, every table of the report
            calls[(label, "reader")] = lambda tables=tables: [table_reader(name).read(lines) for name, lines in tables]

    best = dict.fromkeys(calls, float("inf"))
    for call in calls.values():
        call()                                  # warm: imports, grammars, caches
    for _ in range(args.rounds):
        for key, call in calls.items():
            start = time.process_time()
            call()
            best[key] = min(best[key], time.process_time() - start)

    rate = {key: 1 / max(seconds, 1e-9) for key, seconds in best.items()}
    print(f"{'file':<44} {'report/s':>9} {'reader/s':>9} {'floor/s':>9} {'reader:floor':>12}")
    for label in rows:
        if (label, "floor") not in rate and (label, "reader") in rate:
            print(f"{label:<44} {rate[(label, 'report')]:9.0f} {rate[(label, 'reader')]:9.0f}")
        elif (label, "reader") in rate:
            reader, floor = rate[(label, "reader")], rate[(label, "floor")]
            print(f"{label:<44} {rate[(label, 'report')]:9.0f} {reader:9.0f} {floor:9.0f} {floor / reader:11.1f}×")
        else:
            print(f"{label:<44} {rate[(label, 'report')]:9.0f}")


def _table_reader_calls(path):
    """[(table reader, the lines it was given)] for each table of a text report that a
    layout with a table reader (box, aligned, columns, md-labels …) read."""
    from gxgrammar.layouts import reading
    found, attempt = [], reading._attempt

    def spy(lay, source, region, template, lines, text):
        if lay.reader:
            found.append((lay.reader, list(lines)))
        return attempt(lay, source, region, template, lines, text)
    reading._attempt = spy
    try:
        gxgrammar.parse_file(path)
    finally:
        reading._attempt = attempt
    return found


if __name__ == "__main__":
    main()
