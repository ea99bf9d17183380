"""The grammar of ``ticker alerts``: add, list, edit, disable, enable, snooze, remove,
history and test (the handlers are in :mod:`ticker.cli.alerts` and
:mod:`ticker.cli.alert_edits`)."""

from __future__ import annotations

import argparse
from typing import Any

from ticker.cli.grammar import Parser, count_type, handler, show_help
from ticker.i18n.words import N_, _
from ticker.model.rules import ALERT_KINDS

#: An alert rule's id on the command line.
rule_id = count_type(1, 2**62, N_("a rule id like 3 (see 'ticker alerts list')"))


def _rule_options(parser: argparse.ArgumentParser, editing: bool = False) -> None:
    """The options ``alerts add`` and ``alerts edit`` share."""
    parser.add_argument("--window", metavar="DURATION", help=_("move: the window, e.g. 7d or 30d"))
    parser.add_argument(
        "--direction", metavar="DIR", help=_("change/move: either (default), up or down")
    )
    parser.add_argument("--cooldown", metavar="DURATION", help=_("least time between firings (1h)"))
    parser.add_argument(
        "--hysteresis", metavar="PCT", help=_("above/below: re-arm band in percent (0.1)")
    )
    parser.add_argument(
        "--channel",
        action="append",
        metavar="NAME",
        help=_(
            "toast, bell, desktop, command, webhook or telegram (repeatable; the list "
            "replaces the rule's); a market rule's market channel: cash (default), noncash, "
            "card, ewallet, transfer or interbank"
        )
        if editing
        else _(
            "toast, bell, desktop, command, webhook or telegram (repeatable; default toast "
            "and bell); a market rule's market channel: cash (default), noncash, card, "
            "ewallet, transfer or interbank"
        ),
    )
    parser.add_argument(
        "--hook",
        metavar="NAME",
        help=_(
            "run this machine's [hooks.NAME] on firing (the collector's config says what "
            'NAME runs; a rule never carries a program); "" removes it'
        )
        if editing
        else _(
            "run this machine's [hooks.NAME] on firing (the collector's config says what "
            "NAME runs; a rule never carries a program)"
        ),
    )
    parser.add_argument("--command", help=argparse.SUPPRESS)  # the old form: said, refused
    parser.add_argument("--label", metavar="TEXT", help=_("free text shown with the rule"))


def add_alerts_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    alerts = commands.add_parser(
        "alerts",
        help=_(
            "alert rules: add, list, edit, disable, enable, snooze, remove, their history, "
            "and a test of the channels"
        ),
        parents=[common],
    )
    actions = alerts.add_subparsers(dest="alerts_command", metavar="ACTION", parser_class=Parser)
    add = actions.add_parser(
        "add",
        help=_(
            "add a rule, e.g. 'KZT/USD above 0.0021', 'USD/UZS move 2 --window 7d', "
            "'USD/TJS market-sell below 10.8', 'KZ policy-rate changed'"
        ),
        description=(
            _(
                "Add an alert rule. KIND is above|below (THRESHOLD: a level, in PAIR's "
                "orientation), change (percent between consecutive fixings), move (percent "
                "over --window), stale (business days without a new fixing) or divergence "
                "(percent between the shown rate and the other sources' median). "
                "market-sell|market-buy watch the best current price of the banks' and exchange "
                "offices' boards: 'USD/TJS market-sell below 10.8' (the lowest sell, what buying "
                "dollars costs), 'USD/TJS market-buy above 11 --channel card' (the highest buy); "
                "the pair as the boards write it, the price in local units per one foreign. "
                "A release rule watches a country's monetary series: COUNTRY SERIES changed "
                "(every new value: 'KZ policy-rate changed', a decision that held included) or "
                "COUNTRY SERIES above|below LEVEL (a new value beyond it: 'UZ cpi above 10'); "
                "COUNTRY: KZ or KAZ ...; SERIES: policy-rate, cpi, cpi-mom, reserves ..."
            )
        ),
        parents=[common],
    )
    add.add_argument(
        "pair",
        metavar="PAIR",
        help=_(
            "KZT (display orientation), KZT/USD, USD/KZT, or a watched pair: RUB/TJS; "
            "a release rule: the country, KZ or KAZ"
        ),
    )
    kinds = ", ".join(k for k in ALERT_KINDS if k != "release")
    add.add_argument(
        "kind", metavar="KIND", help=_("{kinds}; a release rule: the series").format(kinds=kinds)
    )
    add.add_argument(
        "threshold",
        metavar="THRESHOLD",
        help=_("a level, a percent, or days; market: above|below; release: changed|above|below"),
    )
    add.add_argument(
        "level", metavar="PRICE", nargs="?", help=_("market: the price; release: the level")
    )
    _rule_options(add)
    add.set_defaults(handler=handler("alerts", "add"))
    listing = actions.add_parser(
        "list", help=_("every rule with its id and state"), parents=[common]
    )
    listing.add_argument("--json", action="store_true", help=_("print a JSON array"))
    listing.set_defaults(handler=handler("alerts", "list_rules"))
    edit = actions.add_parser(
        "edit",
        help=_("change a rule's fields by id; only those given change"),
        description=_(
            "Change a rule (not one from config.toml: edit the file). Only the "
            "options given change; the rule is checked as 'alerts add' checks a new one. A "
            "changed condition starts armed."
        ),
        parents=[common],
    )
    edit.add_argument("id", metavar="ID", type=rule_id, help=_("the rule's id (see 'alerts list')"))
    edit.add_argument("--pair", metavar="PAIR", help=_("KZT (display orientation), KZT/USD ..."))
    edit.add_argument("--kind", metavar="KIND", help=", ".join(ALERT_KINDS))
    edit.add_argument(
        "--threshold", "--level", metavar="THRESHOLD", help=_("a level, a percent, or days")
    )
    _rule_options(edit, editing=True)
    edit.set_defaults(handler=handler("alert_edits", "edit"))
    for name, what in (
        ("disable", _("disable a rule by id: it fires nothing until enabled")),
        ("enable", _("enable a rule by id: it fires again")),
    ):
        switch = actions.add_parser(name, help=what, parents=[common])
        switch.add_argument("id", metavar="ID", type=rule_id, help=_("the rule's id"))
        switch.set_defaults(handler=handler("alert_edits", name))
    snooze = actions.add_parser(
        "snooze",
        help=_(
            "a rule fires nothing for a while: 'snooze 3 2h', 'snooze 3 --until 14:30', "
            "'snooze 3 off'"
        ),
        description=_(
            "Snooze a rule: it fires nothing until then. A condition that still "
            "holds when the snooze ends fires once (unless it fired for that fixing already)."
        ),
        parents=[common],
    )
    snooze.add_argument("id", metavar="ID", type=rule_id, help=_("the rule's id"))
    snooze.add_argument(
        "duration", metavar="DURATION", nargs="?", help=_("how long: 30m, 2h, 1d; off ends it")
    )
    snooze.add_argument(
        "--until", metavar="WHEN", help=_("until a local time (14:30) or moment (2026-11-21T09:00)")
    )
    snooze.set_defaults(handler=handler("alert_edits", "snooze"))
    remove = actions.add_parser("remove", help=_("remove a rule by id"), parents=[common])
    remove.add_argument(
        "id", metavar="ID", type=rule_id, help=_("the rule's id (see 'alerts list')")
    )
    remove.set_defaults(handler=handler("alerts", "remove"))
    history = actions.add_parser("history", help=_("past firings, newest first"), parents=[common])
    history.add_argument("--json", action="store_true", help=_("print a JSON array"))
    history.add_argument(
        "--limit", type=count_type(1, 100_000), default=50, metavar="N", help=_("at most N (50)")
    )
    history.add_argument("--rule", type=rule_id, metavar="ID", help=_("only this rule's firings"))
    history.set_defaults(handler=handler("alerts", "history"))
    test = actions.add_parser(
        "test",
        help=_(
            "say which channels work here: send a desktop notification, run the hooks, "
            "post to the webhook"
        ),
        parents=[common],
    )
    test.add_argument("id", metavar="ID", type=rule_id, nargs="?", help=_("only this rule's hook"))
    test.set_defaults(handler=handler("alert_tests", "test"))
    alerts.set_defaults(handler=lambda _args: show_help(alerts))
