"""`gxgrammar check`: the findings of each report, grouped by report."""
from __future__ import annotations

import io
import json
import sys

import click

from gxgrammar.cli.translated import Command
from gxgrammar.i18n import N_, _

from gxgrammar.cli import inputs
from gxgrammar.errors import GxError
from gxgrammar.checks import RULES, strict_findings
from gxgrammar.checks.series import RULES as SERIES_RULES, check_series, explain as explain_pairing, pair
from gxgrammar.national.indicators import indicators
from gxgrammar.parser import parse_bytes

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


def _show_rules(ctx, param, asked):
    if asked and not ctx.resilient_parsing:
        click.echo("\n".join(rule_lines()).rstrip("\n"))
        ctx.exit()


def rule_lines():
    """Every rule `check` applies, in the language of the moment: its code and severity, what
    it finds, and its basis."""
    lines = []
    for heading, rules in ((N_("Within one report"), RULES), (N_("Across the years of one agency"), SERIES_RULES)):
        lines += [_(heading), ""]
        for rule in rules.values():
            what, basis = rule.described()
            lines += [f"  {rule.code}  {_(SEVERITY_WORDS[rule.severity])}", f"    {what}",
                      "    " + _("basis: {basis}").format(basis=basis), ""]
    return lines


@click.command(cls=Command, help=N_(r"""Check REPORTS (files, folders, or - for standard input) against the national
    format, cell by cell.

    \b
    One report, or a draft before it goes out:
      gxgrammar check report.txt
      pdftotext -layout draft.pdf - | gxgrammar check -
    An agency's reports of several years, compared year by year:
      gxgrammar check reports/luming-sthj/
    For a script (one object a report), errors and warnings only:
      gxgrammar check reports/ --format json -q -o findings.json
    A gate before publishing: any cell inferred or not read fails too:
      gxgrammar check --strict draft.docx

    Every identity (勾稽关系) of the tables is checked: 一 + 二 = 三（七）总计 + 四 in each
    column, （七）总计 = the sum of the result rows, each row's 总计 = the sum of its
    applicant columns, each appeals group's 总计 = the sum of its outcomes; and blank
    totals, negative or fractional counts, the format against the year, and the
    信息处理费 statement of section 六. A wrong number is named by its Chinese label,
    its line and the value the identities expect.

    What the prose says of the tables (「全年共收到政府信息公开申请81件」) is compared
    with their cells (claims.* warnings).

    Given reports of one agency for consecutive years, also compares 二、上年结转
    with the year before's 四、结转下年度继续办理, and 现行有效件数 with the year
    before's plus 制发 minus 废止 (warnings). Reports are paired by the agency's
    name (written alike, or 县政府 for 县人民政府) and year; --explain says how.

    Exit status: 0 when no report has an error, 1 when one has, 2 for a usage error
    or a file that cannot be read as a report.
    """))
@click.argument("reports", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=N_("text: findings grouped by report, for people; json: one object per report."))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help=N_("Write the findings here instead of standard output."))
@click.option("--out", "out_alias", type=click.Path(dir_okay=False, allow_dash=True), default=None, hidden=True)
@click.option("--quiet", "-q", is_flag=True, help=N_("Show errors and warnings only, not infos."))
@click.option("--layout", metavar="NAME", help=N_("Read the tables in this layout instead of detecting it."))
@click.option("--encoding", metavar="NAME", help=N_("The files' text encoding (default: detected)."))
@click.option("--grammars", "grammar_dirs", multiple=True, type=click.Path(file_okay=False),
              help=N_("A folder of your own layout grammars; repeatable."))
@click.option("--strict", is_flag=True,
              help=N_("Also an error for every cell that was not read (inferred, or not read at all): a gate "
                   "before publishing."))
@click.option("--explain", is_flag=True,
              help=N_("Also say which reports were compared with the year before, and why the others were not."))
@click.option("--rules", is_flag=True, is_eager=True, expose_value=False, callback=_show_rules,
              help=N_("List the rules checked (each code, its severity, what it finds and its basis) and exit."))
def check(reports, fmt, out, out_alias, quiet, layout, encoding, grammar_dirs, strict, explain):
    target = out_alias or out
    parsed, failures = read_reports(reports, encoding=encoding, layout=layout, grammar_dirs=grammar_dirs)
    out = _open(target)
    # Years side by side: each report against the agency's report of the year before.
    pairing = pair(parsed)
    series = check_series(parsed, pairing)
    results = []
    for report in parsed:
        findings = report.findings + series.get(id(report), [])
        if strict:
            findings += strict_findings(report)
        if quiet:
            findings = [f for f in findings if f.severity != "info"]
        results.append((report, findings))

    if fmt == "json":
        doc = [_as_json(r, fs, pairing) for r, fs in results] + \
              [{"path": p, "status": "unreadable", "error": e.located(p), "findings": []} for p, e in failures]
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2), file=out)
    else:
        if explain:
            click.echo(click.style(_("Years side by side"), bold=True), file=out)
            for line in explain_pairing(pairing):
                click.echo(f"  {line}", file=out)
            click.echo(file=out)
        for report, findings in results:
            _print_report(report, findings, out)
        for path, e in failures:
            click.echo(click.style(f"gxgrammar: {e.located(path)}", fg="red"), err=True)
        _print_summary(results, failures, out)

    _close(out, target)
    errors = any(f.severity == "error" for _, fs in results for f in fs)
    status = 1 if errors or any(e.exit_code == 1 for _, e in failures) else 0
    sys.exit(2 if any(e.exit_code == 2 for _, e in failures) else status)


def _open(target):
    """Where the findings go: standard output, or a buffer written to the file at the end
    (a file that cannot be written is one line, exit status 2)."""
    return sys.stdout if target == "-" else io.StringIO()


def _close(out, target):
    if out is sys.stdout:
        return
    try:
        with open(target, "w", encoding="utf-8") as f:
            f.write(out.getvalue())
    except OSError as e:
        click.echo("gxgrammar: " + _("{path}: cannot be written ({reason})").format(path=target, reason=e.strerror),
                   err=True)
        sys.exit(2)


def read_reports(reports, **options):
    """Parse what REPORTS names (files, folders, `-`): ([Report], [(path, GxError)]).

    Files that are not regular files are skipped with a message; a .txt/.md in a folder
    that holds nothing of the national format is skipped as not a report."""
    found = inputs.expand(reports)
    for message in found.messages():
        click.echo(f"gxgrammar: {message}", err=True)
    try:
        inputs.check_grammars(options.get("grammar_dirs") or ())
    except GxError as e:
        click.echo(f"gxgrammar: {e.located() if e.path else e.message}", err=True)
        sys.exit(2)
    parsed, failures = [], []
    for path in found.paths:
        shown, data = inputs.display(path), None
        try:
            data = inputs.read_bytes(path)
            parsed.append(parse_bytes(data, shown, **options))
        except GxError as e:
            if path in found.scanned and data is not None and inputs.is_plain_text(path) \
                    and not inputs.looks_like_report(data, options.get("encoding")):
                continue
            failures.append((shown, e))
    return parsed, failures


def _status(findings):
    for severity in ("error", "warning"):
        if any(f.severity == severity for f in findings):
            return severity + "s"
    return "ok"


def _as_json(report, findings, pairing):
    before = pairing.before(report)
    return {"path": report.source["path"], "agency": report.meta.get("agency"),
            "year": report.meta.get("year"), "template": report.meta.get("template"),
            "layout": report.source.get("layout"), "status": _status(findings),
            "findings": [f.to_dict() for f in findings],
            "previous": before.source.get("path") if before is not None else None,
            "indicators": indicators(report, before)}


def _print_report(report, findings, out=None):
    meta = report.meta
    head = _("{path}  {agency} {year} ({template} format, {layout})").format(
        path=report.source["path"], agency=meta.get("agency") or "?", year=meta.get("year") or "?",
        template=meta.get("template"), layout=report.source.get("layout"))
    click.echo(click.style(head, bold=True), file=out)
    if not findings:
        click.echo("  " + click.style(_("ok"), fg="green") + _(": every identity holds"), file=out)
    for f in findings:
        where = _("line {line}").format(line=f.line) if f.line else ""
        tag = click.style(_padded(_(SEVERITY_WORDS[f.severity]), 7), fg=_COLOURS[f.severity],
                          bold=f.severity == "error")
        click.echo(f"  {tag} {f.code:<24} {_padded(where, 9)} {f.message}", file=out)
    click.echo(file=out)


def _print_summary(results, failures, out=None):
    errors = sum(1 for _report, fs in results if any(f.severity == "error" for f in fs))
    warnings = sum(1 for _report, fs in results if _status(fs) == "warnings")
    count = len(results) + len(failures)
    parts = [(_("{count} report") if count == 1 else _("{count} reports")).format(count=count),
             _("{count} with errors").format(count=errors), _("{count} with warnings only").format(count=warnings)]
    if failures:
        parts.append(_("{count} unreadable: {paths}").format(count=len(failures),
                                                             paths=", ".join(p for p, _error in failures)))
    click.echo(_(", ").join(parts), file=out)


def _padded(text, width):
    """`text` padded to `width` columns (a Chinese character takes two)."""
    return text + " " * max(0, width - sum(2 if ord(ch) > 0x2E7F else 1 for ch in text))
