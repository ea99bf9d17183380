"""Stored market quotes and reported rates streamed for ``ticker export --market``: every
row of the history (a price of one institution's channel, from the poll that first saw it
to the last that saw it again), not only the newest, through one streaming cursor, so
memory stays flat whatever the history's size. Read side: no ORM.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ticker.model.market_records import ReportedRate, StoredQuote
from ticker.storage import decode
from ticker.storage.export_stream import fetched_in_batches
from ticker.storage.reads import ReadQueries, stored_moment
from ticker.storage.sql import MARKET_QUOTE
from ticker.storage.version import MARKET_SCHEMA


def _stream(store: ReadQueries, text: str, params: list[Any]) -> Iterator[Any]:
    with store.errors(), store.driver() as raw:
        yield from fetched_in_batches(raw, text, params)
        if store.dialect != "sqlite":
            raw.rollback()


def _between(
    store: ReadQueries, first: str, last: str, since: datetime | None, until: datetime | None
) -> tuple[str, list[Any]]:
    """The WHERE clause of rows seen from ``since`` to before ``until``."""
    mark = "?" if store.dialect == "sqlite" else "%s"
    clauses, params = ["1 = 1"], []
    if since is not None:
        clauses.append(f"{last} >= {mark}")
        params.append(stored_moment(since, store.dialect))
    if until is not None:
        clauses.append(f"{first} < {mark}")
        params.append(stored_moment(until, store.dialect))
    return " AND ".join(clauses), params


def stored_quotes(
    store: ReadQueries, since: datetime | None = None, until: datetime | None = None
) -> Iterator[StoredQuote]:
    """Every stored quote row seen from ``since`` to before ``until`` (None: no bound), by
    pair, channel, source, institution, city, then time."""
    if store.schema_version < MARKET_SCHEMA:
        return
    where, params = _between(store, "first_fetched_at", "last_fetched_at", since, until)
    text = (
        f"SELECT {MARKET_QUOTE} FROM market_quote WHERE {where} "
        "ORDER BY base, quote, channel, source, institution, city, first_fetched_at, id"
    )
    for row in _stream(store, text, params):
        yield decode.market_quote(row)


def reported_rates(
    store: ReadQueries, since: datetime | None = None, until: datetime | None = None
) -> Iterator[ReportedRate]:
    """Every reported rate from ``since`` to before ``until``, by pair, then time."""
    if store.schema_version < MARKET_SCHEMA:
        return
    where, params = _between(store, "reported_at", "reported_at", since, until)
    text = (
        "SELECT id, base, quote, rate, note, reported_at FROM reported_rate "
        f"WHERE {where} ORDER BY base, quote, reported_at, id"
    )
    for row in _stream(store, text, params):
        yield decode.reported(row)
