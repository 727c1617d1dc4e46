"""Rendering a report through a Jinja template: the canonical report, its diff, HTML.

Templates are found first beside a user's own template file, then among the built-in
ones (`templates/`, shipped as `gxgrammar.templates`). A built-in template is named by
its file name without `.j2` and its type (`canonical.md.j2` is `canonical`); a user's
template is given by its path. Templates only render: the model they receive is
prepared in Python (views.py, diffs.py) and documented in docs/templates.md.
HTML templates (`*.html.j2`) are autoescaped; the others are not.
"""
from __future__ import annotations

from gxgrammar.cache import regex
from gxgrammar.i18n import _

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from gxgrammar import __version__
from gxgrammar.writers.diffs import side_by_side, unified
from gxgrammar.errors import GxError
from gxgrammar.structure.prose import paragraphs
from gxgrammar.layouts.registry import package_folder
from gxgrammar.readers.text import decode
from gxgrammar.writers.views import canonical_title, findings_view, prose_width, sections_view, tables_view

_DESCRIPTION = regex(r"^\{#-?\s*description:\s*(.*?)\s*-?#\}", re.S)
# Markdown would read these at the start of a paragraph as a heading, quote, table row or list.
_MD_BLOCK_START = regex(r"^([#>|=]|[-+*](?=\s|$)|-{3,}$)")


class TemplateError(GxError):
    """A template that cannot be found or does not render."""

    exit_code = 2


@dataclass
class BuiltinTemplate:
    name: str
    filename: str
    description: str


def package_templates():
    return package_folder("gxgrammar.templates")


def builtin_templates():
    """The built-in templates by name (files whose names start with _ are partials)."""
    found = {}
    for path in sorted(package_templates().glob("*.j2")):
        if path.name.startswith("_"):
            continue
        name = path.name[:-3].split(".")[0]
        m = _DESCRIPTION.match(path.read_text(encoding="utf-8"))
        found[name] = BuiltinTemplate(name, path.name, m.group(1) if m else "")
    return dict(sorted(found.items()))


def _md_paragraph(text):
    """A paragraph as Markdown: a leading character Markdown would take as markup is escaped."""
    return _MD_BLOCK_START.sub(r"\\\1", text)


def _md_cell(text):
    return str(text).replace("|", "\\|")


def _environment(user_dir=None):
    loaders = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.FileSystemLoader(str(package_templates())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=lambda name: bool(name) and name.endswith((".html.j2", ".htm.j2", ".html")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md_paragraph"] = _md_paragraph
    env.filters["md_cell"] = _md_cell
    return env


def resolve(template):
    """(environment, template file name) for a built-in name or the path of a user's template."""
    builtins = builtin_templates()
    if template in builtins:
        return _environment(), builtins[template].filename
    path = Path(template)
    if path.is_file():
        return _environment(path.resolve().parent), path.name
    known = ", ".join(builtins)
    raise TemplateError(_("no template named {name} and no such file (built-in: {known})").format(
        name=repr(template), known=known))


def context(report, original_text=None):
    """The model every template receives (docs/templates.md)."""
    findings = findings_view(report)
    tables = tables_view(report, findings)
    meta = dict(report.meta)
    signed = meta.get("signed")
    width = prose_width(report)
    return {
        "report": report,
        "meta": meta,
        "source": dict(report.source),
        "template": meta.get("template") or "2021",
        "title": canonical_title(meta),
        "preamble": paragraphs(report.preamble, width),
        "sections": sections_view(report, tables, width),
        "tables": tables,
        "findings": findings,
        "signature": {"agency": meta.get("agency") or "", "date": signed} if signed else None,
        "original": {"path": report.source.get("path"), "text": original_text} if original_text is not None
        else None,
        "generator": f"gxgrammar {__version__}",
    }


def render(report, template="canonical", original_text=None):
    """The report rendered through a template (a built-in name or a file path), as a str.

    `original_text` is the report's text as decoded; the diff templates need it. When
    it is not given, the file named by `report.source["path"]` is read, if it is there.
    """
    env, name = resolve(template)
    if original_text is None:
        original_text = _original(report)
    ctx = context(report, original_text)
    try:
        ctx["canonical"] = env.get_template(builtin_templates()["canonical"].filename).render(ctx)
        if original_text is not None:  # else they stay undefined: a template needing them says so
            path, canonical = report.source.get("path") or "original", ctx["canonical"]
            ctx["diff"] = _Lazy(lambda: unified(original_text, canonical, path))
            ctx["side_by_side"] = _Lazy(lambda: side_by_side(
                original_text, canonical, _heading_anchors(ctx["sections"], canonical)))
        return env.get_template(name).render(ctx)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(_("template {place}: {reason}").format(
            place=f"{e.filename or e.name or name}:{e.lineno}", reason=e.message)) from None
    except jinja2.TemplateError as e:
        raise TemplateError(_("template {name} does not render: {reason}").format(name=name, reason=e)) from None
    except Exception as e:  # a user's template can fail in any way: name it, no traceback
        raise TemplateError(_("template {name} does not render: {reason}").format(
            name=name, reason=f"{type(e).__name__}: {e}")) from None


class _Lazy:
    """A list computed when a template first looks into it (the diffs cost a comparison)."""

    def __init__(self, compute):
        self._compute, self._items = compute, None

    def _list(self):
        if self._items is None:
            self._items = self._compute()
        return self._items

    def __iter__(self):
        return iter(self._list())

    def __len__(self):
        return len(self._list())

    def __getitem__(self, i):
        return self._list()[i]


def _original(report):
    path = report.source.get("path")
    try:
        data = Path(path).read_bytes() if path else None
        return decode(data, report.source.get("encoding"))[0] if data else None
    except (OSError, GxError):
        return None


def _heading_anchors(sections, canonical):
    """(original line, canonical line) of each section heading found in both, in order."""
    lines = canonical.splitlines()
    anchors, after = [], 0
    for section in sections:
        wanted = f"## {section.heading}"
        at = next((i for i in range(after, len(lines)) if lines[i].strip() == wanted), None)
        if section.line and at is not None and (not anchors or section.line > anchors[-1][0]):
            anchors.append((section.line, at + 1))
            after = at + 1
    return anchors
