"""The current rate of each pair: routed to its preferred source while that source's
fixing is current, with its change, its freshness and its divergence from the others.

* The first source of ``[routing]`` that has a fixing is shown while that fixing is
  current under its publication calendar, even if its last polls failed (state ``last
  poll failed``): a source down at night still has the day's official rate.
* Once it is not current, a fallback takes over, but only with a newer fixing of its own
  (never going back in time, never the same date again, never a copy of the held number
  such as CBR's som computed from NBKR's), and its state says so: ``fallback, nbk stale``.
* Divergence compares fixings of the same effective date from independent sources only
  (:mod:`providers.provenance`), and a difference within the values' own published
  precision (NBKR's ``0,0073`` som per sum: ±0.7%) is not one.

Reads the store only (no network), in a fixed number of statements whatever the history:
the routed sources' last fixings of every pair in one (the first routed source's last
``depth``, the others' last two); one more, only when a source other than the first is
shown, for its last ``depth``; and one more, only when a source's fixing of the shown
date lies further back than those, for all such.

A change is against the previous fixing of the same source (``1d``, read with the
rates: no statement of its own), or over a period (``1w``, ``1m``, ``ytd``, ``1y``:
:mod:`ticker.model.periods`) against the rate in force at its start, the same source's
newest fixing on or before that date: one more statement for every pair
(:func:`period_changes`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from providers.observation import Observation
from providers.provenance import derivation
from ticker.config import Settings
from ticker.model.freshness import freshness
from ticker.model.health import UNKNOWN, HealthState, ProviderHealth
from ticker.model.pairs import Orientation, convert, pair_for, percent_change
from ticker.model.periods import ChangePeriod, period_start
from ticker.model.routing import Choice, PairView, choose, confirms, divergence

if TYPE_CHECKING:
    from typing import NamedTuple

    from ticker.storage.reads import ReadQueries
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

Recent = Mapping[tuple[str, str], Sequence[Observation]]
"""(local, provider) -> its last fixings, newest first."""

#: Fixings read per pair and source for the rates alone: the latest and the one before.
CHANGE_DEPTH = 2


class Routed(NamedTuple):
    """The current views, with the fixings they were made from (the snapshot draws its
    sparklines from them)."""

    views: list[PairView]
    recent: Recent


def current_rates(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    orientation: Orientation | None = None,
    health: Mapping[str, ProviderHealth] | None = None,
    period: ChangePeriod = ChangePeriod.DAY,
    zone: tzinfo | None = None,
) -> list[PairView]:
    """The routed view of every displayed pair that has any stored fixing, at ``now``,
    with its change over ``period`` (read on one connection). ``zone``: the user's time
    zone, whose date a period starts from (None: this machine's)."""
    with reads.reading():
        health = reads.load_health() if health is None else health
        views = routed_rates(reads, settings, now, orientation, health, CHANGE_DEPTH).views
        return period_changes(reads, views, period, now.astimezone(zone).date())


def period_changes(
    reads: ReadQueries, views: Sequence[PairView], period: ChangePeriod, today: date
) -> list[PairView]:
    """``views`` with their change over ``period`` on ``today`` (the user's date): against
    the rate in force at the period's start, the shown source's newest fixing on or
    before :func:`~ticker.model.periods.period_start` (all pairs in one statement); no
    change (``n/a``) where the source's stored history starts after it. ``1d`` changes
    nothing and reads nothing: the views have it already."""
    start = period_start(period, today)
    if start is None:
        return list(views)
    # "Before the day after" is "on or before": one index seek per pair.
    keys = [(v.local, v.provider, start + timedelta(days=1)) for v in views]
    found = reads.fixings_before(keys)
    return [_changed(v, found.get(key), period) for v, key in zip(views, keys, strict=True)]


def _changed(view: PairView, base: Observation | None, period: ChangePeriod) -> PairView:
    if base is None:
        return view._replace(
            change=None, change_pct=None, change_period=period,
            change_from=None, change_from_rate=None,
        )  # fmt: skip
    before = convert(base.rate, view.pair)
    return view._replace(
        change=view.rate - before, change_pct=percent_change(before, view.rate),
        change_period=period, change_from=base.as_of, change_from_rate=before,
    )  # fmt: skip


def routed_rates(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    orientation: Orientation | None,
    health: Mapping[str, ProviderHealth],
    depth: int,
    locals_: Sequence[str] | None = None,
) -> Routed:
    """The routed views of ``locals_`` (default: the displayed pairs), reading each
    routed source's last ``depth`` fixings (at least :data:`CHANGE_DEPTH`)."""
    orientation = orientation or settings.display.orientation
    locals_ = list(settings.display.pairs if locals_ is None else locals_)
    (views,), recent = routed_views(reads, settings, now, health, depth, [(orientation, locals_)])
    return Routed(views, recent)


def routed_views(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    health: Mapping[str, ProviderHealth],
    depth: int,
    wanted: Sequence[tuple[Orientation, Sequence[str]]],
) -> tuple[list[list[PairView]], Recent]:
    """For each (orientation, locals) of ``wanted``, the routed views of those locals in
    that orientation (as :func:`routed_rates` gives them), all from one reading of every
    local among them: a pair wanted both ways round is read once."""
    locals_ = list(dict.fromkeys(local for _, some in wanted for local in some))
    depth = max(depth, CHANGE_DEPTH)
    # The first routed source is the one shown, nearly always: its last ``depth``
    # fixings; every other source's latest two (the routing, a change, the divergence).
    depths = {
        (local, p): depth if i == 0 else CHANGE_DEPTH
        for local in locals_
        for i, p in enumerate(settings.routing[local])
    }
    recent = reads.recent_fixings(list(depths), depths)
    states = {p: h.state for p, h in health.items()}
    choices: dict[str, Choice] = {}
    for local in locals_:
        mine = {p: recent[(local, p)][0] for p in settings.routing[local] if (local, p) in recent}
        choice = choose(settings.routing[local], mine, states, now)
        if choice is not None:
            choices[local] = choice
    # A source shown in the first one's place: its last ``depth`` too, in one statement.
    short = [
        (local, c.provider) for local, c in choices.items() if depths[(local, c.provider)] < depth
    ]
    if short:
        recent.update(reads.recent_fixings(short, depth))
    same_day = _same_day_fixings(reads, settings, recent, choices)
    views = [
        [
            _view(settings, local, choices[local], recent, same_day, states, now, orientation)
            for local in dict.fromkeys(some)
            if local in choices
        ]
        for orientation, some in wanted
    ]
    return views, recent


def route_pair(
    reads: ReadQueries,
    settings: Settings,
    local: str,
    now: datetime,
    orientation: Orientation,
    health: Mapping[str, ProviderHealth],
) -> PairView | None:
    """The routed view of one pair (any of the five, shown or not); None if unstored."""
    views = routed_rates(reads, settings, now, orientation, health, CHANGE_DEPTH, [local]).views
    return views[0] if views else None


def _same_day_fixings(
    reads: ReadQueries,
    settings: Settings,
    recent: Recent,
    choices: Mapping[str, Choice],
) -> dict[tuple[str, str], Observation]:
    """Each other routed source's fixing dated as the shown one, for the divergence: found
    among the fixings read, else (a source whose last fixings are all newer) read in one
    statement for every pair that needs it."""
    found: dict[tuple[str, str], Observation] = {}
    missing: list[tuple[str, str, date]] = []
    for local, choice in choices.items():
        shown = recent[(local, choice.provider)][0]
        for provider in settings.routing[local]:
            fixings = recent.get((local, provider), ())
            if provider == choice.provider or not fixings or fixings[0].as_of < shown.as_of:
                continue  # this source has nothing for that date (yet)
            same = next((o for o in fixings if o.as_of == shown.as_of), None)
            if same is not None:
                found[(local, provider)] = same
            elif fixings[-1].as_of > shown.as_of:  # the date lies further back
                missing.append((local, provider, shown.as_of))
    for o in reads.fixings_on(missing):
        found[(o.quote, o.provider)] = o
    return found


def _view(
    settings: Settings,
    local: str,
    choice: Choice,
    recent: Recent,
    same_day: Mapping[tuple[str, str], Observation],
    states: Mapping[str, HealthState],
    now: datetime,
    orientation: Orientation,
) -> PairView:
    chosen = choice.provider
    latest = recent[(local, chosen)]
    shown = latest[0]
    pair = pair_for(local, orientation)
    rate = convert(shown.rate, pair)
    change = change_pct = before = None
    if len(latest) >= 2:
        before = convert(latest[1].rate, pair)
        change = rate - before
        change_pct = percent_change(before, rate)
    # Divergence: against every other independent source's fixing of the same effective
    # date, all in the display orientation, so the sign says which way the shown rate is off.
    others = [
        (convert(same.rate, pair), same.precision)
        for provider in settings.routing[local]
        if (same := same_day.get((local, provider))) is not None and confirms(same, shown)
    ]
    divergence_pct, divergent = divergence(
        rate, shown.precision, others, settings.collector.divergence
    )
    return PairView(
        local=local,
        pair=pair,
        rate=rate,
        change=change,
        change_pct=change_pct,
        as_of=shown.as_of,
        provider=chosen,
        derived=shown.derived,
        fetched_at=shown.fetched_at,
        freshness=freshness(chosen, shown.as_of, now),
        provider_state=states.get(chosen, UNKNOWN),
        divergence_pct=divergence_pct,
        divergent=divergent,
        precision_pct=shown.precision,
        fallback_for=choice.fallback_for,
        fallback_why=choice.why,
        derived_from=derivation(chosen, local, shown.as_of),
        change_from=latest[1].as_of if before is not None else None,
        change_from_rate=before,
    )
