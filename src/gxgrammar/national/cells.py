"""What a cell's text says: a number, a blank, or words.

Cell texts reach here NFKC-normalised (full-width digits and minus signs are
half-width). A blank cell, a dash or a slash is a blank: `None`, never 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from gxgrammar.cache import regex
from gxgrammar.readers.rows import UNPLACED

# No count or amount of the format runs to 16 digits: a longer run is not a number of it
# (and a huge one would be costly to convert).
_NUMBER = regex(r"^([-+]?)(\d{1,3}(?:,\d{3}){1,4}|\d{1,15})(\.\d{1,15})?(万元|元|件|个|项|条|次)?$")
_DASH = regex(r"^(?:[—–\-‐―─/\\]+|无|空)$")
_SPACES = regex(r"\s+")


@dataclass(frozen=True)
class CellValue:
    kind: str          # "number", "blank" (empty, dash, 无), "text", or "unplaced" (a reader's ⁇)
    value: object = None
    unit: str = ""


@lru_cache(maxsize=8192)   # a corpus writes the same few hundred cell texts again and again
def read_cell(text):
    t = _SPACES.sub("", text)
    if not t:
        return CellValue("blank")
    if t == UNPLACED:
        return CellValue("unplaced")
    if _DASH.match(t):
        return CellValue("blank", None, t)
    m = _NUMBER.match(t)
    if m:
        sign, digits, frac, unit = m.groups()
        digits = digits.replace(",", "")
        value = float(sign + digits + frac) if frac else int(sign + digits)
        return CellValue("number", value, unit or "")
    return CellValue("text")
