"""When a rule fires: a condition on the routed rate, edge-triggered.

Every rule reads the pair as the program shows it (the routed source, see
:mod:`ticker.core.rates`), in the orientation the rule was written in. A rule is *armed*
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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from providers.base import Observation
from ticker.config import Settings
from ticker.core.rates import route_pair
from ticker.display.format import format_percent, format_rate
from ticker.display.rules import describe_rule
from ticker.model.health import ProviderHealth
from ticker.model.pairs import Orientation, convert, percent_change
from ticker.model.records import NewEvent, RuleState, StoredRule
from ticker.model.routing import PairView
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.repository import Repository

#: Significant digits of rates in alert messages (hooks get the exact value in {rate}).
MESSAGE_DIGITS = 6


@dataclass(frozen=True, slots=True)
class Reading:
    """A rule's condition against the pair as shown now."""

    holds: bool
    """The condition is true."""
    clear: bool
    """The condition is false beyond the hysteresis band: the rule may re-arm."""
    each_fixing: bool
    """The condition is about one fixing (``change``): every new fixing is a new
    condition, so the rule re-arms for it."""
    local: str
    provider: str
    as_of: date
    rate: Decimal
    """The shown rate, in the rule's orientation."""
    detail: str
    """What the rate did, for the message: ``0.0021034 (NBK, 2026-11-20)``."""


@dataclass(frozen=True, slots=True)
class Firing:
    """One rule firing, recorded as event ``event_id``."""

    event_id: int
    stored: StoredRule
    reading: Reading
    fired_at: datetime

    @property
    def message(self) -> str:
        return firing_message(self.stored, self.reading)

    def placeholders(self) -> dict[str, str]:
        """What a command hook's ``{pair}``, ``{rate}``, ... stand for."""
        return {
            "pair": str(self.stored.rule.pair),
            "rate": format(self.reading.rate, "f"),
            "rule": describe_rule(self.stored),
            "message": self.message,
            "as_of": self.reading.as_of.isoformat(),
        }


def firing_message(stored: StoredRule, reading: Reading) -> str:
    return f"{describe_rule(stored)}: {reading.detail}"


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


@dataclass(frozen=True, slots=True)
class PairReadings:
    """Everything the rules of one pair (in one orientation) judge, read in one go."""

    view: PairView
    """The pair as shown (routed), in the rules' orientation."""
    before: dict[timedelta, Observation | None]
    """Per ``move`` window: the routed source's last fixing on or before a window ago."""
    preferred_last: Observation | None
    """``stale``: the last fixing of the pair's preferred source (the first enabled one in
    ``[routing]`` that ever published it)."""
    observation_ids: dict[tuple[str, date], int | None]
    """The store's id of each fixing a reading can be about: (provider, as_of) -> id."""


def gather(
    repo: Repository,
    settings: Settings,
    local: str,
    orientation: Orientation,
    rules: Sequence[AlertRuleConfig],
    now: datetime,
    health: Mapping[str, ProviderHealth],
) -> PairReadings | None:
    """Read what ``rules`` (all of one pair and orientation) need: a few indexed lookups,
    however many rules there are. None when nothing is stored for the pair."""
    view = route_pair(repo, settings, local, now, orientation, health)
    if view is None:
        return None
    windows = {r.window for r in rules if r.kind is AlertKind.MOVE and r.window is not None}
    before = {
        w: repo.rate_before(local, view.provider, view.as_of - w + timedelta(days=1))
        for w in windows
    }
    preferred = None
    if any(r.kind is AlertKind.STALE for r in rules):
        preferred = next(
            (
                last[0]
                for p in settings.routing[local]
                if settings.providers[p].enabled and (last := repo.last_fixings(local, p, 1))
            ),
            None,
        )
    about = {(view.provider, view.as_of)}
    if preferred is not None:
        about.add((preferred.provider, preferred.as_of))
    ids = {(p, d): repo.observation_id(local, p, d) for p, d in about}
    return PairReadings(view, before, preferred, ids)


def read(rule: AlertRuleConfig, readings: PairReadings, today: date) -> Reading | None:
    """The rule's condition on what was read; None when it cannot be judged (no previous
    fixing, no fixing a window ago, no other source). Pure: no store, no clock.

    ``stale`` watches the pair's preferred source, not the routed rate: routing moves to a
    fresher fallback exactly when the official source stops publishing, which is what the
    rule is there to tell."""
    view = readings.view
    rate = view.rate
    shown = f"{format_rate(rate, MESSAGE_DIGITS)} ({view.provider.upper()}, {view.as_of})"

    def reading(holds: bool, detail: str, clear: bool | None = None) -> Reading:
        return Reading(
            holds, not holds if clear is None else clear, rule.kind == "change", view.local,
            view.provider, view.as_of, rate, detail,
        )  # fmt: skip

    if rule.kind in ("above", "below"):
        assert rule.value is not None
        band = rule.value * rule.hysteresis / 100
        if rule.kind == "above":
            return reading(rate > rule.value, shown, clear=rate <= rule.value - band)
        return reading(rate < rule.value, shown, clear=rate >= rule.value + band)
    if rule.kind == "change":
        assert rule.percent is not None
        if view.change_pct is None:
            return None
        detail = f"{format_percent(view.change_pct)} to {shown}"
        return reading(_directed(view.change_pct, rule.percent, rule.direction), detail)
    if rule.kind == "move":
        assert rule.percent is not None and rule.window is not None
        start = view.as_of - rule.window
        before = readings.before.get(rule.window)
        if before is None or before.as_of < start - window_slack(rule.window):
            return None  # no fixing about a window ago: nothing to compare with
        pct = percent_change(convert(before.rate, view.pair), rate)
        detail = f"{format_percent(pct)} since {before.as_of}, to {shown}"
        return reading(_directed(pct, rule.percent, rule.direction), detail)
    if rule.kind == "stale":
        assert rule.days is not None
        fixing = readings.preferred_last
        if fixing is None:
            return None
        missed = business_days_between(fixing.as_of, today)
        plural = "s" if missed != 1 else ""
        detail = (
            f"last fixing {fixing.as_of} ({fixing.provider.upper()}), "
            f"{missed} business day{plural} ago"
        )
        holds = missed >= rule.days
        return Reading(
            holds, not holds, False, view.local, fixing.provider, fixing.as_of,
            convert(fixing.rate, view.pair), detail,
        )  # fmt: skip
    if rule.kind == "divergence":
        assert rule.percent is not None
        if view.divergence_pct is None:
            return None
        detail = f"{shown} is {format_percent(view.divergence_pct)} from the other sources' median"
        return reading(abs(view.divergence_pct) >= rule.percent, detail)
    raise ValueError(f"unknown alert kind {rule.kind!r}")


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
) -> list[Firing]:
    """Evaluate every rule against the store; record and return the firings. Disabled
    and snoozed rules are evaluated too (their state follows the rate) but fire nothing
    (:func:`decide`)."""
    rules = repo.alert_rules()
    if not rules:
        return []
    health = repo.load_health() if health is None else health
    today = now.date()
    by_pair: dict[tuple[str, Orientation], list[StoredRule]] = {}
    for stored in rules:
        pair = stored.rule.pair
        by_pair.setdefault((pair.local, pair.orientation), []).append(stored)
    firings = []
    for (local, orientation), pair_rules in by_pair.items():
        readings = gather(
            repo, settings, local, orientation, [s.rule for s in pair_rules], now, health
        )
        if readings is None:
            continue  # nothing stored for the pair yet
        for stored in pair_rules:
            firing = _judge(repo, stored, readings, today, now)
            if firing is not None:
                firings.append(firing)
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
    return None if event_id is None else Firing(event_id, stored, reading, now)


def _decider(
    stored: StoredRule, reading: Reading, observation_id: int | None, now: datetime
) -> Callable[[RuleState, bool], tuple[RuleState, NewEvent | None]]:
    def decide_locked(state: RuleState, muted: bool) -> tuple[RuleState, NewEvent | None]:
        cooldown = stored.rule.cooldown
        new_state, fires = decide(state, reading, observation_id, now, cooldown, muted)
        if not fires:
            return new_state, None
        message = firing_message(stored, reading)
        return new_state, NewEvent(observation_id, str(stored.rule.pair), reading.rate, message)

    return decide_locked
