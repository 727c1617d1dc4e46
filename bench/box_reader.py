#!/usr/bin/env python3
"""How the box table reader's time grows with its input: tables of more and more lines,
and a single line longer and longer. Prints CPU seconds and microseconds a line (or a
megabyte); the figures should grow in proportion to the input. Asserts nothing.

    python bench/box_reader.py
"""
from __future__ import annotations

import time

from gxgrammar.readers.box import read


def table(rows):
    lines = ["┌──────────────┬────┬────┐"]
    for n in range(rows):
        lines += [f"│（{n % 7}）予以公开　│{n % 97:<4}│{n % 13:<4}│", "├──────────────┼────┼────┤"]
    lines[-1] = "└──────────────┴────┴────┘"
    return lines


def wide(chars):
    rule = "─" * chars
    return ["┌" + rule + "┬──┐", "│" + "字" * (chars // 2) + "│1 │", "└" + rule + "┴──┘"]


def measure(lines):
    start = time.process_time()
    read(lines)
    return time.process_time() - start


def main():
    print("lines       cpu s   us/line")
    for rows in (1_000, 10_000, 50_000):
        lines = table(rows)
        t = measure(lines)
        print(f"{len(lines):<10}  {t:6.2f}  {t / len(lines) * 1e6:8.1f}")
    print("line chars  cpu s   s/MB")
    for chars in (10_000, 100_000, 1_000_000):
        lines = wide(chars)
        t = measure(lines)
        print(f"{chars:<10}  {t:6.2f}  {t / (chars * 3 / 1e6):8.2f}")


if __name__ == "__main__":
    main()
