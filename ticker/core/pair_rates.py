"""The current rate of any pair: the dollar pairs as :mod:`ticker.core.rates` routes them,
and every other pair from its route (:mod:`ticker.model.pair_routes`): a central bank's
own quote first (NBT's ``RUB/TJS``), the Bank of Russia's next for the rouble, then
crosses through the dollar, each said as such with the stored rates it was made from.

The same rules as for the dollar pairs, by the same function
(:func:`ticker.model.routing.choose`): the official quote while it is current; a
fallback or a cross only with a newer fixing than the one held, never a copy of it.

Reads, on one connection: the routed dollar rates, of the dollar pairs shown and of
those the crosses need, in one reading (as :func:`~ticker.core.rates.routed_views` reads
them: the same fixings are not read twice when both are wanted), and every direct and
aggregator series of the pairs in one statement; a period's change, one more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from providers.observation import Observation
from providers.provenance import Derivation, pair_derivation
from ticker.config import Settings
from ticker.core.rates import CHANGE_DEPTH, period_changes, routed_views
from ticker.model.freshness import freshness
from ticker.model.health import UNKNOWN, HealthState, ProviderHealth
from ticker.model.pair_routes import VIA, VIA_USD, Leg, PairRoute, route_for
from ticker.model.pairs import USD, Orientation, Pair, convert, invert, percent_change
from ticker.model.periods import ChangePeriod, period_start
from ticker.model.routing import Choice, CrossLeg, PairView, choose, divergence

if TYPE_CHECKING:
    from typing import NamedTuple

    from ticker.storage.reads import PairKey, ReadQueries
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple


class _Fixing(NamedTuple):
    """What :func:`choose` reads of a candidate: a cross's is its older leg's source and
    date. ``quote`` is the pair's text (``RUB/TJS``): :func:`choose`'s provenance rule
    is against re-serving the held official number, and no candidate of another pair is
    a copy of its official quote (CBR's ``TJS/RUB`` since 27 Dec 2024 is NBT's *dollar*
    rate through CBR's USD/RUB, not NBT's ``RUB/TJS``; a cross is made here), so each
    may stand in for a stale official quote with a newer fixing. ``derived_from``: how
    a direct quote was computed from another source's publication
    (:func:`providers.provenance.pair_derivation` of the series as stored): said so,
    and it never confirms (divergence) the bank it was computed from, nor anyone."""

    provider: str
    quote: str
    as_of: date
    derived_from: Derivation | None = None


class _Candidate(NamedTuple):
    """One way to the pair's canonical rate, with what it was made of."""

    fixing: _Fixing
    rate: Decimal
    """Of the canonical pair."""
    previous: Decimal | None
    previous_as_of: date | None
    derived: bool
    fetched_at: datetime
    precision: Decimal | None
    legs: tuple[CrossLeg, ...] = ()
    stored: Leg | None = None
    """A direct quote's series."""


def pair_rates(
    reads: ReadQueries,
    settings: Settings,
    pairs: Sequence[Pair],
    now: datetime,
    health: Mapping[str, ProviderHealth] | None = None,
    period: ChangePeriod = ChangePeriod.DAY,
    zone: tzinfo | None = None,
) -> list[PairView]:
    """The routed view of each of ``pairs`` that has a rate, in their order and in the
    orientation given (dollar pairs as :func:`~ticker.core.rates.current_rates` gives
    them), with its change over ``period``; read on one connection."""
    found: dict[Pair, PairView] = {}
    usd = [p for p in pairs if p.is_usd]
    wanted = [
        (o, list(dict.fromkeys(p.local for p in usd if p.orientation is o)))
        for o in dict.fromkeys(p.orientation for p in usd)
    ]
    enabled = settings.enabled_providers("rates")
    routes = {p: route_for(p, settings.routing, enabled) for p in pairs if not p.is_usd}
    # The routed dollar rates the crosses need, in the canonical way (USD/local): read
    # with the dollar pairs' own, in one reading.
    needed = _needed(routes.values())
    if needed:
        wanted.append((Orientation.PER_USD, needed))
    with reads.reading():
        health = reads.load_health() if health is None else health
        dollars: dict[str, PairView] = {}
        if wanted:
            routed, _ = routed_views(reads, settings, now, health, CHANGE_DEPTH, wanted)
            if needed:
                dollars = {v.local: v for v in routed.pop()}
            for views in routed:
                found.update({v.pair: v for v in views})
        if routes:
            others = _other_views(reads, routes, dollars, now, health, settings)
            found.update({v.pair: v for v in others})
        today = now.astimezone(zone).date()
        views = [found[p] for p in pairs if p in found]
        usd_views = period_changes(reads, [v for v in views if v.pair.is_usd], period, today)
        other_views = _other_period(reads, settings, [v for v in views if not v.pair.is_usd],
                                    period, today)  # fmt: skip
    changed = {v.pair: v for v in (*usd_views, *other_views)}
    return [changed[v.pair] for v in views]


def _needed(routes: Iterable[PairRoute]) -> list[str]:
    """The local currencies whose routed dollar rate ``routes``' crosses are made with."""
    needed: list[str] = []
    for route in routes:
        c = route.pair
        needed += [c.quote] if route.via else []
        needed += [c.base, c.quote] if route.crosses_locals else []
    return list(dict.fromkeys(needed))


def _other_views(
    reads: ReadQueries,
    routes: Mapping[Pair, PairRoute],
    dollars: Mapping[str, PairView],
    now: datetime,
    health: Mapping[str, ProviderHealth],
    settings: Settings,
) -> list[PairView]:
    """The views of the pairs of ``routes`` (none a dollar pair), their crosses made with
    the routed ``dollars`` (per local currency, ``USD/local``)."""
    keys = list(
        dict.fromkeys(
            (leg.stored, leg.provider) for r in routes.values() for leg in r.direct + r.via
        )
    )
    recent = reads.recent_pair_fixings(keys, CHANGE_DEPTH) if keys else {}
    states = {p: h.state for p, h in health.items()}
    views = []
    for pair, route in routes.items():
        view = _route_view(pair, route, recent, dollars, states, now, settings)
        if view is not None:
            views.append(view)
    return views


def _route_view(
    pair: Pair,
    route: PairRoute,
    recent: Mapping[PairKey, Sequence[Observation]],
    dollars: Mapping[str, PairView],
    states: Mapping[str, HealthState],
    now: datetime,
    settings: Settings,
) -> PairView | None:
    canonical = route.pair
    candidates: dict[str, _Candidate] = {}
    for leg in route.direct:
        fixings = recent.get((leg.stored, leg.provider))
        if fixings:
            candidates.setdefault(leg.provider, _direct(leg, canonical, fixings))
    if route.via and canonical.quote in dollars:
        for leg in route.via:
            fixings = recent.get((leg.stored, leg.provider))
            if fixings:
                local_leg = dollars[canonical.quote]
                candidates[VIA + leg.provider] = _cross(fixings, local_leg, leg.provider)
    if route.crosses_locals and canonical.base in dollars and canonical.quote in dollars:
        candidates[VIA_USD] = _local_cross(dollars[canonical.base], dollars[canonical.quote])
    if not candidates:
        return None
    order = [leg.provider for leg in route.direct] + [VIA + leg.provider for leg in route.via]
    order += [VIA_USD] if route.crosses_locals else []
    latest = {name: c.fixing for name, c in candidates.items()}
    choice = choose(order, latest, states, now)
    if choice is None:  # pragma: no cover - there is a candidate
        return None
    return _view(pair, candidates, choice, states, now, settings)


def _direct(leg: Leg, canonical: Pair, fixings: Sequence[Observation]) -> _Candidate:
    turn = leg.inverted_for(canonical)

    def rate(o: Observation) -> Decimal:
        return invert(o.rate) if turn else o.rate

    latest = fixings[0]
    before = fixings[1] if len(fixings) > 1 else None
    return _Candidate(
        _Fixing(
            latest.provider,
            str(canonical),
            latest.as_of,
            pair_derivation(latest.provider, leg.stored.base, leg.stored.quote, latest.as_of),
        ),
        rate(latest),
        rate(before) if before is not None else None,
        before.as_of if before is not None else None,
        latest.derived,
        latest.fetched_at,
        latest.precision,
        stored=leg,
    )


def _cross(usd_foreign: Sequence[Observation], usd_local: PairView, aggregator: str) -> _Candidate:
    """``F/L = (L per USD) / (F per USD)`` from an aggregator's ``USD/F`` and the routed
    ``USD/L``."""
    f = usd_foreign[0]
    f_before = usd_foreign[1] if len(usd_foreign) > 1 else None
    rate = usd_local.rate / f.rate
    previous, previous_as_of = _previous_cross(
        (
            f.as_of,
            f.rate,
            f_before.as_of if f_before else None,
            f_before.rate if f_before else None,
        ),
        (usd_local.as_of, usd_local.rate, usd_local.change_from, usd_local.change_from_rate),
        lambda foreign, local: local / foreign,
    )
    older = (
        (aggregator, f.as_of)
        if f.as_of <= usd_local.as_of
        else (usd_local.provider, usd_local.as_of)
    )
    legs = (
        CrossLeg(aggregator, Pair(USD, f.quote), f.as_of, f.rate),
        CrossLeg(usd_local.provider, usd_local.pair, usd_local.as_of, usd_local.rate),
    )
    return _Candidate(
        _Fixing(older[0], f"{f.quote}/{usd_local.local}", older[1]),
        rate,
        previous,
        previous_as_of,
        True,
        max(f.fetched_at, usd_local.fetched_at),
        _sum(f.precision, usd_local.precision_pct),
        legs,
    )


def _local_cross(usd_base: PairView, usd_quote: PairView) -> _Candidate:
    """``B/Q = (Q per USD) / (B per USD)`` from the two sides' routed dollar rates."""
    rate = usd_quote.rate / usd_base.rate
    previous, previous_as_of = _previous_cross(
        (usd_base.as_of, usd_base.rate, usd_base.change_from, usd_base.change_from_rate),
        (usd_quote.as_of, usd_quote.rate, usd_quote.change_from, usd_quote.change_from_rate),
        lambda base, quote: quote / base,
    )
    older = min((usd_base, usd_quote), key=lambda v: v.as_of)
    legs = tuple(
        CrossLeg(v.provider, v.pair, v.as_of, v.rate)
        for v in sorted((usd_base, usd_quote), key=lambda v: v.as_of)
    )
    return _Candidate(
        _Fixing(older.provider, f"{usd_base.local}/{usd_quote.local}", older.as_of),
        rate,
        previous,
        previous_as_of,
        True,
        max(usd_base.fetched_at, usd_quote.fetched_at),
        _sum(usd_base.precision_pct, usd_quote.precision_pct),
        legs,
    )


_LegState = tuple[date, Decimal, date | None, Decimal | None]
"""A leg's date and rate, and its previous fixing's."""


def _previous_cross(
    a: _LegState, b: _LegState, combine: Callable[[Decimal, Decimal], Decimal]
) -> tuple[Decimal | None, date | None]:
    """The cross as it stood before its newest leg's date: the leg(s) dated that day at
    their previous fixing, the other as it is; None when such a leg has none."""
    newest = max(a[0], b[0])
    sides = []
    for as_of, rate, before_as_of, before in (a, b):
        if as_of < newest:
            sides.append((as_of, rate))
        elif before is None or before_as_of is None:
            return None, None
        else:
            sides.append((before_as_of, before))
    return combine(sides[0][1], sides[1][1]), max(sides[0][0], sides[1][0])


def _sum(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b


def _view(
    pair: Pair,
    candidates: Mapping[str, _Candidate],
    choice: Choice,
    states: Mapping[str, HealthState],
    now: datetime,
    settings: Settings,
) -> PairView:
    shown = candidates[choice.provider]
    provider = shown.fixing.provider
    rate = convert(shown.rate, pair)
    before = convert(shown.previous, pair) if shown.previous is not None else None
    local = pair.local
    # Divergence: against the other direct quotes of the same date that can confirm it.
    others = [
        (convert(c.rate, pair), c.precision)
        for name, c in candidates.items()
        if name != choice.provider
        and c.stored is not None
        and c.fixing.as_of == shown.fixing.as_of
        and _confirms(c.fixing, shown.fixing)
    ]
    divergence_pct, divergent = (None, False)
    if shown.stored is not None:
        divergence_pct, divergent = divergence(
            rate, shown.precision, others, settings.collector.divergence
        )
    fallback_for = choice.fallback_for
    if fallback_for is not None and fallback_for.startswith(VIA):
        fallback_for = fallback_for.removeprefix(VIA)
    return PairView(
        local=local,
        pair=pair,
        rate=rate,
        change=rate - before if before is not None else None,
        change_pct=percent_change(before, rate) if before is not None else None,
        as_of=shown.fixing.as_of,
        provider=provider,
        derived=shown.derived,
        fetched_at=shown.fetched_at,
        freshness=freshness(provider, shown.fixing.as_of, now),
        provider_state=states.get(provider, UNKNOWN),
        divergence_pct=divergence_pct,
        divergent=divergent,
        precision_pct=shown.precision,
        fallback_for=fallback_for,
        fallback_why=choice.why,
        derived_from=shown.fixing.derived_from,
        change_from=shown.previous_as_of if before is not None else None,
        change_from_rate=before,
        cross_of=shown.legs,
    )


def _confirms(other: _Fixing, shown: _Fixing) -> bool:
    """Whether ``other``'s quote can confirm ``shown``'s: another source's own
    publication (CBR's ``KGS/RUB`` since 27 Dec 2024 is NBKR's number, it confirms
    nobody), and not the one ``shown``'s was computed from."""
    if other.provider == shown.provider or other.derived_from is not None:
        return False
    return shown.derived_from is None or shown.derived_from.origin != other.provider


def _other_period(
    reads: ReadQueries,
    settings: Settings,
    views: Sequence[PairView],
    period: ChangePeriod,
    today: date,
) -> list[PairView]:
    """A period's change of pairs other than the dollar's, against the rate in force at
    the period's start (one statement for all): a direct quote's own series'; a cross's,
    made again from each of its legs' series' rates in force then (the same sources);
    ``n/a`` when one of them has none."""
    start = period_start(period, today)
    if start is None or not views:
        return list(views)
    enabled = settings.enabled_providers("rates")
    wanted: dict[int, list[tuple[Pair, str, date]]] = {}
    day = start + timedelta(days=1)
    for i, v in enumerate(views):
        if v.is_cross:
            wanted[i] = [(leg.pair, leg.provider, day) for leg in v.cross_of]
            continue
        route = route_for(v.pair, settings.routing, enabled)
        leg = next((g for g in route.direct if g.provider == v.provider), None)
        if leg is not None:
            wanted[i] = [(leg.stored, leg.provider, day)]
    found = reads.pair_fixings_before([key for keys in wanted.values() for key in keys])
    result = []
    for i, v in enumerate(views):
        bases = [found.get(key) for key in wanted.get(i, [])]
        then = _rate_then(v, bases) if bases and None not in bases else None
        if then is None:
            result.append(v._replace(
                change=None, change_pct=None, change_period=period,
                change_from=None, change_from_rate=None,
            ))  # fmt: skip
            continue
        before, as_of = then
        result.append(v._replace(
            change=v.rate - before, change_pct=percent_change(before, v.rate),
            change_period=period, change_from=as_of, change_from_rate=before,
        ))  # fmt: skip
    return result


def _rate_then(
    view: PairView, fixings: Sequence[Observation | None]
) -> tuple[Decimal, date] | None:
    """``view``'s pair's rate from the stored ``fixings`` (a direct quote's one, either
    way round; a cross's legs, each ``USD/X``), and the newest of their dates."""
    if not view.is_cross:
        (only,) = fixings
        assert only is not None
        stored = Pair(only.base, only.quote)
        return (only.rate if stored == view.pair else invert(only.rate)), only.as_of
    per_usd = {USD: Decimal(1)}
    for fixing in fixings:
        assert fixing is not None and fixing.base == USD
        per_usd[fixing.quote] = fixing.rate
    pair = view.pair
    if pair.base not in per_usd or pair.quote not in per_usd:  # pragma: no cover
        return None
    rate = per_usd[pair.quote] / per_usd[pair.base]
    return rate, max(f.as_of for f in fixings if f is not None)
