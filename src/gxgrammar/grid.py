"""The grid: rows of cells as a layout grammar read them, before any meaning is given.

Every layout grammar follows one contract, so that one transformer serves them all:
a `row` rule anywhere in the tree is a table row; each subtree directly under a row
is one cell, whatever the grammar calls it (cell, label, value …), except a `prose`
subtree; a cell's text is its tokens in order, each stripped, joined without a
separator (labels wrapped over lines join up again: 商业 + 企业). A `prose` rule
marks lines of running text; anything else (separator lines, say) is table furniture.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token, Tree


@dataclass
class Cell:
    text: str
    line: int | None = None      # 1-based line in the user's file
    column: int | None = None    # 1-based column in that (normalised) line

    @property
    def empty(self):
        return not self.text


@dataclass
class Row:
    cells: list
    line: int | None = None
    end_line: int | None = None


@dataclass
class Grid:
    rows: list = field(default_factory=list)
    prose_lines: set = field(default_factory=set)



def _token_cell(tokens, offset):
    text = "".join(str(t).strip() for t in tokens)
    first = next((t for t in tokens if str(t).strip()), tokens[0] if tokens else None)
    if first is None:
        return Cell(text)
    raw = str(first)
    lead = len(raw) - len(raw.lstrip())
    # Leading line breaks inside a token move the cell to a later line.
    nl = raw[:lead].count("\n")
    line = first.line + offset + nl
    column = (first.column + lead) if not nl else len(raw[:lead].rsplit("\n", 1)[1]) + 1
    return Cell(text, line, column)


def _span(tree, offset):
    lines = [t.line + offset for t in tree.scan_values(lambda v: isinstance(v, Token))]
    ends = [t.end_line + offset for t in tree.scan_values(lambda v: isinstance(v, Token))
            if t.end_line is not None]
    if not lines:
        return None, None
    return min(lines), max(ends or lines)


def build_grid(tree, line_offset=0):
    """Any layout grammar's tree as a Grid (see the module's contract).

    `line_offset` turns the line numbers of a parsed excerpt into lines of the file.
    """
    rows, prose = _walk(tree)
    lines = set()
    for p in prose:
        for tok in p.scan_values(lambda v: isinstance(v, Token)):
            start = tok.line + line_offset
            lines.update(range(start, start + str(tok).rstrip().count("\n") + 1))
    return Grid([_row(t, line_offset) for t in rows], lines)


def _row(tree, offset):
    cells = []
    start, end = _span(tree, offset)
    for child in tree.children:
        if isinstance(child, Tree) and child.data != "prose":
            tokens = list(child.scan_values(lambda v: isinstance(v, Token)))
            cell = _token_cell(tokens, offset)
            if cell.line is None:
                cell.line = start
            cells.append(cell)
    return Row(cells, start, end)


def _walk(tree):
    """Row and prose subtrees in document order (prose inside a row included)."""
    stack = [tree]
    rows, prose = [], []
    while stack:
        node = stack.pop()
        if node.data == "prose":
            prose.append(node)
            continue
        if node.data == "row":
            rows.append(node)
        stack.extend(reversed([c for c in node.children if isinstance(c, Tree)]))
    return rows, prose
