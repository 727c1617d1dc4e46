"""Bad input: one line naming the file, the line and what was expected; never a traceback."""
import codecs

from gxgrammar.readers.text import decode
import json

import pytest
from click.testing import CliRunner

from gxgrammar.cli import main

from conftest import EXAMPLES, FIXTURES, differences, expected_for

BAD = sorted(p for p in (FIXTURES / "bad").iterdir() if p.suffix != ".expected")


def _expected(path):
    fields = dict(line.split(": ", 1) for line in
                  path.with_suffix(".expected").read_text(encoding="utf-8").splitlines() if line)
    return int(fields["exit"]), fields["stderr"].replace("{path}", str(path))


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_bad_input_gets_one_clear_line_and_its_exit_status(path):
    code, message = _expected(path)
    result = _run("parse", path)
    assert result.exit_code == code
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_missing_file():
    result = _run("parse", "no/such/report.txt")
    assert result.exit_code == 2
    assert result.stderr == "gxgrammar: no/such/report.txt: no such file\n"


def test_a_batch_goes_on_past_a_bad_file_and_names_it():
    bad = FIXTURES / "bad" / "not-a-report.txt"
    result = _run("parse", "--format", "jsonl", EXAMPLES[0], bad, EXAMPLES[1])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr.splitlines() == [_expected(bad)[1], "gxgrammar: 2 parsed (0 with errors), 1 failed"]


INCOMPLETE = sorted((FIXTURES / "incomplete").glob("*.txt"))


def _incomplete_expected(path):
    fields = {}
    for line in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        key, value = line.split(": ", 1)
        fields.setdefault(key, []).append(value.replace("{path}", str(path)))
    return int(fields["exit"][0]), fields.get("stderr", []), fields["codes"][0].split()


@pytest.mark.parametrize("path", INCOMPLETE, ids=[p.name for p in INCOMPLETE])
def test_a_report_with_a_part_missing_is_parsed_and_says_what_is_missing(path):
    """A section or a table missing never costs the rest of the report: it is parsed, its
    JSON written, each missing table named on standard error (exit 1), every finding given."""
    code, stderr, codes = _incomplete_expected(path)
    result = _run("parse", path)
    assert result.exit_code == code
    assert result.stderr.splitlines() == stderr
    report = json.loads(result.stdout)
    found = {f["code"] for f in report["findings"] if f["severity"] != "info" or f["code"].startswith("structure.")}
    assert sorted(found) == codes


def test_a_batch_names_a_report_whose_table_is_missing_and_stores_the_rest():
    truncated = FIXTURES / "incomplete" / "truncated.txt"
    result = _run("parse", "--format", "jsonl", EXAMPLES[0], truncated)
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr.splitlines() == [_incomplete_expected(truncated)[1][0],
                                          "gxgrammar: 2 parsed (1 with errors), 0 failed"]


def test_unknown_layout_is_refused_with_the_known_ones():
    result = _run("parse", "--layout", "csv", EXAMPLES[0])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"gxgrammar: {EXAMPLES[0]}: no layout named 'csv' (known: canonical, cell-rows, markdown, tsv,")


def test_forcing_the_wrong_layout_names_the_section():
    tsv = next(p for p in EXAMPLES if p.parent.name == "tsv")
    result = _run("parse", "--layout", "cell-lines", tsv)
    assert result.exit_code == 1
    assert "section 二、主动公开政府信息情况 has no table that can be read" in result.stderr


def test_a_forced_layout_that_does_not_fit_shows_the_line_and_a_caret():
    markdown = next(p for p in EXAMPLES if p.parent.name == "markdown" and "2021" in p.name)
    result = _run("parse", "--layout", "cell-lines", markdown)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"gxgrammar: {markdown}:23: the table of section 二、主动公开政府信息情况 is not in the cell-lines layout: "
        'expected a line of a cell or of text, or a line holding only "|" (the start of a row) here',
        "  | 第二十条第（一）项 | | | |",
        "  ^",
    ]


ENCODINGS = ["utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_in_any_supported_encoding_reads_the_same(tmp_path, encoding):
    for example in EXAMPLES[::3]:
        try:
            data = decode(example.read_bytes())[0].encode(encoding)   # a page may be in GB2312
        except UnicodeEncodeError:  # GBK has no U+00A0: such a file cannot be GBK
            continue
        if encoding == "utf-16":
            assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        target = tmp_path / example.name
        target.write_bytes(data)
        from gxgrammar import parse_file
        report = parse_file(target)
        assert differences(report, expected_for(example)) == [], (example, encoding)


def test_encoding_option_overrides_detection(tmp_path):
    target = tmp_path / "report.txt"
    target.write_bytes(EXAMPLES[0].read_text(encoding="utf-8").encode("gb18030"))
    assert _run("parse", "--encoding", "gb18030", target).exit_code == 0
    wrong = _run("parse", "--encoding", "utf-8", target)
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith(f"gxgrammar: {target}: not valid utf-8 text (byte ")
    unknown = _run("parse", "--encoding", "klingon", target)
    assert unknown.stderr == f"gxgrammar: {target}: unknown encoding 'klingon'\n"
