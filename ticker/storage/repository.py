"""The queries the rest of the program needs, in domain types.

Rates are stored canonically as ``USD -> local``: every method takes the local
currency code (``"KZT"``) and returns :class:`~providers.base.Observation` objects with
``base == "USD"``. Orientation for display is the caller's business.

Bulk paths (storing a batch, streaming rows for export) use SQLAlchemy Core on the
tables behind the models: one executemany, one streaming cursor, no ORM object per row.
Per-pair reads are bounded index lookups, so their cost does not grow with history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ticker.config import Settings
from ticker.storage.alert_store import AlertStore
from ticker.storage.db import open_store
from ticker.storage.health_store import HealthStore
from ticker.storage.indicator_store import IndicatorStore
from ticker.storage.market_store import MarketStore
from ticker.storage.poll_requests import PollRequestStore
from ticker.storage.rate_store import RateStore


def open_repository(settings: Settings, *, writes: bool = False) -> Repository:
    """Open (creating or upgrading) the store the settings name. ``writes``: the caller
    is about to write (a poll, a backfill, a collector): a damaged file is refused now,
    before any work is done for it."""
    repo = Repository(open_store(settings))
    if writes:
        try:
            repo.db.check_sound()
        except BaseException:
            repo.db.dispose()
            raise
    return repo


@contextmanager
def opened_repository(settings: Settings, *, writes: bool = False) -> Iterator[Repository]:
    """The store for the length of a ``with`` block; its connections are closed after."""
    repo = open_repository(settings, writes=writes)
    try:
        yield repo
    finally:
        repo.db.dispose()


class Repository(RateStore, HealthStore, IndicatorStore, AlertStore, PollRequestStore, MarketStore):
    """Reads and writes the history store: one object, six parts (rates, health,
    indicators, alert rules, requests to poll now, the market), one database."""
