"""What the commands read: files, folders of them, and `-` (standard input).

- A folder is searched recursively for the files the document readers read
  (`readers.report_suffixes()`); hidden files and folders are skipped.
- A file named on the command line is read whatever its suffix.
- `-` is standard input, read once by the process that runs the command; messages and
  `source.path` call it `<stdin>`.
- Anything that is not a regular file (a FIFO, a device, a socket) is never opened: it
  is skipped with a message, so that nothing can block a run.
- A `.txt`/`.md` file found in a folder that holds none of the national format's anchors
  (`national.has_anchor`) is not a report: skipped and counted, not failed.
"""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field

from gxgrammar import national as nf
from gxgrammar.errors import GxError, InputError
from gxgrammar.i18n import N_, _
from gxgrammar.readers import report_suffixes

STDIN = "-"
STDIN_NAME = "<stdin>"
# Suffixes of plain text a folder scan only reads when it looks like a report.
TEXT_SUFFIXES = (".txt", ".md")

_KINDS = ((stat.S_ISFIFO, N_("a FIFO")), (stat.S_ISCHR, N_("a character device")),
          (stat.S_ISBLK, N_("a block device")), (stat.S_ISSOCK, N_("a socket")))


@dataclass
class Inputs:
    paths: list = field(default_factory=list)       # to read, in order ("-" for standard input)
    scanned: set = field(default_factory=set)       # of those, the ones found in a folder
    special: list = field(default_factory=list)     # (path, what it is): skipped, never opened
    folders: set = field(default_factory=set)       # the folders named

    def messages(self):
        return [_("{path}: skipped: not a regular file ({kind})").format(path=path, kind=_(kind))
                for path, kind in self.special]


def special_kind(mode):
    """What a file that is not a regular file or a folder is, or None."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return None


def expand(args):
    """The files named by `args`: files as given, folders searched for report files.

    A folder with no report file in it is kept as is, to fail with a reason."""
    found, seen = Inputs(), set()
    suffixes = report_suffixes()

    def add(path, scanned=False):
        if path not in seen:
            seen.add(path)
            found.paths.append(path)
            if scanned:
                found.scanned.add(path)

    for arg in args:
        if arg == STDIN:
            add(STDIN)
            continue
        try:
            mode = os.stat(arg).st_mode
        except OSError:
            add(arg)           # fails with its reason (no such file …)
            continue
        if stat.S_ISDIR(mode):
            found.folders.add(arg)
            before = len(found.paths) + len(found.special)
            for path, kind in _walk(arg, suffixes):
                if kind:
                    found.special.append((path, kind))
                else:
                    add(path, scanned=True)
            if len(found.paths) + len(found.special) == before:
                add(arg)       # no report file in it: fails, naming what was looked for
        elif special_kind(mode):
            found.special.append((arg, special_kind(mode)))
        else:
            add(arg)
    return found


def _walk(folder, suffixes):
    """(path, None) for each report file under a folder, sorted, and (path, kind) for a
    file with a report's name that is not a regular file."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path, suffixes)
                continue
            if not entry.name.lower().endswith(suffixes):
                continue
            mode = entry.stat().st_mode
        except OSError:
            continue
        yield entry.path, special_kind(mode)


def read_bytes(path, stdin=None):
    """The bytes of a report file (or of standard input, read before); InputError naming
    the file when it cannot be read. A file that is not a regular file is refused without
    waiting on it (opened non-blocking, checked, then read)."""
    if path == STDIN:
        return stdin if stdin is not None else read_stdin()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(_("no such file"), path=path) from None
    except IsADirectoryError:
        raise InputError(_("is a folder, not a report file"), path=path) from None
    except OSError as e:
        raise InputError(_("cannot be read ({reason})").format(reason=e.strerror), path=path) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(_("is a folder, not a report file"), path=path)
        if not stat.S_ISREG(mode):
            raise InputError(_("not a regular file ({kind})").format(kind=_(special_kind(mode) or N_("not a file"))),
                             path=path)
        with os.fdopen(fd, "rb") as f:
            fd = None
            return f.read()
    except OSError as e:
        raise InputError(_("cannot be read ({reason})").format(reason=e.strerror), path=path) from None
    finally:
        if fd is not None:
            os.close(fd)


def read_stdin():
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    return data


def display(path):
    return STDIN_NAME if path == STDIN else path


def looks_like_report(data, encoding=None):
    """Whether text bytes hold one of the national format's anchors (undecodable bytes
    are given the benefit of the doubt: they fail with their reason)."""
    from gxgrammar.readers.text import decode
    try:
        text, _ = decode(data, encoding)
    except GxError:
        return True
    return nf.has_anchor(text)


def is_plain_text(path):
    return path.lower().endswith(TEXT_SUFFIXES)


def check_grammars(grammar_dirs):
    """Look at a user's grammars once, before any report: a grammar file that is not
    UTF-8 text is named once, not once a report. GxError when one is not."""
    from gxgrammar.layouts import registry
    for folder in registry.user_grammar_dirs(grammar_dirs):
        for path in sorted(folder.glob("*.lark")) if folder.is_dir() else ():
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError as e:
                raise GxError(_("grammar {path} is not UTF-8 text (byte {byte}: {reason}); a grammar is a text "
                                "file").format(path=path, byte=e.start, reason=e.reason)) from None
            except OSError as e:
                raise GxError(_("grammar {path} cannot be read ({reason})").format(path=path, reason=e.strerror)) from None
    return registry.layouts(grammar_dirs)
