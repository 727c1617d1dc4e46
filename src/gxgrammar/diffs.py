"""What canonicalisation changed: the original text against the canonical rendering.

Two views for templates: a unified diff (lines), and side-by-side blocks in which
the characters that changed are marked, so a page can highlight them.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass
class Segment:
    text: str
    changed: bool


@dataclass
class LineView:
    number: int                                   # 1-based line number on its side
    segments: list = field(default_factory=list)  # the line as runs of unchanged / changed text

    @property
    def text(self):
        return "".join(s.text for s in self.segments)


@dataclass
class Block:
    kind: str                                     # "equal", "replace", "delete" or "insert"
    left: list                                    # LineView of the original
    right: list                                   # LineView of the canonical rendering


def _lines(text):
    return text.splitlines()


def unified(original, canonical, path="original", context=3):
    """The unified diff from the original to the canonical rendering, as lines."""
    return list(difflib.unified_diff(_lines(original), _lines(canonical), fromfile=path,
                                     tofile=f"{path} (canonical)", n=context, lineterm=""))


def _marked(text, changed, first_number):
    """Lines of a block with their changed characters as segments."""
    out, number, start = [], first_number, 0
    line = LineView(number)
    for i, ch in enumerate(text + "\n"):
        if ch == "\n" or i == len(text):
            _add(line, text[start:i], changed[start:i])
            out.append(line)
            number += 1
            line = LineView(number)
            start = i + 1
    return out


def _add(line, text, flags):
    run_start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or flags[i] != flags[run_start]:
            line.segments.append(Segment(text[run_start:i], bool(flags[run_start])))
            run_start = i


def _char_changes(left, right):
    """Per-character 'changed' flags of both sides of a replaced block."""
    a, b = [True] * len(left), [True] * len(right)
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for i, j, n in matcher.get_matching_blocks():
        a[i:i + n] = [False] * n
        b[j:j + n] = [False] * n
    return a, b


def side_by_side(original, canonical):
    """Blocks of lines, original on the left and canonical on the right, changes marked."""
    a, b = _lines(original), _lines(canonical)
    blocks = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
        if op == "equal":
            flags_a, flags_b = [False] * len(left), [False] * len(right)
        elif op == "replace":
            flags_a, flags_b = _char_changes(left, right)
        else:
            flags_a, flags_b = [True] * len(left), [True] * len(right)
        blocks.append(Block(op, _marked(left, flags_a, i1 + 1) if i2 > i1 else [],
                            _marked(right, flags_b, j1 + 1) if j2 > j1 else []))
    return blocks
