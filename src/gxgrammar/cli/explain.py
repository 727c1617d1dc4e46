"""`gxgrammar parse --explain`: how each table was read, for people who write layouts.

For each table section: every layout, whether it was tried, how its reading scored
and why the chosen one won; a grammar that failed is shown at the place it failed,
with what it expected there. Then the grid of cells the chosen layout read, row by
row, before the national format gave them meaning, with the row each one named.
"""
from __future__ import annotations

import click

from gxgrammar.layouts.caret import display_width, lark_failure
from gxgrammar.errors import GxError
from gxgrammar.i18n import N_, _
from gxgrammar.parser import parse_bytes
from gxgrammar.national.mapping import named_rows
from gxgrammar.readers.rows import UNPLACED

EMPTY = "·"
SCORE = N_("Each table is read by every layout whose detect pattern matches one of its lines, "
           "in priority order, until one reads every cell without a doubt; "
           "score = cells read − 3 × cells inferred − 2 × doubts (warnings, errors); "
           "the highest score wins, a tie goes to the lower priority.")
# The columns of a table's attempts.
HEADINGS = (N_("layout"), N_("priority"), N_("read"), N_("inferred"), N_("doubts"), N_("score"))


def run(reports, out="-", **options):
    """`gxgrammar parse --explain`: explain REPORTS (files, or folders of reports) into
    `out` (a file, or - for standard output); return the exit status."""
    from gxgrammar.cli import inputs
    from gxgrammar.cli.batch import EXIT_USAGE
    from gxgrammar.cli.sinks import Output
    output = Output(out)
    try:
        output.check()
    except GxError as e:
        click.echo(f"gxgrammar: {e}", err=True)
        return EXIT_USAGE
    try:
        found = inputs.expand(reports)
        for message in found.messages():
            click.echo(f"gxgrammar: {message}", err=True)
        return explain_reports(found.paths, output.write, lambda line: click.echo(line, err=True), **options)
    finally:
        output.close()


def explain_reports(paths, out, err, **options):
    """Write the explanation of each report to `out`; return the exit status."""
    from gxgrammar.cli.inputs import display, read_bytes
    status = 0
    for given in paths:
        path = display(given)
        try:
            report = parse_bytes(read_bytes(given), path, **options)
        except GxError as e:
            err(f"gxgrammar: {e.located(path)}")
            readings = getattr(e, "readings", None)
            if readings:
                stopped = _("{path}: the parse stopped; what was read up to there:").format(path=path)
                out("\n".join([stopped, ""]
                              + [line for r in readings.values() for line in explain_table(r)]) + "\n")
            status = max(status, e.exit_code)
            continue
        except Exception as e:  # a bug, not bad input: one line, and the batch goes on
            err("gxgrammar: " + _("{path}: internal error ({reason}); please report it").format(
                path=path, reason=f"{type(e).__name__}: {e}"))
            status = max(status, 1)
            continue
        layouts = _(", ").join(f"{t} {lay}" for t, lay in report.source["table_layouts"].items())
        head = [_("{path}: national format {template}, tables read as {layouts}").format(
                    path=path, template=report.meta["template"], layouts=layouts), _(SCORE), ""]
        out("\n".join(head + [line for r in report.readings.values() for line in explain_table(r)]) + "\n")
    return status


def explain_table(readings):
    lines = [_("{section} (lines {first}–{last})").format(section=readings.section, first=readings.file_lines[0],
                                                           last=readings.file_lines[-1])]
    attempts = readings.attempts
    chosen = next((a for a in attempts if a.chosen), None)
    rows = [tuple(_(h) for h in HEADINGS) + ("",)]
    for a in attempts:
        if a.error is not None:
            rows.append((a.layout.name, str(a.layout.priority), "", "", "", "", _("the grammar failed (below)")))
            continue
        read = a.read
        inferred = sum(1 for p in read.provenance.values() if p.get("inferred"))
        doubts = sum(1 for f in read.findings if f.severity != "info")
        rows.append((a.layout.name, str(a.layout.priority), str(len(read.provenance) - inferred),
                     str(inferred), str(doubts), str(read.score), _verdict(a, chosen, attempts)))
    # A layout not reached is not asked whether it applies (a parse saves the time): ask now.
    unreached = [l for l in readings.unreached if l.applies_to(readings.text)]
    for lay in unreached:
        rows.append((lay.name, str(lay.priority), "", "", "", "",
                     _("not tried: {layout} read every cell").format(layout=chosen.layout.name)))
    skipped = readings.skipped + [l for l in readings.unreached if l not in unreached]
    for lay in sorted(skipped, key=lambda l: (l.priority, l.name)):
        why = (_("--layout {layout} was given").format(layout=readings.forced) if readings.forced
               else _("its detect pattern matches no line"))
        rows.append((lay.name, str(lay.priority), "", "", "", "", _("not tried: {why}").format(why=why)))
    lines += ["  " + line for line in _columns(rows)]
    for a in attempts:
        if a.error is not None:
            index, expected, shown = lark_failure(a.error, readings.lines, a.layout.terms)
            column = getattr(a.error, "column", None)
            line = readings.file_lines[index]
            at = (_("line {line}, column {column}").format(line=line, column=column) if column and column > 0
                  else _("line {line}").format(line=line))
            lines += ["", "  " + _("{layout} failed at {place}: expected {expected}").format(
                layout=a.layout.name, place=at, expected=expected or _("something else"))]
            lines += ["  " + x for x in shown]
    if chosen is not None:
        lines += ["", "  " + _("the grid {layout} read (line: cells, → the row they name):").format(
            layout=chosen.layout.name)]
        lines += ["    " + x for x in _grid(chosen.grid, readings.table, readings.template)]
        if any(c.text == UNPLACED for row in chosen.grid.rows for c in row.cells):
            lines.append("    " + _("{mark}: a cell whose number the reader could not place (the order of the text "
                                  "allows more than one reading)").format(mark=UNPLACED))
    lines.append("")
    return lines


def _verdict(attempt, chosen, attempts):
    if attempt.chosen:
        rivals = [a for a in attempts if a is not attempt and a.read is not None and a.read.rows_found
                  and a.read.score == attempt.read.score]
        if rivals:
            return _("chosen: ties with {layouts}, lower priority").format(
                layouts=_(", ").join(a.layout.name for a in rivals))
        return _("chosen: the highest score")
    if not attempt.read.rows_found:
        return _("no row of the table found")
    if chosen is None:
        return ""
    if attempt.read.score == chosen.read.score:
        return _("ties with {layout}, which has the lower priority").format(layout=chosen.layout.name)
    return _("lower score than {layout}").format(layout=chosen.layout.name)


def _columns(rows):
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for r in rows:
        cells = [c + " " * (w - display_width(c)) for c, w in zip(r, widths)]
        out.append("  ".join(cells + [r[-1]]).rstrip())
    return out


def _grid(grid, table, template):
    out = []
    # A PDF's rows also say the page they stand on (the lines are those of the text read from it).
    where = [_page(row) for row in grid.rows]
    places = [f"{r.line}{page}" for r, page in zip(grid.rows, where)]
    width = max((display_width(p) for p in places), default=1)
    for row, place in zip(grid.rows, places):
        cells = " │ ".join((f"«{c.text}»" if c.joined else c.text) or EMPTY for c in row.cells)
        named = [r.split(".", 1)[1] for r in named_rows(table, row, template)]
        to = f"  → {', '.join(named)}" if named else ""
        out.append(f"{' ' * (width - display_width(place))}{place}: {cells}{to}")
    return out


def _page(row):
    page = next((c.extra["page"] for c in row.cells if c.extra and "page" in c.extra), None)
    return _(" p.{page}").format(page=page) if page is not None else ""
