"""A layout's `detect` pattern, tested cheaply first.

Every table's text is tested against the `detect` pattern of each layout in turn, and most
of them do not apply: a pattern that does not match is searched through the whole text,
and one that starts with a class of characters or an anchor (`^[ \\t]*\\|`) is tried at
every column. Most patterns cannot match without one of a few characters (a pipe, a tab,
a box-drawing corner); `required_characters` finds them in the pattern itself, and a text
holding none of them is passed over at the cost of `str.find`.
"""
from __future__ import annotations

import re

try:                                   # the parser of `re` (Python 3.11 and later)
    from re import _parser as _sre_parse
except ImportError:                    # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse

MAX_REQUIRED = 16          # more characters than this test no sooner than the pattern


def required_characters(pattern):
    """The characters one of which every match of a compiled pattern holds, as a str; ""
    when no small set of them can be told (the pattern is then searched as it is)."""
    if pattern.flags & re.IGNORECASE:
        return ""
    try:
        found = _needed(_sre_parse.parse(pattern.pattern, pattern.flags).data)
    except Exception:                  # a form this reading does not know: no shortcut
        return ""
    return "".join(sorted(found)) if found and len(found) <= MAX_REQUIRED else ""


def _needed(items):
    """The smallest set of characters one of which a sequence's every match holds, or None."""
    best = None
    for op, av in items:
        name = str(op)
        found = None
        if name == "LITERAL":
            found = {chr(av)}
        elif name == "IN":
            found = _members(av)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            found = _needed(av[2])
        elif name == "SUBPATTERN":
            found = _needed(av[-1])
        elif name == "ATOMIC_GROUP":
            found = _needed(av)
        elif name == "BRANCH":
            branches = [_needed(b) for b in av[1]]
            found = None if any(b is None for b in branches) else set().union(*branches)
        if found and (best is None or len(found) < len(best)):
            best = found
    return best


def _members(items):
    """The characters of a class, or None when it is negated, a category or a wide range."""
    out = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.add(chr(av))
        elif name == "RANGE" and av[1] - av[0] < MAX_REQUIRED:
            out.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
    return out


def holds_any(text, characters):
    """Whether `text` holds one of `characters` ("": no test, always True)."""
    if not characters:
        return True
    for c in characters:
        if c in text:
            return True
    return False
