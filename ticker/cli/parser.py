"""The command line's grammar: every command in the order ``--help`` lists them, with
its options and their help (the alerts family's in :mod:`ticker.cli.alerts_grammar`,
the market's in :mod:`ticker.cli.market_grammar`, poll, backfill, export and collect in
:mod:`ticker.cli.store_grammar`; what every parser is built from, one-line usage errors
included, in :mod:`ticker.cli.grammar`).

A status bar runs ``ticker strip`` every few seconds, so the grammar costs only what the
command given needs: :func:`build_parser` with ``only`` builds that command's parser
alone (:func:`command_of` finds it), and every handler's module is imported when the
handler runs. The full grammar is built for ``--help``, the dashboard, and to word any
usage error exactly as it always is.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from ticker import __version__
from ticker.cli.alerts_grammar import add_alerts_parser
from ticker.cli.fast import command_of
from ticker.cli.grammar import Parser, handler, show_help
from ticker.cli.market_grammar import add_market_parser
from ticker.cli.store_grammar import (
    add_backfill_parser,
    add_collect_parser,
    add_export_parser,
    add_poll_parser,
)
from ticker.i18n.words import _

__all__ = ["COMMANDS", "build_parser", "command_of"]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The grammar; with ``only``, the root and that one command."""
    common = Parser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=_("read this config file (default: $TICKER_CONFIG, then the platform config dir)"),
    )
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
    parser.add_argument(
        "--version",
        action="version",
        version=f"ticker {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--no-collect",
        action="store_true",
        help=_("open the dashboard without a collector: show what another process collects"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, add in COMMANDS.items():
        if only is None or name == only:
            add(commands, common)
    parser.set_defaults(handler=handler("dashboard", "dashboard_command"))
    return parser


def _shown_pair_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pair",
        action="append",
        metavar="PAIR",
        help=_(
            "only this pair, as written: KZT/USD, USD/KZT, a watched pair like RUB/TJS, "
            "or KZT in the display orientation (repeatable; the order given)"
        ),
    )


def _invert_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--invert",
        action="store_true",
        help=_(
            "flip the display orientation (USD/KGS <-> KGS/USD; a PAIR written whole keeps its own)"
        ),
    )


def _change_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--change",
        metavar="PERIOD",
        default="1d",
        help=_(
            "the change over: 1d (the previous fixing, default), 1w, 1m, ytd or 1y "
            "(against the rate in force at the period's start)"
        ),
    )


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


def _rates(commands: Any, common: argparse.ArgumentParser) -> None:
    rates = commands.add_parser(
        "rates",
        help=_("the latest rate of each pair from the store (no network)"),
        parents=[common],
    )
    rates.add_argument("--json", action="store_true", help=_("print a JSON array"))
    _shown_pair_option(rates)
    _invert_option(rates)
    _change_option(rates)
    rates.set_defaults(handler=handler("reading", "rates_command"))


def _strip(commands: Any, common: argparse.ArgumentParser) -> None:
    strip = commands.add_parser(
        "strip",
        help=_("one line like the news sites' ticker strip (for status bars and prompts)"),
        parents=[common],
    )
    _shown_pair_option(strip)
    _invert_option(strip)
    _change_option(strip)
    strip.add_argument(
        "--compact",
        action="store_true",
        help=_("no sources, no words: 'KGS 0.011435 +0.03%%', '*' after a pair that is not ok"),
    )
    strip.add_argument(
        "--format",
        metavar="TEMPLATE",
        help=_(
            "each pair as TEMPLATE, e.g. '{code} {arrow}{rate}'; fields: {pair} {code} "
            "{rate} {change} {period} {arrow} {source} {as_of} {state} {state_note} {mark}"
        ),
    )
    strip.add_argument(
        "--separator", metavar="TEXT", help=_("between the pairs (default ' \u2022 ')")
    )
    strip.add_argument(
        "--color",
        metavar="HOW",
        default="never",
        help=_(
            "colour rises green and falls red: never (default), ansi (a terminal) or "
            "tmux (#[fg=...] for status-right)"
        ),
    )
    strip.add_argument(
        "--market",
        action="store_true",
        help=_(
            "after the line, each local currency's best current cash buy/sell at a bank "
            "or office: '| market TJS 10.85/10.92' (from the store's market quotes)"
        ),
    )
    strip.add_argument(
        "--follow",
        action="store_true",
        help=_("keep running: print a new line each time the strip changes"),
    )
    strip.add_argument(
        "--every",
        metavar="SECONDS",
        help=_("with --follow: look at the store this often (default 5)"),
    )
    strip.set_defaults(handler=handler("strip", "strip_command"))


def _convert(commands: Any, common: argparse.ArgumentParser) -> None:
    convert = commands.add_parser(
        "convert",
        help=_("an amount in another currency, through each side's official rate (no network)"),
        description=(
            _(
                "Convert AMOUNT of FROM into TO through each side's routed official rate against "
                "the dollar, e.g. 'ticker convert 10000 KZT KGS'. Currencies: USD, KGS, KZT, "
                "TJS, UZS, TMT."
            )
        ),
        parents=[common],
    )
    convert.add_argument("amount", metavar="AMOUNT", help=_("e.g. 10000, 10,000 or 0.5"))
    convert.add_argument("source", metavar="FROM", help=_("the amount's currency"))
    convert.add_argument("target", metavar="TO", help=_("the currency wanted"))
    convert.add_argument("--json", action="store_true", help=_("print a JSON object"))
    convert.add_argument(
        "--at",
        metavar="WHERE",
        default="official",
        help=_(
            "official (the central banks' rates, default) or market: what the best "
            "current bank or exchange office gives, named, the official conversion beside it"
        ),
    )
    convert.add_argument(
        "--channel",
        metavar="NAME",
        help=_("with --at market: cash (default), noncash, card, ewallet, transfer or interbank"),
    )
    convert.set_defaults(handler=handler("convert", "convert_command"))


def _providers(commands: Any, common: argparse.ArgumentParser) -> None:
    providers = commands.add_parser(
        "providers",
        help=_("each provider's health, as recorded by the collector, and the store's collectors"),
        parents=[common],
    )
    providers.add_argument("--json", action="store_true", help=_("print a JSON array"))
    providers.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=_(
            "every indicator a source refused, with its words (by default a summary "
            "that fits the terminal)"
        ),
    )
    providers.set_defaults(handler=handler("reading", "providers_command"))


def _health(commands: Any, common: argparse.ArgumentParser) -> None:
    health = commands.add_parser(
        "health",
        help=_(
            "exit 0 if a collector holds the lease and the official sources are fresh, "
            "1 if not (the reasons, one per line), 2 on a configuration error"
        ),
        parents=[common],
    )
    health.add_argument("--json", action="store_true", help=_("print a JSON object"))
    health.set_defaults(handler=handler("reading", "health_command"))


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


#: Every command, in the order --help lists them: its name and what adds its parser.
COMMANDS: dict[str, Callable[[Any, argparse.ArgumentParser], None]] = {
    "config": _config,
    "poll": add_poll_parser,
    "backfill": add_backfill_parser,
    "export": add_export_parser,
    "collect": add_collect_parser,
    "rates": _rates,
    "strip": _strip,
    "convert": _convert,
    "providers": _providers,
    "health": _health,
    "indicators": _indicators,
    "alerts": add_alerts_parser,
    "market": add_market_parser,
}
