"""`gxgrammar compare OLD NEW`: two reports side by side (text, JSON or an HTML page)."""
from __future__ import annotations

import sys

import click

from gxgrammar.cli.translated import Command
from gxgrammar.i18n import N_

from gxgrammar.errors import GxError


@click.command("compare", cls=Command, help=N_(r"""Compare NEW with OLD (an agency's report with its report of the year before, or
    with a peer's): the cells that changed, with the change and its rate; the
    identities of both, and across the two years when they are one agency's
    consecutive years; the indicators of both; and how much of NEW's prose is
    repeated word for word from OLD, section by section (内容雷同).

    Exit status: 0 when both were read, 1 when one is not a readable report or has a
    whole table missing (the comparison is still written), 2 for a usage error or a
    file that cannot be read.
    """))
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help=N_("text: for people; json: the comparison as data; html: one standalone page."))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              help=N_("Write here instead of standard output."))
@click.option("--layout", metavar="NAME", help=N_("Read the tables in this layout instead of detecting it."))
@click.option("--encoding", metavar="NAME", help=N_("The files' text encoding (default: detected)."))
@click.option("--grammars", "grammar_dirs", multiple=True, type=click.Path(file_okay=False),
              help=N_("A folder of your own layout grammars; repeatable."))
def compare_command(old, new, fmt, output, layout, encoding, grammar_dirs):
    from gxgrammar.parser import parse_file
    from gxgrammar.writers import compare as writer
    reports, status = [], 0
    for path in (old, new):
        try:
            report = parse_file(path, encoding=encoding, layout=layout, grammar_dirs=grammar_dirs)
        except GxError as e:
            click.echo(f"gxgrammar: {e.located(path)}", err=True)
            sys.exit(e.exit_code)
        for note in report.unread_notes(path):   # compared all the same, but a whole table is missing
            click.echo(f"gxgrammar: {note}", err=True)
            status = 1
        reports.append(report)
    data = writer.comparison(*reports)
    write = {"text": writer.as_text, "json": writer.as_json, "html": writer.as_html}[fmt]
    output.write(write(data))
    sys.exit(status)
