#!/usr/bin/env python3
"""How fast the document readers read their files, against a floor for each kind.

    python bench/readers.py [--repeat 5]

PDF: the example PDFs (examples/pdf, tests/fixtures/pdf/reports), each read
  - by `pdftotext -layout FILE -` (poppler), a whole process: the floor;
  - by the PDF reader alone (gxgrammar.readers.read_document), in one process;
  - by the whole parse (gxgrammar.parse_file), in one process: reports/s on one core;
  - by `gxgrammar parse FILE`, a whole process, to set beside the floor.
Best of --repeat runs each. It prints figures and asserts nothing: it is a measurement,
not a test. (bench/bench.py measures a corpus of text reports and web pages.)
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "examples" / "pdf").glob("*.pdf")) + sorted((ROOT / "tests" / "fixtures" / "pdf" / "reports").glob("*.pdf"))
GXGRAMMAR = [sys.executable, "-m", "gxgrammar"]


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def pdf_pages(path):
    import pypdfium2
    doc = pypdfium2.PdfDocument(path.read_bytes())
    try:
        return len(doc)
    finally:
        doc.close()


def bench_pdf(repeat):
    from gxgrammar import parse_file
    from gxgrammar.readers import read_document
    if not PDFS:
        print("no example PDFs")
        return
    pdftotext = shutil.which("pdftotext")
    print(f"PDF: {len(PDFS)} files, one core, best of {repeat}")
    print(f"  {'file':<28} {'pages':>5} {'pdftotext':>10} {'reader':>8} {'parse':>8} {'process':>8} {'ratio':>6}")
    totals = {"floor": 0.0, "reader": 0.0, "parse": 0.0, "process": 0.0}
    for path in PDFS:
        data = path.read_bytes()
        floor = best(lambda: subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True),
                     repeat) if pdftotext else float("nan")
        reader = best(lambda: read_document(data, str(path)), repeat)
        parse = best(lambda: parse_file(path), repeat)
        process = best(lambda: subprocess.run(GXGRAMMAR + ["parse", str(path)], capture_output=True), repeat)
        for key, value in (("floor", floor), ("reader", reader), ("parse", parse), ("process", process)):
            totals[key] += value
        print(f"  {path.name:<28} {pdf_pages(path):>5} {floor * 1000:>8.1f}ms {reader * 1000:>6.1f}ms "
              f"{parse * 1000:>6.1f}ms {process * 1000:>6.1f}ms {process / floor:>5.1f}×")
    n = len(PDFS)
    print(f"  reader alone: {n / totals['reader']:.1f} PDFs/s; whole parse: {n / totals['parse']:.1f} reports/s "
          f"on one core")
    print(f"  against pdftotext -layout (both whole processes): {totals['process'] / totals['floor']:.2f}×; "
          f"the parse in a warm process against it: {totals['parse'] / totals['floor']:.2f}×")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_pdf(args.repeat)


if __name__ == "__main__":
    main()
