"""The command line's grammar: every command, option and its help, and one-line usage
errors."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NoReturn

from ticker import __version__
from ticker.cli.collecting import backfill_command, collect_command, poll_command
from ticker.cli.dashboard import dashboard_command
from ticker.cli.exits import EXIT_OK, Handler
from ticker.cli.reading import (
    config_check_command,
    config_path_command,
    export_command,
    indicators_command,
    providers_command,
    rates_command,
    strip_command,
)
from ticker.errors import UsageError


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes: an argument or a file name
    echoed in a message cannot move the cursor or recolour the user's terminal."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and raises, so main() words it)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="read this config file (default: $TICKER_CONFIG, then the platform config dir)",
    )
    parser = Parser(
        prog="ticker",
        description=(
            "Terminal currency ticker for the Kyrgyz som, Kazakh tenge, Tajik somoni, "
            "Uzbek sum and Turkmen manat against the US dollar. With no command, "
            "opens the live dashboard (press ? in it for the keys)."
        ),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"ticker {__version__}")
    parser.add_argument(
        "--no-collect",
        action="store_true",
        help="open the dashboard without a collector: show what another process collects",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    config = commands.add_parser(
        "config", help="check the configuration or show where things are", parents=[common]
    )
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION")
    check = config_commands.add_parser(
        "check",
        help="validate the configuration and the database it points to",
        parents=[common],
    )
    check.set_defaults(handler=config_check_command)
    path = config_commands.add_parser(
        "path", help="print the config file in use and the database location", parents=[common]
    )
    path.set_defaults(handler=config_path_command)
    config.set_defaults(handler=lambda _args: show_help(config))

    poll = commands.add_parser(
        "poll",
        help="poll each enabled rate provider once (or those named, indicator sources "
        "too), store, print a line per provider",
        parents=[common],
    )
    poll.add_argument(
        "--provider",
        action="append",
        metavar="NAME",
        help="poll only this provider (repeatable; also a disabled one, or worldbank/imf)",
    )
    poll.set_defaults(handler=poll_command)

    backfill = commands.add_parser(
        "backfill",
        help="fetch rate history from every source that has it",
        parents=[common],
    )
    backfill.add_argument("--since", required=True, metavar="DATE", help="first date, YYYY-MM-DD")
    backfill.add_argument("--until", metavar="DATE", help="last date, YYYY-MM-DD (default: today)")
    backfill.add_argument(
        "--provider", action="append", metavar="NAME", help="only this provider (repeatable)"
    )
    backfill.add_argument(
        "--pair", action="append", metavar="CODE", help="only this pair, e.g. KZT (repeatable)"
    )
    backfill.set_defaults(handler=backfill_command)

    export = commands.add_parser(
        "export",
        help="write stored rate history as CSV (long form, --best, or --wide)",
        parents=[common],
    )
    export.add_argument(
        "--pair", action="append", metavar="CODE", help="only this pair, e.g. KZT (repeatable)"
    )
    export.add_argument(
        "--provider", action="append", metavar="NAME", help="only this provider (repeatable)"
    )
    export.add_argument(
        "--best",
        action="store_true",
        help="per pair and date only the routed source's rate (what the dashboard shows)",
    )
    export.add_argument(
        "--wide",
        action="store_true",
        help="one row per date, one column per pair (the routed source's rate; empty if none)",
    )
    export.add_argument(
        "--orientation",
        metavar="WAY",
        default="per-usd",
        help="per-usd: USD/KZT = 478.77, the published digits (default); "
        "usd-per: KZT/USD = 0.0020886..., 20 significant digits",
    )
    export.add_argument(
        "--indicators",
        action="store_true",
        help="the economic indicators instead (--provider worldbank/imf, --since/--until by year)",
    )
    export.add_argument("--since", metavar="DATE", help="first date, YYYY-MM-DD")
    export.add_argument("--until", metavar="DATE", help="last date, YYYY-MM-DD")
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of stdout ('-' = stdout)"
    )
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.set_defaults(handler=export_command)

    collect = commands.add_parser(
        "collect",
        help="poll every enabled provider on its schedule, headless, until SIGINT/SIGTERM",
        parents=[common],
    )
    collect.set_defaults(handler=collect_command)

    rates = commands.add_parser(
        "rates",
        help="the latest rate of each pair from the store (no network)",
        parents=[common],
    )
    rates.add_argument("--json", action="store_true", help="print a JSON array")
    rates.add_argument(
        "--invert", action="store_true", help="flip the display orientation (USD/KGS <-> KGS/USD)"
    )
    rates.set_defaults(handler=rates_command)

    strip = commands.add_parser(
        "strip", help="one line like the news sites' ticker strip", parents=[common]
    )
    strip.add_argument(
        "--invert", action="store_true", help="flip the display orientation (USD/KGS <-> KGS/USD)"
    )
    strip.set_defaults(handler=strip_command)

    providers = commands.add_parser(
        "providers", help="each provider's health, as recorded by the collector", parents=[common]
    )
    providers.add_argument("--json", action="store_true", help="print a JSON array")
    providers.set_defaults(handler=providers_command)

    indicators = commands.add_parser(
        "indicators",
        help="economic indicators of the five countries from the store (no network)",
        parents=[common],
    )
    indicators.add_argument("--json", action="store_true", help="print a JSON array")
    indicators.add_argument(
        "--country",
        action="append",
        metavar="ISO3",
        help="only this country: KGZ, KAZ, TJK, UZB, TKM (repeatable)",
    )
    indicators.add_argument(
        "--indicator", action="append", metavar="CODE", help="only this indicator (repeatable)"
    )
    indicators.set_defaults(handler=indicators_command)

    add_alerts_parser(commands, common)

    parser.set_defaults(handler=dashboard_command)
    return parser


def count_type(low: int, high: int, what: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""
    expected = what or f"a whole number from {low} to {high:,}"

    def parse(text: str) -> int:
        try:
            value = int(text) if text.strip().isascii() else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    parse.__name__ = "number"
    return parse


#: An alert rule's id on the command line.
rule_id = count_type(1, 2**62, "a rule id like 3 (see 'ticker alerts list')")


def alerts_handler(name: str) -> Handler:
    """The handler ``name`` of :mod:`ticker.cli.alerts`, imported when it runs."""

    def run(args: argparse.Namespace) -> int:
        from ticker.cli import alerts as commands

        handler: Handler = getattr(commands, name)
        return handler(args)

    return run


def add_alerts_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    alerts = commands.add_parser(
        "alerts",
        help="alert rules: add, list, remove, their history, and a test of the channels",
        parents=[common],
    )
    actions = alerts.add_subparsers(dest="alerts_command", metavar="ACTION", parser_class=Parser)
    add = actions.add_parser(
        "add",
        help="add a rule, e.g. 'KZT/USD above 0.0021', 'USD/UZS move 2 --window 7d'",
        description=(
            "Add an alert rule. KIND is above|below (THRESHOLD: a level, in PAIR's "
            "orientation), change (percent between consecutive fixings), move (percent "
            "over --window), stale (business days without a new fixing) or divergence "
            "(percent between the shown rate and the other sources' median)."
        ),
        parents=[common],
    )
    add.add_argument("pair", metavar="PAIR", help="KZT (display orientation), KZT/USD or USD/KZT")
    add.add_argument("kind", metavar="KIND", help="above, below, change, move, stale, divergence")
    add.add_argument("threshold", metavar="THRESHOLD", help="a level, a percent, or days")
    add.add_argument("--window", metavar="DURATION", help="move: the window, e.g. 7d or 30d")
    add.add_argument("--direction", metavar="DIR", help="change/move: either (default), up or down")
    add.add_argument("--cooldown", metavar="DURATION", help="least time between firings (1h)")
    add.add_argument(
        "--hysteresis", metavar="PCT", help="above/below: re-arm band in percent (0.1)"
    )
    add.add_argument(
        "--channel",
        action="append",
        metavar="NAME",
        help="toast, bell, desktop or command (repeatable; default toast and bell)",
    )
    add.add_argument(
        "--command",
        metavar="ARGV",
        help="a program to run on firing, split like a shell would but run without one; "
        "placeholders {pair} {rate} {rule} {message} {as_of}",
    )
    add.add_argument("--label", metavar="TEXT", help="free text shown with the rule")
    add.set_defaults(handler=alerts_handler("add"))
    listing = actions.add_parser("list", help="every rule with its id and state", parents=[common])
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=alerts_handler("list_rules"))
    remove = actions.add_parser("remove", help="remove a rule by id", parents=[common])
    remove.add_argument("id", metavar="ID", type=rule_id, help="the rule's id (see 'alerts list')")
    remove.set_defaults(handler=alerts_handler("remove"))
    history = actions.add_parser("history", help="past firings, newest first", parents=[common])
    history.add_argument("--json", action="store_true", help="print a JSON array")
    history.add_argument(
        "--limit", type=count_type(1, 100_000), default=50, metavar="N", help="at most N (50)"
    )
    history.add_argument("--rule", type=rule_id, metavar="ID", help="only this rule's firings")
    history.set_defaults(handler=alerts_handler("history"))
    test = actions.add_parser(
        "test",
        help="say which channels work here: send a desktop notification, run the hooks",
        parents=[common],
    )
    test.add_argument("id", metavar="ID", type=rule_id, nargs="?", help="only this rule's hook")
    test.set_defaults(handler=alerts_handler("test"))
    alerts.set_defaults(handler=lambda _args: show_help(alerts))


def show_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_OK
