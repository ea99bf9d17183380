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

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from providers.base import Observation
from ticker.config import Settings
from ticker.display.format import percent_change
from ticker.model.freshness import Freshness, freshness, is_current
from ticker.model.health import FAILING, UNKNOWN, UNSTABLE, ProviderHealth
from ticker.model.pairs import Orientation, Pair, convert, pair_for

if TYPE_CHECKING:
    from ticker.storage.repository import Repository


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
    """Shown rate vs the median of the other sources' fixings of the same date, in
    percent (None: no other source has one)."""
    divergent: bool
    precision_pct: Decimal | None = None
    """The shown value's own precision as published, in percent (None: unknown)."""
    fallback_for: str | None = None
    """The preferred source this one stands in for, when it does."""
    fallback_why: str = ""
    """Why the preferred source is not shown: ``failing``, ``stale`` or ``no data``."""

    @property
    def state(self) -> str:
        """``source failing``, ``stale 3d``, ``fallback, nbk failing``, ``last poll
        failed``, ``divergent`` or ``ok``, worst first."""
        if self.freshness.stale:
            return "source failing" if self.provider_state == FAILING else self.freshness.label()
        if self.fallback_for is not None:
            return f"fallback, {self.fallback_for} {self.fallback_why}"
        if self.provider_state in (FAILING, UNSTABLE):
            return "last poll failed"
        if self.divergent:
            return "divergent"
        return "ok"


def current_rates(
    repo: Repository,
    settings: Settings,
    now: datetime,
    orientation: Orientation | None = None,
    health: Mapping[str, ProviderHealth] | None = None,
) -> list[PairView]:
    """The routed view of every displayed pair that has any stored fixing, at ``now``."""
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


@dataclass(frozen=True, slots=True)
class Choice:
    """Which source to show, and whether it stands in for the preferred one."""

    provider: str
    fallback_for: str | None = None
    why: str = ""


def choose(
    routing: Sequence[str],
    latest: Mapping[str, Observation],
    states: Mapping[str, str],
    now: datetime,
) -> Choice | None:
    """The source to show among ``routing`` (in order of preference), from each one's
    latest fixing and health state. Pure: no store, no clock but ``now``."""
    order = [p for p in routing if p in latest]
    if not order:
        return None
    preferred = order[0]
    official = routing[0]
    held = latest[preferred].as_of
    if is_current(preferred, held, now):
        if preferred == official:
            return Choice(preferred)
        return Choice(preferred, official, "no data")
    # Not current: a fallback, never older than what the preferred source holds.
    candidates = [
        p for p in order[1:] if states.get(p, UNKNOWN) != FAILING and latest[p].as_of >= held
    ]
    alternative = next((p for p in candidates if is_current(p, latest[p].as_of, now)), None)
    if alternative is None:
        alternative = next((p for p in candidates if latest[p].as_of > held), None)
    if alternative is None:
        return Choice(preferred)  # shown stale: nothing newer to show instead
    why = "failing" if states.get(preferred, UNKNOWN) in (FAILING, UNSTABLE) else "stale"
    return Choice(alternative, preferred, why)


def divergence(
    shown: Decimal,
    shown_precision: Decimal | None,
    others: Sequence[tuple[Decimal, Decimal | None]],
    threshold: Decimal,
) -> tuple[Decimal | None, bool]:
    """The shown rate against the median of ``others`` (rates of the same date, with their
    precision), in percent, and whether that is a divergence: beyond ``threshold`` and
    beyond the values' own precision."""
    if not others:
        return None, False
    median = Decimal(statistics.median(rate for rate, _ in others))
    pct = percent_change(median, shown)
    uncertainty = (shown_precision or Decimal(0)) + max(p or Decimal(0) for _, p in others)
    return pct, abs(pct) > threshold and abs(pct) > uncertainty


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


def strip_line(views: Sequence[PairView], significant: int) -> str:
    """``KGS/USD = 0.011448 +0.03% NBKR • KZT/USD = 0.0019518 -0.12% NBK • ...``

    The news sites' strip, plus what theirs never says: each rate's source, and its
    state when it is not ok.
    """
    from ticker.display.format import format_percent, format_rate

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
