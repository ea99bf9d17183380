"""The command line's grammar: every command in the order ``--help`` lists them, with
its options and their help (the one-shot reads' declared as data in
:mod:`ticker.cli.options`, which the fast reader reads too; the alerts family's in
:mod:`ticker.cli.alerts_grammar`, the market's in :mod:`ticker.cli.market_grammar`, poll,
backfill and collect in :mod:`ticker.cli.store_grammar`; what every parser is built from,
one-line usage errors included, in :mod:`ticker.cli.grammar`).

A status bar runs ``ticker strip`` every few seconds, so the grammar costs only what the
command given needs: :func:`build_parser` with ``only`` builds that command's parser
alone (:func:`command_of` finds it), and every handler's module is imported when the
handler runs. The full grammar is built for ``--help``, the dashboard, and to word any
usage error exactly as it always is.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

from ticker.cli.alerts_grammar import add_alerts_parser
from ticker.cli.grammar import Parser, add_options, declared_command, handler, show_help
from ticker.cli.market_grammar import add_market_parser
from ticker.cli.options import CONFIG, ROOT
from ticker.cli.store_grammar import add_backfill_parser, add_collect_parser, add_poll_parser
from ticker.i18n.words import _

__all__ = ["COMMANDS", "build_parser", "command_of"]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The grammar; with ``only``, the root and that one command."""
    common = Parser(add_help=False)
    add_options(common, (CONFIG,))
    parser = Parser(
        prog="ticker",
        description=(
            _(
                "Terminal currency ticker for the Kyrgyz som, Kazakh tenge, Tajik somoni, "
                "Uzbek sum and Turkmen manat against the US dollar. With no command, "
                "opens the live dashboard (press ? in it for the keys)."
            )
        ),
        parents=[common],
    )
    add_options(parser, ROOT)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, add in COMMANDS.items():
        if only is None or name == only:
            add(commands, common)
    parser.set_defaults(handler=handler("dashboard", "dashboard_command"))
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (``strip`` in ``--config x.toml strip --invert``); None
    for the dashboard, ``--help`` and anything unclear (the whole grammar decides)."""
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--config":
            if not rest:
                return None
            rest.pop(0)
        elif word.startswith("--config="):
            continue
        elif word.startswith("-"):
            return None
        else:
            return word if word in COMMANDS else None
    return None


def _config(commands: Any, common: argparse.ArgumentParser) -> None:
    config = commands.add_parser(
        "config", help=_("check the configuration or show where things are"), parents=[common]
    )
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION")
    check = config_commands.add_parser(
        "check",
        help=_("validate the configuration and the database it points to"),
        parents=[common],
    )
    check.set_defaults(handler=handler("reading", "config_check_command"))
    path = config_commands.add_parser(
        "path", help=_("print the config file in use and the database location"), parents=[common]
    )
    path.set_defaults(handler=handler("reading", "config_path_command"))
    config.set_defaults(handler=lambda _args: show_help(config))


def _indicators(commands: Any, common: argparse.ArgumentParser) -> None:
    indicators = commands.add_parser(
        "indicators",
        help=_(
            "the monetary monitor (policy rates, inflation, reserves, remittances) and the "
            "annual indicators of the five countries, from the store (no network)"
        ),
        parents=[common],
    )
    indicators.add_argument("--json", action="store_true", help=_("print a JSON object"))
    indicators.add_argument(
        "--country",
        action="append",
        metavar="CODE",
        help=_("only this country: KGZ, KAZ, TJK, UZB, TKM or KG, KZ, TJ, UZ, TM (repeatable)"),
    )
    indicators.add_argument(
        "--series",
        action="append",
        metavar="SERIES",
        help=_(
            "only these monetary series, a comma list or repeated: policy-rate, cpi-yoy "
            "(cpi), reserves, remittances-in, ...; without --indicator, no annual table"
        ),
    )
    indicators.add_argument(
        "--indicator",
        action="append",
        metavar="CODE",
        help=_("only this annual indicator (repeatable); without --series, no monitor"),
    )
    indicators.set_defaults(handler=handler("reading", "indicators_command"))


#: Every command, in the order --help lists them: its name and what adds its parser (the
#: one-shot reads' from their declaration in :data:`ticker.cli.options.COMMANDS`).
COMMANDS: dict[str, Callable[[Any, argparse.ArgumentParser], None]] = {
    "config": _config,
    "poll": add_poll_parser,
    "backfill": add_backfill_parser,
    "export": declared_command("export"),
    "collect": add_collect_parser,
    "rates": declared_command("rates"),
    "strip": declared_command("strip"),
    "convert": declared_command("convert"),
    "providers": declared_command("providers"),
    "health": declared_command("health"),
    "indicators": _indicators,
    "alerts": add_alerts_parser,
    "market": add_market_parser,
}
