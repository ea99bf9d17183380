"""Alert rules in words: ``#3 KZT/USD above 0.0021 "tenge up"``, and where each stands:
``armed``, ``fired 14:02``, ``cooling down until 15:02``, ``snoozed until 21 Nov 09:00``,
``disabled`` (or, where room is short, ``cool ↦ 15:02``, ``snoozed ↦ 21 Nov``)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from ticker.config import format_duration
from ticker.display.spans import duration_words
from ticker.i18n.dates import day_month
from ticker.i18n.numbers import localised
from ticker.i18n.words import N_, _, ngettext
from ticker.i18n.zone import in_zone
from ticker.model.records import StoredRule
from ticker.model.rules import KINDS, AlertKind, AlertRuleConfig


def number(value: Decimal | None) -> str:
    """A threshold as the user wrote it, never in exponent form (``1E+3`` -> ``1000``),
    with the locale's decimal sign (``0,0021`` in Russian)."""
    return "?" if value is None else localised(format(value, "f"))


#: Each kind's condition in words, by its direction (``either``: none said); the
#: stale kind's is counted (:func:`condition_text`), the release kind's is its own.
_PHRASES: dict[str, dict[str, str]] = {
    AlertKind.ABOVE: {"either": N_("above {value}")},
    AlertKind.BELOW: {"either": N_("below {value}")},
    AlertKind.CHANGE: {
        "either": N_("changes {percent}%"),
        "up": N_("changes {percent}% up"),
        "down": N_("changes {percent}% down"),
    },
    AlertKind.MOVE: {
        "either": N_("moves {percent}% in {window}"),
        "up": N_("moves {percent}% up in {window}"),
        "down": N_("moves {percent}% down in {window}"),
    },
    AlertKind.DIVERGENCE: {"either": N_("diverges {percent}%")},
    AlertKind.MARKET_SELL: {
        "either": N_("best {market_channel} sell {value}"),
        "above": N_("best {market_channel} sell above {value}"),
        "below": N_("best {market_channel} sell below {value}"),
    },
    AlertKind.MARKET_BUY: {
        "either": N_("best {market_channel} buy {value}"),
        "above": N_("best {market_channel} buy above {value}"),
        "below": N_("best {market_channel} buy below {value}"),
    },
}


def window_text(window: timedelta) -> str:
    """A rule's window for people: ``7d``, ``24h``, ``1h30m`` (Russian ``7 д``, ``24 ч``,
    ``1 ч 30 мин``): :func:`ticker.display.views.duration_words`."""
    return duration_words(window)


def condition_text(rule: AlertRuleConfig, english: bool = False) -> str:
    """``above 0.0021``, ``moves 2% up in 7d``, ``stale 3 business days``, ``best cash
    sell below 10.8``, ``policy-rate changed`` ... in the user's language; ``english``:
    the English words and numbers whatever the language (JSON, a webhook's payload):
    each kind's phrase of :data:`~ticker.model.rules.KINDS`, the rule's keys filled in."""
    from ticker.display.market import CHANNEL_WORDS, channel_word

    market = rule.market_channel
    if rule.pair is None:  # a release rule: ``policy-rate changed``, ``cpi-yoy above 10``
        from ticker.display.release_alerts import release_condition

        return KINDS[rule.kind].phrase.format(
            series=rule.series or "?", release=release_condition(rule, english)
        )
    if english:
        return KINDS[rule.kind].phrase.format(
            value="?" if rule.value is None else format(rule.value, "f"),
            percent="?" if rule.percent is None else format(rule.percent, "f"),
            direction="" if rule.direction == "either" else f" {rule.direction}",
            window=format_duration(rule.window) if rule.window is not None else "?",
            days=rule.days,
            s="s" if rule.days != 1 else "",
            market_channel=CHANNEL_WORDS[market] if market is not None else "?",
        )
    fields = {
        "value": number(rule.value),
        "percent": number(rule.percent),
        "window": window_text(rule.window) if rule.window is not None else "?",
        "market_channel": channel_word(market) if market is not None else "?",
    }
    if rule.kind == AlertKind.STALE:
        days = rule.days if isinstance(rule.days, int) else 2
        return ngettext("stale {days} business day", "stale {days} business days", days).format(
            days=rule.days
        )
    phrases = _PHRASES.get(rule.kind)
    if phrases is None:  # a kind without words of its own here: the model's phrase
        return KINDS[rule.kind].phrase.format(
            **fields, direction="", days=rule.days, s="s" if rule.days != 1 else ""
        )
    phrase = phrases.get(str(rule.direction), phrases["either"])
    return _(phrase).format(**fields)


def describe_rule(stored: StoredRule, english: bool = False) -> str:
    """``#3 KZT/USD above 0.0021 "tenge up"``, ``#4 KAZ policy-rate changed``;
    ``english``: as JSON and a webhook's payload carry it, whatever the language."""
    rule = stored.rule
    label = f' "{rule.label}"' if rule.label else ""
    return f"#{stored.id} {rule.subject} {condition_text(rule, english)}{label}"


def local_moment(
    moment: datetime, now: datetime, zone: tzinfo | None = None, short: bool = False
) -> str:
    """A moment in the user's time: ``14:32`` on today's date, ``21 Nov 14:32`` on
    another, ``21 Nov 2027 14:32`` in another year. ``zone``: a time zone to say it in
    (None: the user's, ``[display] timezone``: :mod:`ticker.i18n.zone`, the status
    line's). ``short``: another day's moment without its time (``21 Nov``)."""
    shown = moment.astimezone(zone) if zone is not None else in_zone(moment)
    today = (now.astimezone(zone) if zone is not None else in_zone(now)).date()
    clock = f"{shown:%H:%M}"
    if shown.date() == today:
        return clock
    day = day_month(shown).removeprefix("0")  # ``2 Jan``: the day unpadded
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


#: What a standing says with its moment, in full and in short.
_UNTIL = {
    RuleStanding.SNOOZED: (N_("snoozed until {moment}"), N_("snoozed ↦ {moment}")),
    RuleStanding.COOLING: (N_("cooling down until {moment}"), N_("cool ↦ {moment}")),
    RuleStanding.FIRED: (N_("fired {moment}"), N_("fired {moment}")),
}


def rule_status(
    stored: StoredRule, now: datetime, zone: tzinfo | None = None, short: bool = False
) -> RuleStatus:
    """Where ``stored`` stands at ``now``, in words, moments in ``zone`` (None: the
    user's, as the status line's). Disabled wins over snoozed, snoozed over cooling down.
    ``short``: the words for a narrow column (``cool ↦ 14:32``; another day's moment
    without its time, ``snoozed ↦ 21 Nov``)."""

    def at(standing: RuleStanding, moment: datetime) -> RuleStatus:
        words = _(_UNTIL[standing][short])
        return RuleStatus(standing, words.format(moment=local_moment(moment, now, zone, short)))

    if not stored.enabled:
        return RuleStatus(RuleStanding.DISABLED, _("disabled"))
    if stored.snoozed_until is not None and stored.snoozed(now):
        return at(RuleStanding.SNOOZED, stored.snoozed_until)
    fired = stored.state.last_fired_at
    if fired is not None:
        ends = fired + stored.rule.cooldown
        if now < ends:
            return at(RuleStanding.COOLING, ends)
        if not stored.state.armed:
            return at(RuleStanding.FIRED, fired)
    return RuleStatus(RuleStanding.ARMED, _("armed"))
