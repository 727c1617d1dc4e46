"""Word 97–2003 (.doc) and WPS (.wps) files: converted to .docx by LibreOffice, then read
as a .docx (readers.docx).

These are OLE compound files (they start with D0 CF 11 E0), a format no library on the
Python Package Index reads whole under a licence the project can take; LibreOffice
reads them all. The conversion runs `soffice --headless --convert-to docx` with a
timeout, in a LibreOffice profile of its own (one per process, so that conversions in
parallel processes never share one) and in a folder of its own, removed afterwards.
Without LibreOffice the reader says how to install it.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from gxgrammar.errors import InputError
from gxgrammar.i18n import _
from gxgrammar.readers import docx

TIMEOUT_VAR = "GXGRAMMAR_SOFFICE_TIMEOUT"
DEFAULT_TIMEOUT = 120               # seconds; a report converts in a few
INSTALL = "Debian/Ubuntu: apt install libreoffice-writer-nogui; elsewhere: https://www.libreoffice.org"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Streams of other OLE files, named in UTF-16 in the file's directory: to say what a file is.
_STREAMS = {"EncryptedPackage": "password", "WordDocument": "word", "Workbook": "excel", "Book": "excel",
            "PowerPoint Document": "powerpoint"}

_lock = threading.Lock()            # one conversion at a time in a process: its profile is one
_profile = None


def soffice():
    """The LibreOffice program, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_file(data, path="<doc>", encoding=None):
    """A .doc or .wps file's bytes as the MappedSource of the .docx LibreOffice makes of it."""
    kind = _kind(data)
    if kind == "password":
        raise InputError(_("a password-protected Office document: save it without a password, then read it"))
    if kind in ("excel", "powerpoint"):
        what = _("an Excel 97–2003 workbook") if kind == "excel" else _("a PowerPoint 97–2003 file")
        raise InputError(_("{what}, not a Word document").format(what=what))
    program = soffice()
    if program is None:
        raise InputError(_("reading a Word 97–2003 (.doc) or WPS file needs LibreOffice, which is not "
                           "installed ({install})").format(install=INSTALL))
    converted = convert(data, path, program)
    source = docx.read_file(converted, path)
    source.reader = "doc"
    return source


def _kind(data):
    if not data.startswith(_OLE):
        return None
    head = data[:1 << 20]
    for stream, kind in _STREAMS.items():
        if stream.encode("utf-16-le") in head:
            return kind
    return None


def timeout():
    try:
        return max(float(os.environ.get(TIMEOUT_VAR, DEFAULT_TIMEOUT)), 1.0)
    except ValueError:
        return float(DEFAULT_TIMEOUT)


def convert(data, path, program):
    """The .docx bytes LibreOffice makes of a file; InputError when it cannot."""
    suffix = Path(path).suffix.lower()
    suffix = suffix if suffix in (".doc", ".wps", ".dot", ".rtf") else ".doc"
    limit = timeout()
    with _lock, tempfile.TemporaryDirectory(prefix="gxgrammar-doc-") as work:
        source = Path(work) / f"report{suffix}"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation={_profile_url()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "docx", "--outdir", work, str(source)]
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as e:
            raise InputError(_("LibreOffice ({program}) cannot be started: {reason}")
                             .format(program=program, reason=e.strerror or e)) from None
        try:
            out, err = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise InputError(_("LibreOffice did not finish converting the file in {seconds:g} s (set {var} "
                               "to wait longer)").format(seconds=limit, var=TIMEOUT_VAR)) from None
        except BaseException:
            _stop(process)
            raise
        result = source.with_suffix(".docx")
        if not result.is_file() or result.stat().st_size == 0:
            said = [line.strip() for line in (err + out).decode("utf-8", "replace").splitlines()
                    if line.strip() and not line.startswith("Warning:")]   # (javaldx: no Java, no matter)
            reason = said[-1] if said else _("exit status {code}").format(code=process.returncode)
            raise InputError(_("LibreOffice could not convert the file to .docx ({reason})").format(reason=reason))
        return result.read_bytes()


def _stop(process):
    """End a conversion and whatever it started (soffice runs soffice.bin)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _profile_url():
    """This process's LibreOffice profile (made on first use, removed at exit). A worker
    forked from a process that made one makes its own: two soffice on one profile fail."""
    global _profile
    if _profile is None or _profile[0] != os.getpid():
        _profile = (os.getpid(), tempfile.mkdtemp(prefix="gxgrammar-soffice-profile-"))
        atexit.register(_remove_profile, *_profile)
    return Path(_profile[1]).as_uri()


def _remove_profile(pid, folder):
    if os.getpid() == pid:
        shutil.rmtree(folder, ignore_errors=True)
