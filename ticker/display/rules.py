"""Alert rules in words: ``#3 KZT/USD above 0.0021 "tenge up"``, and where each stands:
``armed``, ``fired 14:02``, ``cooling down until 15:02``, ``snoozed until 21 Nov 09:00``,
``disabled`` (or, where room is short, ``cool ↦ 15:02``, ``snoozed ↦ 21 Nov``)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from ticker.config import format_duration
from ticker.model.records import StoredRule
from ticker.model.rules import KINDS, AlertRuleConfig


def number(value: Decimal | None) -> str:
    """A threshold as the user wrote it, never in exponent form (``1E+3`` -> ``1000``)."""
    return "?" if value is None else format(value, "f")


def condition_text(rule: AlertRuleConfig) -> str:
    """``above 0.0021``, ``moves 2% up in 7d``, ``stale 3 business days``, ``best cash
    sell below 10.8``, ``policy-rate changed`` ... (each kind's phrase,
    :data:`~ticker.model.rules.KINDS`, with the rule's keys filled in)."""
    from ticker.display.market import channel_word

    market = rule.market_channel
    if rule.pair is None:  # a release rule: ``policy-rate changed``, ``cpi-yoy above 10``
        from ticker.display.release_alerts import release_condition

        return KINDS[rule.kind].phrase.format(
            series=rule.series or "?", release=release_condition(rule)
        )
    return KINDS[rule.kind].phrase.format(
        value=number(rule.value),
        percent=number(rule.percent),
        direction="" if rule.direction == "either" else f" {rule.direction}",
        window=format_duration(rule.window) if rule.window is not None else "?",
        days=rule.days,
        s="s" if rule.days != 1 else "",
        market_channel=channel_word(market) if market is not None else "?",
    )


def describe_rule(stored: StoredRule) -> str:
    """``#3 KZT/USD above 0.0021 "tenge up"``, ``#4 KAZ policy-rate changed``"""
    rule = stored.rule
    label = f' "{rule.label}"' if rule.label else ""
    return f"#{stored.id} {rule.subject} {condition_text(rule)}{label}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_moment(
    moment: datetime, now: datetime, zone: tzinfo | None = None, short: bool = False
) -> str:
    """A moment in the user's time: ``14:32`` on today's date, ``21 Nov 14:32`` on
    another, ``21 Nov 2027 14:32`` in another year. ``zone``: the user's time zone (None:
    this machine's local time). ``short``: another day's moment without its time
    (``21 Nov``)."""
    shown = moment.astimezone(zone)
    today = now.astimezone(zone).date()
    clock = f"{shown:%H:%M}"
    if shown.date() == today:
        return clock
    day = f"{shown.day} {_MONTHS[shown.month - 1]}"
    if shown.year != today.year:
        day += f" {shown.year}"
    return day if short else f"{day} {clock}"


class RuleStanding(StrEnum):
    """Where a rule stands, most telling first."""

    DISABLED = "disabled"
    SNOOZED = "snoozed"
    COOLING = "cooling"
    """Fired less than its cooldown ago: nothing fires before the cooldown ends."""
    FIRED = "fired"
    """Fired, and waiting for its condition to clear before it can fire again."""
    ARMED = "armed"


class RuleStatus(NamedTuple):
    standing: RuleStanding
    text: str
    """``disabled``, ``snoozed until 14:32``, ``cooling down until 14:32``,
    ``fired 13:32``, ``armed``; in short ``snoozed ↦ 14:32``, ``cool ↦ 14:32``."""


#: What a standing's moment follows, in full and in short.
_UNTIL = {
    RuleStanding.SNOOZED: ("snoozed until", "snoozed ↦"),
    RuleStanding.COOLING: ("cooling down until", "cool ↦"),
    RuleStanding.FIRED: ("fired", "fired"),
}


def rule_status(
    stored: StoredRule, now: datetime, zone: tzinfo | None = None, short: bool = False
) -> RuleStatus:
    """Where ``stored`` stands at ``now``, in words, moments in ``zone`` (None: this
    machine's local time). Disabled wins over snoozed, snoozed over cooling down.
    ``short``: the words for a narrow column (``cool ↦ 14:32``; another day's moment
    without its time, ``snoozed ↦ 21 Nov``)."""

    def at(standing: RuleStanding, moment: datetime) -> RuleStatus:
        words = _UNTIL[standing][short]
        return RuleStatus(standing, f"{words} {local_moment(moment, now, zone, short)}")

    if not stored.enabled:
        return RuleStatus(RuleStanding.DISABLED, "disabled")
    if stored.snoozed_until is not None and stored.snoozed(now):
        return at(RuleStanding.SNOOZED, stored.snoozed_until)
    fired = stored.state.last_fired_at
    if fired is not None:
        ends = fired + stored.rule.cooldown
        if now < ends:
            return at(RuleStanding.COOLING, ends)
        if not stored.state.armed:
            return at(RuleStanding.FIRED, fired)
    return RuleStatus(RuleStanding.ARMED, "armed")
