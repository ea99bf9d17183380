"""The current rate of each pair: routed to its preferred source while that source's
fixing is current, with its change, its freshness and its divergence from the others.

* The first source of ``[routing]`` that has a fixing is shown while that fixing is
  current under its publication calendar, even if its last polls failed (state ``last
  poll failed``): a source down at night still has the day's official rate.
* Once it is not current, a fallback takes over, but only with a fixing at least as new
  (never going back in time), and its state says so: ``fallback, nbk stale``.
* Divergence compares fixings of the same effective date only, and a difference within
  the values' own published precision (NBKR's ``0,0073`` som per sum: ±0.7%) is not one.

Reads the store only (no network), with bounded queries: one indexed lookup per
(pair, provider), so the cost does not grow with history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from providers.base import Observation
from ticker.config import Settings
from ticker.model.freshness import freshness
from ticker.model.health import UNKNOWN, ProviderHealth
from ticker.model.pairs import Orientation, convert, pair_for, percent_change
from ticker.model.routing import PairView, choose, divergence

if TYPE_CHECKING:
    from ticker.storage.repository import Repository


def current_rates(
    repo: Repository,
    settings: Settings,
    now: datetime,
    orientation: Orientation | None = None,
    health: Mapping[str, ProviderHealth] | None = None,
) -> list[PairView]:
    """The routed view of every displayed pair that has any stored fixing, at ``now``
    (read on one connection)."""
    with repo.reading():
        return _current_rates(repo, settings, now, orientation, health)


def _current_rates(
    repo: Repository,
    settings: Settings,
    now: datetime,
    orientation: Orientation | None,
    health: Mapping[str, ProviderHealth] | None,
) -> list[PairView]:
    orientation = orientation or settings.display.orientation
    locals_ = list(settings.display.pairs)
    providers = sorted({p for code in locals_ for p in settings.routing[code]})
    latest = {(o.quote, o.provider): o for o in repo.latest_per_provider(locals_, providers)}
    health = repo.load_health() if health is None else health
    views = []
    for local in locals_:
        view = _route(repo, settings, local, latest, health, now, orientation)
        if view is not None:
            views.append(view)
    return views


def route_pair(
    repo: Repository,
    settings: Settings,
    local: str,
    now: datetime,
    orientation: Orientation,
    health: Mapping[str, ProviderHealth],
) -> PairView | None:
    """The routed view of one pair (any of the five, shown or not); None if unstored."""
    providers = list(settings.routing[local])
    latest = {(o.quote, o.provider): o for o in repo.latest_per_provider([local], providers)}
    return _route(repo, settings, local, latest, health, now, orientation)


def _route(
    repo: Repository,
    settings: Settings,
    local: str,
    latest: Mapping[tuple[str, str], Observation],
    health: Mapping[str, ProviderHealth],
    now: datetime,
    orientation: Orientation,
) -> PairView | None:
    routing = settings.routing[local]
    mine = {p: latest[(local, p)] for p in routing if (local, p) in latest}
    states = {p: h.state for p, h in health.items()}
    choice = choose(routing, mine, states, now)
    if choice is None:
        return None
    chosen = choice.provider
    shown = mine[chosen]
    pair = pair_for(local, orientation)
    rate = convert(shown.rate, pair)
    previous = repo.last_fixings(local, chosen, 2)
    change = change_pct = None
    if len(previous) == 2:
        before = convert(previous[0].rate, pair)
        change = rate - before
        change_pct = percent_change(before, rate)
    # Divergence: against every other source's fixing of the same effective date, all in
    # the display orientation, so the sign says which way the shown rate is off.
    others = []
    for provider, latest_of in mine.items():
        if provider == chosen or latest_of.as_of < shown.as_of:
            continue  # this source has nothing for that date (yet)
        same = (
            latest_of
            if latest_of.as_of == shown.as_of
            else repo.fixing_on(local, provider, shown.as_of)
        )
        if same is not None:
            others.append((convert(same.rate, pair), same.precision))
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
    )
