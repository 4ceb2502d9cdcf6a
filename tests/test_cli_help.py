"""Every kg command explains itself: a one-line summary, an example in --help, a docs section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

DOCS = Path(__file__).resolve().parent.parent / "docs" / "commands.md"
COMMANDS = sorted(cli.commands)


def test_the_cli_has_the_commands_of_the_docs():
    assert {"build", "eval", "query", "stats", "export", "serve", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_a_one_line_summary(name):
    command = cli.commands[name]
    summary = (command.help or "").strip().split("\n\n")[0]
    assert summary, f"kg {name} has no help text"
    assert "\n" not in summary, f"kg {name}: the summary should fit on one line: {summary!r}"
    assert summary.endswith("."), f"kg {name}: the summary should be a sentence: {summary!r}"
    listing = CliRunner().invoke(cli, ["--help"], prog_name="kg").output
    assert re.search(rf"^  {re.escape(name)}\s+\S", listing, re.MULTILINE), listing


@pytest.mark.parametrize("name", COMMANDS)
def test_help_exits_0_and_shows_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"], prog_name="kg")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: kg {name} ")
    assert "Example" in result.output
    example = re.search(r"Examples?:\s*\n?\s*(kg [^\n]*)", result.output)
    assert example, f"kg {name} --help has no 'kg ...' line after Example"
    assert f"kg {name}" in example.group(1)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented(name):
    docs = DOCS.read_text(encoding="utf-8")
    assert re.search(rf"^## `kg {re.escape(name)}`", docs, re.MULTILINE), (
        f"docs/commands.md has no '## `kg {name}`' section"
    )
    section = docs.split(f"## `kg {name}`", 1)[1].split("\n## ", 1)[0]
    assert f"kg {name}" in section.split("```", 2)[1], f"kg {name}: the section has no example"
    for option in cli.commands[name].params:
        for flag in option.opts:
            if flag.startswith("--") and flag != "--help":
                assert flag in section, f"docs/commands.md: kg {name} does not mention {flag}"
