#!/usr/bin/env python3
"""How fast gxgrammar reads a corpus, against the floor of reading the files at all.

    python bench/bench.py [-n 1000] [--grow 4] [--jobs N] [--keep DIR]

Builds a corpus of N reports from examples/ (every example with expected values:
every layout, saved web pages too, both formats; round robin; each copy gets its own
note, so its own sha256, and prose from its own sections 一 to 五 until it is the size
of a real report, 6–16 KB), then measures:

  floor     one process reads every file, decodes it and runs one regex tokenizer
  api       one process calls gxgrammar.parse_file on every file (and on the saved web
            pages alone: their reports/s)
  batch     gxgrammar parse DIR -o corpus.sqlite (and -o cells.csv) with --jobs; the
            store's size against the size of its input (and for the web pages alone)
  grown     the batch again on a corpus --grow times larger: peak memory must not grow
  start-up  gxgrammar parse one.txt against python -c "import lark, click, jinja2"

and prints reports/s, MB/s, peak memory (resident, all processes of a run together),
the ratio to the floor, and the store's size as a multiple of its input's. This is a measurement, not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every example with expected values: every layout (saved web pages too), both formats.
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*") if p.suffix in (".txt", ".html")
                  and p.with_suffix(".expected.json").exists())
# A section's heading as text, Markdown or a web page writes it ("## 一、", "<p><strong>一、").
HEADING = r"\s*(#+\s*|(<[^>]+>)*)"
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\S")
PYTHON = sys.executable


# --- the corpus ---------------------------------------------------------------------

def variant(text, n, size, rng, html=False):
    """The report with a note of its own in section 六, padded with its own section 一
    prose (whole lines, shuffled) up to about `size` bytes."""
    lines = text.split("\n")
    first = next(i for i, l in enumerate(lines) if re.match(HEADING + "一", l))
    sixth = next(i for i, l in enumerate(lines) if re.match(HEADING + "六", l))
    prose = [l for l in lines[first + 1:sixth] if len(l) > 20 and "|" not in l and "\t" not in l
             and "<t" not in l.lower() and not re.match(HEADING + "[一二三四五六]、", l)][:12]
    tag = "".join(chr(ord("a") + int(d)) for d in str(n))
    note = f"附注：副本编号 {tag}。"
    pad, used = [f"<p>{note}</p>" if html else note], len(text.encode("utf-8"))
    while prose and used < size:
        line = rng.choice(prose)
        pad.append(line)
        used += len(line.encode("utf-8")) + 1
    return "\n".join(lines[:sixth + 1] + pad + lines[sixth + 1:])


def _decoded(data):
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def build_corpus(folder, n, seed=1):
    rng = random.Random(seed)
    # A page saved in GB18030 (as many sites still serve them) is copied in its own encoding.
    texts = [_decoded(p.read_bytes()) for p in EXAMPLES]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        k = i % len(EXAMPLES)
        sub = folder / EXAMPLES[k].parent.name
        sub.mkdir(exist_ok=True)
        suffix = EXAMPLES[k].suffix
        text, encoding = texts[k]
        text = variant(text, i, rng.randint(6_000, 16_000), rng, html=suffix == ".html")
        (sub / f"{EXAMPLES[k].stem}-{i:06d}{suffix}").write_text(text, encoding=encoding)
    files = sorted(f for f in folder.rglob("*") if f.suffix in (".txt", ".html"))
    return files, sum(f.stat().st_size for f in files)


# --- measuring ------------------------------------------------------------------------

def _tree_rss(root):
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    children, rss = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{d}/statm") as f:
                rss[int(d)] = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def best_of(repeat, argv, before=None):
    """The fastest of `repeat` runs (the machine may be shared); peak memory the largest."""
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(run(argv))
    wall, cpu, _, last = min(runs, key=lambda r: r[0])
    return wall, cpu, max(r[2] for r in runs), last


def run(argv):
    """Run a command; (wall seconds, CPU seconds of it and its children, peak memory bytes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]

    def sample():
        while proc.poll() is None:
            if os.path.isdir("/proc"):
                peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not peak[0]:
        peak[0] = after.ru_maxrss * 1024
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, argv))} failed:\n{err}")
    return wall, cpu, peak[0], err.strip().splitlines()[-1:] or [""]


FLOOR = """
import re, sys, time
TOKEN = re.compile(sys.argv[1])
files = sys.argv[2:]
for f in files:
    TOKEN.findall(open(f, encoding="utf-8").read())
"""

API = """
import sys
import gxgrammar
for f in sys.argv[1:]:
    gxgrammar.parse_file(f)
"""


def startup(sample):
    """Mean seconds of one `gxgrammar parse FILE` and of the import baseline."""
    exe = shutil.which("gxgrammar") or "gxgrammar"
    commands = [f"{PYTHON} -c 'import lark, click, jinja2'", f"{exe} parse {sample}"]
    if shutil.which("hyperfine"):
        out = Path(tempfile.mkstemp(suffix=".json")[1])
        subprocess.run(["hyperfine", "-N", "-w", "5", "-r", "40", "--export-json", str(out), *commands],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import json
        means = [r["mean"] for r in json.loads(out.read_text())["results"]]
        out.unlink()
        return means, "hyperfine"
    import shlex
    means = []
    for c in commands:
        argv = shlex.split(c)
        subprocess.run(argv, stdout=subprocess.DEVNULL)            # warm the caches
        start = time.perf_counter()
        for _ in range(20):
            subprocess.run(argv, stdout=subprocess.DEVNULL)
        means.append((time.perf_counter() - start) / 20)
    return means, "perf_counter, 20 runs"


def _gxgrammar():
    """The command of the Python running this script (not another install on the PATH)."""
    beside = Path(sys.executable).with_name("gxgrammar")
    return str(beside) if beside.exists() else shutil.which("gxgrammar")


def store_size(path):
    """Bytes of a store: its file, and a write-ahead log if one was left."""
    return sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))


def _parser_kind():
    code = "from gxgrammar.layouts.registry import accelerator; print('lark_cython' if accelerator() else 'pure Python')"
    return subprocess.run([PYTHON, "-c", code], capture_output=True, text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="reports in the corpus (default 1000)")
    ap.add_argument("--grow", type=int, default=4, help="the grown corpus is this many times larger")
    ap.add_argument("--jobs", type=int, default=os.cpu_count(), help="workers for the batch (default: cores)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measure; the fastest counts")
    ap.add_argument("--keep", type=Path, help="build the corpora here and keep them")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="gxgrammar-bench-"))
    exe = _gxgrammar() or sys.exit("gxgrammar is not installed (pip install .)")

    files, size = build_corpus(work / "corpus", a.n)
    mb = size / 1e6
    print(f"corpus: {len(files)} reports, {mb:.1f} MB ({size / len(files) / 1000:.1f} KB a report), "
          f"{len({f.parent.name for f in files})} layouts; {os.cpu_count()} cores, --jobs {a.jobs}; "
          f"Python {sys.version.split()[0]}; parser: {_parser_kind()}")
    # Compile the package's bytecode (as `pip install .` does; an editable install under
    # PYTHONDONTWRITEBYTECODE never would), then warm the grammar cache and the page
    # cache, so that every run starts alike.
    package = subprocess.run([PYTHON, "-c", "import gxgrammar, os; print(os.path.dirname(gxgrammar.__file__))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([PYTHON, "-m", "compileall", "-q", package], check=True)
    subprocess.run([exe, "parse", str(files[0])], stdout=subprocess.DEVNULL, check=True)
    for f in files:
        f.read_bytes()

    rows = []

    def line(name, wall, cpu, peak, n=len(files), megabytes=mb, note=""):
        rows.append((name, wall, cpu))
        print(f"{name:<22} {wall:7.2f} s  {n / wall:7.0f} reports/s  {n / wall / a.jobs if 'batch' in name else n / wall:6.0f}"
              f" /core  {megabytes / wall:6.2f} MB/s  peak {peak / 2**20:6.0f} MiB  cpu {cpu:6.2f} s  {note}")

    args = [str(f) for f in files]
    wall, cpu, peak, _ = best_of(a.repeat, [PYTHON, "-c", FLOOR, TOKEN.pattern, *args])
    line("floor (read + regex)", wall, cpu, peak)
    floor_wall, floor_cpu = wall, cpu
    wall, cpu, peak, _ = best_of(a.repeat, [PYTHON, "-c", API, *args])
    line("api parse_file", wall, cpu, peak, note=f"{wall / floor_wall:5.1f}× floor")
    pages = [str(f) for f in files if f.suffix == ".html"]
    if pages:
        page_mb = sum(os.path.getsize(f) for f in pages) / 1e6
        wall, cpu, peak, _ = best_of(a.repeat, [PYTHON, "-c", API, *pages])
        line("api, web pages only", wall, cpu, peak, n=len(pages), megabytes=page_mb)
    for out in ("corpus.sqlite", "cells.csv"):
        target = work / out
        wall, cpu, peak, last = best_of(a.repeat, [exe, "parse", str(work / "corpus"), "-o", str(target),
                                                   "--jobs", str(a.jobs)],
                                        before=lambda: target.unlink(missing_ok=True))
        line(f"batch → {out}", wall, cpu, peak,
             note=f"{wall / floor_wall:5.1f}× floor (wall), {cpu / floor_cpu:5.1f}× (cpu)")
    stored = store_size(work / "corpus.sqlite")
    print(f"store: {stored / 1e6:.1f} MB for {mb:.1f} MB of input: {stored / size:.2f}× its input")
    if pages:
        target = work / "pages.sqlite"
        target.unlink(missing_ok=True)
        page_folder = work / "corpus" / "html"
        run([exe, "parse", str(page_folder), "-o", str(target), "--jobs", str(a.jobs)])
        page_size = sum(f.stat().st_size for f in page_folder.iterdir())
        print(f"store of the web pages alone: {store_size(target) / 1e6:.1f} MB for {page_size / 1e6:.1f} MB: "
              f"{store_size(target) / page_size:.2f}× its input")

    if a.grow > 1:
        big, big_size = build_corpus(work / "grown", a.n * a.grow, seed=2)
        for f in big:
            f.read_bytes()
        target = work / "grown.sqlite"
        wall, cpu, peak, _ = best_of(a.repeat, [exe, "parse", str(work / "grown"), "-o", str(target),
                                                "--jobs", str(a.jobs)],
                                     before=lambda: target.unlink(missing_ok=True))
        line(f"batch ×{a.grow} → sqlite", wall, cpu, peak, n=len(big), megabytes=big_size / 1e6)

    (base, one), how = startup(files[0])
    print(f"start-up: gxgrammar parse one.txt {one * 1000:.0f} ms, python -c 'import lark, click, jinja2' "
          f"{base * 1000:.0f} ms: {one / base:.2f}× ({how})")
    if not a.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
