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


def side_by_side(original, canonical, anchors=()):
    """Blocks of lines, original on the left and canonical on the right, changes marked.

    `anchors` are pairs of 1-based line numbers (original, canonical) that stand for the
    same thing, the section headings: the texts are compared part by part between them,
    so that a section is never matched against another one.
    """
    a, b = _lines(original), _lines(canonical)
    cuts = [(0, 0)] + [(i - 1, j - 1) for i, j in anchors] + [(len(a), len(b))]
    blocks = []
    for (i0, j0), (i1, j1) in zip(cuts, cuts[1:]):
        blocks.extend(_blocks(a, b, i0, i1, j0, j1))
    return blocks


def _blocks(a, b, i0, i1, j0, j1):
    # Blank lines come and go in canonicalisation: they are no anchor for the alignment.
    matcher = difflib.SequenceMatcher(lambda line: not line.strip(), a[i0:i1], b[j0:j1], autojunk=False)
    for op, i1_, i2_, j1_, j2_ in matcher.get_opcodes():
        i1_, i2_, j1_, j2_ = i1_ + i0, i2_ + i0, j1_ + j0, j2_ + j0
        left, right = "\n".join(a[i1_:i2_]), "\n".join(b[j1_:j2_])
        if op == "equal":
            flags_a, flags_b = [False] * len(left), [False] * len(right)
        elif op == "replace":
            flags_a, flags_b = _char_changes(left, right)
        else:
            flags_a, flags_b = [True] * len(left), [True] * len(right)
        yield Block(op, _marked(left, flags_a, i1_ + 1) if i2_ > i1_ else [],
                    _marked(right, flags_b, j1_ + 1) if j2_ > j1_ else [])
