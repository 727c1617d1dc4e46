"""The `gxgrammar render` and `gxgrammar templates` commands."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from gxgrammar.layouts import registry
from gxgrammar.errors import GxError
from gxgrammar.readers.text import decode

# The renderer (and Jinja) is imported by the commands that render, so that every other
# command starts without it.

EXIT_FAILED = 1


@click.command("render")
@click.argument("report", type=click.Path())
@click.option("-t", "--template", default="canonical", show_default=True, metavar="NAME|FILE",
              help="A built-in template (see `gxgrammar templates`) or the path of your own Jinja template.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              help="Write here instead of standard output.")
@click.option("--layout", metavar="NAME", help="Read the tables in this layout instead of detecting it.")
@click.option("--encoding", metavar="NAME", help="The file's text encoding (default: detected).")
@click.option("--grammars", "grammar_dirs", multiple=True, type=click.Path(file_okay=False),
              help=f"A folder of your own layout grammars; repeatable. Also read from ${registry.ENV_VAR}.")
def render_command(report, template, output, layout, encoding, grammar_dirs):
    """Render REPORT through a template: the canonical report (Markdown), what
    canonicalisation changed (diff), the report as an HTML page (html), or the
    original and the canonical report side by side (diff-html).

    \b
    The canonical report is itself a layout gxgrammar reads: parsing it gives
    the same tables and meta as parsing REPORT. The model templates receive is
    described in docs/templates.md.
    """
    from gxgrammar.parser import parse_file
    from gxgrammar.writers.render import TemplateError, render, resolve
    try:
        resolve(template)
    except TemplateError as e:
        click.echo(f"gxgrammar: {e.message}", err=True)
        sys.exit(e.exit_code)
    try:
        parsed = parse_file(report, encoding=encoding, layout=layout, grammar_dirs=grammar_dirs)
        original, _ = decode(Path(report).read_bytes(), encoding)
        text = render(parsed, template, original_text=original)
    except TemplateError as e:
        click.echo(f"gxgrammar: {e.message}", err=True)
        sys.exit(e.exit_code)
    except GxError as e:
        click.echo(f"gxgrammar: {e.located(report)}", err=True)
        sys.exit(e.exit_code)
    except Exception as e:  # a bug, not bad input: still one line
        click.echo(f"gxgrammar: {report}: internal error ({type(e).__name__}: {e}); please report it", err=True)
        sys.exit(EXIT_FAILED)
    output.write(text)
    unread = parsed.unread_tables()
    for f in unread:      # rendered, but a whole table is missing: said, as parse says it
        click.echo(f"gxgrammar: {report}{f':{f.line}' if f.line else ''}: {f.message}", err=True)
    if unread:
        sys.exit(EXIT_FAILED)


@click.command("templates")
def list_templates():
    """List the built-in templates: name, what it renders, and its file."""
    from gxgrammar.writers.render import builtin_templates, package_templates
    found = builtin_templates()
    width = max(len(n) for n in found)
    for name, tmpl in found.items():
        click.echo(f"{name:<{width}}  {tmpl.description}")
        click.echo(f"{'':<{width}}  {package_templates() / tmpl.filename}")
