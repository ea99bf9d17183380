"""What the dashboard shows, loaded from the store in one go (headless, bounded).

A snapshot is four statements on one connection, whatever the length of the history:
the providers' health, the routed sources' last fixings of every pair (routing, changes
and sparklines all come from those: see :func:`ticker.core.rates.routed_rates`), the
alert rules and the newest firing's id. One more each, only when needed: the firings
since the last look, a shown fallback's sparkline, a source's fixing of the shown
date that lies further back than its last fixings, and the rates in force at a change
period's start (a period other than ``1d``). Never more than eight. The watched pairs
beyond the dollar (``[pairs] watch``) add theirs, whatever their number:
:func:`ticker.core.pair_rates.pair_rates`'s and one for their sparklines
(:mod:`ticker.core.pair_snapshot`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from providers.provenance import derivation
from ticker.config import Settings
from ticker.core.rates import period_changes, routed_rates
from ticker.display.sparkline import sparkline
from ticker.model.conversion import through_usd
from ticker.model.pairs import (
    LOCAL_CURRENCIES,
    Orientation,
    Pair,
    convert,
    pair_for,
    percent_change,
)
from ticker.model.periods import ChangePeriod
from ticker.model.snapshot import DetailRow, PairDetail, Snapshot

if TYPE_CHECKING:
    from ticker.model.records import AlertEvent
    from ticker.storage.reads import ReadQueries

SPARK_FIXINGS = 30


def load_snapshot(
    reads: ReadQueries,
    settings: Settings,
    orientation: Orientation,
    now: datetime,
    events_after: int | None = None,
    period: ChangePeriod = ChangePeriod.DAY,
    others: Sequence[Pair] = (),
) -> Snapshot:
    """Everything the main screen shows at ``now``, changes over ``period`` (from this
    machine's date); with ``events_after``, the firings since; with ``others``, the
    watched pairs beyond the dollar after the dollar pairs, grouped by their foreign
    currency (:mod:`ticker.core.pair_snapshot`). Read on one connection."""
    with reads.reading():
        return _snapshot(reads, settings, orientation, now, events_after, period, others)


def _snapshot(
    reads: ReadQueries,
    settings: Settings,
    orientation: Orientation,
    now: datetime,
    events_after: int | None,
    period: ChangePeriod,
    others: Sequence[Pair] = (),
) -> Snapshot:
    health = reads.load_health()
    routed = routed_rates(reads, settings, now, orientation, health, SPARK_FIXINGS)
    views = period_changes(reads, routed.views, period, now.astimezone().date())
    sparks = {
        v.local: sparkline(
            [convert(o.rate, v.pair) for o in reversed(routed.recent[(v.local, v.provider)])],
            SPARK_FIXINGS,
        )
        for v in routed.views
    }
    if others:
        from ticker.core.pair_snapshot import other_views

        more, more_sparks = other_views(reads, settings, others, now, health, period, SPARK_FIXINGS)
        views = [*views, *more]
        sparks.update(more_sparks)
    last_event_id = reads.last_event_id()
    events: list[AlertEvent] = []
    if events_after is not None and last_event_id > events_after:
        events = reads.alert_events(limit=20, after_id=events_after)[::-1]
        # Firings recorded between the two reads are in ``events``: count them as seen.
        last_event_id = max(last_event_id, *(e.id for e in events))
    rules = reads.alert_rules()
    return Snapshot(views, sparks, health, rules, now, events, last_event_id)


def pair_detail(
    reads: ReadQueries,
    settings: Settings,
    local: str,
    orientation: Orientation,
    routed: str | None,
    now: datetime | None = None,
) -> PairDetail:
    """Every source's latest value for a pair that the store holds, routed or not, against
    the shown one, and held values (three statements on one connection); with ``now``,
    the pair's market and reported rates (:func:`ticker.core.market.with_market`) and the
    crosses against the other four currencies at that moment's routed rates (two more:
    the health and every pair's last fixings)."""
    with reads.reading():
        detail = _detail(reads, settings, local, orientation, routed)
        if now is None:
            return detail
        from ticker.core.market import with_market  # not for the first frame's read

        detail = with_market(detail, reads, pair_for(local, orientation), now)
        views = routed_rates(
            reads, settings, now, Orientation.PER_USD, reads.load_health(), 2, LOCAL_CURRENCIES
        ).views
    per_usd = {v.local: v.rate for v in views}
    if local not in per_usd:
        return detail
    crosses = [
        (other, through_usd(Decimal(1), local, other, per_usd).rate)
        for other in LOCAL_CURRENCIES
        if other != local and other in per_usd
    ]
    return dataclasses.replace(detail, crosses=crosses)


def _detail(
    reads: ReadQueries,
    settings: Settings,
    local: str,
    orientation: Orientation,
    routed: str | None,
) -> PairDetail:
    pair = pair_for(local, orientation)
    routing = list(settings.routing[local])
    others = sorted(p for p in reads.stored_providers() if p not in routing)
    providers = routing + others
    latest = {o.provider: o for o in reads.latest_per_provider([local], providers)}
    base = latest.get(routed) if routed else None
    base_rate = convert(base.rate, pair) if base is not None else None
    rows = []
    for provider in providers:
        o = latest.get(provider)
        if o is None:
            continue
        rate = convert(o.rate, pair)
        deviation = None
        if base_rate is not None and provider != routed:
            deviation = percent_change(base_rate, rate)
        route = routing.index(provider) + 1 if provider in routing else None
        rows.append(
            DetailRow(
                provider,
                rate,
                o.as_of,
                o.derived,
                deviation,
                provider == routed,
                o.precision,
                route,
                derivation(provider, local, o.as_of),
            )  # fmt: skip
        )
    return PairDetail(local, rows, reads.quarantined(local, limit=20))
