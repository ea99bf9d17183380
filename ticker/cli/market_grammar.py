"""The grammar of ``ticker market``: the market beside the official rate (``ticker market
[CODE]...``), and the rates reported by hand (``report``, ``reported``, ``forget``). The
handlers are in :mod:`ticker.cli.market` (reads) and :mod:`ticker.cli.market_writes`.

``market`` takes currency codes and pairs as its words, so its actions are words too: the
first word ``report``, ``reported`` or ``forget`` names one (argparse cannot have both
free words and sub-commands), and each option is checked against the action it goes with.
"""

from __future__ import annotations

import argparse
from typing import Any

from ticker.cli.grammar import handler
from ticker.i18n.words import _

#: The actions of ``ticker market``, by their first word.
ACTIONS = ("report", "reported", "forget")


def add_market_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    market = commands.add_parser(
        "market",
        help=_(
            "banks' and exchange offices' buy and sell beside the official rate, from the "
            "store (no network); rates reported by hand"
        ),
        description=(
            _(
                "ticker market [CODE]...: per pair and channel the best buy and sell (who gives "
                "them), the median, the spread and the distance from the official rate; with "
                "--side, or one pair and channel, the board of institutions. CODE is a local "
                "currency (TJS: every foreign currency against it) or a pair (USD/TJS). "
                "ticker market report CODE|PAIR RATE [--note TEXT]: keep a rate heard by hand "
                "(TMT 19.5: 19.5 TMT per USD), shown as 'reported', never as official or market. "
                "ticker market reported [CODE]: list them. ticker market forget ID: delete one."
            )
        ),
        parents=[common],
    )
    market.add_argument(
        "words",
        nargs="*",
        metavar="CODE",
        help=_(
            "a local currency (TJS) or a pair (USD/TJS); or the action report, reported "
            "or forget with its words"
        ),
    )
    market.add_argument(
        "--channel",
        metavar="NAME",
        help=_("only this channel: cash, noncash, card, ewallet, transfer or interbank"),
    )
    market.add_argument(
        "--side",
        metavar="SIDE",
        help=_(
            "show the board sorted by this side: buy (what selling the foreign currency "
            "gets, highest first) or sell (what buying it costs, lowest first)"
        ),
    )
    market.add_argument(
        "--source", metavar="NAME", help=_("only this market source (nbt-banks, fx-kg, ...)")
    )
    market.add_argument("--json", action="store_true", help=_("print JSON (exact decimals)"))
    market.add_argument("--note", metavar="TEXT", help=_("with report: where and how it was heard"))
    market.set_defaults(handler=handler("market", "market_command"))
