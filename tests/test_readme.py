"""The README's first command parses the bundled example it names."""
import json
import re

from click.testing import CliRunner

from gxgrammar.cli import main

from conftest import ROOT


def _first_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(.*?)\n```", readme, re.S)
    return blocks[0], blocks[1]


def test_the_first_command_parses_a_pdf_example_whole():
    install, tests = _first_commands()
    command = install.split("&&")[-1].split()
    assert command[:2] == ["gxgrammar", "parse"] and command[2].endswith(".pdf")
    result = CliRunner().invoke(main, [*command[1:2], str(ROOT / command[2])])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    expected = json.loads((ROOT / command[2]).with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert report["meta"]["agency"] == expected["meta"]["agency"]
    assert report["findings"] == []
    assert "python -m pytest" in tests
