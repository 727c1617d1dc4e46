"""The report's sections in the model, and what the structure says about the report.

A report in the national format gets its six sections in order, a missing one as an
empty section with a warning. A report that numbers its own list of sections (a
regional structure) keeps them as it numbers them, each mapped to the canonical section
it clearly is, if any. A section's text is its prose: the lines of its span that no
table was read from.
"""
from __future__ import annotations


from gxgrammar import national as nf
from gxgrammar.cache import regex
from gxgrammar.i18n import N_, _
from gxgrammar.model import Finding, Section
from gxgrammar.structure.meta import clean_title
from gxgrammar.structure.document import title_text

NOT_A_REPORT = N_("not a 政府信息公开工作年度报告: none of the six section headings "
                  "(一、总体情况 … 六、其他需要报告的事项) was found")   # translated where raised


def report_title(out):
    """The report's title: its title lines (a page header before them left out), else the
    title a crawler's header names."""
    if out.title:
        return clean_title(title_text(str(t)) for t in out.title)
    if out.crawler_title:
        return clean_title([out.crawler_title])
    return ""


def build_sections(source, out, table_lines, findings):
    """The model's sections from the outline; findings for what the structure lacks."""
    sections = [_section(source, part, table_lines) for part in out.parts]
    if not out.parts:
        findings.append(Finding("structure.sections_not_found", "warning",
                                _("none of the report's section headings was found (一、总体情况 … "
                                  "六、其他需要报告的事项); its tables were found by their labels")))
        return [Section(n, title, "") for n, title in nf.SECTION_TITLES.items()]
    if not out.national:
        own = "; ".join(f"{p.heading}" + (f" → {nf.SECTION_NUMERALS[p.number - 1]}、{nf.SECTION_TITLES[p.number]}"
                                          if p.number else "") for p in out.parts)
        findings.append(Finding("structure.regional_sections", "info",
                                _("the report numbers its own list of sections, kept as it numbers them; "
                                  "where one clearly is a section of the national format, it says so: {sections}")
                                .format(sections=own)))
        return sections
    present = {s.number for s in sections}
    for number, canonical in nf.SECTION_TITLES.items():
        if number not in present:
            findings.append(Finding("structure.section_missing", "warning",
                                    _("section {section} was not found").format(
                                        section=f"{nf.SECTION_NUMERALS[number - 1]}、{canonical}")))
            sections.append(Section(number, canonical, ""))
    return sorted(sections, key=lambda s: s.number)


def _section(source, part, table_lines):
    kept = [i for i in range(part.start, part.end + 1) if i not in table_lines and source.lines[i - 1].strip()]
    lines = [source.lines[i - 1].strip() for i in kept]
    subheadings = [{"text": source.lines[t.line - 1].strip(), "line": source.file_line(t.line)}
                   for t in part.body if t.type == "SUBHEADING" and t.line <= part.end
                   and t.line not in table_lines]
    title = nf.SECTION_TITLES.get(part.number)
    return Section(part.number, title, "\n".join(lines),
                   source.lines[part.line - 1].strip(), source.file_line(part.line), subheadings,
                   part.report_number, part.report_title, LinePlaces(source, kept))


class LinePlaces:
    """The (line, column) in the user's file of each line of a section's text, worked out
    when first asked for: only a claim that is shown needs them, and mapping every prose
    line of a web page or a PDF back to its place costs about 3% of a parse."""

    __slots__ = ("_source", "_lines", "_places")

    def __init__(self, source, lines):
        self._source, self._lines, self._places = source, lines, None

    def _resolved(self):
        if self._places is None:
            source = self._source
            self._places = [source.position(i, _indent(source.lines[i - 1]) + 1) for i in self._lines]
            self._source = None
        return self._places

    def __len__(self):
        return len(self._lines)

    def __iter__(self):
        return iter(self._resolved())

    def __getitem__(self, index):
        return self._resolved()[index]


def _indent(line):
    return len(line) - len(line.lstrip())


def structure_findings(out, regions, source):
    """Where the tables stand, when it is not where the national format puts them."""
    findings = []
    if not out.national or not out.parts:
        return findings
    for table, region in regions.items():
        own = next(n for n, t in nf.SECTION_TABLES.items() if t == table)
        if region.part is not None and region.part.number == own:
            continue
        message = (_("the table of section {section} stands in {where}; it was found by its labels")
                   if region.part is not None else
                   _("the table of section {section} stands before the first section ({where}); it was found by "
                     "its labels"))
        findings.append(Finding("structure.table_outside_section", "info",
                                message.format(section=f"{nf.SECTION_NUMERALS[own - 1]}、{nf.SECTION_TITLES[own]}",
                                               where=region.where), [],
                                source.file_line(region.anchor or region.start)))
    return findings


# What a converter writes in place of a table it dropped (pandoc -t plain: 「[TABLE]」).
_PLACEHOLDER = regex(r"^\s*\[TABLE\]\s*$")


def table_not_read(table, template, region, source, out):
    """The finding for a table that was not found, or found but not read: every cell named."""
    own = next(n for n, t in nf.SECTION_TABLES.items() if t == table)
    keys = [k for k in nf.cell_keys(template) if k.startswith(table + ".")]
    section = f"{nf.SECTION_NUMERALS[own - 1]}、{nf.SECTION_TITLES[own]}"
    first = nf.rows_for(table, template)[0]
    if region is not None:
        line = source.file_line(region.part.line if region.part is not None else region.start)
        return Finding("table.not_read", "error",
                       _("{where} has no table that can be read: expected rows such as 「{row}」 with their "
                         "numbers; its {count} cells are not read").format(where=region.where, row=first.label,
                                                                           count=len(keys)), keys, line)
    numbered = [p for p in out.parts if p.number is not None]
    if out.national and numbered and max(p.number for p in numbered) < own:
        last = max(numbered, key=lambda p: p.number)
        return Finding("table.not_found", "error",
                       _("section {section} and its table are missing: the report ends in section {last} (it "
                         "seems truncated); its {count} cells are not read").format(
                           section=section, last=nf.SECTION_NUMERALS[last.number - 1], count=len(keys)),
                       keys, source.file_line(len(source.lines)))
    part = next((p for p in out.parts if p.number == own), None)
    if part is not None and any(_PLACEHOLDER.match(source.lines[i - 1]) for i in range(part.start, part.end + 1)
                                if 0 < i <= len(source.lines)):
        return Finding("table.not_found", "error",
                       _("the table of section {section} was replaced by the converter: the text holds only "
                         "「[TABLE]」 where it stood (pandoc's plain output does so with tables it cannot draw; "
                         "convert the page with -t gfm or -t markdown); its {count} cells are not read").format(
                           section=section, count=len(keys)), keys, source.file_line(part.line))
    return Finding("table.not_found", "error",
                   _("the table of section {section} was not found: no row such as 「{row}」 with its "
                     "numbers; its {count} cells are not read").format(section=section, row=first.label,
                                                                        count=len(keys)), keys,
                   source.file_line(part.line) if part is not None else None)
