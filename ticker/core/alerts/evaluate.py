"""When a rule fires: a condition on the routed rate, edge-triggered.

Every rule reads the pair as the program shows it (the routed source, see
:mod:`ticker.core.rates`; a pair other than the dollar's, ``RUB/TJS``, its route, see
:mod:`ticker.core.pair_rates`), in the orientation the rule was written in. A rule is *armed*
until its condition holds; then it fires once, with the observation that made it true,
and is disarmed. It re-arms only when the condition no longer holds, for level rules
only once the rate is back past the level by the hysteresis band. While the cooldown
since its last firing runs, an armed rule waits (it fires after the cooldown if the
condition still holds). A disabled or snoozed rule is judged all the same, but stays
armed instead of firing: when it is back, a condition still true fires once (unless it
fired for that very observation before). The state lives in the store, so a restart,
or a second process evaluating the same rules, never fires a condition twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from ticker.config import Settings
from ticker.core.alerts.bundle import PairReadings, read_all
from ticker.core.alerts.firing import (
    Firing,
    Reading,
    firing_message,
)
from ticker.display.format import format_percent, format_rate
from ticker.display.market import price_text
from ticker.display.market_text import source_text
from ticker.display.names import provider_word
from ticker.display.views import via_text
from ticker.i18n.words import _, ngettext
from ticker.model.health import ProviderHealth
from ticker.model.pairs import convert, percent_change
from ticker.model.records import NewEvent, RuleState, StoredRule
from ticker.model.routing import PairView
from ticker.model.rules import KINDS, AlertKind, AlertRuleConfig, Direction
from ticker.storage.repository import Repository


def business_days_between(first: date, last: date) -> int:
    """Monday-to-Friday days strictly after ``first`` and strictly before ``last``."""
    days = 0
    day = first + timedelta(days=1)
    while day < last:
        if day.weekday() < 5:
            days += 1
        day += timedelta(days=1)
    return days


def window_slack(window: timedelta) -> timedelta:
    """How much older than a window the reference fixing of a ``move`` rule may be: a
    long weekend or a holiday, plus a tenth of long windows."""
    return timedelta(days=4) + window / 10


def _directed(pct: Decimal, threshold: Decimal, direction: str) -> bool:
    if direction == "up":
        return pct >= threshold
    if direction == "down":
        return pct <= -threshold
    return abs(pct) >= threshold


Reader = Callable[[AlertRuleConfig, PairReadings, date], Reading | None]
"""A kind's condition on what was read: None when it cannot be judged (no previous
fixing, no fixing a window ago, no other source). Pure: no store, no clock."""


def read(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    """The rule's condition on what was read (its kind's :data:`READERS`); None when it
    cannot be judged."""
    reader = READERS.get(rule.kind)
    if reader is None:
        raise ValueError(f"unknown alert kind {rule.kind!r}")
    return reader(rule, readings, today)


def _shown(readings: PairReadings) -> str:
    """The shown rate as the table shows it (hooks get the exact value in ``{rate}``),
    with where it comes from: ``0.11490 (NBT, 2026-11-20)``; a cross, the stored rates it
    was made from: ``0.18238 (via USD: NBK 04 Dec, NBKR 05 Dec)``."""
    view = readings.view
    rate = format_rate(view.rate, readings.digits)
    if view.is_cross:
        return f"{rate} ({via_text(view)})"
    return f"{rate} ({provider_word(view.provider)}, {view.as_of})"


def _on_view(
    view: PairView, holds: bool, detail: str, clear: bool | None = None, each_fixing: bool = False
) -> Reading:
    """A reading of the shown rate (``clear``: by default, once it no longer holds)."""
    return Reading(
        holds, not holds if clear is None else clear, each_fixing, view.local, view.provider,
        view.as_of, view.rate, detail,
    )  # fmt: skip


def _above(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    assert rule.value is not None
    rate = readings.view.rate
    band = rule.value * rule.hysteresis / 100
    shown = _shown(readings)
    return _on_view(readings.view, rate > rule.value, shown, clear=rate <= rule.value - band)


def _below(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    assert rule.value is not None
    rate = readings.view.rate
    band = rule.value * rule.hysteresis / 100
    shown = _shown(readings)
    return _on_view(readings.view, rate < rule.value, shown, clear=rate >= rule.value + band)


def _change(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    """About one fixing: every new fixing is a new condition, so the rule re-arms for it."""
    assert rule.percent is not None
    view = readings.view
    if view.change_pct is None:
        return None
    detail = _("{change} to {rate}").format(
        change=format_percent(view.change_pct), rate=_shown(readings)
    )
    holds = _directed(view.change_pct, rule.percent, rule.direction)
    return _on_view(view, holds, detail, each_fixing=True)


def _move(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    assert rule.percent is not None and rule.window is not None
    view = readings.view
    start = view.as_of - rule.window
    before = readings.before.get(rule.window)
    if before is None or before.as_of < start - window_slack(rule.window):
        return None  # no fixing about a window ago: nothing to compare with
    pct = percent_change(convert(before.rate, view.pair), view.rate)
    detail = _("{change} since {day}, to {rate}").format(
        change=format_percent(pct), day=before.as_of, rate=_shown(readings)
    )
    return _on_view(view, _directed(pct, rule.percent, rule.direction), detail)


def _stale(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    """Watches the pair's preferred source, not the routed rate: routing moves to a
    fresher fallback exactly when the official source stops publishing, which is what the
    rule is there to tell."""
    assert rule.days is not None
    fixing = readings.preferred_last
    if fixing is None:
        return None
    missed = business_days_between(fixing.as_of, today)
    detail = ngettext(
        "last fixing {day} ({source}), {n} business day ago",
        "last fixing {day} ({source}), {n} business days ago",
        missed,
    ).format(day=fixing.as_of, source=provider_word(fixing.provider), n=missed)
    holds = missed >= rule.days
    view = readings.view
    return Reading(
        holds, not holds, False, view.local, fixing.provider, fixing.as_of,
        convert(fixing.rate, view.pair), detail,
    )  # fmt: skip


def _divergence(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    assert rule.percent is not None
    view = readings.view
    if view.divergence_pct is None:
        return None
    off = format_percent(view.divergence_pct)
    detail = _("{rate} is {off} from the other sources' median").format(
        rate=_shown(readings), off=off
    )
    return _on_view(view, abs(view.divergence_pct) >= rule.percent, detail)


def _market(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    """The best current price of the rule's side on its channel (stale quotes left out:
    :meth:`~ticker.core.market.MarketView.best`) against the level, re-armed as a level
    rule is (once back past it by the hysteresis band). None while nobody quotes it."""
    side = KINDS[rule.kind].side
    market, at, channel = readings.market, readings.at, rule.market_channel
    assert rule.value is not None and side is not None and channel is not None
    if market is None or at is None:
        return None
    watched = rule.watched_pair
    pair = f"{watched.base}/{watched.quote}"
    best = market.best(pair, side, channel, at)
    if best is None:
        return None
    price, band = best.price, rule.value * rule.hysteresis / 100
    if rule.direction == Direction.BELOW:
        holds, clear = price < rule.value, price >= rule.value + band
    else:
        holds, clear = price > rule.value, price <= rule.value - band
    official = market.official.get(pair)
    versus = percent_change(official, price) if official is not None else None
    said = price_text(
        channel, side, price, versus, market.official_sources.get(pair, ""), readings.digits
    )
    detail = _("{price} at {institution} ({source})").format(
        price=said, institution=best.institution, source=source_text(best.source)
    )
    return Reading(
        holds, clear, False, watched.local, best.source, today, price, detail, best.institution
    )


def _no_pair(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    """A release rule watches a country's series, no pair: it is judged on the series
    (:func:`ticker.core.alerts.releases.release_reading`), never on a pair's readings."""
    return None


#: Each kind's condition (its keys and words: :data:`ticker.model.rules.KINDS`).
READERS: Mapping[str, Reader] = {
    AlertKind.ABOVE: _above,
    AlertKind.BELOW: _below,
    AlertKind.CHANGE: _change,
    AlertKind.MOVE: _move,
    AlertKind.STALE: _stale,
    AlertKind.DIVERGENCE: _divergence,
    AlertKind.MARKET_SELL: _market,
    AlertKind.MARKET_BUY: _market,
    AlertKind.RELEASE: _no_pair,
}


def decide(
    state: RuleState, reading: Reading, observation_id: int | None, now: datetime,
    cooldown: timedelta, muted: bool = False,
) -> tuple[RuleState, bool]:  # fmt: skip
    """The rule's next state, and whether it fires now.

    A ``muted`` rule (disabled or snoozed) re-arms as any rule does but never fires: it
    stays armed, so once it is back a condition that holds then fires once, unless the
    rule already fired for that observation (or the condition held all along since it
    last fired: no new edge)."""
    if not state.armed:
        fresh = reading.each_fixing and observation_id != state.last_observation_id
        if not (reading.clear or fresh):
            return state, False
        state = state._replace(armed=True)
        if not fresh:
            return state, False
    if not reading.holds:
        return state, False
    if observation_id is not None and observation_id == state.last_observation_id:
        return state, False  # never twice for one observation
    if state.last_fired_at is not None and now - state.last_fired_at < cooldown:
        return state, False  # still armed: fires after the cooldown if this still holds
    if muted:
        return state, False  # still armed: fires once it is back, if this still holds
    return RuleState(False, now, observation_id), True


def evaluate_rules(
    repo: Repository,
    settings: Settings,
    now: datetime,
    health: dict[str, ProviderHealth] | None = None,
    only: int | None = None,
) -> list[Firing]:
    """Evaluate every rule against the store; record and return the firings. Everything
    the rules judge is read first, in one block (:func:`read_all`; the release rules:
    :mod:`ticker.core.alerts.releases`); the store is
    written after, only for the rules whose state moves. Disabled and snoozed rules are
    evaluated too (their state follows the rate) but fire nothing (:func:`decide`).
    ``only``: that rule alone (a new one, judged at once)."""
    today = now.date()
    firings = []
    rounds, releases = read_all(repo, settings, now, health, only)
    for pair_rules, readings in rounds:
        for stored in pair_rules:
            firing = _judge(repo, stored, readings, today, now)
            if firing is not None:
                firings.append(firing)
    if releases.rules:
        from ticker.core.alerts.releases import judge_releases

        firings += judge_releases(repo, releases, now)
    return firings


def _judge(
    repo: Repository, stored: StoredRule, readings: PairReadings, today: date, now: datetime
) -> Firing | None:
    """Decide one rule on what was read; the store is written only when its state moves."""
    rule = stored.rule
    reading = read(rule, readings, today)
    if reading is None:
        return None
    observation_id = readings.observation_ids.get((reading.provider, reading.as_of))
    muted = stored.muted(now)
    new_state, fires = decide(stored.state, reading, observation_id, now, rule.cooldown, muted)
    if new_state == stored.state and not fires:
        return None  # nothing to write: the usual case
    event_id = repo.apply_alert(stored.id, _decider(stored, reading, observation_id, now), now)
    if event_id is None:
        return None
    from ticker.i18n.choice import machine_words

    with machine_words():  # the same reading in machine words: hooks, webhooks
        again = read(rule, readings, today)
    return Firing(event_id, stored, reading, now, again.detail if again is not None else None)


def _decider(
    stored: StoredRule, reading: Reading, observation_id: int | None, now: datetime
) -> Callable[[RuleState, bool], tuple[RuleState, NewEvent | None]]:
    def decide_locked(state: RuleState, muted: bool) -> tuple[RuleState, NewEvent | None]:
        cooldown = stored.rule.cooldown
        new_state, fires = decide(state, reading, observation_id, now, cooldown, muted)
        if not fires:
            return new_state, None
        message = firing_message(stored, reading)
        return new_state, NewEvent(observation_id, stored.rule.subject, reading.rate, message)

    return decide_locked
