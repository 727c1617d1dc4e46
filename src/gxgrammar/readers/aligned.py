"""The `aligned` table reader: tables drawn as columns of text aligned by spaces.

Converters draw a table in two dimensions: pandoc's plain and Markdown output (simple
and multiline tables, with rules of dashes), lynx's dumps, `pdftotext -layout`. A
cell's text may go on down its column over several lines, so one visual row is many
text lines. This reader finds the columns from the whole table and rebuilds the rows
as cell rows (readers.rows), each cell with the place of its first character.

- **Ruled tables** (pandoc): the rule of dashes gives the columns (`------ ------`).
  A header stands above the rule; rows are one a line, or (a multiline table, or a
  table closed by a second rule with blank lines inside) groups of lines between blank
  lines. Every word falls in the column whose bounds hold it.
- **Unruled tables** (lynx, pdftotext): a line ending in numbers is a row. The number
  of value columns is what the full rows hold; their numbers, column by column, give
  each column's bounds (in display columns, a CJK character two wide, or in characters,
  as pdftotext counts, whichever lines the numbers up better). A row with fewer numbers
  has its blanks where no number stands in a column. Text lines between rows are the
  pieces of a label wrapped over lines (or written down the side); lines with text
  above the numbers are header rows. Page numbers and running heads are left out.

Nothing is guessed: a word that no column holds for certain, or a short row whose
numbers do not sit one in each column, makes the row short (the doubtful cells are left
out), and the national mapping reports a row that comes out short. The lines come
NFKC-normalised, so a full-width bracket drawn two wide is one wide now: a word may
stand up to that many columns left of where it was drawn, and is placed only where
that leaves one column.
"""
from __future__ import annotations


from gxgrammar.cache import regex
from gxgrammar.readers import Rebuilt, register_table_reader
from gxgrammar.readers.aligned_ruled import left_aligned, ruled_row, ruled_tables
from gxgrammar.readers.aligned_text import Line, _wide
from gxgrammar.readers.aligned_unruled import furniture_lines, unruled_rows
from gxgrammar.readers.rows import CellRowsWriter


# pandoc's Markdown writes a <span lang=… style=…> as a bracketed span, 「[132]{lang="EN-US" …}」.
_BRACKETED_SPAN = regex(r"\[([^\[\]\n]*)\]\{[^{}\n]*\}")


def _unbracketed(line):
    """A line with its bracketed spans' markup blanked out, each character by a space as wide
    (an ideographic space for a wide one), so that every column and place holds."""
    if "]{" not in line:
        return line
    def blank(m):
        markup = m.group()[len(m.group(1)) + 1:]
        return " " + m.group(1) + "".join("\u3000" if _wide(ch) else " " for ch in markup)
    return _BRACKETED_SPAN.sub(blank, line)


@register_table_reader("aligned", "Tables drawn as columns of text aligned by spaces "
                                  "(pandoc plain/Markdown, lynx, pdftotext -layout)")
def read(lines):
    """Rebuild the tables of one section drawn as aligned columns; None when there is none."""
    parsed = [Line(_unbracketed(l)) for l in lines]
    writer = CellRowsWriter()
    ruled = ruled_tables(parsed)
    in_ruled = set()
    for first, last, _, _ in ruled:
        in_ruled.update(range(first, last + 1))
    rest = [i for i in range(len(parsed)) if i not in in_ruled]
    furniture = furniture_lines(parsed)
    unruled = None if ruled else unruled_rows(parsed, rest, furniture)
    if not ruled and not unruled:
        return None
    emitted = {}
    for first, last, columns, rows in ruled:
        left = left_aligned(parsed, rows, columns)
        emitted[first] = [("row", r[0], ruled_row(parsed, r, columns, left)) for r in rows]
        for i in range(first + 1, last + 1):
            emitted[i] = []
    if unruled:
        unruled, top, bottom = unruled
        for i in range(top, bottom + 1):
            emitted.setdefault(i, [])
        for kind, i, cells in unruled:
            emitted[i].append((kind, i, cells))
    for i, line in enumerate(parsed):
        if i in emitted:
            for kind, at, cells in emitted[i]:
                writer.row(cells, (at + 1, 1))
        elif not line.blank and i not in furniture:
            writer.text(line.text, (i + 1, line.words[0][0] + 1))
    return Rebuilt(writer.lines, writer.places)
