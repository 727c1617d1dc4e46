"""Loading grammar files, and the registry of table layouts.

A layout is one grammar file in `grammars/layouts/` (or in a user's folder given by
`--grammars DIR` or the GXGRAMMAR_GRAMMARS variable), named after the layout. Its
registration is the comment block at its top:

    // layout: tsv
    // description: One row a line, cells separated by tabs …
    // detect: ^[^\\t\\n]*\\S[^\\t\\n]*\\t.*\\S
    // priority: 20

`detect` is a regular expression (per line, multiline mode); a table whose text has
no line matching it is not tried with that layout. `reader: NAME` names a table reader
(readers.table_reader) that first rebuilds a table drawn in two dimensions as cell
rows, which the grammar then reads; `aliases:` lists other names `--layout` accepts.
A user's folder may also hold table readers in Python (`*.py`, loaded with the folder:
readers.load_user_readers). `priority` breaks ties between layouts that read a table equally well: the lower
number wins. Lines such as `// term CELL_TEXT: the text of a cell` say what a terminal
stands for, so that a parse error can say what was expected in a user's words.
"""
from __future__ import annotations

from gxgrammar.i18n import _

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from lark import Lark
from lark.grammar import Rule

from gxgrammar import cache
from gxgrammar.cache import regex
from gxgrammar.errors import GxError
from gxgrammar.layouts.callbacks import written_out
from gxgrammar.layouts.detect import holds_any, required_characters
from gxgrammar.layouts.grid import GridBuilder

ENV_VAR = "GXGRAMMAR_GRAMMARS"
_FRONT = regex(r"^//\s*([a-z-]+):\s*(.*?)\s*$")
_TERM = regex(r"^//\s*term\s+([A-Z_][A-Z0-9_]*):\s*(.*?)\s*$")


def package_folder(name):
    """The folder of one of the package's data packages (gxgrammar.grammars, …templates).

    Found with find_spec rather than importlib.resources, which costs a single parse on
    the command line a few milliseconds of imports."""
    return Path(find_spec(name).submodule_search_locations[0])


@lru_cache(maxsize=None)
def package_grammars():
    return package_folder("gxgrammar.grammars")


_loaded = {}


def load(path, import_paths=(), transformer=None):
    """A LALR parser for a grammar file, built once per process and cached on disk.

    The contextual lexer is what makes open-ended CJK text terminals workable: it only
    tries the terminals the parser can accept at that point. A `transformer` (stateless:
    one serves every parse) runs as the parser reduces, so no tree is built first.
    """
    path = Path(path)
    key = (str(path), tuple(str(p) for p in import_paths), type(transformer))
    if key not in _loaded:
        text = path.read_text(encoding="utf-8")
        # The package's layouts are importable from any folder: a user's grammar may
        # `%import cell_rows (…)` to read the rows its own table reader rebuilds.
        options = dict(parser="lalr", lexer="contextual", maybe_placeholders=False,
                       import_paths=[str(path.parent), *map(str, import_paths), str(_package_layouts())],
                       source_path=str(path), transformer=transformer)
        plugins = accelerator()
        if plugins:
            options["_plugins"] = plugins
        try:
            parser = Lark(text, cache=_cache_file(path, text, bool(plugins)), **options)
        except (OSError, PermissionError):
            parser = Lark(text, **options)
        except Exception as e:  # a broken user grammar: say which file
            raise GxError(_("grammar {path} does not load: {reason}").format(path=path, reason=e).splitlines()[0]) from None
        _loaded[key] = _rules_by_identity(parser)
        if hasattr(transformer, "node_for"):       # the grid's builder: its callbacks written out
            written_out(parser, transformer.node_for)
    return _loaded[key]


class _ParsedRule(Rule):
    """A rule of a loaded parser, compared and hashed by identity (in C).

    The LALR parser looks up each reduced rule's callback in a dict, and lark_cython's
    asserts on every reduce that the rule is not the end state: Rule's own __hash__ and
    __eq__ are Python, called some 800 times a report, 4% of its time. A loaded parser
    holds one object per rule, so identity is equality there."""
    __slots__ = ()
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__


def _rules_by_identity(parser):
    """The parser, its rules made _ParsedRule where its parse table's rules are its
    callbacks' keys themselves (left as they are otherwise: lark's internals may change)."""
    table = getattr(getattr(parser.parser, "parser", None), "_parse_table", None)
    callbacks = getattr(parser, "_callbacks", None)
    if table is None or not isinstance(callbacks, dict):
        return parser
    keys = {id(rule) for rule in callbacks}
    reduced = [arg for actions in table.states.values() for _action, arg in actions.values()
               if isinstance(arg, Rule)]
    if not all(id(rule) in keys for rule in reduced) or \
            not all(type(rule) in (Rule, _ParsedRule) for rule in callbacks):
        return parser
    items = list(callbacks.items())
    for rule, _callback in items:
        rule.__class__ = _ParsedRule
    callbacks.clear()
    callbacks.update(items)
    return parser


def _cache_file(path, text, compiled=False):
    # Lark keys its cache on the grammar's path too: a file of its own for each path, so
    # that two installs (or a user's copy of a grammar) do not rebuild each other's.
    import hashlib
    import lark
    digest = hashlib.sha256(f"{text}{lark.__version__}{path}".encode("utf-8")).hexdigest()[:16]
    return os.path.join(cache.folder(), f"{path.stem}-{digest}{'-cython' if compiled else ''}.lark-cache")


PURE_VAR = "GXGRAMMAR_PURE_PYTHON"


@lru_cache(maxsize=None)
def accelerator():
    """lark_cython's LALR parser and lexer, when installed (`pip install 'gxgrammar[fast]'`):
    the same trees, a quarter sooner. Its tokens are not str, so the code reads a token
    with str(token) and its attributes only. GXGRAMMAR_PURE_PYTHON=1 turns it off."""
    if os.environ.get(PURE_VAR):
        return None
    try:
        import lark_cython
    except ImportError:
        return None
    return lark_cython.plugins


@dataclass
class Layout:
    name: str
    description: str
    path: Path
    detect: re.Pattern | None = None
    priority: int = 50
    origin: str = "built-in"
    meta: dict = field(default_factory=dict)
    reader: str = ""               # the table reader that rebuilds the grid first, if any
    aliases: tuple = ()
    # characters one of which any text `detect` matches holds ("": none told; detect.py)
    needs: str = ""
    _parser: object = field(default=None, repr=False, compare=False)

    @property
    def parser(self):
        """The layout's parser; what it returns is the grid's raw material (grid.GridBuilder)."""
        if self._parser is None:
            self._parser = load(self.path, transformer=_GRID_BUILDER)
        return self._parser

    def applies_to(self, text):
        return self.detect is None or holds_any(text, self.needs) and self.detect.search(text) is not None

    @property
    def terms(self):
        """What the grammar's terminals stand for, in a user's words (`// term NAME: words`)."""
        return self.meta.get("terms", {})

    def parse(self, text):
        return self.parser.parse(text)

    def reported_as(self, source):
        """The layout a report says it was in: the cell rows a document reader made are
        its own (html, pdf, docx); any other layout is itself."""
        if self.name == CELL_ROWS and source.reader != "text":
            return source.reader
        return self.name


CELL_ROWS = "cell-rows"


_GRID_BUILDER = GridBuilder()


def _read_front_matter(path):
    meta = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("//"):
                break
            m = _FRONT.match(line.rstrip("\n"))
            if m:
                meta[m.group(1)] = m.group(2)
            m = _TERM.match(line.rstrip("\n"))
            if m:
                meta.setdefault("terms", {})[m.group(1)] = m.group(2)
    return meta


def _layout_from_file(path, origin):
    meta = _read_front_matter(path)
    name = meta.get("layout") or path.stem
    detect = meta.get("detect")
    try:
        rx = regex(detect, re.M) if detect else None
    except re.error as e:
        raise GxError(_("grammar {path}: its 'detect' pattern is not a valid regular expression: {reason}").format(
            path=path, reason=e))
    try:
        priority = int(meta.get("priority", 50))
    except ValueError:
        raise GxError(_("grammar {path}: 'priority' must be a whole number").format(path=path)) from None
    aliases = tuple(a.strip() for a in meta.get("aliases", "").split(",") if a.strip())
    return Layout(name, meta.get("description", ""), path, rx, priority, origin, meta,
                  meta.get("reader", ""), aliases, required_characters(rx) if rx else "")


def user_grammar_dirs(extra=()):
    dirs = list(extra)
    env = os.environ.get(ENV_VAR)
    if env:
        dirs.extend(p for p in env.split(os.pathsep) if p)
    return [Path(d) for d in dirs]


def layouts(extra_dirs=()):
    """Every layout by name, in priority order; a user's folder overrides a built-in."""
    folders = [(_package_layouts(), "built-in")]
    for d in user_grammar_dirs(extra_dirs):
        if not d.is_dir():
            raise GxError(_("grammar folder {path} does not exist").format(path=d))
        folders.append((d, str(d)))
    if len(folders) > 1:       # a user's folder may hold table readers (*.py) beside its grammars
        from gxgrammar.readers import load_user_readers
        load_user_readers([d for d, _ in folders[1:]])
    # Read again only when a grammar file was added, removed or changed: a batch asks
    # for every report, and the answer is the same.
    listing = [(d, origin, _grammar_files(d, origin)) for d, origin in folders]
    # The package's own grammars do not change while it runs: only a user's are looked at.
    signature = tuple((p, st.st_mtime_ns, st.st_size) for _, origin, paths in listing
                      if origin != "built-in" for p in paths for st in [p.stat()])
    key = tuple((str(d), origin) for d, origin in folders)
    cached = _registries.get(key)
    if cached is None or cached[0] != signature:
        found = {}
        for d, origin, paths in listing:
            for path in paths:
                lay = _layout_from_file(path, origin)
                found[lay.name] = lay
        cached = _registries[key] = (signature, dict(sorted(found.items(),
                                                            key=lambda kv: (kv[1].priority, kv[0]))))
    return dict(cached[1])


_registries = {}


def resolve(name, found):
    """The layout a name (or one of its aliases) stands for among `found`, or None."""
    if name in found:
        return found[name]
    return next((lay for lay in found.values() if name in lay.aliases), None)


@lru_cache(maxsize=None)
def _package_layouts():
    return package_grammars() / "layouts"


@lru_cache(maxsize=None)
def _package_grammar_files(folder):
    return sorted(folder.glob("*.lark"))


def _grammar_files(folder, origin):
    """The grammar files of a folder; the package's own are listed once per process."""
    if origin == "built-in":
        return _package_grammar_files(folder)
    # A user's document grammar (report.lark) and the pieces it imports are not layouts.
    return sorted(p for p in folder.glob("*.lark") if p.name not in (DOCUMENT_GRAMMAR, "headings.lark"))


DOCUMENT_GRAMMAR = "report.lark"


def document_grammar(extra_dirs=()):
    """The document grammar's file: a user's own report.lark in a --grammars folder (or
    $GXGRAMMAR_GRAMMARS) overrides the built-in one."""
    path = package_grammars() / DOCUMENT_GRAMMAR
    for folder in user_grammar_dirs(extra_dirs):
        if (folder / DOCUMENT_GRAMMAR).is_file():
            path = folder / DOCUMENT_GRAMMAR
    return path


def document_parser(transformer=None, extra_dirs=()):
    """The document grammar's parser (see document_grammar); a user's grammar may import
    the built-in one's pieces (`%import .headings (…)`) from the package's grammars."""
    return load(document_grammar(extra_dirs), import_paths=(package_grammars(),), transformer=transformer)
