"""What the dashboard shows of the watched pairs beyond the dollar (``[pairs] watch``):
their rows (:func:`ticker.core.pair_rates.pair_rates`) with a sparkline each, the chart
of one of them and its detail, read from the stored series as the sources publish them
(:mod:`ticker.model.pair_routes`).

A direct quote's history is its source's stored series (turned round where the source
publishes the pair the other way: CBR's ``TJS/RUB`` for ``RUB/TJS``); a cross's is made
from its two legs' stored dollar rates, each date at the rates in force on it.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ticker.config import Settings
from ticker.core.pair_rates import pair_rates
from ticker.display.sparkline import sparkline
from ticker.model.pair_routes import Leg, route_for
from ticker.model.pairs import USD, Pair, invert, percent_change
from ticker.model.periods import ChangePeriod
from ticker.model.series import MAX_POINTS, Series, range_start
from ticker.model.snapshot import CROSS_SERIES, DetailRow, PairDetail, group_rank, row_key

if TYPE_CHECKING:
    from providers.base import Observation
    from ticker.model.health import ProviderHealth
    from ticker.model.routing import PairView
    from ticker.storage.reads import PairKey, ReadQueries

#: Days before a range's start read for a cross's legs (each has a rate in force on it).
CROSS_LOOKBACK = 31


def shown_others(settings: Settings, flipped: Collection[str]) -> list[Pair]:
    """The watched pairs beyond the dollar as shown: as written in ``[pairs] watch``, or
    turned round when their key (``RUB/TJS``) is among ``flipped`` (the ``f`` key's)."""
    return [p.inverse if p.key in flipped else p for p in settings.pairs.others]


def other_views(
    reads: ReadQueries,
    settings: Settings,
    pairs: Sequence[Pair],
    now: datetime,
    health: Mapping[str, ProviderHealth],
    period: ChangePeriod,
    spark: int,
) -> tuple[list[PairView], dict[str, str]]:
    """The rows of ``pairs`` grouped by their foreign currency (RUB, EUR, CNY, then the
    crosses among the five; in their order within a group), with each row's sparkline of
    its shown source's last ``spark`` fixings (one more statement)."""
    views = pair_rates(reads, settings, pairs, now, health, period)
    views.sort(key=lambda v: group_rank(v.pair))
    wanted: dict[str, list[PairKey]] = {row_key(v): _keys(settings, v) for v in views}
    keys = list(dict.fromkeys(k for ks in wanted.values() for k in ks))
    recent = reads.recent_pair_fixings(keys, spark) if keys else {}
    sparks = {}
    for v in views:
        points = _points(v, {k: recent.get(k, []) for k in wanted[row_key(v)]})
        sparks[row_key(v)] = sparkline([rate for _day, rate in points], spark)
    return views, sparks


def _direct_leg(settings: Settings, view: PairView) -> Leg | None:
    route = route_for(view.pair, settings.routing, settings.enabled_providers("rates"))
    return next((leg for leg in route.direct if leg.provider == view.provider), None)


def _keys(settings: Settings, view: PairView) -> list[PairKey]:
    """The stored series a row's history comes from: its source's, or a cross's legs'."""
    if view.is_cross:
        return [(leg.pair, leg.provider) for leg in view.cross_of]
    leg = _direct_leg(settings, view)
    return [(leg.stored, leg.provider)] if leg is not None else []


def _as(rate: Decimal, stored: Pair, pair: Pair) -> Decimal:
    return rate if stored == pair else invert(rate)


def _points(
    view: PairView, series: Mapping[PairKey, Iterable[Observation]]
) -> list[tuple[date, Decimal]]:
    """The row's history, oldest first: a direct quote's own fixings; a cross's at each of
    its legs' dates where both have a rate in force."""
    if not view.is_cross:
        return sorted(
            (o.as_of, _as(o.rate, stored, view.pair))
            for (stored, _p), fixings in series.items()
            for o in fixings
        )
    return _cross_points(view.pair, series)


def _cross_points(
    pair: Pair, series: Mapping[PairKey, Iterable[Observation]]
) -> list[tuple[date, Decimal]]:
    per_usd: dict[str, list[tuple[date, Decimal]]] = {}
    for (stored, _provider), fixings in series.items():
        if stored.base != USD:
            return []  # a cross of something else than dollar rates: not drawn
        per_usd[stored.quote] = sorted((o.as_of, o.rate) for o in fixings)
    base, quote = per_usd.get(pair.base), per_usd.get(pair.quote)
    if pair.base == USD:
        base = [(day, Decimal(1)) for day, _rate in quote or []]
    if pair.quote == USD:
        quote = [(day, Decimal(1)) for day, _rate in base or []]
    if not base or not quote:
        return []
    days = sorted({d for d, _r in base} | {d for d, _r in quote})
    points = []
    for day in days:
        b, q = _in_force(base, day), _in_force(quote, day)
        if b is not None and q is not None:
            points.append((day, q / b))  # quote per USD over base per USD
    return points


def _in_force(series: list[tuple[date, Decimal]], day: date) -> Decimal | None:
    at = bisect.bisect_right(series, (day, Decimal("Infinity")))
    return series[at - 1][1] if at else None


def pair_chart(
    reads: ReadQueries, settings: Settings, view: PairView, range_name: str, overlay: bool
) -> list[Series]:
    """The chart of a pair beyond the dollar over ``range_name``, ending at its newest
    stored fixing: the shown source's line (a cross's, made from its legs), or with
    ``overlay`` every direct source's of its route (and the cross, when one is shown)."""
    wanted: dict[str, list[PairKey]] = {}
    if overlay:
        route = route_for(view.pair, settings.routing, settings.enabled_providers("rates"))
        wanted = {leg.provider: [(leg.stored, leg.provider)] for leg in route.direct}
    if view.is_cross:
        wanted[CROSS_SERIES] = _keys(settings, view)
    elif not overlay:
        wanted[view.provider] = _keys(settings, view)
    keys = list(dict.fromkeys(k for ks in wanted.values() for k in ks))
    newest = reads.recent_pair_fixings(keys, 1) if keys else {}
    if not newest:
        return []
    end = max(fixings[0].as_of for fixings in newest.values())
    since = range_start(range_name, end)
    if since is not None and view.is_cross:
        since -= timedelta(days=CROSS_LOOKBACK)  # the legs' rates in force on the first day
    history = {k: reads.pair_history(k[0], since, end, k[1]) for k in keys}
    result = []
    for name, ks in wanted.items():
        cross = name == CROSS_SERIES
        points = (
            _cross_points(view.pair, {k: history[k] for k in ks})
            if cross
            else _points(_plain(view), {k: history[k] for k in ks})
        )
        start = range_start(range_name, end)
        points = [(d, r) for d, r in points if start is None or d >= start]
        if points:
            result.append(_series(name, points))
    from ticker.core.series import reported_series

    return result + reported_series(reads, view.pair, range_start(range_name, end))


def _plain(view: PairView) -> PairView:
    return view._replace(cross_of=())


def _series(name: str, points: list[tuple[date, Decimal]]) -> Series:
    dates = [d for d, _r in points]
    values = [r for _d, r in points]
    low, high = min(values), max(values)
    if len(points) > MAX_POINTS:
        step = len(points) / MAX_POINTS
        keep = [int(i * step) for i in range(MAX_POINTS - 1)] + [len(points) - 1]
        dates = [dates[i] for i in keep]
        values = [values[i] for i in keep]
    return Series(name, dates, values, low, high)


def pair_detail(
    reads: ReadQueries, settings: Settings, view: PairView, now: datetime | None = None
) -> PairDetail:
    """Every direct source of a pair beyond the dollar with its latest value against the
    shown one (one statement), in its route's order; a cross's legs with their dates; with
    ``now``, the pair's market and reported rates (:func:`ticker.core.market.with_market`)."""
    route = route_for(view.pair, settings.routing, settings.enabled_providers("rates"))
    keys = [(leg.stored, leg.provider) for leg in route.direct]
    latest = reads.recent_pair_fixings(keys, 1) if keys else {}
    rows = []
    for place, leg in enumerate(route.direct, start=1):
        fixings = latest.get((leg.stored, leg.provider))
        if not fixings:
            continue
        o = fixings[0]
        rate = _as(o.rate, leg.stored, view.pair)
        shown = not view.is_cross and leg.provider == view.provider
        deviation = None if shown else percent_change(view.rate, rate)
        rows.append(
            DetailRow(leg.provider, rate, o.as_of, o.derived, deviation, shown, o.precision, place)
        )
    detail = PairDetail(view.pair.local, rows, [], pair=view.pair, via=view.cross_of)
    if now is None:
        return detail
    from ticker.core.market import with_market  # not for the first frame's read

    return with_market(detail, reads, view.pair, now)
