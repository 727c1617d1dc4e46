"""The grid: rows of cells as a layout grammar read them, before any meaning is given.

Every layout grammar follows one contract, so that one transformer serves them all:
a `row` rule anywhere in the tree is a table row; each subtree directly under a row
is one cell, whatever the grammar calls it (cell, label, value …), except a `prose`
subtree; a cell's text is its tokens in order, each stripped, joined without a
separator (labels wrapped over lines join up again: 商业 + 企业). A `prose` rule
marks lines of running text; anything else (separator lines, say) is table furniture.
A `furniture` subtree is furniture even inside a row or a cell (a page number, a
piece of a merged label written down the side): its text is no cell's. A cell subtree named `joined` holds several
values written together with no separator (801000081): the table reader splits it.
A token named SPAN that ends a cell is no text of it: its length is the number of
columns the cell covers (the pipes after a canonical cell, `| 286 |||`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gxgrammar.i18n import _
from gxgrammar.model import Finding

# No table row is this long: table 三 written on one line, every label in full and every
# number run together, is about 1,500 characters. A longer line is set aside before the
# layout grammars read the table (they read it in time linear in its length, but a
# megabyte of cells would still take seconds), and reported.
MAX_LINE = 20_000


@dataclass(slots=True)     # (a report makes hundreds: slots make them sooner)
class Cell:
    text: str
    line: int | None = None      # 1-based line in the user's file
    column: int | None = None    # 1-based column in that (normalised) line
    joined: bool = False         # several values written with no separator between them
    extra: dict | None = None    # more provenance from the reader (a PDF's page, x and y)
    span: int = 1                # the columns the cell covers

    @property
    def empty(self):
        return not self.text


@dataclass(slots=True)
class Row:
    cells: list
    line: int | None = None
    end_line: int | None = None


@dataclass
class Grid:
    rows: list = field(default_factory=list)
    prose_lines: set = field(default_factory=set)   # lines of the text read (for its prose)


def _token_cell(tokens, offset, places, joined):
    if len(tokens) == 1:      # most cells: one token
        first = tokens[0]
        raw = str(first)
        text = raw.strip()
    else:
        stripped = [str(t).strip() for t in tokens]
        text = "".join(stripped)
        first = next((t for t, s in zip(tokens, stripped) if s), tokens[0] if tokens else None)
        if first is None:
            return Cell(text, joined=joined)
        raw = str(first)
    lead = len(raw) - len(raw.lstrip())
    if not lead:
        line, column = first.line + offset, first.column
    else:
        # Leading line breaks inside a token move the cell to a later line.
        nl = raw[:lead].count("\n")
        line = first.line + nl + offset
        column = (first.column + lead) if not nl else len(raw[:lead].rsplit("\n", 1)[1]) + 1
    if places is not None:
        line, column, extra = places.place(line, column)
        return Cell(text, line, column, joined, extra)
    return Cell(text, line, column, joined)


def _tokens(node, out):
    """The tokens of a subtree in order, leaving out those of furniture inside it.

    A child that is not a _Node is a token: lark's, or lark_cython's (not a str). The walk
    appends to `out` rather than chaining generators: it runs for every cell.
    """
    for child in node.children:
        if type(child) is not _Node:
            out.append(child)
        elif child.data != "furniture":
            _tokens(child, out)
    return out


class _Node:
    """A rule's match, as the grid needs it: its children, and the rows and prose found
    below it, in document order (what a walk of the tree would find). A node does not
    list itself: a node that held itself would be a reference cycle, left for the
    garbage collector, and a parse makes thousands of nodes."""
    __slots__ = ("data", "children", "found")

    def __init__(self, data, children, found):
        self.data, self.children, self.found = data, children, found


def _found_below(children):
    found = ()
    for child in children:
        if type(child) is _Node:
            kind = child.data
            if kind == "row":
                found = found + (child,) + child.found
            elif kind == "prose":
                found = found + (child,)      # what a prose holds is prose
            elif child.found:
                found = found + child.found if found else child.found
    return found


class GridBuilder:
    """The layout parser's transformer: lark calls it as it reduces each rule, so the rows
    and prose are collected on the way up and no tree is walked after the parse.

    One instance serves every parse (it keeps no state). Lark asks it for a callback by
    each rule's name: rules whose names begin with _ get none, and stay lark Trees (lark
    splices their children into the rule above); terminals (upper case) get none either.
    """

    def __getattr__(self, name):
        if name[0] == "_" or not name.islower():
            raise AttributeError(name)

        def build(children):
            return _Node(name, children, _found_below(children))
        return build

    def furniture(self, children):
        return _Node("furniture", children, ())

    def node_for(self, name):
        """What makes a rule's node from its kept children (layouts.callbacks), None for a
        rule that gets no callback (see above)."""
        if name[0] == "_" or not name.islower():
            return None
        if name == "furniture":
            return self.furniture
        return _Node, _found_below       # _Node(name, children, _found_below(children))


def build_grid(parsed, line_offset=0, places=None):
    """A layout parser's result (parsed with GridBuilder) as a Grid (see the module's contract).

    `line_offset` turns the line numbers of a parsed excerpt into lines of the text;
    `places`, if given, has `position(line, column)` and `extra(line, column)` that turn a
    place in that text into the place in the user's file it was made from (a saved web
    page's table cell, say), and its further provenance (readers.text.MappedSource).
    """
    found = _found_below([parsed])
    rows, lines = [], set()
    for node in found:
        if node.data == "row":
            rows.append(_row(node, line_offset, places))
        else:
            for tok in _tokens(node, []):
                start = tok.line + line_offset
                lines.update(range(start, start + str(tok).rstrip().count("\n") + 1))
    return Grid(rows, lines)


def _row(node, offset, places):
    """One row: a cell per subtree (but prose and furniture); its lines, from its first
    token's to its last's (a row's tokens come in the order of the text)."""
    cells, first, last = [], None, None
    for child in node.children:
        if type(child) is _Node:
            kind = child.data
            if kind == "furniture":
                continue
            tokens = _tokens(child, [])
            if kind != "prose":
                if tokens and tokens[-1].type == "SPAN":
                    cell = _token_cell(tokens[:-1], offset, places, kind == "joined")
                    cell.span = len(str(tokens[-1]).strip()) or 1
                    cells.append(cell)
                else:
                    cells.append(_token_cell(tokens, offset, places, kind == "joined"))
            if tokens:
                if first is None:
                    first = tokens[0]
                last = tokens[-1]
        else:
            if first is None:
                first = child
            last = child
    if first is None:
        return Row(cells, None, None)
    start = first.line + offset
    end = (last.end_line if last.end_line is not None else last.line) + offset
    if places is not None:
        start, end = places.position(start, None)[0], places.position(end, None)[0]
    for cell in cells:
        if cell.line is None:
            cell.line = start
    return Row(cells, start, end)


def set_aside_long_lines(lines, first_line, where, file_line=lambda n: n):
    """The lines a layout grammar is given: those longer than MAX_LINE left empty.

    `lines` are a section's lines, the first being line `first_line` of the text read;
    `where` names the section. Returns (lines, findings): a finding for each line set
    aside, at the line of the user's file it stands for.
    """
    if all(len(line) <= MAX_LINE for line in lines):
        return lines, []
    kept, findings = [], []
    for n, line in enumerate(lines, first_line):
        if len(line) <= MAX_LINE:
            kept.append(line)
            continue
        kept.append("")
        findings.append(Finding(
            "table.line_too_long", "warning",
            _("line {line} of {section} holds {length} characters, more than any table row; "
              "it was not read").format(line=file_line(n), section=where, length=f"{len(line):,}"),
            [], file_line(n)))
    return kept, findings
