"""The converters users turn a report's web page into text with, run as a user runs them.

A user rarely has the page as gxgrammar would like it; they have what a converter wrote:
pandoc's plain text, Markdown or GitHub Markdown, a text browser's dump (w3m, lynx),
html2text, or the page printed to PDF by a browser and read back with pdftotext (plain,
-raw, -layout). Each converter here is one command line, given the page the way a user
gives it:

- The page's encoding matters. A page in GB2312 is read by the tools that honour its
  <meta charset> (w3m, lynx, Chromium) as it is, with the encoding named where the tool
  takes it (w3m -I, lynx -assume_charset); pandoc reads UTF-8 only, so the page goes
  through iconv first (here: decoded by gxgrammar's own decoder and written as UTF-8,
  which is what `iconv -f GBK -t UTF-8` does).
- A page whose declaration is wrong (yunxiu-jyj-2019.html says gb2312 and is written in
  UTF-8, as a site template left unchanged says) shows mojibake in every tool that
  believes it; a user fixes it by saving a copy in the encoding it is really written in,
  declaration corrected, and converts that copy.

Chromium prints each page once (one browser for all the pages); pdftotext reads that
one PDF three ways.
"""
from __future__ import annotations

import base64
import codecs
import json
import os
import re
import shutil
import subprocess
import select
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from gxgrammar.readers.text import decode

TIMEOUT = 120
_CHARSET = re.compile(rb"<meta[^>]*charset\s*=\s*[\"']?([-\w]+)", re.I)
_GB = {"gb2312", "gbk", "gb18030", "cp936", "euc-cn", "hz"}


@dataclass
class Page:
    """A web page as a user has it, and the copy a converter should be given."""
    path: Path
    real: str                      # the encoding its bytes are in (gxgrammar's decoder)
    declared: str | None           # what its <meta> says
    given: Path = None             # the file handed to the converters
    given_encoding: str = ""       # its encoding, for the tools that take one
    text: str = ""                 # the page as text (for pandoc, after iconv)
    notes: list = field(default_factory=list)


def _same_encoding(a, b):
    norm = lambda e: "gb" if e.lower() in _GB else codecs.lookup(e).name
    try:
        return norm(a) == norm(b)
    except LookupError:
        return False


def prepare(path, workdir):
    """The page, and the copy a user would convert (see the module's docstring)."""
    data = Path(path).read_bytes()
    text, real = decode(data)
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "replace") if m else None
    page = Page(Path(path), real, declared, Path(path), text=text)
    if declared and not _same_encoding(declared, real):
        fixed = Path(workdir) / f"{Path(path).stem}.utf-8.html"
        fixed.write_text(re.sub(r"(charset\s*=\s*[\"']?)[-\w]+", r"\1utf-8", text, count=1, flags=re.I),
                         encoding="utf-8")
        page.given, page.given_encoding = fixed, "UTF-8"
        page.notes.append(f"declares {declared} but is written in {real}: converted a copy saved "
                          f"as UTF-8 with its declaration corrected")
    elif declared and declared.lower() in _GB:
        page.given_encoding = "GBK"          # GB2312 pages are GBK in practice (browsers read them so)
    else:
        page.given_encoding = real.upper()
    return page


@dataclass
class Converter:
    name: str
    needs: tuple                   # executables it runs
    run: object                    # run(page, workdir, printer) -> the bytes it wrote
    via_pdf: bool = False

    def missing(self):
        """Why it cannot run here (a tool not installed), or ''."""
        gone = [n for n in self.needs if not _which(n)]
        if gone:
            return f"{', '.join(gone)} not installed"
        if self.via_pdf and not cjk_font():
            return "no CJK font (fonts-noto-cjk): Chromium's PDF would hold no Chinese text"
        return ""


def _which(name):
    if name == "chromium":
        return chromium()
    return shutil.which(name)


def chromium():
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def cjk_font():
    if not shutil.which("fc-list"):
        return True                 # cannot tell: let the PDF show it
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    return bool(out.strip())


def _run(argv, stdin=None):
    proc = subprocess.run(argv, input=stdin, capture_output=True, timeout=TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed ({proc.returncode}): "
                           f"{proc.stderr.decode('utf-8', 'replace').strip()[-300:]}")
    return proc.stdout


def pandoc(to):
    def run(page, workdir, printer=None):
        # pandoc reads UTF-8 only: the page goes in after iconv (its text, as UTF-8).
        return _run(["pandoc", "-f", "html", "-t", to], page.text.encode("utf-8"))
    return run


def w3m(page, workdir, printer=None):
    return _run(["w3m", "-dump", "-cols", "80", "-I", page.given_encoding, "-O", "UTF-8", "-T", "text/html",
                 str(page.given)])


def lynx(page, workdir, printer=None):
    return _run(["lynx", "-dump", "-nolist", f"-assume_charset={page.given_encoding.lower()}",
                 "-display_charset=utf-8", str(page.given)])


class BrokenTool(RuntimeError):
    """A converter that destroys the page's text itself: its case is skipped, saying so."""


def html2text(page, workdir, printer=None):
    # Debian's html2text reads UTF-8 with -utf8; the page goes in after iconv, its
    # declaration ignored (-nometa). Its bytes are kept as it wrote them.
    out = _run(["html2text", "-utf8", "-nometa", "-nobs"], page.text.encode("utf-8"))
    try:
        out.decode("utf-8")
    except UnicodeDecodeError as e:
        # html2text 1.3.2a sizes a table's columns in bytes and cuts each cell to its
        # column there, through the middle of a character: every table comes out with
        # characters cut in two and cells run into their neighbours, whatever -width.
        raise BrokenTool(f"html2text cuts UTF-8 characters in two inside tables (byte {e.start}: "
                         f"{out[max(0, e.start - 12):e.start + 4]!r}); the text it writes is not the page's") from None
    return out


class PdfPrinter:
    """Every page printed to PDF by one headless Chromium, driven over its DevTools pipe
    (--remote-debugging-pipe: JSON messages ended by NUL on file descriptors 3 and 4), so
    that the browser starts once for all the pages; `--print-to-pdf`, a browser a page,
    where the pipe fails. Runs in a thread of its own while the other converters work."""

    def __init__(self, pages, workdir):
        self.pages, self.workdir = list(pages), Path(workdir)
        self.pdfs, self.error = {}, None
        self.thread = threading.Thread(target=self._print_all, daemon=True)
        self.thread.start()

    def pdf(self, page):
        self.thread.join()
        if str(page.given) not in self.pdfs:
            self.pdfs[str(page.given)] = self._print_one(page)
        return self.pdfs[str(page.given)]

    def _out(self, page):
        return self.workdir / f"{page.path.stem}.pdf"

    def _print_all(self):
        try:
            with _DevTools(self.workdir) as browser:
                for page in self.pages:
                    self._out(page).write_bytes(browser.print_to_pdf(page.given.resolve().as_uri()))
                    self.pdfs[str(page.given)] = self._out(page)
        except Exception as e:          # the pages not printed yet are printed one by one
            self.error = e

    def _print_one(self, page):
        out = self._out(page)
        profile = tempfile.mkdtemp(dir=self.workdir, prefix="chromium-")
        _run([chromium(), *_CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
              f"--print-to-pdf={out}", page.given.resolve().as_uri()])
        shutil.rmtree(profile, ignore_errors=True)
        if not out.exists() or out.stat().st_size == 0:
            raise RuntimeError("chromium wrote no PDF")
        return out


_CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync")


class _DevTools:
    """A headless Chromium spoken to over --remote-debugging-pipe."""

    def __init__(self, workdir):
        self.profile = tempfile.mkdtemp(dir=workdir, prefix="chromium-")
        self.ids, self.buffer = 0, b""

    def __enter__(self):
        commands_r, self._commands = os.pipe()
        self._replies, replies_w = os.pipe()

        def on_3_and_4():               # the browser reads fd 3 and writes fd 4
            a, b = os.dup(commands_r), os.dup(replies_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.proc = subprocess.Popen([chromium(), *_CHROMIUM_FLAGS, f"--user-data-dir={self.profile}",
                                      "--remote-debugging-pipe", "about:blank"],
                                     pass_fds=(3, 4), preexec_fn=on_3_and_4,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_r)
        os.close(replies_w)
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=self.session)
        return self

    def __exit__(self, *exc):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        for fd in (self._commands, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def print_to_pdf(self, url):
        self.call("Page.navigate", {"url": url}, session=self.session)
        self._event("Page.loadEventFired")
        data = self.call("Page.printToPDF", {"displayHeaderFooter": False}, session=self.session)["data"]
        return base64.b64decode(data)

    def call(self, method, params=None, session=None):
        self.ids += 1
        message = {"id": self.ids, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.ids:
                if "error" in reply:
                    raise RuntimeError(f"chromium: {method}: {reply['error']}")
                return reply.get("result", {})

    def _event(self, name):
        while self._read().get("method") != name:
            pass

    def _read(self):
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self._replies], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(self._replies, 1 << 16) if ready else b""
            if not chunk:
                raise RuntimeError("chromium stopped answering")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)


def pdftotext(*flags):
    def run(page, workdir, printer):
        return _run(["pdftotext", *flags, "-enc", "UTF-8", str(printer.pdf(page)), "-"])
    return run


CONVERTERS = [
    Converter("pandoc-plain", ("pandoc",), pandoc("plain")),
    Converter("pandoc-markdown", ("pandoc",), pandoc("markdown")),
    Converter("pandoc-gfm", ("pandoc",), pandoc("gfm")),
    Converter("w3m", ("w3m",), w3m),
    Converter("lynx", ("lynx",), lynx),
    Converter("html2text", ("html2text",), html2text),
    Converter("pdftotext", ("chromium", "pdftotext"), pdftotext(), via_pdf=True),
    Converter("pdftotext-raw", ("chromium", "pdftotext"), pdftotext("-raw"), via_pdf=True),
    Converter("pdftotext-layout", ("chromium", "pdftotext"), pdftotext("-layout"), via_pdf=True),
]
