"""The current rate of each pair: routed to the first healthy, fresh source, with its
change, its freshness and its divergence from the other sources.

Reads the store only (no network), with bounded queries: one indexed lookup per
(pair, provider), so the cost does not grow with history.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from providers.base import Observation
from ticker.config import Settings
from ticker.format import percent_change
from ticker.freshness import Freshness, freshness
from ticker.health import FAILING, UNKNOWN, UNSTABLE, ProviderHealth
from ticker.pairs import Orientation, Pair, convert, pair_for

if TYPE_CHECKING:
    from ticker.storage.repository import Repository

#: Other sources' fixings count for divergence when dated this close to the shown one.
NEAREST_DAYS = 3


@dataclass(frozen=True, slots=True)
class PairView:
    """What the program shows for one pair."""

    local: str
    pair: Pair
    """The pair in the display orientation."""
    rate: Decimal
    """Units of ``pair.quote`` for one ``pair.base``."""
    change: Decimal | None
    change_pct: Decimal | None
    """Against the previous fixing of the same provider (None for its first)."""
    as_of: date
    provider: str
    derived: bool
    fetched_at: datetime
    freshness: Freshness
    provider_state: str
    divergence_pct: Decimal | None
    """Shown rate vs the median of the other sources, in percent (None: no others)."""
    divergent: bool

    @property
    def state(self) -> str:
        """``source failing``, ``stale 3d``, ``last poll failed``, ``divergent`` or ``ok``,
        worst first."""
        if self.provider_state == FAILING:
            return "source failing"
        if self.freshness.stale:
            return self.freshness.label()
        if self.provider_state == UNSTABLE:
            return "last poll failed"
        if self.divergent:
            return "divergent"
        return "ok"


def current_rates(
    repo: Repository,
    settings: Settings,
    today: date,
    orientation: Orientation | None = None,
    health: Mapping[str, ProviderHealth] | None = None,
) -> list[PairView]:
    """The routed view of every displayed pair that has any stored fixing."""
    orientation = orientation or settings.display.orientation
    locals_ = list(settings.display.pairs)
    providers = sorted({p for code in locals_ for p in settings.routing[code]})
    latest = {(o.quote, o.provider): o for o in repo.latest_per_provider(locals_, providers)}
    health = repo.load_health() if health is None else health
    views = []
    for local in locals_:
        view = _route(repo, settings, local, latest, health, today, orientation)
        if view is not None:
            views.append(view)
    return views


def route_pair(
    repo: Repository,
    settings: Settings,
    local: str,
    today: date,
    orientation: Orientation,
    health: Mapping[str, ProviderHealth],
) -> PairView | None:
    """The routed view of one pair (any of the five, shown or not); None if unstored."""
    providers = list(settings.routing[local])
    latest = {(o.quote, o.provider): o for o in repo.latest_per_provider([local], providers)}
    return _route(repo, settings, local, latest, health, today, orientation)


def _route(
    repo: Repository,
    settings: Settings,
    local: str,
    latest: Mapping[tuple[str, str], Observation],
    health: Mapping[str, ProviderHealth],
    today: date,
    orientation: Orientation,
) -> PairView | None:
    order = [p for p in settings.routing[local] if (local, p) in latest]
    if not order:
        return None

    def state(provider: str) -> str:
        h = health.get(provider)
        return h.state if h is not None else UNKNOWN

    def fresh(provider: str) -> bool:
        return not freshness(provider, latest[(local, provider)].as_of, today).stale

    chosen = (
        next((p for p in order if state(p) != FAILING and fresh(p)), None)
        or next((p for p in order if state(p) != FAILING), None)
        or order[0]
    )
    shown = latest[(local, chosen)]
    pair = pair_for(local, orientation)
    rate = convert(shown.rate, pair)
    previous = repo.last_fixings(local, chosen, 2)
    change = change_pct = None
    if len(previous) == 2:
        before = convert(previous[0].rate, pair)
        change = rate - before
        change_pct = percent_change(before, rate)
    # Divergence: the shown rate against the median of every other source of the pair,
    # each at its fixing dated the same as (or nearest to) the shown one; all in the
    # display orientation, so the sign says which way the shown rate is off.
    others = []
    for provider in settings.routing[local]:
        if provider == chosen:
            continue
        latest_of = latest.get((local, provider))
        if latest_of is None:
            continue  # nothing stored from this source
        # Its latest fixing is the nearest unless it is newer than the shown one.
        near = (
            latest_of
            if latest_of.as_of <= shown.as_of
            else repo.nearest(local, provider, shown.as_of)
        )
        if near is not None and abs((near.as_of - shown.as_of).days) <= NEAREST_DAYS:
            others.append(convert(near.rate, pair))
    divergence = None
    if others:
        median = Decimal(statistics.median(others))
        divergence = percent_change(median, rate)
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
        freshness=freshness(chosen, shown.as_of, today),
        provider_state=state(chosen),
        divergence_pct=divergence,
        divergent=divergence is not None and abs(divergence) > settings.collector.divergence,
    )


def strip_line(views: Sequence[PairView], significant: int) -> str:
    """``KGS/USD = 0.011448 +0.03% NBKR • KZT/USD = 0.0019518 -0.12% NBK • ...``

    The news sites' strip, plus what theirs never says: each rate's source, and its
    state when it is not ok.
    """
    from ticker.format import format_percent, format_rate

    parts = []
    for v in views:
        text = f"{v.pair} = {format_rate(v.rate, significant)}"
        if v.change_pct is not None:
            text += f" {format_percent(v.change_pct)}"
        text += f" {v.provider.upper()}"
        if v.state != "ok":
            text += f" ({v.state})"
        parts.append(text)
    return " • ".join(parts)
