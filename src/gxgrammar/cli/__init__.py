"""The `gxgrammar` command."""
from __future__ import annotations

import sys

import click

from gxgrammar import __version__
from gxgrammar.layouts import registry
from gxgrammar.errors import GxError

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
    Parse a folder of reports into one SQLite file (or a long CSV, cells.csv):
      gxgrammar parse reports/ --out corpus.sqlite
    """


@main.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "sqlite"]), default=None,
              help="json: one JSON object (a list for several reports); jsonl: one report a line; "
                   "csv: one cell a line (long format); sqlite: the corpus store. "
                   "Default: from the --out file's suffix (.sqlite/.db, .csv, .jsonl), else json.")
@click.option("-o", "--out", "--output", "out", type=click.Path(dir_okay=False, allow_dash=True),
              default="-", help="Write here instead of standard output.")
@click.option("--layout", metavar="NAME",
              help="Read the tables in this layout instead of detecting it (see `gxgrammar layouts`).")
@click.option("--encoding", metavar="NAME",
              help="The file's text encoding (e.g. gb18030, utf-16). Default: detected from the BOM, "
                   "else UTF-8, else GB18030.")
@_grammars_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Reports parsed at once, in worker processes. Default: one per CPU core.")
@click.option("--force", is_flag=True,
              help="Parse again the reports the store already holds (same SHA-256), replacing them.")
@click.option("--explain", is_flag=True,
              help="Instead of the model, show how each table was read: every layout tried and its "
                   "score, where a grammar failed, and the grid of cells read.")
def parse(reports, fmt, out, layout, encoding, grammar_dirs, jobs, force, explain):
    """Parse REPORTS (files, or folders of *.txt, *.md and *.html/*.htm files) into the
    report model (see MODEL.md): meta, the six sections, the three tables cell by cell,
    findings, and the source line of every number.

    \b
    A corpus into one SQLite file (re-running skips what it already holds):
      gxgrammar parse reports/ --out corpus.sqlite
    One cell a line, for pandas or R:
      gxgrammar parse reports/ --out cells.csv
    How each table of a report was read, layout by layout:
      gxgrammar parse --explain report.txt

    A report that cannot be read is named on standard error with the line and what
    was expected there; the others are still parsed, and a batch ends with a summary.
    Exit status: 0 when every report parsed, 1 when one was not a readable report,
    2 for a usage error or an unreadable file (missing, empty, binary, undecodable).
    """
    options = dict(encoding=encoding, layout=layout, grammar_dirs=grammar_dirs)
    if explain:
        from gxgrammar.cli.explain import run as explain
        sys.exit(explain(reports, out=out, **options))
    from gxgrammar.cli.batch import run
    sys.exit(run(reports, out=out, fmt=fmt, jobs=jobs, force=force, **options))


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
from gxgrammar.cli.check import check  # noqa: E402
from gxgrammar.cli.render import list_templates, render_command  # noqa: E402

main.add_command(check)
main.add_command(render_command)
main.add_command(list_templates)
from gxgrammar.cli.compare import compare_command  # noqa: E402
main.add_command(compare_command)
