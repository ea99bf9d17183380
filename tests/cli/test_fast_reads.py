"""The one-shot reads' command lines read without argparse (:mod:`ticker.cli.fast`) read
exactly as the grammar reads them, and every line the fast reader is not sure of is left
to the grammar (so its errors, its ``--help`` and its prefixes stay the grammar's).

Both read one declaration of these commands' options (:mod:`ticker.cli.options`): the
grammar's ``add_argument`` calls are made from it, so an option the grammar has and the
fast reader does not know cannot be written (the last tests check that every field of
an entry reaches argparse)."""

from __future__ import annotations

import argparse

import pytest

from ticker.cli import options
from ticker.cli.fast import read_fast
from ticker.cli.parser import COMMANDS, build_parser, command_of

READ_FAST = [
    ["strip"],
    ["strip", "--invert", "--change", "1m"],
    ["strip", "--change=ytd", "--pair", "KZT", "--pair=USD/KGS", "--pair", "RUB/TJS"],
    ["strip", "--compact", "--color", "tmux", "--market"],
    ["strip", "--format", "{code} {rate}", "--separator", " | "],
    ["strip", "--format", "", "--separator="],
    ["strip", "--follow", "--every", "2"],
    ["strip", "--change", "1d", "--change", "1w"],  # the last one given
    ["--config", "x.toml", "strip"],
    ["--config=x.toml", "strip", "--config", "y.toml"],  # the command's own wins
    ["strip", "--config=", "--invert"],
    ["rates"],
    ["rates", "--json", "--json"],
    ["rates", "--pair", "KGS", "--invert", "--change", "1y"],
    ["providers"],
    ["providers", "--json", "-v"],
    ["providers", "--verbose"],
    ["health"],
    ["health", "--json"],
    ["--config", "c.toml", "health", "--json"],
    ["convert", "100", "USD", "KGS"],
    ["convert", "--json", "10,000", "KZT", "KGS"],
    ["convert", "100", "--at", "market", "USD", "TJS", "--channel=card"],
    ["convert", "", "USD", "KGS"],
    ["export"],
    ["export", "-o", "x.csv", "--force"],
    ["export", "--pair", "KZT", "--pair=RUB/TJS", "--provider", "nbk", "--since", "30d"],
    ["export", "--until=2026-11", "--provider=nbkr", "--provider", "cbr"],
    ["export", "--best", "--orientation", "usd-per"],
    ["export", "--wide", "--sources", "--output=out.csv"],
    ["export", "--indicators", "--revisions"],
    ["export", "--market", "--since", "2026", "-o", "m.csv", "-o", "n.csv"],
    ["--config", "c.toml", "export", "--output", "x.csv"],
]
LEFT_TO_THE_GRAMMAR = [
    [],
    ["--no-collect"],
    ["--version"],
    ["-h"],
    ["strip", "--help"],
    ["strip", "-h"],
    ["strip", "--inv"],  # a prefix: argparse's to expand
    ["strip", "--bogus"],
    ["strip", "extra"],
    ["strip", "--change"],
    ["strip", "--change", "-1m"],
    ["strip", "--separator", "-"],
    ["strip", "--compact=yes"],
    ["strip", "--"],
    ["rates", "--json=1"],
    ["providers", "-vv"],
    ["providers", "-v=1"],
    ["convert", "100", "USD"],
    ["convert", "100", "USD", "KGS", "TJS"],
    ["convert", "-5", "USD", "KGS"],
    ["--config"],
    ["--config", "x.toml"],
    ["--config", "-x", "strip"],
    ["--bogus", "strip"],
    ["bogus"],
    ["export", "-o", "-"],  # a value like an option: argparse's to read
    ["export", "-ox.csv"],
    ["export", "-o=x.csv"],
    ["export", "--out", "x.csv"],
    ["export", "--best=1"],
    ["export", "x.csv"],
    ["export", "--since"],
    ["indicators"],
    ["alerts", "list"],
]


def _grammar(argv: list[str]) -> dict[str, object]:
    found = vars(build_parser().parse_args(argv))
    found.pop("handler")
    return found


@pytest.mark.parametrize("argv", READ_FAST)
def test_a_fast_line_reads_as_the_grammar_reads_it(argv: list[str]) -> None:
    fast = read_fast(argv)
    assert fast is not None
    found = vars(fast)
    handler = found.pop("handler")
    assert found == _grammar(argv)
    assert callable(handler)


@pytest.mark.parametrize("argv", LEFT_TO_THE_GRAMMAR)
def test_anything_else_is_left_to_the_grammar(argv: list[str]) -> None:
    assert read_fast(argv) is None


def test_the_fast_commands_are_the_declared_ones() -> None:
    assert set(options.COMMANDS) == {"strip", "rates", "providers", "health", "convert", "export"}
    assert set(options.COMMANDS) < set(COMMANDS)


def _parser_of(command: str) -> argparse.ArgumentParser:
    parser = build_parser(command)
    found = next(a for a in parser._actions if a.dest == "command").choices[command]  # type: ignore[index]
    assert isinstance(found, argparse.ArgumentParser)
    return found


#: argparse's action class for each way an option is read.
ACTIONS = {
    options.FLAG: argparse._StoreTrueAction,
    options.VALUE: argparse._StoreAction,
    options.APPEND: argparse._AppendAction,
    options.POSITIONAL: argparse._StoreAction,
}


@pytest.mark.parametrize("command", sorted(options.COMMANDS))
def test_a_commands_parser_is_its_declaration(command: str) -> None:
    """The parser has the declared options and no other (``-h`` is argparse's own), in
    their order, each with its entry's names, dest, action, default, metavar and
    requiredness: what the fast reader reads is what argparse reads, by construction."""
    declared = (options.CONFIG, *options.COMMANDS[command].options)
    actions = [a for a in _parser_of(command)._actions if a.dest != "help"]
    assert len(actions) == len(declared)
    for action, option in zip(actions, declared, strict=True):
        positional = option.how == options.POSITIONAL
        assert action.option_strings == ([] if positional else list(option.names))
        assert action.dest == option.dest
        assert type(action) is ACTIONS[option.how]
        default = argparse.SUPPRESS if option.default is options.ABSENT else option.default
        assert action.default == (None if positional else default)
        assert action.metavar == (None if option.how == options.FLAG else option.metavar)
        assert action.required == (positional or option.required)
        assert action.nargs == (0 if option.how == options.FLAG else None)
        assert action.choices is None and action.type is None


def test_a_required_option_missing_is_left_to_the_grammar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No fast command has one today (``backfill --since`` is the grammar's); one added
    is read only when given."""
    health = options.COMMANDS["health"]
    since = options.SINCE.but_required()
    monkeypatch.setitem(
        options.COMMANDS, "health", options.Command(health.help, health.handler, (since,))
    )
    assert read_fast(["health"]) is None
    found = read_fast(["health", "--since", "30d"])
    assert found is not None and found.since == "30d"


def test_the_dests_are_argparses() -> None:
    assert [o.dest for o in options.COMMANDS["export"].options][-2:] == ["output", "force"]
    assert [o.dest for o in options.COMMANDS["providers"].options] == ["json", "verbose"]
    assert [o.dest for o in options.ROOT] == ["version", "no_collect"]
    assert [o.dest for o in options.COMMANDS["convert"].options][:3] == [
        "amount",
        "source",
        "target",
    ]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--config", "c.toml", "strip"], "strip"),
        (["--config=c.toml", "providers", "-v"], "providers"),
        (["strip", "--bogus"], "strip"),
        (["--no-collect", "strip"], None),
    ],
)
def test_the_command_of_a_line(argv: list[str], expected: str | None) -> None:
    assert command_of(argv) == expected
