"""Markdown written by OCR and PDF-to-Markdown tools (MinerU, Marker, docling, OCR services).

Two things such Markdown does that a pipe-table grammar cannot follow:

- **Row labels outside the table.** A label written as a line of text above its row of
  numbers (each row a small table of its own), a list of labels beside a table of
  numbers, or table 四's three groups as three tables of five columns under a line
  naming the group. The `md-labels` table reader gives such rows their labels back,
  where the text leaves one answer: the one line of words just above a table holding
  one row of numbers, or a run of lines just above a table, one for each of its rows
  of numbers, each naming a different row of the format, in the format's order.
- **HTML tables inside the Markdown** (tools write merged cells as `<table>` with
  rowspan/colspan). `embedded_tables` keeps the Markdown's lines and puts each table's
  rows, merged cells expanded by the web page reader, in its place as cell rows.
"""
from __future__ import annotations

import re

from gxgrammar import national as nf
from gxgrammar.cache import regex
from gxgrammar.national.cells import read_cell
from gxgrammar.readers import Rebuilt, register_table_reader
from gxgrammar.readers.rows import CellRowsWriter, clean

_SEPARATOR = regex(r"^\s*\|?[\s:]*-[-:|\s]*$")
_PIPE_ROW = regex(r"^\s*\|")
_MARKUP = regex(r"^\s*(?:[-*+]\s+|\d+[.)]\s+(?=\D)|#{1,6}\s+|>\s*)|[*_`]+")


def _cells(line):
    """The cells of a pipe row: (text, column) each, without the outer pipes."""
    body = line.rstrip()
    start = body.index("|") + 1
    parts, column = [], start
    for piece in body[start:].split("|"):
        lead = len(piece) - len(piece.lstrip())
        parts.append((piece.strip(), column + lead + 1))
        column += len(piece) + 1
    if parts and not parts[-1][0] and body.endswith("|"):
        parts.pop()
    return parts


def _numbers_only(cells):
    kinds = [read_cell(text).kind for text, _ in cells]
    return "text" not in kinds and "number" in kinds


def _words(line):
    return _MARKUP.sub("", line).strip()


def _table_of(lines):
    text = nf.normalise_label("".join(lines))
    named = {t: sum(1 for row in nf.TABLE_ROWS[t] if re.search(row.rule, text)) for t in nf.TABLE_ROWS}
    best = max(named.values())
    tables = [t for t, n in named.items() if n == best]
    return tables[0] if best and len(tables) == 1 else None


def _blocks(lines):
    """[(kind, [line numbers])]: runs of pipe lines ("table") and single lines of words."""
    blocks = []
    for i, line in enumerate(lines, 1):
        if _PIPE_ROW.match(line):
            if blocks and blocks[-1][0] == "table" and blocks[-1][1][-1] == i - 1:
                blocks[-1][1].append(i)
            else:
                blocks.append(("table", [i]))
        elif line.strip():
            blocks.append(("words", [i]))
    return blocks


def _names(table, line):
    row = nf.match_row(table, nf.normalise_label(_words(line)))
    return row.key if row is not None else None


@register_table_reader("md-labels", "Pipe tables whose row labels stand outside them (OCR and PDF-to-Markdown "
                                    "tools): a label above its row of numbers, a list of labels beside a table")
def read(lines):
    table = _table_of(lines)
    if table is None:
        return None
    blocks = _blocks(lines)
    labels = {}                      # line of a row of numbers -> line of its label
    order = {r.key: i for i, r in enumerate(nf.TABLE_ROWS[table])}
    for n, (kind, numbers) in enumerate(blocks):
        if kind != "table":
            continue
        bare = [i for i in numbers if not _SEPARATOR.match(lines[i - 1])
                and _numbers_only(_cells(lines[i - 1]))
                and not any(_names(table, text) for text, _ in _cells(lines[i - 1]))]
        if not bare:
            continue
        words, back = [], n - 1
        while back >= 0 and blocks[back][0] == "words" and len(words) < len(bare):
            words.append(blocks[back][1][0])
            back -= 1
        words.reverse()
        named = [(i, _names(table, lines[i - 1])) for i in words[-len(bare):]] if len(words) >= len(bare) else []
        keys = [k for _, k in named]
        # Each label names its own row, in the format's order; the labels stand just above.
        if keys and None not in keys and len(set(keys)) == len(keys) and \
                keys == sorted(keys, key=order.get):
            labels.update({row: label for row, (label, _) in zip(bare, named)})
    if not labels:
        return None
    out = CellRowsWriter()
    for i, line in enumerate(lines, 1):
        if not _PIPE_ROW.match(line) or _SEPARATOR.match(line):
            continue
        cells = [(text, (i, column)) for text, column in _cells(line)]
        if i in labels:
            label_line = lines[labels[i] - 1]
            words = _words(label_line)
            cells.insert(0, (words, (labels[i], label_line.find(words) + 1)))
        out.row(cells, (i,))
    return Rebuilt(out.lines, out.places)


# --- HTML tables inside Markdown ------------------------------------------------------

_PAGE = regex(r"<(?:!doctype|html|head|body)[\s>]", re.I)
_TABLE_START = regex(r"<table[\s>]", re.I)
_TABLE_END = regex(r"</table\s*>", re.I)
_TAG = regex(r"<[A-Za-z!/]")


# The wrappers pandoc's Markdown writers pass through as raw HTML (`-t gfm` keeps a
# page's <div class=…> and <span style=…> as they were): no text of their own.
_WRAPPER = regex(r"</?(?:div|span)\b[^<>]*>", re.I)
_WRAPPER_OPEN = regex(r"<(?:div|span)\b[^<>]*$", re.I)      # a tag going on to the next line
_WRAPPER_REST = regex(r"^[^<>]*>")


def _unwrapped(lines):
    """The lines with the wrapper tags blanked out (spaces as wide, so columns hold)."""
    out, open_tag = [], False
    for line in lines:
        if open_tag:
            m = _WRAPPER_REST.match(line)
            if m:
                line, open_tag = " " * m.end() + line[m.end():], False
            elif "<" not in line:
                out.append(" " * len(line))
                continue
        line = _WRAPPER.sub(lambda m: " " * len(m.group()), line)
        m = _WRAPPER_OPEN.search(line)
        if m:
            line, open_tag = line[:m.start()] + " " * (len(line) - m.start()), True
        out.append(line)
    return out


def embedded_tables(source):
    """Whether a text is Markdown (or plain text) holding HTML tables, not a web page:
    it has <table> blocks (or pipe tables), and no markup outside them but wrappers
    (<div>, <span>) of no text of their own."""
    text = "\n".join(source.lines[:2000])
    if _PAGE.search(text):
        return False
    if not _TABLE_START.search(text):
        if not _TAG.search(text) or not any(_SEPARATOR.match(l) and "|" in l for l in source.lines[:2000]):
            return False
    return all(not _TAG.search(line) for line in _unwrapped(list(_outside_tables(source.lines))))


def _outside_tables(lines):
    depth = 0
    for line in lines:
        if depth == 0 and not _TABLE_START.search(line) and not _TABLE_END.search(line):
            yield line
        depth += len(_TABLE_START.findall(line)) - len(_TABLE_END.findall(line))
        depth = max(depth, 0)


def read_embedded(source):
    """The lines of a text holding HTML tables, each table's rows put in its place as
    cell rows (merged cells expanded), every cell keeping its line and column."""
    from lxml import html as lxml_html
    from gxgrammar.readers.html import cell_text
    from gxgrammar.readers.html_table import form_table
    from gxgrammar.readers.text import MappedSource

    lines, places = [], []
    i, total = 0, len(source.lines)
    unwrapped = _unwrapped(source.lines)
    while i < total:
        line = source.lines[i]
        if not _TABLE_START.search(line):
            lines.append(unwrapped[i])
            places.append([(1, i + 1, 1)])
            i += 1
            continue
        start, depth = i, 0
        while i < total:
            depth += len(_TABLE_START.findall(source.lines[i])) - len(_TABLE_END.findall(source.lines[i]))
            i += 1
            if depth <= 0:
                break
        block = source.lines[start:i]
        fragment = lxml_html.fragment_fromstring("\n".join(block), create_parent="div")
        if fragment.find(".//table//table") is not None:
            # A table holding tables lays a page out (pandoc's Markdown passes a layout
            # table through as raw HTML): the page reader reads its text and its tables.
            _read_as_page(block, start, source, lines, places)
            continue
        tables = [t for t in fragment.iter("table") if not t.findall(".//table")]
        for table in tables:
            for row in form_table(table):       # cells placed by the HTML table model
                cells = []
                for slot in row.slots:
                    text = clean(cell_text(slot[0])[0]) if slot else ""
                    cells.append((text, _place(block, start, slot[0], text) if slot and text else None))
                writer = CellRowsWriter()
                first = next((slot[0] for slot in row.slots if slot), None)
                writer.row(cells, (start + ((first.sourceline or 1) if first is not None else 1),))
                lines.extend(writer.lines)
                places.extend(writer.places)
    return MappedSource(source, lines, places, reader="text")


def _read_as_page(block, start, source, lines, places):
    """The lines the web page reader makes of a block, their places moved to the block's lines."""
    from gxgrammar.readers import html
    from gxgrammar.readers.text import Source
    page = html.read(Source("\n".join(block), source.path))
    for line, pieces in zip(page.lines, page._places):
        lines.append(line)
        places.append([(p[0], p[1] + start, *p[2:]) for p in pieces])


def _place(block, start, cell, text):
    """(line, column) in the whole text of a cell's text, found on its element's line."""
    n = (cell.sourceline or 1) - 1
    column = block[n].find(text[:8]) if n < len(block) else -1
    return start + n + 1, (column + 1) if column >= 0 else None
