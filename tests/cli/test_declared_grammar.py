"""The one-shot reads' grammar, made from their options' declaration
(:mod:`ticker.cli.options`), says what it said when each ``add_argument`` call was
written out by hand: the same usage lines, every option's help in its place, and every
usage error worded alike, in English and in Russian, with exit code 2.

The expected lines are argparse's wordings (and the catalogue's Russian for them) for
these command lines, written out here."""

from __future__ import annotations

import pytest

from ticker.cli import main, options
from ticker.i18n.words import _

#: Each command's usage, on a terminal wide enough for one line.
USAGE = {
    "strip": "usage: ticker strip [-h] [--config PATH] [--pair PAIR] [--invert] [--change PERIOD] "
    "[--compact] [--format TEMPLATE] [--separator TEXT] [--color HOW] [--market] [--follow] "
    "[--every SECONDS]",
    "rates": "usage: ticker rates [-h] [--config PATH] [--json] [--pair PAIR] [--invert] "
    "[--change PERIOD]",
    "providers": "usage: ticker providers [-h] [--config PATH] [--json] [-v]",
    "health": "usage: ticker health [-h] [--config PATH] [--json]",
    "convert": "usage: ticker convert [-h] [--config PATH] [--json] [--at WHERE] "
    "[--channel NAME] AMOUNT FROM TO",
    "export": "usage: ticker export [-h] [--config PATH] [--pair PAIR] [--provider NAME] [--best] "
    "[--wide] [--sources] [--orientation WAY] [--indicators] [--revisions] [--market] "
    "[--since DATE] [--until DATE] [-o FILE] [--force]",
    "backfill": "usage: ticker backfill [-h] [--config PATH] --since DATE [--until DATE] "
    "[--provider NAME] [--pair PAIR] [--indicators] [-v]",
}
#: (command line, its error in English, in Russian): argparse's words, then where to look.
ERRORS = [
    (
        ["strip", "--bogus"],
        "unrecognized arguments: --bogus (see 'ticker --help')",
        "нераспознанные аргументы: --bogus (см. 'ticker --help')",
    ),
    (
        ["strip", "--change"],
        "argument --change: expected one argument (see 'ticker strip --help')",
        "аргумент --change: ожидался один аргумент (см. 'ticker strip --help')",
    ),
    (
        ["strip", "--compact=yes"],
        "argument --compact: ignored explicit argument 'yes' (see 'ticker strip --help')",
        "аргумент --compact: явный аргумент 'yes' проигнорирован (см. 'ticker strip --help')",
    ),
    (
        ["strip", "--co"],
        "ambiguous option: --co could match --config, --compact, --color "
        "(see 'ticker strip --help')",
        "неоднозначный параметр: --co может означать --config, --compact, --color "
        "(см. 'ticker strip --help')",
    ),
    (
        ["rates", "--invert=1"],
        "argument --invert: ignored explicit argument '1' (see 'ticker rates --help')",
        "аргумент --invert: явный аргумент '1' проигнорирован (см. 'ticker rates --help')",
    ),
    (
        ["providers", "--verbose=1"],
        "argument -v/--verbose: ignored explicit argument '1' (see 'ticker providers --help')",
        "аргумент -v/--verbose: явный аргумент '1' проигнорирован (см. 'ticker providers --help')",
    ),
    (
        ["health", "x"],
        "unrecognized arguments: x (see 'ticker --help')",
        "нераспознанные аргументы: x (см. 'ticker --help')",
    ),
    (
        ["convert", "100"],
        "the following arguments are required: FROM, TO (see 'ticker convert --help')",
        "нужны следующие аргументы: FROM, TO (см. 'ticker convert --help')",
    ),
    (
        ["convert", "100", "USD", "KGS", "--channel"],
        "argument --channel: expected one argument (see 'ticker convert --help')",
        "аргумент --channel: ожидался один аргумент (см. 'ticker convert --help')",
    ),
    (
        ["--config", "x.toml", "export", "--output"],
        "argument -o/--output: expected one argument (see 'ticker export --help')",
        "аргумент -o/--output: ожидался один аргумент (см. 'ticker export --help')",
    ),
    (
        ["export", "--s", "x"],
        "ambiguous option: --s could match --sources, --since (see 'ticker export --help')",
        "неоднозначный параметр: --s может означать --sources, --since "
        "(см. 'ticker export --help')",
    ),
    (
        ["backfill", "--until", "x"],
        "the following arguments are required: --since (see 'ticker backfill --help')",
        "нужны следующие аргументы: --since (см. 'ticker backfill --help')",
    ),
    (
        ["rates", "--config"],
        "argument --config: expected one argument (see 'ticker rates --help')",
        "аргумент --config: ожидался один аргумент (см. 'ticker rates --help')",
    ),
]


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", sorted(USAGE))
def test_a_commands_usage_is_as_written(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    assert _help([command, "--help"], capsys).splitlines()[0] == USAGE[command]


@pytest.mark.parametrize("language", ["C.UTF-8", "ru_RU.UTF-8"])
@pytest.mark.parametrize("command", sorted(options.COMMANDS))
def test_each_options_help_is_said_in_its_place(
    command: str,
    language: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each declared option's help, in the user's language, its fields put in, in the order
    declared (the lines as argparse wraps them, read as one text): the positional
    arguments' first, then ``--config``, then the options."""
    monkeypatch.setenv("LANG", language)
    monkeypatch.setenv("COLUMNS", "100")
    text = " ".join(_help([command, "--help"], capsys).split())
    assert text.startswith("использование: " if language.startswith("ru") else "usage: ")
    declared = options.COMMANDS[command].options
    positional = [o for o in declared if o.how == options.POSITIONAL]
    at = 0
    for option in (*positional, options.CONFIG, *(o for o in declared if o not in positional)):
        said = _(option.help)
        if option.fields:
            said = said.format(**{k: _(v) for k, v in option.fields})
        said = " ".join(said.replace("%%", "%").split())
        assert said != option.help or language.startswith("C")  # said in Russian
        found = text.find(said, at)
        assert found > at, option.names
        at = found


def test_the_fields_of_a_help_are_said_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    assert "--until DATE last date, in the same forms (a month or a year: its end)" in " ".join(
        _help(["export", "--help"], capsys).split()
    )
    assert "--until DATE last date, in the same forms (default: today)" in " ".join(
        _help(["backfill", "--help"], capsys).split()
    )


@pytest.mark.parametrize(("argv", "english", "russian"), ERRORS, ids=lambda v: str(v)[:30])
def test_a_usage_error_is_worded_as_before(
    argv: list[str],
    english: str,
    russian: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(argv) == 2
    assert capsys.readouterr() == ("", f"ticker: {english}\n")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert main(argv) == 2
    assert capsys.readouterr() == ("", f"ticker: {russian}\n")
