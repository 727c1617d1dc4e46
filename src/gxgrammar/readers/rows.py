"""Cell rows: how a reader hands over a grid it rebuilt, one row a line.

A reader that sees a grid (a web page's <table>, a PDF's ruled table, a Word table, a
table drawn with box characters) writes each row of it as one line: ␞, then the
cells separated by ␟. A merged cell's text stands in its first slot and the slots it
spans are empty cells, so every row has its cells in their columns, as a
tab-separated table writes merged cells. The `cell-rows` layout grammar reads these
lines; the national format gives them meaning as it does for any other layout.

`CellRowsWriter` builds the lines and, for each, where its pieces came from (see
readers.text.MappedSource), so that every value keeps its provenance.
"""
from __future__ import annotations

ROW_MARK, CELL_MARK = "\u241e", "\u241f"      # ␞ starts a table row, ␟ separates its cells
# A cell whose number the reader could not place (the text's order allows more than one
# reading): written ⁇, which no report writes in a cell; the mapping says it was not read.
UNPLACED = "\u2047"


def clean(text):
    """A cell's or a line's text without the two marks (they would break the rows)."""
    return text.replace(ROW_MARK, " ").replace(CELL_MARK, " ")


class CellRowsWriter:
    """Lines of text and cell rows, with the place each piece came from.

    A place is (line, column) or (line, column, extra) in whatever the reader read: the
    user's file, or (for a table reader) the lines of the table it was given.
    """

    def __init__(self):
        self.lines, self.places = [], []

    def text(self, text, place):
        """A line of running text (a caption, a note, a paragraph)."""
        text = clean(text).strip()
        if text:
            self.lines.append(text)
            self.places.append([(1, *place)])

    def row(self, cells, place):
        """A row of cells: [(text, place or None)], in their columns; `place` is the row's."""
        parts, places = [], [(1, place[0], None)]
        column = 1 + len(ROW_MARK)
        for text, where in cells:
            text = clean(text or "").strip()
            if text and where is not None:
                places.append((column, *where))
            parts.append(text)
            column += len(text) + len(CELL_MARK)
        self.lines.append(ROW_MARK + CELL_MARK.join(parts))
        self.places.append(places)
