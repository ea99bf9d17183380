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

A refresh after new fixings alone (:func:`load_changed`) reads only the pairs they are
of: the shown snapshot with those rows (and their sparklines) read again.
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
    from ticker.core.rates import Routed
    from ticker.model.records import AlertEvent
    from ticker.storage.reads import DataMark, ReadQueries

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
    sparks = _sparks(routed)
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


def only_fixings_moved(before: DataMark | None, after: DataMark) -> int | None:
    """The newest observation's id in ``before`` when ``after`` differs from it only by
    newer observations (no health, firing, market or rule moved): a refresh then reads
    only the pairs those observations are of (:func:`load_changed`). None: read it all."""
    if before is None or len(before) != len(after) or not before:
        return None
    if any(old[1:] != new[1:] for old, new in zip(before, after, strict=True)):
        return None
    old_id, new_id = before[0][0], after[0][0]
    if not isinstance(old_id, int) or not isinstance(new_id, int) or new_id <= old_id:
        return None
    return old_id


def load_changed(
    reads: ReadQueries,
    settings: Settings,
    orientation: Orientation,
    now: datetime,
    shown: Snapshot,
    after: int,
    period: ChangePeriod = ChangePeriod.DAY,
) -> Snapshot | None:
    """``shown`` (the dollar pairs only: no pair beyond the dollar watched) with the rows
    of the pairs that observations stored after the one of id ``after`` are of read again
    (two statements, and each row's as :func:`load_snapshot` reads it); the health, the
    rules and the firings as they were (the data mark says none moved). ``shown``'s
    ``loaded_at`` is kept: the whole state is still read on its own pace. None when the
    new fixings change what is shown beyond their rows (a pair not shown before, one
    whose orientation or period is not ``orientation``'s or ``period``'s): read it all."""
    shown_locals = [v.local for v in shown.views]
    if len(set(shown_locals)) != len(shown.views) or any(
        not v.pair.is_usd or v.pair != pair_for(v.local, orientation) or v.change_period != period
        for v in shown.views
    ):
        return None
    with reads.reading():
        routing = settings.routing
        changed = {
            quote
            for provider, base, quote in reads.observed_since(after)
            if base == "USD" and quote in routing and provider in routing[quote]
        }
        wanted = [local for local in settings.display.pairs if local in changed]
        if not wanted:
            return dataclasses.replace(shown, events=[])
        if any(local not in shown_locals for local in wanted):
            return None
        routed = routed_rates(
            reads, settings, now, orientation, shown.health, SPARK_FIXINGS, wanted
        )
        fresh = period_changes(reads, routed.views, period, now.astimezone().date())
    if sorted(v.local for v in fresh) != sorted(wanted):
        return None  # a pair no longer routed
    by_local = {v.local: v for v in fresh}
    sparks = dict(shown.sparks)
    sparks.update(_sparks(routed))
    views = [by_local.get(v.local, v) for v in shown.views]
    return dataclasses.replace(shown, views=views, sparks=sparks, events=[])


def _sparks(routed: Routed) -> dict[str, str]:
    """Each routed view's sparkline: its shown source's last fixings, in its terms."""
    return {
        v.local: sparkline(
            [convert(o.rate, v.pair) for o in reversed(routed.recent[(v.local, v.provider)])],
            SPARK_FIXINGS,
        )
        for v in routed.views
    }


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
