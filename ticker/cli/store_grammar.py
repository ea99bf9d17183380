"""The grammar of the commands that fill the store and take its history out: ``poll``,
``backfill``, ``export`` and ``collect`` (:mod:`ticker.cli.parser` puts every command
together; the handlers are in :mod:`ticker.cli.collecting` and :mod:`ticker.cli.reading`,
imported when they run).
"""

from __future__ import annotations

import argparse
from typing import Any

from ticker.cli.grammar import handler
from ticker.i18n.words import N_, _


def _any_pair_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pair",
        action="append",
        metavar="PAIR",
        help=_(
            "only this pair: KZT (against USD), or any pair with a local side, RUB/TJS (repeatable)"
        ),
    )


def _provider_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--provider", action="append", metavar="NAME", help=_("only this provider (repeatable)")
    )


def _date_options(parser: argparse.ArgumentParser, required: bool, until: str) -> None:
    parser.add_argument(
        "--since",
        required=required,
        metavar="DATE",
        help=_("first date: YYYY-MM-DD, a month YYYY-MM, a year, or back from today: 30d, 6m, 2y"),
    )
    parser.add_argument(
        "--until",
        metavar="DATE",
        help=_("last date, in the same forms ({until})").format(until=_(until)),
    )


def add_poll_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    poll = commands.add_parser(
        "poll",
        help=_(
            "poll each enabled rate provider once (or those named, indicator sources "
            "too), store, print a line per provider"
        ),
        parents=[common],
    )
    poll.add_argument(
        "--provider",
        action="append",
        metavar="NAME",
        help=_("poll only this provider (repeatable; also a disabled one, or worldbank/imf)"),
    )
    poll.add_argument(
        "--market",
        action="store_true",
        help=_("poll the enabled market sources (banks' and offices' buy and sell) too"),
    )
    poll.set_defaults(handler=handler("collecting", "poll_command"))


def add_backfill_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    backfill = commands.add_parser(
        "backfill",
        help=_("fetch rate history from every source that has it (a year: --since 1y)"),
        parents=[common],
    )
    _date_options(backfill, required=True, until=N_("default: today"))
    _provider_option(backfill)
    _any_pair_option(backfill)
    backfill.add_argument(
        "--indicators",
        action="store_true",
        help=_(
            "the indicator sources' history instead (policy rates, monthly CPI, reserves, "
            "the annual series); --provider names them"
        ),
    )
    backfill.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=_(
            "say the requests planned per source and how long they should take, also when "
            "stderr is not a terminal"
        ),
    )
    backfill.set_defaults(handler=handler("collecting", "backfill_command"))


def add_export_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export",
        help=_("write stored rate history as CSV (long form, --best, or --wide)"),
        parents=[common],
    )
    _any_pair_option(export)
    _provider_option(export)
    export.add_argument(
        "--best",
        action="store_true",
        help=_(
            "per pair and date the rate in force: the official fixing, carried over dates "
            "without one (column carried_from), a fallback only where the official was overdue"
        ),
    )
    export.add_argument(
        "--wide",
        action="store_true",
        help=_("one row per date, one column per pair (the rate in force, as --best)"),
    )
    export.add_argument(
        "--sources",
        action="store_true",
        help=_("with --wide: after each pair, its source and carried_from columns"),
    )
    export.add_argument(
        "--orientation",
        metavar="WAY",
        default="per-usd",
        help=_(
            "per-usd: USD/KZT = 478.77, the published digits (default); "
            "usd-per: KZT/USD = 0.00208868559, 10 significant digits"
        ),
    )
    export.add_argument(
        "--indicators",
        action="store_true",
        help=_(
            "the economic indicators instead, annual and monetary (--provider: their "
            "sources; --since/--until: the periods overlapping those days)"
        ),
    )
    export.add_argument(
        "--revisions",
        action="store_true",
        help=_(
            "with --indicators: every value a source published and later revised too "
            "(column replaced_at)"
        ),
    )
    export.add_argument(
        "--market",
        action="store_true",
        help=_(
            "the market history instead: one row per stored bank or office quote, and the "
            "rates reported by hand (origin reported); --since/--until by the days seen"
        ),
    )
    _date_options(export, required=False, until=N_("a month or a year: its end"))
    export.add_argument(
        "-o", "--output", metavar="FILE", help=_("write to FILE instead of stdout ('-' = stdout)")
    )
    export.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))
    export.set_defaults(handler=handler("reading", "export_command"))


def add_collect_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    collect = commands.add_parser(
        "collect",
        help=_(
            "poll every enabled provider on its schedule, headless, until SIGINT/SIGTERM/SIGHUP"
        ),
        parents=[common],
    )
    collect.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=_(
            "log every poll (source, rows, time taken; stored, unchanged, quarantined), "
            "not only changes of state, failures and quarantines"
        ),
    )
    collect.add_argument(
        "--metrics",
        metavar="HOST:PORT",
        help=_(
            "serve Prometheus metrics at http://HOST:PORT/metrics, e.g. 127.0.0.1:9464 "
            "(no authentication; needs: pip install 'ticker[metrics]')"
        ),
    )
    collect.set_defaults(handler=handler("collecting", "collect_command"))
