"""When a release rule fires: a new value of a country's monetary series.

A release rule (``ticker alerts add KZ policy-rate changed``, ``UZ cpi above 10``) watches
the series as the monitor shows it: the values of the source that speaks for the
country's series (:data:`ticker.model.monetary.ROUTES`: NBK's decisions for Kazakhstan; the
IMF's monthly series only where no central bank's is stored), so the IMF's month-end copy
of an NBK decision never fires a second alert. It is judged after every poll, with the
other rules (:func:`ticker.core.alerts.evaluate.evaluate_rules`), on what the store holds.

The rule remembers the newest period it has judged: its state's ``last_observation_id``
holds the last day of that period as a day number (:meth:`datetime.date.toordinal`; a
release rule is about no observation, and its firings name none). A value is new when its
period ends after that day. Then:

* ``changed`` fires once for every new value: a new decision, one that held included
  (``NBK policy rate held at 16.50% on 10 Oct 2026``), a new month's print;
* ``above``/``below`` fire once for a new value strictly beyond the level; a new value
  that is not is passed over (the rule waits for the next one);
* a revision of a value already judged (the same period, another value; kept as history
  by the store) fires nothing: a release rule is about publications, and a revised month
  is on the indicators screen;
* the first time a rule sees its series (a new rule, judged at once when it is added; a
  fresh store's first poll, which brings the whole history) it takes the newest value as
  known, without firing, unless that value was released or took effect on or after the
  day the rule was made: history never fires, and at most the newest value does;
* within the cooldown since its last firing, or while the rule is disabled or snoozed, a
  new value waits: the rule fires once for the newest value after the cooldown, or when
  it is back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from ticker.config import Settings
from ticker.core.alerts.bundle import ReleaseReadings
from ticker.core.alerts.firing import Firing, Reading, Release, firing_message
from ticker.display.release_alerts import release_text, unsourced_text
from ticker.i18n.choice import machine_words
from ticker.model.monetary import MonetarySeries, period_end, period_start
from ticker.model.records import NewEvent, RuleState, StoredRule
from ticker.model.rules import AlertRuleConfig, Direction
from ticker.storage.repository import Repository


def release_reading(rule: AlertRuleConfig, series: MonetarySeries) -> tuple[Reading, int] | None:
    """The rule's condition on the series' newest value, and that value's mark (the day
    number of its period's last day); None while the series has no value."""
    valued = [p for p in series.points if p.value is not None]
    if not valued or series.source is None or rule.country is None or rule.series is None:
        return None
    latest = valued[-1]
    previous = valued[-2] if len(valued) > 1 else None
    assert latest.value is not None
    if rule.direction == Direction.ABOVE:
        holds = rule.value is not None and latest.value > rule.value
    elif rule.direction == Direction.BELOW:
        holds = rule.value is not None and latest.value < rule.value
    else:
        holds = True  # changed: every new value
    facts = Release(
        rule.country, rule.series, latest.period, latest.value,
        previous.value if previous is not None else None, latest.released,
    )  # fmt: skip
    reading = Reading(
        holds, True, True, rule.country, series.source,
        latest.released or period_start(latest.period), latest.value,
        release_text(rule.series, series.source, latest, previous), release=facts,
    )  # fmt: skip
    return reading, period_end(latest.period).toordinal()


def unsourced_words(rule: AlertRuleConfig, settings: Settings) -> str:
    """A warning when no enabled source gives the release rule's series for its country
    (as configured: a source not asked for the series does not speak for it); "" when
    one does, and for a rule on a rate. Such a rule is stored all the same: the
    configuration may change."""
    if rule.country is None or rule.series is None:
        return ""
    from ticker.config import monetary_asked
    from ticker.model.monetary import ROUTES, monetary_view

    view = monetary_view([], monetary_asked(settings), (rule.country,), (rule.series,))
    if view.get(rule.country, rule.series).covered:
        return ""
    routed = ROUTES.get(rule.series, {}).get(rule.country, ())
    return unsourced_text(rule.country, rule.series, routed)


def decide_release(
    state: RuleState, reading: Reading, mark: int, created_at: datetime, now: datetime,
    cooldown: timedelta, muted: bool = False,
) -> tuple[RuleState, bool]:  # fmt: skip
    """The rule's next state, and whether it fires now (see the module)."""
    known = state.last_observation_id
    if known is not None and mark <= known:
        return state, False  # nothing newer than what the rule has judged
    if known is None and reading.as_of < created_at.date():
        return state._replace(last_observation_id=mark), False  # first sight: history
    if not reading.holds:
        return state._replace(last_observation_id=mark), False  # not beyond the level
    if muted or (state.last_fired_at is not None and now - state.last_fired_at < cooldown):
        return state, False  # waits: fires for the newest value once it may
    return RuleState(True, now, mark), True


def judge_releases(repo: Repository, readings: ReleaseReadings, now: datetime) -> list[Firing]:
    """Decide each release rule on its series; record and return the firings (the store
    is written only for the rules whose state moves)."""
    firings = []
    view = readings.view
    for stored in readings.rules:
        rule = stored.rule
        if view is None or rule.country is None or rule.series is None:
            continue
        found = release_reading(rule, view.get(rule.country, rule.series))
        if found is None:
            continue
        reading, mark = found
        args = (reading, mark, stored.created_at, now, rule.cooldown)
        new_state, fires = decide_release(stored.state, *args, stored.muted(now))
        if new_state == stored.state and not fires:
            continue  # nothing to write: the usual case
        event_id = repo.apply_alert(stored.id, _decider(stored, reading, mark, now), now)
        if event_id is not None:
            with machine_words():  # the same value in machine words: hooks, webhooks
                again = release_reading(rule, view.get(rule.country, rule.series))
            machine = again[0].detail if again is not None else None
            firings.append(Firing(event_id, stored, reading, now, machine))
    return firings


def _decider(
    stored: StoredRule, reading: Reading, mark: int, now: datetime
) -> Callable[[RuleState, bool], tuple[RuleState, NewEvent | None]]:
    def decide_locked(state: RuleState, muted: bool) -> tuple[RuleState, NewEvent | None]:
        args = (reading, mark, stored.created_at, now, stored.rule.cooldown, muted)
        new_state, fires = decide_release(state, *args)
        if not fires:
            return new_state, None
        message = firing_message(stored, reading)
        return new_state, NewEvent(None, stored.rule.subject, reading.rate, message)

    return decide_locked
