"""The `gxgrammar` command."""
from __future__ import annotations

import json
import sys

import click

from . import __version__
from . import registry
from .errors import GxError
from .parser import parse_file

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_grammars_option = click.option(
    "--grammars", "grammar_dirs", multiple=True, type=click.Path(file_okay=False),
    help=f"A folder of your own layout grammars (*.lark) that add to or override the built-in "
         f"ones; repeatable. Also read from ${registry.ENV_VAR}.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gxgrammar")
def main():
    """Read 政府信息公开工作年度报告 (government information disclosure annual
    reports) into a checked data model, with grammars instead of guesses.

    \b
    Parse one report to JSON (meta, sections, every cell with its source line):
      gxgrammar parse report.txt
    Check its 勾稽关系 and be told which cell is wrong:
      gxgrammar check report.txt
    Get the canonical report back, or an HTML page with the findings at their cells:
      gxgrammar render report.txt
      gxgrammar render report.txt -t html -o report.html
    See how the tables were read, layout by layout:
      gxgrammar parse --explain report.txt
    """


@main.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True,
              help="json: one JSON object (a list for several reports); jsonl: one report a line.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              help="Write here instead of standard output.")
@click.option("--layout", metavar="NAME",
              help="Read the tables in this layout instead of detecting it (see `gxgrammar layouts`).")
@click.option("--encoding", metavar="NAME",
              help="The file's text encoding (e.g. gb18030, utf-16). Default: detected from the BOM, "
                   "else UTF-8, else GB18030.")
@_grammars_option
@click.option("--explain", is_flag=True,
              help="Instead of JSON, show how each table was read: every layout tried and its score, "
                   "where a grammar failed, and the grid of cells read.")
def parse(reports, fmt, output, layout, encoding, grammar_dirs, explain):
    """Parse REPORTS into the report model (see MODEL.md): meta, the six sections,
    the three tables cell by cell, findings, and the source line of every number.

    A report that cannot be read is named on standard error with the line and what
    was expected there; the others are still parsed. Exit status: 0 when every
    report parsed, 1 when one was not a readable report, 2 for a usage error or an
    unreadable file (missing, empty, binary, undecodable).
    """
    if explain:
        from .explain import explain_reports
        sys.exit(explain_reports(reports, output.write, lambda line: click.echo(line, err=True),
                                 encoding=encoding, layout=layout, grammar_dirs=grammar_dirs))
    results, status = [], EXIT_OK
    for path in reports:
        try:
            report = parse_file(path, encoding=encoding, layout=layout, grammar_dirs=grammar_dirs)
        except GxError as e:
            click.echo(f"gxgrammar: {e.located(path)}", err=True)
            status = max(status, e.exit_code)
            continue
        except Exception as e:  # a bug, not bad input: still one line, and the batch goes on
            click.echo(f"gxgrammar: {path}: internal error ({type(e).__name__}: {e}); please report it",
                       err=True)
            status = max(status, EXIT_FAILED)
            continue
        results.append(report.to_dict())
        if fmt == "jsonl":
            output.write(json.dumps(results[-1], ensure_ascii=False) + "\n")
    if fmt == "json" and results:
        doc = results[0] if len(reports) == 1 else results
        output.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    sys.exit(status)


@main.command("layouts")
@_grammars_option
def list_layouts(grammar_dirs):
    """List the table layouts: name, what it reads, and its grammar file."""
    try:
        found = registry.layouts(grammar_dirs)
    except GxError as e:
        raise click.UsageError(str(e))
    width = max(len(n) for n in found)
    for name, lay in found.items():
        click.echo(f"{name:<{width}}  {lay.description}")
        click.echo(f"{'':<{width}}  {lay.path}")


# Commands that live in their own modules.
from .check_cmd import check  # noqa: E402
from .render_cli import list_templates, render_command  # noqa: E402

main.add_command(check)
main.add_command(render_command)
main.add_command(list_templates)
