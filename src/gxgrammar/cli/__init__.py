"""The `gxgrammar` command."""
from __future__ import annotations

import sys

import click

from gxgrammar import __version__
from gxgrammar.layouts import registry
from gxgrammar.errors import GxError
from gxgrammar.i18n import N_, _
from gxgrammar.cli.translated import Command, Group

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_grammars_option = click.option(
    "--grammars", "grammar_dirs", multiple=True, type=click.Path(file_okay=False),
    help=N_("A folder of your own layout grammars (*.lark) that add to or override the built-in "
         "ones; repeatable. Also read from $GXGRAMMAR_GRAMMARS."))


def output_option(help_text, **kwargs):
    """`-o/--output`, the one spelling of every command; `--out` (hidden) keeps older
    commands working. The command takes `out` and `out_alias`: see `chosen_output`."""
    def decorate(f):
        f = click.option("--out", "out_alias", hidden=True, default=None, **kwargs)(f)
        return click.option("-o", "--output", "out", default="-", help=help_text, **kwargs)(f)
    return decorate


def chosen_output(out, out_alias):
    return out_alias if out_alias is not None else out


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, cls=Group, help=N_(r"""Read 政府信息公开工作年度报告 (government information disclosure annual
    reports) into a checked data model, with grammars instead of guesses.

    \b
    Parse one report to JSON (meta, sections, every cell with its source line):
      gxgrammar parse report.txt
      pdftotext -layout report.pdf - | gxgrammar parse -
    Check its 勾稽关系 and be told which cell is wrong:
      gxgrammar check report.txt
    Get the canonical report back, or an HTML page with the findings at their cells:
      gxgrammar render report.txt
      gxgrammar render report.txt -t html -o report.html
    See how the tables were read, layout by layout:
      gxgrammar parse --explain report.txt
    Parse a folder of reports into one SQLite file, a long CSV, or a wide table:
      gxgrammar parse reports/ -o corpus.sqlite
      gxgrammar parse reports/ -o cells.csv
      gxgrammar parse reports/ -o reports.wide.csv
    The JSON Schema of the JSON output:
      gxgrammar schema

    The data model, the exports and the store: docs/model.md.
    """))
@click.version_option(__version__, prog_name="gxgrammar", help=N_("Show the version and exit."))
def main():
    """The `gxgrammar` command group (its help: above, translated when shown)."""


@main.command(cls=Command, help=N_(r"""Parse REPORTS (files, folders, or - for standard input) into the report model
    (docs/model.md): meta, the six sections, the three tables cell by cell, findings,
    and the source line of every number.

    \b
    One report, as JSON on standard output:
      gxgrammar parse report.txt
    Whatever a converter prints, through standard input:
      pdftotext -layout report.pdf - | gxgrammar parse -
      cat page.html | gxgrammar parse - --encoding gb18030
    A corpus into one SQLite file (re-running skips what it already holds):
      gxgrammar parse reports/ -o corpus.sqlite
    One cell a line (pandas, R), or one report a line (a spreadsheet):
      gxgrammar parse reports/ -o cells.csv
      gxgrammar parse reports/ -o reports.wide.csv
      gxgrammar parse reports/ -o reports.parquet
    How each table of a report was read, layout by layout:
      gxgrammar parse --explain report.txt

    \b
    A folder is searched for the files the readers take (*.txt, *.md, *.html …);
    a .txt/.md without any heading or label of the national format is skipped as
    not a report, and a FIFO or device is skipped without being opened.

    A report that cannot be read is named on standard error with the line and what
    was expected there; the others are still parsed, and a batch ends with a summary.
    Exit status: 0 when every report parsed, 1 when one was not a readable report,
    2 for a usage error, an unreadable file or an output that cannot be written,
    130 when interrupted (Ctrl-C, SIGTERM).
    """))
@click.argument("reports", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "wide", "parquet", "sqlite"]),
              default=None,
              help=N_("json: one JSON object (a list for several reports); jsonl: one report a line; "
                   "csv: one cell a line (long format); wide: one report a line, one column a cell (CSV); "
                   "parquet: the wide table as Parquet (needs pyarrow: pip install 'gxgrammar[parquet]'); "
                   "sqlite: the corpus store. Default: from the -o file's name (.json, .jsonl, .csv, "
                   "*wide*.csv, .parquet, .sqlite/.db); JSON on standard output."))
@output_option(N_("Write here instead of standard output; its name gives the format (see --format)."),
               type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--layout", metavar="NAME",
              help=N_("Read the tables in this layout instead of detecting it (see `gxgrammar layouts`)."))
@click.option("--encoding", metavar="NAME",
              help=N_("The file's text encoding (e.g. gb18030, utf-16); also for standard input. Default: "
                   "detected from the BOM, else UTF-8, else GB18030."))
@_grammars_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help=N_("Reports parsed at once, in worker processes. Default: one per CPU core."))
@click.option("--force", is_flag=True,
              help=N_("Parse again the reports the store already holds (same SHA-256), replacing them."))
@click.option("--explain", is_flag=True,
              help=N_("Instead of the model, show how each table was read: every layout tried and its "
                   "score, where a grammar failed, and the grid of cells read."))
def parse(reports, fmt, out, out_alias, layout, encoding, grammar_dirs, jobs, force, explain):
    out = chosen_output(out, out_alias)
    options = dict(encoding=encoding, layout=layout, grammar_dirs=grammar_dirs)
    if explain:
        from gxgrammar.cli.explain import run as explain
        sys.exit(explain(reports, out=out, **options))
    from gxgrammar.cli.batch import run
    try:
        code = run(reports, out=out, fmt=fmt, jobs=jobs, force=force, **options)
    except KeyboardInterrupt:
        click.echo("gxgrammar: " + _("interrupted"), err=True)
        code = 130
    sys.exit(code)


@main.command("layouts", cls=Command, help=N_(r"""List the table layouts: name, what it reads, and its grammar file.

    \b
    The built-in layouts, then yours added:
      gxgrammar layouts
      gxgrammar layouts --grammars my-grammars/
    Read a report in one of them instead of detecting it:
      gxgrammar parse --layout tsv report.txt
    """))
@_grammars_option
def list_layouts(grammar_dirs):
    try:
        found = registry.layouts(grammar_dirs)
    except GxError as e:
        raise click.UsageError(str(e))
    width = max(len(n) for n in found)
    for name, lay in found.items():
        click.echo(f"{name:<{width}}  {_(lay.description)}")     # a built-in layout's is in the catalogue
        click.echo(f"{'':<{width}}  {lay.path}")


@main.command("schema", cls=Command, help=N_(r"""Print the JSON Schema of the JSON output (one report of `gxgrammar parse`).

    \b
    Validate the output of a run with any JSON Schema validator (draft 2020-12):
      gxgrammar schema > report.schema.json
      gxgrammar parse report.txt > report.json
      check-jsonschema --schemafile report.schema.json report.json
    """))
def schema_command():
    import json
    from gxgrammar.writers.schema import json_schema
    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


# Commands that live in their own modules.
from gxgrammar.cli.check import check  # noqa: E402
from gxgrammar.cli.render import list_templates, render_command  # noqa: E402

main.add_command(check)
main.add_command(render_command)
main.add_command(list_templates)
from gxgrammar.cli.compare import compare_command  # noqa: E402
main.add_command(compare_command)
