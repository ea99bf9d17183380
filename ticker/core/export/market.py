"""``ticker export --market``: the market history in long form, one row per stored quote
(a price of one institution's channel, as long as it held: ``first_fetched_at`` to
``last_fetched_at``), then the rates reported by hand as rows of origin ``reported``.

Columns: :data:`MARKET_COLUMNS`. Prices exactly as stored (``10.9500`` stays), quoted
times ISO 8601 with the source's own offset, fetched times UTC with ``Z``. A reported rate
is one rate, not a buy or a sell: its row has ``rate`` and ``note`` and no buy, sell,
institution or channel (``reported_at`` in the time columns). RFC 4180 (CRLF, a field with
a comma or a quote quoted), UTF-8, ``.`` as the decimal separator whatever the locale.
Streamed (:mod:`ticker.storage.market_export`): memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import BinaryIO

from ticker.core.export.shapes import write_rows
from ticker.core.export.target import opened_target
from ticker.display.views import utc_text
from ticker.model.market import local_time, origin_of
from ticker.model.market_records import REPORTED
from ticker.storage.market_export import reported_rates, stored_quotes
from ticker.storage.reads import ReadQueries

MARKET_COLUMNS = (
    "source",
    "origin",
    "institution",
    "city",
    "base",
    "quote",
    "channel",
    "buy",
    "sell",
    "quoted_at",
    "first_fetched_at",
    "last_fetched_at",
    "rate",
    "note",
)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def market_rows(
    store: ReadQueries, since: date | None = None, until: date | None = None
) -> Iterator[Sequence[str]]:
    """The rows of quotes seen, and rates reported, from ``since`` to ``until`` (whole UTC
    days, both included; None: no bound)."""
    start = datetime.combine(since, time(), UTC) if since is not None else None
    end = datetime.combine(until + timedelta(days=1), time(), UTC) if until is not None else None
    for q in stored_quotes(store, start, end):
        yield (
            q.source,
            origin_of(q.source).value,
            q.institution,
            q.city,
            q.base,
            q.quote,
            q.channel.value,
            _text(q.buy),
            _text(q.sell),
            local_time(q).isoformat() if q.quoted_at is not None else "",
            utc_text(q.first_fetched_at),
            utc_text(q.last_fetched_at),
            "",
            "",
        )
    for r in reported_rates(store, start, end):
        when = utc_text(r.reported_at)
        yield (REPORTED, REPORTED, "", "", r.base, r.quote, "", "", "", when, when, when,
               str(r.rate), r.note)  # fmt: skip


def write_market(out: BinaryIO, rows: Iterable[Sequence[str]]) -> int:
    """The header and ``rows`` as CSV; the number of data rows."""
    return write_rows(out, MARKET_COLUMNS, rows)


def export_market(
    store: ReadQueries,
    since: date | None,
    until: date | None,
    target: str | None,
    force: bool,
) -> int:
    """Write the market CSV to ``target`` (a file, atomically; stdout for None or ``-``);
    the number of data rows."""
    with opened_target(target, force) as out:
        return write_market(out, market_rows(store, since, until))
