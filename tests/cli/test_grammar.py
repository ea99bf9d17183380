"""The grammar built for one command (what a status bar's ``ticker strip`` pays for)
reads every command line exactly as the whole grammar does, and words every error the
same."""

from __future__ import annotations

import argparse

import pytest

from ticker.cli import main
from ticker.cli.parser import COMMANDS, build_parser, command_of
from ticker.errors import UsageError

GOOD = [
    ["strip"],
    ["strip", "--invert"],
    ["--config", "x.toml", "strip"],
    ["--config=x.toml", "rates", "--json"],
    ["rates", "--inv"],  # an option's unambiguous prefix
    ["providers", "--json"],
    ["health", "--json"],
    ["export", "--pair", "KZT", "-o", "out.csv", "--best"],
    ["alerts", "history", "--limit", "5", "--rule", "3"],
    ["alerts", "add", "KZT/USD", "above", "0.0021", "--window", "7d"],
    ["config", "check"],
    ["backfill", "--since", "2026-01-01"],
    ["indicators", "--country", "KAZ"],
    ["convert", "10,000", "KZT", "KGS", "--json"],
    ["collect", "--verbose"],
    ["collect", "-v"],
]
BAD = [
    ["strip", "--bogus"],
    ["strip", "extra"],
    ["rates", "--json", "--json=1"],
    ["alerts", "history", "--limit", "0"],
    ["alerts", "remove", "x"],
    ["backfill"],
    ["--config"],
    ["bogus"],
    ["--config", "x.toml", "export", "--output"],
    ["collect", "--verbose=yes"],
]


def _parsed(argv: list[str], parser: argparse.ArgumentParser) -> dict[str, object]:
    found = vars(parser.parse_args(argv))
    found.pop("handler")
    return found


@pytest.mark.parametrize("argv", GOOD)
def test_one_commands_grammar_reads_as_the_whole(argv: list[str]) -> None:
    only = command_of(argv)
    assert only == next(w for w in argv if w in COMMANDS)
    assert _parsed(argv, build_parser(only)) == _parsed(argv, build_parser())


@pytest.mark.parametrize("argv", BAD)
def test_errors_are_worded_as_the_whole_grammar_words_them(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UsageError) as whole:
        build_parser().parse_args(argv)
    assert main(argv) == 2
    assert capsys.readouterr().err == f"ticker: {whole.value}\n"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["--no-collect"], None),
        (["--help"], None),
        (["--config", "strip"], None),  # "strip" is the config file here
        (["--config", "c.toml"], None),
        (["nonsense"], None),
        (["--config", "c.toml", "alerts", "list"], "alerts"),
    ],
)
def test_the_command_is_found_or_left_to_the_whole_grammar(
    argv: list[str], expected: str | None
) -> None:
    assert command_of(argv) == expected


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_commands_help_is_the_same(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    texts = []
    for parser in (build_parser(command), build_parser()):
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--help"])
        texts.append(capsys.readouterr().out)
    assert texts[0] == texts[1] and texts[0].startswith(f"usage: ticker {command}")


def test_help_wraps_at_the_terminals_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for columns in ("60", "120"):
        monkeypatch.setenv("COLUMNS", columns)
        with pytest.raises(SystemExit):
            build_parser().parse_args(["--help"])
        lines = capsys.readouterr().out.splitlines()
        assert max(len(line) for line in lines) <= int(columns) - 2
        assert max(len(line) for line in lines) > int(columns) - 20
