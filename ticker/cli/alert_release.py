"""Release rules on the command line: ``alerts add KZ policy-rate changed``, ``alerts add
UZ cpi above 10``: a country (ISO2 or ISO3) where a rate rule has its pair, a series
(:func:`ticker.model.monetary.parse_series`: a code or a word for one) where it has its
kind, then ``changed`` (every new value), or ``above``/``below`` and a level."""

from __future__ import annotations

import argparse
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ticker.cli.typed import canonical
from ticker.config.reader import shown
from ticker.errors import UsageError
from ticker.i18n.words import N_, _
from ticker.model.rules import KINDS, AlertKind, AlertRuleConfig

if TYPE_CHECKING:
    from ticker.config import Settings
    from ticker.storage.repository import Repository

#: How a release rule is written, for messages.
RELEASE_FORM = N_(
    "COUNTRY SERIES changed, or COUNTRY SERIES above|below LEVEL: "
    "'KZ policy-rate changed', 'UZ cpi above 10'"
)


def release_entry(args: argparse.Namespace) -> dict[str, object] | None:
    """The ``[[alerts]]`` table of ``alerts add COUNTRY SERIES WHEN [LEVEL]``; None when
    KIND is a kind of rule on a rate (or no series: the rule's check names the kinds)."""
    from ticker.model.monetary import parse_country, parse_series

    word = args.kind.strip().lower()
    if word == AlertKind.RELEASE:
        raise UsageError(
            _("KIND: a release rule is written {release_form}").format(release_form=_(RELEASE_FORM))
        )
    if word in KINDS:
        return None
    try:
        series = parse_series(word)
    except ValueError as err:
        try:
            parse_country(args.pair)
        except ValueError:
            return None  # no country either: the rule's check names the kinds
        raise UsageError(f"SERIES: {err}") from None
    when = args.threshold.strip().lower()
    directions = KINDS[AlertKind.RELEASE].directions
    if when not in directions:
        raise UsageError(
            _("THRESHOLD: expected {words} after the series, got {shown} ({release_form})").format(
                words=", ".join(directions),
                shown=shown(args.threshold),
                release_form=_(RELEASE_FORM),
            )
        )
    if args.direction is not None:
        raise UsageError(
            _("--direction: a release rule's is the word after the series: {when}").format(
                when=when
            )
        )
    for option in ("window", "hysteresis"):
        if getattr(args, option) is not None:
            raise UsageError(_("--{option}: not for a release rule").format(option=option))
    entry: dict[str, object] = {
        "country": args.pair,
        "kind": AlertKind.RELEASE.value,
        "series": series,
        "direction": when,
    }
    if when == "changed":
        if args.level is not None:
            raise UsageError(
                _("LEVEL: nothing after 'changed' (every new value fires), got {shown}").format(
                    shown=shown(args.level)
                )
            )
    elif args.level is None:
        raise UsageError(
            _("LEVEL: expected a level after {when} ({release_form})").format(
                when=repr(when), release_form=_(RELEASE_FORM)
            )
        )
    else:
        entry["value"] = canonical(args.level.strip(), "LEVEL")
    return entry


def level_said(rule: AlertRuleConfig) -> str:
    """A release level in its series' unit, for the added line: ``reserves in USD m: 50
    = $50m`` ("" for a rule without a level, and for a rule on a rate)."""
    if rule.series is None or rule.value is None:
        return ""
    from ticker.display.release_alerts import level_text

    return level_text(rule.series, rule.value)


def far_level_hint(
    repo: Repository, settings: Settings, rule_id: int, rule: AlertRuleConfig, now: datetime
) -> str:
    """A word when a release level is far (10x or more, either way) from the series'
    latest value, as :func:`ticker.cli.alerts.orientation_hint` says of a pair's level:
    most likely written in another unit (``reserves below 50``: $50m, not $50bn)."""
    if rule.country is None or rule.series is None or not rule.value:
        return ""
    from ticker.core.alerts.bundle import read_all
    from ticker.display.release_alerts import far_level_text

    _rounds, releases = read_all(repo, settings, now, only=rule_id)
    if releases.view is None:
        return ""
    latest = releases.view.get(rule.country, rule.series).latest
    if latest is None or not latest.value:
        return ""
    if Decimal("0.1") < abs(rule.value / latest.value) < 10:
        return ""
    return far_level_text(rule.country, rule.series, latest.value, rule.value)
