"""What the dashboard shows, loaded from the store in one go (headless, bounded).

Every query here is an indexed lookup or a LIMIT: the cost does not grow with history.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ticker.config import Settings
from ticker.core.rates import current_rates
from ticker.display.sparkline import sparkline
from ticker.model.pairs import Orientation, convert, pair_for, percent_change
from ticker.model.snapshot import DetailRow, PairDetail, Snapshot

if TYPE_CHECKING:
    from ticker.model.records import AlertEvent
    from ticker.storage.repository import Repository

SPARK_FIXINGS = 30


def load_snapshot(
    repo: Repository,
    settings: Settings,
    orientation: Orientation,
    now: datetime,
    events_after: int | None = None,
) -> Snapshot:
    """Everything the main screen shows at ``now``; with ``events_after``, the firings
    since. Read on one connection."""
    with repo.reading():
        return _snapshot(repo, settings, orientation, now, events_after)


def _snapshot(
    repo: Repository,
    settings: Settings,
    orientation: Orientation,
    now: datetime,
    events_after: int | None,
) -> Snapshot:
    health = repo.load_health()
    views = current_rates(repo, settings, now, orientation, health)
    sparks = {
        v.local: sparkline(
            [
                convert(o.rate, v.pair)
                for o in repo.last_fixings(v.local, v.provider, SPARK_FIXINGS)
            ],
            SPARK_FIXINGS,
        )
        for v in views
    }
    last_event_id = repo.last_event_id()
    events: list[AlertEvent] = []
    if events_after is not None and last_event_id > events_after:
        events = repo.alert_events(limit=20, after_id=events_after)[::-1]
        # Firings recorded between the two reads are in ``events``: count them as seen.
        last_event_id = max(last_event_id, *(e.id for e in events))
    return Snapshot(views, sparks, health, repo.alert_rules(), now, events, last_event_id)


def pair_detail(
    repo: Repository, settings: Settings, local: str, orientation: Orientation, routed: str | None
) -> PairDetail:
    """Every provider's latest value for a pair, against the routed one, and held values
    (read on one connection)."""
    with repo.reading():
        return _detail(repo, settings, local, orientation, routed)


def _detail(
    repo: Repository, settings: Settings, local: str, orientation: Orientation, routed: str | None
) -> PairDetail:
    pair = pair_for(local, orientation)
    providers = list(settings.routing[local])
    latest = {o.provider: o for o in repo.latest_per_provider([local], providers)}
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
        rows.append(
            DetailRow(
                provider, rate, o.as_of, o.derived, deviation, provider == routed, o.precision
            )
        )
    return PairDetail(local, rows, repo.quarantined(local, limit=20))
