"""What a PDF page holds, through PDFium (pypdfium2): its characters with their boxes, and
the ruling lines of its tables.

Coordinates are PDF points with the origin at the page's top left (y grows down the
page), as a reader of the page sees it. Rulings are what a table's borders are drawn
with: stroked lines, thin filled rectangles (Word, WPS and Chromium draw borders so),
and the edges of stroked rectangles; white or invisible ones are left out.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

THIN = 2.5            # a filled shape this thin (points) is a line
MAX_OBJECTS = 200_000  # page objects looked at on one page (a drawing, not a report, beyond)


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def middle(self):
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Ruling:
    """A horizontal (`at` is y, from `start` to `end` in x) or vertical line (`at` is x)."""
    horizontal: bool
    at: float
    start: float
    end: float


@dataclass
class Page:
    number: int          # 1-based
    width: float
    height: float
    chars: list
    rulings: list
    images: int = 0      # image objects: a page of them and no text is a scan


def open_document(data):
    """A PdfDocument; PdfiumError when PDFium cannot open it."""
    return pdfium.PdfDocument(data)


def read_page(document, index):
    page = document[index]
    try:
        left, bottom, right, top = page.get_cropbox()
        width, height = right - left, top - bottom
        chars = _chars(page, left, top)
        rulings, images = _drawing(page, left, top)
        return Page(index + 1, width, height, chars, rulings, images)
    finally:
        page.close()


def _chars(page, left, top):
    textpage = page.get_textpage()
    try:
        count = raw.FPDFText_CountChars(textpage)
        chars = []
        box = raw.FS_RECTF()
        get_unicode, generated, loose_box = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated, \
            raw.FPDFText_GetLooseCharBox
        font_size = raw.FPDFText_GetFontSize
        for i in range(count):
            code = get_unicode(textpage, i)
            if code in (13, 10, 0xFFFE, 0xFFFF, 0) or generated(textpage, i) == 1:
                continue
            if not loose_box(textpage, i, box):
                continue
            ch = chr(code) if code < 0xD800 or code > 0xDFFF else "\ufffd"
            chars.append(Char(ch, box.left - left, box.right - left, top - box.top, top - box.bottom,
                              font_size(textpage, i)))
        return chars
    finally:
        textpage.close()


def _drawing(page, left, top):
    """The page's rulings, and how many images it shows."""
    rulings, images = [], [0]
    _objects(page.raw, raw.FPDFPage_CountObjects(page.raw), raw.FPDFPage_GetObject, None,
             left, top, rulings, images, 0)
    return rulings, images[0]


_L, _B, _R, _T = (ctypes.c_float() for _ in range(4))
_RGBA = tuple(ctypes.c_uint() for _ in range(4))
_FILL, _STROKE = ctypes.c_int(), ctypes.c_int()
_X, _Y = ctypes.c_float(), ctypes.c_float()


def _objects(holder, count, get, matrix, left, top, rulings, images, depth):
    count = min(count, MAX_OBJECTS)
    for i in range(count):
        obj = get(holder, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            _path(obj, matrix, left, top, rulings)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            images[0] += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 4:
            inner = _matrix(obj)
            if matrix is not None:
                inner = _compose(inner, matrix)
            _objects(obj, raw.FPDFFormObj_CountObjects(obj), raw.FPDFFormObj_GetObject, inner,
                     left, top, rulings, images, depth + 1)


def _matrix(obj):
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner, outer):
    """The matrix of `inner` followed by `outer` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m, x, y):
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def _visible(obj, stroke):
    get = raw.FPDFPageObj_GetStrokeColor if stroke else raw.FPDFPageObj_GetFillColor
    r, g, b, a = _RGBA
    if not get(obj, r, g, b, a):
        return True
    return a.value > 0 and not (r.value > 235 and g.value > 235 and b.value > 235)


def _path(obj, matrix, left, top, rulings):
    raw.FPDFPath_GetDrawMode(obj, _FILL, _STROKE)
    filled, stroked = _FILL.value != 0, bool(_STROKE.value)
    if not filled and not stroked:
        return
    if matrix is None and raw.FPDFPageObj_GetBounds(obj, _L, _B, _R, _T):
        x0, x1, y0, y1 = _L.value - left, _R.value - left, top - _T.value, top - _B.value
        if min(x1 - x0, y1 - y0) <= THIN and max(x1 - x0, y1 - y0) > THIN:   # one line: most borders
            if _visible(obj, stroked and not filled):
                _add(rulings, x0, y0, x1, y1)
            return
    if not _visible(obj, stroked and not filled):
        return
    # Several lines in one path, a rectangle, a shape: look at each subpath.
    m = _matrix(obj)
    if matrix is not None:
        m = _compose(m, matrix)
    subpaths, current = [], []
    for k in range(min(raw.FPDFPath_CountSegments(obj), 10_000)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        raw.FPDFPathSegment_GetPoint(seg, _X, _Y)
        x, y = _apply(m, _X.value, _Y.value)
        point = (x - left, top - y)
        if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO and current:
            subpaths.append(current)
            current = []
        current.append(point)
        if raw.FPDFPathSegment_GetClose(seg) and current:
            current.append(current[0])
    if current:
        subpaths.append(current)
    for points in subpaths:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        if min(x1 - x0, y1 - y0) <= THIN and max(x1 - x0, y1 - y0) > THIN:
            _add(rulings, x0, y0, x1, y1)
        elif stroked:
            for (ax, ay), (bx, by) in zip(points, points[1:]):
                if abs(ay - by) < 0.5 and abs(ax - bx) > THIN:
                    rulings.append(Ruling(True, ay, min(ax, bx), max(ax, bx)))
                elif abs(ax - bx) < 0.5 and abs(ay - by) > THIN:
                    rulings.append(Ruling(False, ax, min(ay, by), max(ay, by)))


def _add(rulings, x0, y0, x1, y1):
    if x1 - x0 >= y1 - y0:
        rulings.append(Ruling(True, (y0 + y1) / 2, x0, x1))
    else:
        rulings.append(Ruling(False, (x0 + x1) / 2, y0, y1))
