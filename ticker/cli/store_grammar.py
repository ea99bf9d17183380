"""The grammar of the commands that fill the store: ``poll``, ``backfill`` and ``collect``
(:mod:`ticker.cli.parser` puts every command together; ``export``'s, which takes the
store's history out, is declared in :mod:`ticker.cli.options` with the other one-shot
reads', and ``backfill`` takes its date, provider and pair options from there; the
handlers are in :mod:`ticker.cli.collecting`, imported when they run).
"""

from __future__ import annotations

import argparse
from typing import Any

from ticker.cli.grammar import add_options, handler
from ticker.cli.options import ANY_PAIR, PROVIDER, SINCE, until
from ticker.i18n.words import N_, _


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
    add_options(backfill, (SINCE.but_required(), until(N_("default: today")), PROVIDER, ANY_PAIR))
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
