"""What gxgrammar keeps between runs, in the user's cache folder: the parsers Lark builds
from the grammars (layouts/registry.py), and the programs of its regular expressions.

Python compiles every regular expression again in each process, and `re` spends long
on gxgrammar's: a class of CJK characters is expanded character by character, and
there are some two hundred of them. That was a fifth of a command's start-up (about
170 M of 860 M instructions for `import gxgrammar` and one parse). `regex(pattern)`
keeps what `re`'s compiler makes of a pattern (the program its engine runs, with the
pattern's groups) and, in the next process, hands that program to the engine directly.
The file is keyed by the Python version and the engine's own format number, and
anything unexpected (another Python, an unreadable or foreign file) falls back to
`re.compile`: the cache makes a pattern sooner, never different.
"""
from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
import tempfile
from array import array

try:     # CPython's engine and compiler (re._compiler from Python 3.11, sre_compile before)
    import _sre
    try:
        from re import _compiler, _parser
    except ImportError:
        import sre_compile as _compiler
        import sre_parse as _parser
    _FORMAT = f"{sys.implementation.cache_tag}-{sys.version.split()[0]}-{_sre.MAGIC}-{_sre.CODESIZE}"
    # A program is kept as the bytes of an array of code words: read back in one piece
    # (as a list of ints, marshal would read a quarter of a million objects one by one).
    _WORD = next(t for t in "IL" if array(t).itemsize == _sre.CODESIZE)
except (ImportError, AttributeError, StopIteration):
    _sre = None
    _FORMAT = None

# Entries kept at most: what one version of gxgrammar compiles, with room for the next.
_LIMIT = 4000


def folder():
    """The folder gxgrammar keeps its caches in (made if need be): $XDG_CACHE_HOME/gxgrammar,
    else ~/.cache/gxgrammar, else the temporary folder."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "gxgrammar")
    try:
        os.makedirs(path, exist_ok=True)
        return path
    except OSError:
        return tempfile.gettempdir()


class _Programs:
    """The stored programs, read at the first pattern; the new ones written at exit."""

    def __init__(self):
        self.stored = None
        self.new = {}
        self.used = set()
        self.path = None

    def load(self):
        self.stored = {}
        if _FORMAT is None:
            return
        self.path = os.path.join(folder(), f"regex-programs-{_FORMAT}.marshal")
        try:
            with open(self.path, "rb") as f:
                stored = marshal.load(f)
            if isinstance(stored, dict):
                self.stored = stored
        except (OSError, EOFError, ValueError, TypeError):
            pass

    def save(self):
        if not self.new or self.path is None:
            return
        kept = self.stored if len(self.stored) + len(self.new) <= _LIMIT else \
            {k: v for k, v in self.stored.items() if k in self.used}
        kept = {**kept, **self.new}
        try:     # written whole, then renamed: a reader never sees half a file
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.path), suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                marshal.dump(kept, f)
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass
        self.new = {}


_programs = _Programs()


def regex(pattern, flags=0):
    """re.compile(pattern, flags), from the program kept by an earlier process if there is one."""
    if _FORMAT is None or not isinstance(pattern, str):
        return re.compile(pattern, flags)
    if _programs.stored is None:
        _programs.load()
        atexit.register(_programs.save)
    key = (pattern, int(flags))
    _programs.used.add(key)
    program = _programs.new.get(key) or _programs.stored.get(key)
    if program is not None:
        try:
            return _built(pattern, program)
        except Exception:    # not a program this engine takes (a foreign file): made again
            pass
    try:
        program = _program(pattern, int(flags))
        compiled = _built(pattern, program)
    except Exception:        # another compiler than the one this module knows: re's own way
        return re.compile(pattern, flags)
    _programs.new[key] = program
    return compiled


def _built(pattern, program):
    flags, code, groups, groupindex, indexgroup = program
    words = array(_WORD)
    words.frombytes(code)
    return _sre.compile(pattern, flags, words.tolist(), groups, groupindex, indexgroup)


def _program(pattern, flags):
    """What re._compiler.compile hands the engine, its code words as bytes."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (int(flags | parsed.state.flags), array(_WORD, code).tobytes(), parsed.state.groups - 1,
            groupindex, tuple(indexgroup))
