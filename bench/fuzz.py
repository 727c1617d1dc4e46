#!/usr/bin/env python3
"""Mutations of the example reports, and what gxgrammar makes of each.

    python bench/fuzz.py                         # 1,000 mutants, seed 1
    python bench/fuzz.py -n 10000 --seed 1       # the full run
    python bench/fuzz.py --corpus ../shared/corpus -n 10000
    python bench/fuzz.py --only 4711 --seed 1    # one mutant again, with what went wrong

Each mutant is one example report (every example with expected values; with --corpus,
those reports too) changed once: a digit of a number changed, a number blanked (an
empty cell, a dash, &nbsp;), a number deleted with its separator (a tab, a pipe cell,
a line, a <td>), a line deleted, duplicated, swapped with the next, merged with the
next or split in two, the file truncated, random characters inserted, the file
re-encoded (GB18030, UTF-16, a BOM), a huge line inserted in a table. Each is parsed
and classified:

  internal error   an exception that is not a GxError (a traceback for the user)
  over 2 s         a parse that took more than two seconds of CPU time (the machine may be
                   shared: wall-clock time would count the other processes), or that
                   hung (stopped after 60 s of wall-clock time)
  clean error      a GxError: one line naming the file and what was expected
  parsed           a model

For a parsed mutant whose truth is known (one number changed, blanked or deleted, or
the file re-encoded: the expected values with the change applied), every cell is
compared with the truth: a cell whose value differs and that no finding names is a
*wrong cell without a finding*; a cell blank (or lost) in the mutant that reads 0 from
the source is a *blank turned into 0*. A number deleted with its separator from a row
leaves the same text as a row whose last cell is blank, with the numbers after the
deleted one a column to the left; that reading is accepted too, if a finding names
the cells it moved (the text cannot tell the two apart). Every parsed mutant is also checked for the
completeness of its model (national.completeness: every cell read, blank, inferred
with a finding or not read with a finding). The run prints a table of the counts by
kind of mutation, and the first few failures of each sort (--show).

Deterministic: mutant i of a seed is the same on every run (--only i shows it again).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import signal
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from gxgrammar.readers.text import decode
from gxgrammar import national as nf                       # noqa: E402
from gxgrammar import parse_bytes                          # noqa: E402
from gxgrammar.errors import GxError                       # noqa: E402
from gxgrammar.national.completeness import problems      # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*") if p.suffix in (".txt", ".html")
                  and p.with_suffix(".expected.json").exists())
SLOW = 2.0            # seconds: a parse slower than this is counted
HANG = 60             # seconds: a parse still running is stopped and counted as slow

TRUTH_KINDS = ("digit", "blank", "delete", "reencode")
LINE_KINDS = ("line_delete", "line_duplicate", "line_swap", "line_merge", "line_split")
OTHER_KINDS = ("truncate", "random_chars", "huge_line")
KINDS = TRUTH_KINDS + LINE_KINDS + OTHER_KINDS
# How often each kind is drawn: the single-number mutations, whose truth is known, most.
WEIGHTS = {"digit": 6, "blank": 6, "delete": 6, "reencode": 1, "line_delete": 2, "line_duplicate": 2,
           "line_swap": 2, "line_merge": 2, "line_split": 2, "truncate": 1, "random_chars": 2,
           "huge_line": 1}
HUGE_SIZES = (1_000, 20_000, 100_000, 1_000_000)
_RANDOM_POOL = ("0123456789" "          \t\t|||" "一二三四五六七八九十、（）()．.。，；:：-—/"
                "本年新收总计自然人其他公开处理" "\u241e\u241f\f\u3000\xa0" "<>&;td")


# --- the reports and their numbers -------------------------------------------------------

@dataclass
class Site:
    """A number of a report: the cell it is, and where it stands in the file."""
    key: str
    line: int        # 0-based
    start: int       # 0-based column in that line
    end: int
    value: object


@dataclass
class Base:
    path: Path
    text: str
    lines: list
    expected: dict
    sites: list = field(default_factory=list)
    table_lines: tuple = (0, 0)     # the lines holding numbers of the tables, first to last
    template: str = "2021"


def load_base(path):
    text = decode(path.read_bytes())[0]        # an example page may be in GB2312
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))["cells"]
    report = parse_bytes(text.encode("utf-8"), str(path))
    lines = text.split("\n")
    base = Base(path, text, lines, expected, template=report.meta.get("template") or "2021")
    for key, state in report.states().items():
        where = report.provenance.get(key) or {}
        if state != "read" or "column" not in where or expected.get(key) is None:
            continue
        site = _site(lines, key, where["line"] - 1, where["column"] - 1, expected[key])
        if site:
            base.sites.append(site)
    if base.sites:
        base.table_lines = (min(s.line for s in base.sites), max(s.line for s in base.sites))
    return base


def _site(lines, key, line, column, value):
    if not 0 <= line < len(lines):
        return None
    shown = _shown(value)
    text = lines[line]
    if text[column:column + len(shown)] == shown:
        return Site(key, line, column, column + len(shown), value)
    m = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?").match(text, column)
    if m and m.group().replace(",", "") == shown:
        return Site(key, line, column, m.end(), value)
    return None


def _shown(value):
    return repr(value) if isinstance(value, float) else str(value)


def _number(text):
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


# --- mutations ------------------------------------------------------------------------------

@dataclass
class Mutant:
    index: int
    base: Base
    kind: str
    what: str
    data: bytes
    truth: dict | None = None        # cell key -> value the mutant says, where known
    lost: tuple = ()                 # cells the mutant blanked or lost
    shifted: dict | None = None      # the same text read as a row whose last cell is blank


def mutate(base, kind, rng, index, max_huge=HUGE_SIZES[-1]):
    """One mutant of `base` of the given kind, or None when the kind does not apply."""
    lines = list(base.lines)
    truth = None
    lost = ()
    shifted = None
    if kind in ("digit", "blank", "delete"):
        if not base.sites:
            return None
        site = rng.choice(base.sites)
        line = lines[site.line]
        token = line[site.start:site.end]
        truth = dict(base.expected)
        if kind == "digit":
            spots = [i for i, ch in enumerate(token) if ch.isdigit()]
            i = rng.choice(spots)
            digits = [d for d in "0123456789" if d != token[i] and not (d == "0" and i == spots[0]
                                                                          and len(spots) > 1)]
            new = token[:i] + rng.choice(digits) + token[i + 1:]
            lines[site.line] = line[:site.start] + new + line[site.end:]
            truth[site.key] = _number(new)
            what = f"{site.key} {token} → {new} on line {site.line + 1}"
        elif kind == "blank":
            blank = rng.choice(["", "", "-", "—"] + (["&nbsp;"] if base.path.suffix == ".html" else []))
            lines[site.line] = line[:site.start] + blank + line[site.end:]
            truth[site.key] = None
            lost = (site.key,)
            what = f"{site.key} {token} blanked ({blank!r}) on line {site.line + 1}"
        else:
            lines = _delete(base, lines, site)
            truth[site.key] = None
            lost = (site.key,)
            what = f"{site.key} {token} deleted with its separator on line {site.line + 1}"
            if base.path.suffix != ".html":
                shifted = _shifted(base, site.key)
        text = "\n".join(lines)
        return Mutant(index, base, kind, what, text.encode("utf-8"), truth, lost, shifted)
    if kind == "reencode":
        if base.path.suffix == ".html":
            return None       # a page's <meta charset> would contradict its bytes
        encoding = rng.choice(["gb18030", "utf-16", "utf-8-sig", "utf-16-le-bom"])
        if encoding == "utf-16-le-bom":
            data = b"\xff\xfe" + base.text.encode("utf-16-le")
        else:
            data = base.text.encode(encoding)
        return Mutant(index, base, kind, f"re-encoded as {encoding}", data, dict(base.expected))
    n = _table_line(base, rng, len(lines))
    if kind == "line_delete":
        what = f"line {n + 1} deleted"
        del lines[n]
    elif kind == "line_duplicate":
        what = f"line {n + 1} duplicated"
        lines.insert(n, lines[n])
    elif kind == "line_swap":
        if n + 1 >= len(lines):
            return None
        what = f"lines {n + 1} and {n + 2} swapped"
        lines[n], lines[n + 1] = lines[n + 1], lines[n]
    elif kind == "line_merge":
        if n + 1 >= len(lines):
            return None
        what = f"lines {n + 1} and {n + 2} merged"
        lines[n:n + 2] = [lines[n] + lines[n + 1]]
    elif kind == "line_split":
        if len(lines[n]) < 2:
            return None
        at = rng.randrange(1, len(lines[n]))
        what = f"line {n + 1} split at column {at + 1}"
        lines[n:n + 1] = [lines[n][:at], lines[n][at:]]
    elif kind == "truncate":
        text = base.text
        at = rng.randrange(1, len(text))
        return Mutant(index, base, kind, f"truncated after character {at}", text[:at].encode("utf-8"))
    elif kind == "random_chars":
        text = base.text
        count = rng.choice([1, 1, 2, 5, 20])
        for _ in range(count):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + "".join(rng.choice(_RANDOM_POOL) for _ in range(rng.randint(1, 4))) + text[at:]
        return Mutant(index, base, kind, f"{count} runs of random characters inserted",
                      text.encode("utf-8"))
    elif kind == "huge_line":
        size = rng.choice([s for s in HUGE_SIZES if s <= max_huge] or [min(HUGE_SIZES)])
        unit = rng.choice(["1 ", "0\t", "12", "| 3 ", "本年新收", "三、本年度办理结果 ", "\u241f5",
                           "行政许可 9 -1 73 ", "x"])
        huge = (unit * (size // len(unit) + 1))[:size]
        what = f"a line of {size:,} characters ({unit!r} repeated) inserted as line {n + 1}"
        lines.insert(n, huge)
    else:
        raise ValueError(kind)
    return Mutant(index, base, kind, what, "\n".join(lines).encode("utf-8"))


def _table_line(base, rng, count):
    """A line to mutate: mostly one among the tables' lines, sometimes any line."""
    first, last = base.table_lines
    if base.sites and rng.random() < 0.8:
        return rng.randint(max(0, first - 3), min(count - 1, last + 1))
    return rng.randrange(count)


def _shifted(base, key):
    """The cells of `key`'s row read with the numbers after `key` one column left."""
    table, row, _ = key.split(".")
    keys = [f"{table}.{row}.{c.key}" for c in nf.columns_for(table, nf.row_by_key(table, row), base.template)]
    at = keys.index(key)
    values = [base.expected.get(k) for k in keys[at + 1:]] + [None]
    return dict(zip(keys[at:], values))


def _delete(base, lines, site):
    """The lines with the number of `site` deleted with its separator: the cell goes."""
    line = lines[site.line]
    before, after = line[:site.start], line[site.end:]
    if base.path.suffix == ".html":
        text = "\n".join(lines)
        at = sum(len(l) + 1 for l in lines[:site.line]) + site.start
        open_at = max(text.lower().rfind("<td", 0, at), text.lower().rfind("<th", 0, at))
        close = re.compile(r"</t[dh]\s*>", re.I).search(text, at)
        if open_at >= 0 and close:
            return (text[:open_at] + text[close.end():]).split("\n")
        return (text[:at] + text[at + site.end - site.start:]).split("\n")
    if not before.strip() and after.strip() in ("", "|"):
        return lines[:site.line] + lines[site.line + 1:]         # a cell a line: the line goes
    if before.endswith("\t"):
        lines[site.line] = before[:-1] + after
    elif after.startswith("\t"):
        lines[site.line] = before + after[1:]
    elif "|" in before and "|" in after:
        lines[site.line] = before[:before.rfind("|") + 1] + after[after.find("|") + 1:]
    elif before.endswith((" ", "\u3000")):
        lines[site.line] = before.rstrip(" \u3000") + after
    else:
        lines[site.line] = before + after
    return lines


# --- running them -------------------------------------------------------------------------

class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


@dataclass
class Outcome:
    mutant: Mutant
    result: str                      # internal error, over 2 s, clean error, parsed
    seconds: float
    detail: str = ""
    wrong: list = field(default_factory=list)        # [(key, truth, got)] without a finding
    zeros: list = field(default_factory=list)        # blanks read as 0
    incomplete: list = field(default_factory=list)   # completeness problems
    changed: list = field(default_factory=list)      # without a truth: cells changed silently


def run_one(mutant):
    old = signal.signal(signal.SIGALRM, _alarm) if hasattr(signal, "SIGALRM") else None
    if old is not None:
        signal.alarm(HANG)
    start = time.process_time()
    try:
        report = parse_bytes(mutant.data, mutant.base.path.name)
    except GxError as e:
        return Outcome(mutant, "clean error", time.process_time() - start, str(e).split("\n")[0])
    except _Hang:
        return Outcome(mutant, "over 2 s", time.process_time() - start, f"stopped after {HANG} s")
    except Exception as e:     # noqa: BLE001 - what the fuzzer is for
        return Outcome(mutant, "internal error", time.process_time() - start, f"{type(e).__name__}: {e}")
    finally:
        if old is not None:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
    seconds = time.process_time() - start
    out = Outcome(mutant, "over 2 s" if seconds > SLOW else "parsed", seconds)
    out.incomplete = problems(report)
    cells, states = report.cells(), report.states()
    named = {k for f in report.findings for k in f.cells}
    if mutant.truth is None:
        # No truth: a line moved or lost. Cells that changed and that no finding names are
        # counted apart, as a clue (a line may rightly move a number to another row).
        out.changed = [(k, v, cells.get(k)) for k, v in mutant.base.expected.items()
                       if cells.get(k) != v and k not in named]
    else:
        for key, want in mutant.truth.items():
            got = cells.get(key)
            if got is None and want is None:
                continue
            if mutant.shifted and key in mutant.shifted and got == mutant.shifted[key] and key in named:
                continue
            if want is None and got == 0 and states.get(key) == "read":
                out.zeros.append((key, want, got))
            if (got != want or type(got) is bool) and key not in named:
                out.wrong.append((key, want, got))
    return out


def mutants(bases, count, seed, max_huge=HUGE_SIZES[-1], only=None):
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    index = 0
    made = 0
    while made < count:
        rng = random.Random(f"{seed}-{index}")
        base = bases[rng.randrange(len(bases))]
        kind = rng.choices(kinds, weights)[0]
        m = mutate(base, kind, rng, index, max_huge)
        index += 1
        if m is None:
            continue
        made += 1
        if only is None or m.index == only:
            yield m
        if only is not None and m.index >= only:
            return


def run(count=1000, seed=1, corpus=None, max_huge=HUGE_SIZES[-1], only=None, progress=None):
    """Parse `count` mutants; the outcomes, one a mutant."""
    paths = list(EXAMPLES)
    if corpus:
        paths += sorted(p for p in Path(corpus).glob("*.txt") if p.with_suffix(".expected.json").exists())
    bases = [load_base(p) for p in paths]
    outcomes = []
    for n, m in enumerate(mutants(bases, count, seed, max_huge, only), 1):
        outcomes.append(run_one(m))
        if progress and n % 500 == 0:
            progress(n)
    return outcomes


COLUMNS = ("mutants", "internal error", "over 2 s", "clean error", "parsed",
           "wrong cells without a finding", "blanks turned into 0", "cells unaccounted for",
           "changed without a finding (no truth)")


def tally(outcomes):
    """{kind: Counter of the table's columns}, with a row "all"."""
    rows = defaultdict(Counter)
    for o in outcomes:
        for kind in (o.mutant.kind, "all"):
            row = rows[kind]
            row["mutants"] += 1
            row[o.result] += 1
            row["wrong cells without a finding"] += len(o.wrong)
            row["blanks turned into 0"] += len(o.zeros)
            row["cells unaccounted for"] += len(o.incomplete)
            row["changed without a finding (no truth)"] += len(o.changed)
    return rows


def failures(outcomes):
    return [o for o in outcomes if o.result in ("internal error", "over 2 s") or o.wrong or o.zeros
            or o.incomplete]


def table(rows):
    head = ["kind", *COLUMNS]
    body = [[k, *(str(rows[k][c]) for c in COLUMNS)] for k in [*KINDS, "all"] if k in rows]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                                enumerate(zip(r, widths))) + " |" for r in body]
    return "\n".join(lines)


def describe(o):
    m = o.mutant
    where = f"#{m.index} {m.base.path.relative_to(m.base.path.parent.parent)}: {m.what}"
    out = [f"{where} → {o.result} ({o.seconds:.2f} s CPU) {o.detail}".rstrip()]
    out += [f"    wrong without a finding: {k} is {got!r}, the mutant says {want!r}" for k, want, got in o.wrong[:6]]
    out += [f"    blank turned into 0: {k}" for k, _w, _g in o.zeros[:6]]
    out += [f"    unaccounted: {k}: {why}" for k, why in o.incomplete[:6]]
    out += [f"    changed without a finding: {k} is {got!r}, was {was!r}" for k, was, got in o.changed[:6]]
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--count", type=int, default=1000, help="mutants to parse (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", help="a folder of reports with expected values to mutate as well")
    ap.add_argument("--max-huge", type=int, default=HUGE_SIZES[-1],
                    help="the longest huge line inserted (characters)")
    ap.add_argument("--only", type=int, help="parse only mutant number ONLY of the seed, and show it")
    ap.add_argument("--show", type=int, default=5, help="failures shown (default 5)")
    ap.add_argument("--save", metavar="DIR", help="write each failing mutant to DIR")
    ap.add_argument("--changed", action="store_true",
                    help="show mutants without a truth whose cells changed without a finding")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    outcomes = run(args.count if args.only is None else 10**9, args.seed, args.corpus, args.max_huge, args.only,
                   progress=lambda n: print(f"  {n} mutants …", file=sys.stderr))
    elapsed = time.perf_counter() - start
    rows = tally(outcomes)
    print(f"{rows['all']['mutants']} mutants of {len({o.mutant.base.path for o in outcomes})} reports, "
          f"seed {args.seed}, {elapsed:.0f} s; slowest parse (CPU time) "
          f"{max((o.seconds for o in outcomes), default=0):.2f} s\n")
    print(table(rows))
    bad = failures(outcomes)
    if args.changed:
        bad += [o for o in outcomes if o.changed and o not in bad]
    if args.only is not None:
        for o in outcomes:
            print(describe(o))
    elif bad:
        print(f"\n{len(bad)} mutants failed; the first {min(args.show, len(bad))}:")
        for o in bad[:args.show]:
            print(describe(o))
    saved = outcomes if args.only is not None else bad
    if args.save and saved:
        folder = Path(args.save)
        folder.mkdir(parents=True, exist_ok=True)
        for o in saved:
            suffix = o.mutant.base.path.suffix
            (folder / f"mutant-{args.seed}-{o.mutant.index}{suffix}").write_bytes(o.mutant.data)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
