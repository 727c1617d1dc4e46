"""The `gxgrammar render` and `gxgrammar templates` commands."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gxgrammar.cli.translated import Command
from gxgrammar.i18n import N_, _

from gxgrammar.errors import GxError
from gxgrammar.readers.text import decode

# The renderer (and Jinja) is imported by the commands that render, so that every other
# command starts without it.

EXIT_FAILED = 1


@click.command("render", cls=Command, help=N_(r"""Render REPORTS (files, folders, or - for standard input) through a template: the
    canonical report (Markdown), what canonicalisation changed (diff), the report as an
    HTML page (html), or the original and the canonical report side by side (diff-html).

    \b
    One report, to standard output or a file:
      gxgrammar render report.txt
      gxgrammar render report.txt -t html -o report.html
      pdftotext -layout report.pdf - | gxgrammar render - -t html -o report.html
    A folder of reports, one file a report (report.txt becomes canonical/report.md):
      gxgrammar render reports/ --template canonical -o canonical/
    Your own template (the model it receives: docs/templates.md):
      gxgrammar render report.txt --template my-template.md.j2

    \b
    The canonical report is itself a layout gxgrammar reads: parsing it gives
    the same tables and meta as parsing the report.
    """))
@click.argument("reports", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-t", "--template", default="canonical", show_default=True, metavar="NAME|FILE",
              help=N_("A built-in template (see `gxgrammar templates`) or the path of your own Jinja template."))
@click.option("-o", "--output", "out", default="-", type=click.Path(allow_dash=True),
              help=N_("Write here instead of standard output: a file for one report, a folder (ending "
                   "in /, or existing) for several, one file a report named after it."))
@click.option("--out", "out_alias", default=None, type=click.Path(allow_dash=True), hidden=True)
@click.option("--layout", metavar="NAME", help=N_("Read the tables in this layout instead of detecting it."))
@click.option("--encoding", metavar="NAME", help=N_("The file's text encoding (default: detected)."))
@click.option("--grammars", "grammar_dirs", multiple=True, type=click.Path(file_okay=False),
              help=N_("A folder of your own layout grammars; repeatable. Also read from $GXGRAMMAR_GRAMMARS."))
def render_command(reports, template, out, out_alias, layout, encoding, grammar_dirs):
    from gxgrammar.cli import inputs
    from gxgrammar.writers.render import TemplateError, resolve
    out = out_alias or out
    try:
        _environment, template_file = resolve(template)
    except TemplateError as e:
        click.echo(f"gxgrammar: {e.message}", err=True)
        sys.exit(e.exit_code)
    found = inputs.expand(reports)
    for message in found.messages():
        click.echo(f"gxgrammar: {message}", err=True)
    try:
        inputs.check_grammars(grammar_dirs)
    except GxError as e:
        click.echo(f"gxgrammar: {e.located() if e.path else e.message}", err=True)
        sys.exit(2)
    many = len(found.paths) > 1 or bool(found.folders)
    to_folder = out != "-" and (out.endswith(("/", os.sep)) or os.path.isdir(out))
    if many and not to_folder:
        raise click.UsageError(_("several reports are rendered into a folder: name it with -o FOLDER/"))
    suffix = _suffix(template_file)
    status, written = 0, set()
    for path in found.paths:
        shown = inputs.display(path)
        try:
            data = inputs.read_bytes(path)
            text, parsed = _render(data, shown, template, encoding, layout, grammar_dirs)
        except TemplateError as e:
            click.echo(f"gxgrammar: {e.message}", err=True)
            sys.exit(e.exit_code)
        except GxError as e:
            if path in found.scanned and inputs.is_plain_text(path) and not _decodes_to_report(path, encoding):
                continue
            click.echo(f"gxgrammar: {e.located(shown)}", err=True)
            status = max(status, e.exit_code)
            continue
        except Exception as e:  # a bug, not bad input: still one line
            click.echo("gxgrammar: " + _("{path}: internal error ({reason}); please report it").format(
                path=shown, reason=f"{type(e).__name__}: {e}"), err=True)
            status = max(status, EXIT_FAILED)
            continue
        target = _target(out, path, found, suffix, written) if to_folder else out
        try:
            _write(target, text)
        except OSError as e:
            click.echo("gxgrammar: " + _("{path}: cannot be written ({reason})").format(
                path=target, reason=e.strerror or e), err=True)
            sys.exit(2)
        for note in parsed.unread_notes(shown):     # rendered, but a whole table is missing: said, as parse says it
            click.echo(f"gxgrammar: {note}", err=True)
            status = max(status, EXIT_FAILED)
    sys.exit(status)


def _render(data, shown, template, encoding, layout, grammar_dirs):
    from gxgrammar.parser import parse_bytes
    from gxgrammar.writers.render import render
    parsed = parse_bytes(data, shown, encoding=encoding, layout=layout, grammar_dirs=grammar_dirs)
    try:
        original, _encoding = decode(data, encoding)
    except GxError:          # not text (a PDF, a Word file): the diff templates say what they lack
        original = None
    return render(parsed, template, original_text=original), parsed


def _decodes_to_report(path, encoding):
    from gxgrammar.cli import inputs
    try:
        return inputs.looks_like_report(inputs.read_bytes(path), encoding)
    except GxError:
        return True


def _suffix(template_file):
    """The file suffix a template writes: canonical.md.j2 → .md, html.html.j2 → .html."""
    name = template_file[:-3] if template_file.endswith(".j2") else template_file
    return Path(name).suffix or ".txt"


def _target(folder, path, found, suffix, written):
    """Where a report's rendering goes in the output folder: named after the report (its
    place under the folder named on the command line kept), never twice the same."""
    from gxgrammar.cli import inputs
    if path == inputs.STDIN:
        relative = Path("stdin")
    else:
        base = next((f for f in found.folders if Path(path).is_relative_to(f)), None)
        relative = Path(path).relative_to(base) if base else Path(Path(path).name)
    target = Path(folder) / relative.with_suffix(suffix)
    n = 2
    while str(target) in written:
        target = Path(folder) / relative.with_name(f"{relative.stem}-{n}{suffix}")
        n += 1
    written.add(str(target))
    return str(target)


def _write(target, text):
    if target == "-":
        click.echo(text, nl=False)
        return
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(text, encoding="utf-8")


@click.command("templates", cls=Command, help=N_(r"""List the built-in templates: name, what it renders, and its file.

    \b
    The templates, then one of them, or a copy of it made your own:
      gxgrammar templates
      gxgrammar render report.txt -t diff
      gxgrammar render report.txt --template my-canonical.md.j2
    """))
def list_templates():
    from gxgrammar.writers.render import builtin_templates, package_templates
    found = builtin_templates()
    width = max(len(n) for n in found)
    for name, tmpl in found.items():
        click.echo(f"{name:<{width}}  {tmpl.description}")
        click.echo(f"{'':<{width}}  {package_templates() / tmpl.filename}")
