#!/usr/bin/env python3
"""What one long line costs each grammar: 1 KB to 1 MB, every layout and the document.

    python bench/long_lines.py [--sizes 1000,10000,100000,1000000] [--limit 20]

For every layout grammar, the table section of an example in that layout gets one line
of N characters inserted in its middle, made of a pattern the grammar's terminals
could take for a cell (digits and spaces, digits run together, tabs, pipes, a row of a
label and numbers repeated, words without a break …); the grammar alone parses it
(a parse error counts: it is what a user would get). The document grammar
(grammars/report.lark) gets the same lines inside a whole report, and so does the
whole parse (`parse_text`). It prints, for each grammar, the slowest pattern's time at
each size and the ratio from one size to the next: linear cost is a ratio of about 10
for ten times the characters, quadratic about 100. A size is skipped once a smaller one
took longer than --limit seconds. Times are CPU time of this process (the machine may
be shared). A measurement, not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from lark.exceptions import UnexpectedInput                  # noqa: E402

from gxgrammar import GxError, parse_text                     # noqa: E402
from gxgrammar.layouts import registry                        # noqa: E402
from gxgrammar.readers import text_source                     # noqa: E402
from gxgrammar.structure.document import outline              # noqa: E402

# The example whose tables each layout reads: the first of examples/LAYOUT/, or these.
EXAMPLE = {
    "canonical": "canonical/longquanwan-zfb-2021.txt",
    "markdown": "markdown/bailuwan-zrzy-2021.txt",
    "tsv": "tsv/luming-sthj-2021.txt",
    "cell-lines": "cell-lines/yunqi-swzx-2021.txt",
    "docx-text": "docx-text/cuipingshan-zhen-2021.txt",
    "pdf-layout": "pdf-layout/tongxi-rsj-2021.txt",
    "flat-text": "flat-text/fengdu-wjw-2021.txt",
    "pdf-text": "pdf-text/longquanwan-zfb-2021.txt",
    "cell-rows": "html/qingzhu-scjg-2021.html",
}
PATTERNS = {
    "digits and spaces": "1 ",
    "digits run together": "1203",
    "numbers and tabs": "0\t",
    "pipe cells": "| 3 ",
    "cell marks": "\u241f5",
    "a row repeated": "行政许可 9 -1 73 ",
    "a wide row": "行政许可  9  -1  73  ",
    "label words": "本年新收政府信息公开申请数量",
    "one letter": "x",
    "words and spaces": "三、本年度办理结果 ",
}


class _Late(Exception):
    pass


def _stop(signum, frame):
    raise _Late()


def timed(function, limit):
    signal.signal(signal.SIGALRM, _stop)
    signal.alarm(int(limit * 3) + 1)
    start = time.process_time()
    try:
        function()
    except (UnexpectedInput, GxError):
        pass
    except _Late:
        return float("inf")
    finally:
        signal.alarm(0)
    return time.process_time() - start


def section_text(layout_name):
    """The text a layout grammar is given for table 三 of its example, and a line in its middle."""
    path = ROOT / "examples" / EXAMPLE[layout_name] if layout_name in EXAMPLE else \
        min((ROOT / "examples" / layout_name).glob("*.txt"))
    from gxgrammar import parse_file
    report = parse_file(path)
    reading = report.readings["requests"]
    text = reading.text
    if layout_name == "cell-rows":
        from gxgrammar.readers import read_document
        source = read_document(path.read_bytes(), str(path))
        lines = source.norm
        rows = [i for i, l in enumerate(lines) if l.startswith("\u241e")]
        text = "\n".join(lines[rows[0]:rows[-1] + 1]) + "\n"
    lines = text.split("\n")
    return lines, len(lines) // 2


def with_line(lines, at, line):
    return "\n".join(lines[:at] + [line] + lines[at:])


def measure(run, sizes, limit):
    """{pattern: [seconds by size]} for `run(long_line)`."""
    out = {}
    for name, unit in PATTERNS.items():
        times = []
        for size in sizes:
            if times and times[-1] > limit:
                times.append(None)
                continue
            line = (unit * (size // len(unit) + 1))[:size]
            times.append(timed(lambda: run(line), limit))
        out[name] = times
    return out


def show(name, results, sizes):
    worst = [max((t[i] for t in results.values() if t[i] is not None), default=None) for i in range(len(sizes))]
    which = [max(results, key=lambda k: results[k][i] if results[k][i] is not None else -1) for i in range(len(sizes))]
    cells = []
    for i, t in enumerate(worst):
        if t is None:
            cells.append("skipped")
            continue
        ratio = f" ×{t / worst[i - 1]:.0f}" if i and worst[i - 1] and worst[i - 1] > 0.002 else ""
        cells.append("> limit" if t == float("inf") else f"{t:.3f} s{ratio}")
    print(f"| {name:<22} | " + " | ".join(f"{c:>16}" for c in cells) + f" | {which[-1] if worst[-1] else which[-2]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--limit", type=float, default=20.0, help="seconds after which larger sizes are skipped")
    ap.add_argument("--layouts", help="only these layouts (comma-separated)")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    layouts = registry.layouts()
    chosen = a.layouts.split(",") if a.layouts else [*layouts, "report.lark", "parse_text"]
    print("| grammar                | " + " | ".join(f"{s:>14,} ch" for s in sizes) + " | slowest pattern")
    print("|" + "-" * 24 + "|" + "|".join("-" * 18 for _ in sizes) + "|" + "-" * 20)
    for name in chosen:
        if name in layouts:
            lines, at = section_text(name)
            lay = layouts[name]
            results = measure(lambda line: lay.parse(with_line(lines, at, line)), sizes, a.limit)
        else:
            path = ROOT / "examples" / EXAMPLE["tsv"]
            lines = path.read_text(encoding="utf-8").split("\n")
            at = next(i for i, l in enumerate(lines) if "本年新收" in l)
            if name == "report.lark":
                results = measure(lambda line: outline(text_source(with_line(lines, at, line))), sizes, a.limit)
            else:
                results = measure(lambda line: parse_text(with_line(lines, at, line)), sizes, a.limit)
        show(name, results, sizes)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
