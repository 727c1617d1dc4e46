"""Tables whose cells come one a line and out of row order: plain `pdftotext` and
`pdftotext -raw` of a PDF table, and extractors like them.

Such text gives a table cell by cell. A row's numbers that share the baseline of its
label come on the label's line; its other numbers come on lines of their own, before
or after the label, sometimes after the next row's label. What stays certain is this:

- the numbers written on one line are cells of one row, left to right;
- numbers on a label's line are the first cells of that label's row;
- every other line of numbers keeps the table's reading order (row by row, left to
  right): taken together, they fill the cells the label lines left, in order.

A table wrapped to a width (pandoc's simple table inside a page's frame) is read by the
same rules: each label line holds its row's first numbers, or none, and the lines after
it the rest (readers/wrapped_rows.py: a row short of a number is left open; numbers a
wrap cut in two are put back where the row's identity says).

The national format gives the shape (the rows and columns of each table and of each
block of table 二); a label names a row only through `national.match_row`. Where a line
of numbers could belong to several rows, or a table has fewer numbers than cells, every
reading the rules above allow is a candidate, and the identities (勾稽关系) drop the
candidates that break them. A cell is written only where every surviving candidate
gives it the same number; any other cell is written ⁇ (rows.UNPLACED), which the
mapping reports as a cell whose number the order leaves open. Nothing is guessed.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from gxgrammar import national as nf
from gxgrammar.cache import regex
from gxgrammar.readers import Rebuilt, register_table_reader
from gxgrammar.national.mapping import order_of_like_block
from gxgrammar.readers.column_readings import (CONTRARY, MOVE_REACH, OPEN, SHOWN, UNCERTAIN, cell_columns,
                                                 settle)
from gxgrammar.readers.rows import UNPLACED, CellRowsWriter
from gxgrammar.readers.wrapped_rows import cut_rows, short_rows, wrapped as wrapped_to_a_width


_VALUE = r"(?:[-+]?\d[\d,]*(?:\.\d+)?|[—–/]+|-{1,3})"
# A run of values that ends the line; its first value may follow a label with no space.
_RUN = regex(rf"(?<![A-Za-z0-9.,:%+\-]){_VALUE}(?:[ \t]+{_VALUE})*[ \t]*$")
_TOKEN = regex(r"\S+")
_NOTE_MARK = regex(r"[ \t]*\[\d{1,2}\](?=[ \t]|$)")   # a note's mark after a number: 「25 [1]」
_PAGE_NUMBER = regex(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页.*|\d+\s*/\s*\d+)\s*$")


@dataclass
class Piece:
    """The values on one line: (text, line, column) each, and the words before them."""
    values: list
    label: str
    line: int
    index: int = 0                  # the piece's place in the table's reading order
    options: tuple = (None,)        # the rows (indexes) it may lead; None: in reading order


@dataclass
class Shape:
    """The cells of a table (or of a block of it), in reading order."""
    rows: list                      # (row key, label, number of columns)
    cells: list = field(default_factory=list)   # (row index, column index)

    def __post_init__(self):
        self.cells = [(r, c) for r, (_, _, n) in enumerate(self.rows) for c in range(n)]


def _pieces(lines):
    pieces = []
    for i, raw in enumerate(lines, 1):
        line = _NOTE_MARK.sub(lambda m: " " * len(m.group()), raw.replace("\f", " "))
        if not line.strip() or _PAGE_NUMBER.match(line) or _page_end(lines, i):
            continue
        m = _RUN.search(line)
        if not m:
            continue
        values = [(t.group(), i, m.start() + t.start() + 1) for t in _TOKEN.finditer(m.group())]
        pieces.append(Piece(values, line[:m.start()].strip(), i))
    return pieces


def _page_end(lines, i):
    """A bare number on the last line of a page (the next line starts with a form feed)."""
    return i < len(lines) and lines[i].startswith("\f") and lines[i - 1].strip().isdigit()


def _words(line):
    """A line's words as labels are matched: without its numbers."""
    return nf.normalise_label(_RUN.sub("", line))


def _table_and_template(lines):
    text = nf.normalise_label("".join(lines))
    named = {t: sum(1 for row in nf.TABLE_ROWS[t] if re.search(row.rule, text)) for t in nf.TABLE_ROWS}
    best = max(named.values())
    tables = [t for t, n in named.items() if n == best]
    if best == 0 or len(tables) > 1:
        return None, None
    evidence = nf.template_evidence(text)
    if evidence["2019"] != evidence["2021"]:
        return tables[0], max(evidence, key=evidence.get)
    return tables[0], None


def _shape(table, template, rows=None):
    rows = rows if rows is not None else nf.rows_for(table, template)
    return Shape([(r.key, nf.row_label(table, r, template), len(nf.columns_for(table, r, template)))
                  for r in rows])


def _blocks(table, template, lines, pieces):
    """The blocks of a table read apart: table 二's blocks where their headers stand in
    order and hold no more numbers than their cells; one block otherwise."""
    rows = nf.rows_for(table, template)
    if table != "active":
        return [(_shape(table, template, rows), pieces)]
    groups = list(dict.fromkeys(r.group for r in rows))
    own = _own_headers(table, template)
    heads, wanted = [], 0
    for i, line in enumerate(lines, 1):
        text = nf.normalise_label(line)
        for g in groups[wanted:]:
            # A block starts at its heading, or at a column header no other block has
            # (「采购项目数量」: a PDF's text may give a block's heading after its numbers).
            if nf.normalise_label(g) in text or any(h in text for h in own.get(g, ())):
                heads.append((i, groups.index(g)))
                wanted = groups.index(g) + 1
                break
    if len(heads) < 2:
        return [(_shape(table, template, rows), pieces)]
    starts = [0] + [h for h, _ in heads[1:]]
    split = [[] for _ in heads]
    for p in pieces:
        split[max(k for k, s in enumerate(starts) if p.line >= s)].append(p)
    first_group = [g for _, g in heads]
    parts = []
    for k, (_, g) in enumerate(heads):
        last = first_group[k + 1] if k + 1 < len(heads) else len(groups)
        parts.append([[r for r in rows if groups.index(r.group) in range(g if k else 0, last)], split[k]])
    # A block holding more numbers than cells took some of the next block's: read them together.
    merged = []
    for block in parts:
        if merged and sum(len(p.values) for p in merged[-1][1]) > _cell_count(table, template, merged[-1][0]):
            merged[-1] = [merged[-1][0] + block[0], merged[-1][1] + block[1]]
        else:
            merged.append(block)
    while len(merged) > 1 and sum(len(p.values) for p in merged[-1][1]) > \
            _cell_count(table, template, merged[-1][0]):
        last = merged.pop()
        merged[-1] = [merged[-1][0] + last[0], merged[-1][1] + last[1]]
    return [(_shape(table, template, r), p) for r, p in merged]


@lru_cache(maxsize=None)
def _own_headers(table, template):
    """{row group: the labels of the columns that no other group of the table has}."""
    labels = {}
    for r in nf.rows_for(table, template):
        labels.setdefault(r.group, set()).update(nf.normalise_label(c.label)
                                                 for c in nf.columns_for(table, r, template))
    return {g: tuple(sorted(ls - set().union(*(o for h, o in labels.items() if h != g))))
            for g, ls in labels.items()}


def _cell_count(table, template, rows):
    return sum(len(nf.columns_for(table, r, template)) for r in rows)


def _name_rows(table, template, shape, lines, pieces):
    """The rows each label line may lead.

    Its words name the row (national.match_row), or are a piece of the wording of one
    or more rows (a label wrapped over lines); failing both, the row named last before
    it or the first named after it. The identities judge between several."""
    index = {key: i for i, (key, _, _) in enumerate(shape.rows)}
    wording = [nf.normalise_label(label) for _, label, _ in shape.rows]
    texts = [_words(line) for line in lines]
    numbered = {p.line for p in pieces}
    for piece in pieces:
        if not piece.label:
            continue
        label = nf.normalise_label(piece.label)
        own = nf.match_row(table, label, template)
        # A label cut over lines (「规」 / 「章  278」, 「1.本机关不掌握相关政府」 / 「信息  8  0」):
        # its words naming no row, the lines of words just before name it with them.
        before, n = "", piece.line - 1
        while own is None and n >= max(1, piece.line - 2) and n not in numbered and texts[n - 1]:
            before = texts[n - 1] + before
            own = nf.match_row(table, before + label, template)
            n -= 1
        if own is not None and own.key in index:
            piece.options = (index[own.key],)
            continue
        parts = [nf.normalise_label(f) for f in piece.label.split()]
        rows = {i for i, w in enumerate(wording) for f in parts if len(f) >= 2 and f in w}
        if not rows:
            # the row named last in the lines just before, and the first named from here on
            before = nf.match_row(table, "".join(texts[max(0, piece.line - MOVE_REACH):piece.line]), template)
            after = next((r for n in range(piece.line, min(len(texts), piece.line + MOVE_REACH) + 1)
                          for r in [nf.match_row(table, "".join(texts[piece.line - 1:n]), template)]
                          if r is not None), None)
            rows = {index[r.key] for r in (before, after) if r is not None and r.key in index}
        piece.options = tuple(sorted(rows)) or (None,)


@register_table_reader("columns", "Table cells one a line, out of row order (plain pdftotext), "
                                  "placed where the format's shape and identities leave one reading",
                         reading_order=True)
def read(lines):
    pieces = _pieces(lines)
    if not pieces:
        return None
    table, template = _table_and_template(lines)
    if table is None:
        return None
    count = sum(len(p.values) for p in pieces)
    sizes = {t: sum(n for _, _, n in _shape(table, t).rows) for t in nf.TEMPLATES}
    told = template
    if template is None:
        template = next((t for t in nf.TEMPLATES if sizes[t] == count), "2021")
    one_a_line = _one_a_line(pieces)
    # Rows wrapped to a width, each label line's numbers going on in the next lines, with a
    # number missing (a blank cell): each line of numbers is its row's (checked by block).
    wrapped = not one_a_line and count < sizes[template] and wrapped_to_a_width(pieces)
    # worded[i]: the words of line i (1-based): a label, a header; "" for numbers alone
    worded = [""] + ["" if _PAGE_NUMBER.match(l) else _words(l.replace("\f", " ")) for l in lines]
    if not one_a_line and count < sizes[template] and not wrapped:
        # Rows written whole with fewer numbers than cells (digits run together, cells
        # left out): some cell stays unfilled in every reading, so the row layouts read it.
        return _cut_reading(table, told, lines, pieces, worded)
    blocks = []
    for shape, block in _blocks(table, template, lines, pieces):
        _name_rows(table, template, shape, lines, block)
        short = short_rows(table, template, shape, block, worded, lines) if wrapped else set()
        if short is None:       # a row with more numbers than cells: cut in two, or no wrap
            return _cut_reading(table, told, lines, pieces, worded)
        settled, order = settle(table, template, shape, block, worded, lines)
        for k, (r, _) in enumerate(shape.cells):
            if r in short:      # which of its cells is blank cannot be told
                settled[k] = UNCERTAIN
        blocks.append([shape, settled, block or pieces, order])
    findings = _in_like_order(table, template, blocks, worded, lines)
    if not (one_a_line or wrapped) and any(v == UNCERTAIN for _, settled, _, _ in blocks for v in settled.values()):
        # Rows each after their label, a wrap having cut numbers in two (readers/wrapped_rows.py),
        # where the rows' identities judge the cuts; else rows written whole, one a line: the
        # row layouts read them and say what a row lacks.
        return _cut_reading(table, told, lines, pieces, worded)
    out = CellRowsWriter()
    for shape, settled, block, _ in blocks:
        _write(out, shape, settled, block)
    return Rebuilt(out.lines, out.places, findings)


def _cut_reading(table, template, lines, pieces, worded):
    """The table read as rows each after their label, numbers a wrap cut in two put back
    where the rows' identities judge them (readers/wrapped_rows.py), in its format (or,
    when the text does not tell, in the format that reads more cells so); None when no
    cell reads so."""
    if not nf.has_identities(table):
        return None             # (table 二): nothing to judge the cuts by
    found = []
    for t in [template] if template else nf.TEMPLATES:
        shape = _shape(table, t)
        _name_rows(table, t, shape, lines, pieces)
        cut = cut_rows(table, t, shape, pieces, worded, lines)
        read = sum(1 for v in (cut or {}).values() if v != UNCERTAIN)
        if read:
            found.append((read, shape, cut))
    found.sort(key=lambda f: -f[0])
    if not found or (len(found) > 1 and found[1][0] == found[0][0]):
        return None             # no format reads more cells than the other
    _, shape, cut = found[0]
    out = CellRowsWriter()
    _write(out, shape, cut, pieces)
    return Rebuilt(out.lines, out.places)


def _in_like_order(table, template, blocks, worded, lines):
    """Blocks of table 二 whose numbers fit the text's order and another are read in the
    text's order where a block of the same shape fits only that one (「－2」 can only be a
    本年增/减) and none fits only another: a page writes its like blocks alike. Each such
    block is re-settled in place; the findings that say so are returned."""
    def like(shape):
        return tuple(n for _, _, n in shape.rows)

    shown = {}
    for shape, _, _, order in blocks:
        if order == SHOWN:
            shown.setdefault(like(shape), shape)
    contrary = {like(shape) for shape, _, _, order in blocks if order == CONTRARY}
    findings = []
    for b in blocks:
        shape, _, block, order = b
        model = shown.get(like(shape))
        if order != OPEN or model is None or like(shape) in contrary:
            continue
        b[1], _ = settle(table, template, shape, block, worded, lines, text_order=True)
        keys = [f"{table}.{key}.{col.key}" for k, (key, col) in enumerate(cell_columns(table, template, shape))
                if b[1][k]]
        findings.append(order_of_like_block(table, keys, shape.rows[0][0], model.rows[0][0]))
    return findings


def _one_a_line(pieces):
    """Whether the text gives cells one a line: two lines in a row holding one number each."""
    return any(len(a.values) == 1 == len(b.values) and not a.label and not b.label and b.line - a.line <= 2
               for a, b in zip(pieces, pieces[1:]))


def _write(out, shape, settled, pieces):
    k = 0
    for key, label, n in shape.rows:
        cells = []
        for _ in range(n):
            v = settled[k]
            k += 1
            if v == UNCERTAIN:
                cells.append((UNPLACED, None))
            elif v == "":
                cells.append(("", None))
            else:
                cells.append((v[0], (v[1], v[2])))
        line = next((c[1][0] for c in cells if c[1]), pieces[0].line)
        out.row([(label, None)] + cells, (line,))
