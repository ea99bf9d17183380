"""Market quotes, the quotes held as implausible, and rates users reported by hand.

A quote is kept per price change, not per poll. Its key is (source, institution, city,
base, quote, channel); the key's newest row has ``replaced_at`` NULL. A poll whose prices
for a key are those of the key's newest row adds no row: it moves that row's
``last_fetched_at`` (and ``seen_quoted_at``, the newest quoted time the source gave the
same prices with). Other prices add a row and close the previous one (``replaced_at``).
A quote the source times before the newest row's quoted time, with other prices, is
older news than the store's and is left out.

A quote whose sell (its buy, when it sells nothing) is more than ``band`` percent from the
official rate of its pair is held (``quarantined_quote``) with the facts of why, never
stored as a market price. Every batch is one transaction; on PostgreSQL it also takes an
advisory lock of its own, so two writers never both open a row for one key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, or_, select, text

from providers.market_quote import Channel, MarketQuote
from ticker.model.market_records import QuoteKey, quote_key
from ticker.model.pairs import percent_change
from ticker.model.quarantine import HeldKind, HeldReason, encode
from ticker.model.records import QuotesStored
from ticker.storage.base import StoreBase
from ticker.storage.rate_store import _CODE, _NAME
from ticker.storage.tables import (
    MarketQuoteRow,
    QuarantinedQuoteRow,
    ReportedRateRow,
    table_of,
)

MARKET_QUOTES: Table = table_of(MarketQuoteRow)
HELD_QUOTES: Table = table_of(QuarantinedQuoteRow)
REPORTED_RATES: Table = table_of(ReportedRateRow)

#: The word market writes (quotes, held quotes, reported rates) are announced with on
#: PostgreSQL (one of :data:`ticker.storage.changes.ANNOUNCED`).
MARKET = "market"

#: PostgreSQL: the advisory lock a batch of quotes holds until it commits ("mark").
_MARKET_LOCK_KEY = 0x6D61726B

#: The longest note a reported rate keeps.
MAX_NOTE = 500

_KEY_COLUMNS = ("source", "institution", "city", "base", "quote", "channel")
#: Held keys looked up by one statement (SQLite refuses expressions deeper than 1000).
_KEYS_A_STATEMENT = 200


def too_far_from_official(
    quote: MarketQuote, official: Decimal | None, band: Decimal
) -> str | None:
    """Why ``quote`` is held (the facts, :mod:`ticker.model.quarantine`'s way): its sell
    (its buy, when it sells nothing) is more than ``band`` percent from ``official``
    (units of ``quote.quote`` for one ``quote.base``). None: kept (exactly ``band`` off
    is kept; without an official rate nothing is checked)."""
    price = quote.sell if quote.sell is not None else quote.buy
    if official is None or official <= 0 or price is None:
        return None
    if abs(percent_change(official, price)) > band:
        return encode(HeldReason(HeldKind.OFFICIAL, band))
    return None


@dataclass(slots=True)
class _Open:
    """A key's newest row, as this batch leaves it (``id`` 0: inserted by the batch)."""

    id: int
    buy: Decimal | None
    sell: Decimal | None
    seen_quoted_at: datetime | None
    last_fetched_at: datetime
    replaced_at: datetime | None = None
    touched: bool = False
    row: dict[str, Any] | None = None
    """The row to insert (a price this batch found)."""

    def same_prices(self, q: MarketQuote) -> bool:
        return self.buy == q.buy and self.sell == q.sell

    def confirm(self, q: MarketQuote) -> None:
        """The same prices seen again by ``q``."""
        if q.quoted_at is not None and (
            self.seen_quoted_at is None or q.quoted_at > self.seen_quoted_at
        ):
            self.seen_quoted_at = q.quoted_at
        self.last_fetched_at = max(self.last_fetched_at, q.fetched_at)
        self.touched = True
        if self.row is not None:
            self.row["seen_quoted_at"] = self.seen_quoted_at
            self.row["last_fetched_at"] = self.last_fetched_at

    def older_than(self, q: MarketQuote) -> bool:
        """``q`` is timed before the prices this row holds (older news)."""
        return (
            q.quoted_at is not None
            and self.seen_quoted_at is not None
            and q.quoted_at < self.seen_quoted_at
        )

    def close(self, when: datetime) -> None:
        self.replaced_at = when
        self.touched = True
        if self.row is not None:
            self.row["replaced_at"] = when


def _new_row(q: MarketQuote, **extra: Any) -> dict[str, Any]:
    return {
        "source": q.source,
        "institution": q.institution,
        "city": q.city,
        "base": q.base,
        "quote": q.quote,
        "channel": str(q.channel),
        "buy": q.buy,
        "sell": q.sell,
        "quoted_at": q.quoted_at,
        "seen_quoted_at": q.quoted_at,
        "first_fetched_at": q.fetched_at,
        "last_fetched_at": q.fetched_at,
        **extra,
    }


def _opened(row: dict[str, Any]) -> _Open:
    return _Open(0, row["buy"], row["sell"], row["seen_quoted_at"], row["last_fetched_at"], row=row)


def _check_quotes(quotes: Sequence[MarketQuote]) -> None:
    """Plain words and codes only (exported CSV never needs to quote them)."""
    for name in {q.source for q in quotes}:
        if not _NAME.fullmatch(name):
            raise ValueError(f"source names are lowercase words, got {name!r}")
    _check_codes({c for q in quotes for c in (q.base, q.quote)})
    for q in quotes:
        Channel(q.channel)


def _check_codes(codes: set[str]) -> None:
    for code in codes:
        if not _CODE.fullmatch(code):
            raise ValueError(f"currency codes are three capital letters, got {code!r}")


class MarketStore(StoreBase):
    """Market quotes, held quotes, reported rates (the write side; reads are in
    :mod:`ticker.storage.reads`)."""

    def store_quotes(
        self,
        quotes: Sequence[MarketQuote],
        official: Mapping[tuple[str, str], Decimal],
        band: Decimal,
    ) -> QuotesStored:
        """Store one board in ONE transaction: each quote adds a row (new prices for its
        key), confirms the key's newest row (the same prices), or is held as too far
        from ``official[(base, quote)]`` (more than ``band`` percent; no official rate:
        not checked)."""
        _check_quotes(quotes)
        if not quotes:
            return QuotesStored(0, 0, 0, [])
        kept: list[MarketQuote] = []
        held: list[tuple[MarketQuote, str]] = []
        for q in quotes:
            reason = too_far_from_official(q, official.get((q.base, q.quote)), band)
            if reason is None:
                kept.append(q)
            else:
                held.append((q, reason))
        held_official = {id(q): official.get((q.base, q.quote)) for q, _ in held}
        with self.db.errors(), self._write() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MARKET_LOCK_KEY})
            added, confirmed = self._keep(conn, MARKET_QUOTES, kept, newest_only=True)
            self._keep(
                conn,
                HELD_QUOTES,
                [q for q, _ in held],
                newest_only=False,
                extra={id(q): {"reason": r, "official": held_official[id(q)]} for q, r in held},
            )
            self._announce(conn, MARKET)
        return QuotesStored(len(quotes), added, confirmed, held)

    def _keep(
        self,
        conn: Connection,
        table: Table,
        quotes: Sequence[MarketQuote],
        newest_only: bool,
        extra: Mapping[int, Mapping[str, Any]] | None = None,
    ) -> tuple[int, int]:
        """Add or confirm ``quotes`` in ``table``: (rows added, quotes confirmed)."""
        if not quotes:
            return 0, 0
        current = self._newest_rows(conn, table, quotes, newest_only)
        stored = list(current.values())  # the rows this batch may update
        inserts: list[dict[str, Any]] = []
        added = confirmed = 0
        for q in quotes:
            key = quote_key(q)
            now = current.get(key)
            if now is not None and now.same_prices(q):
                now.confirm(q)
                confirmed += 1
                continue
            if now is not None and now.older_than(q):
                continue  # older news than the prices held: left out
            if now is not None and newest_only:
                now.close(q.fetched_at)
            more = dict(extra[id(q)]) if extra is not None else {}
            row = _new_row(q, **more)
            if newest_only:
                row["replaced_at"] = None
            inserts.append(row)
            current[key] = _opened(row)
            added += 1
        changes = [
            {
                "row_id": o.id,
                "s": o.seen_quoted_at,
                "l": o.last_fetched_at,
                **({"r": o.replaced_at} if newest_only else {}),
            }
            for o in stored
            if o.touched
        ]
        if changes:
            values: dict[str, Any] = {
                "seen_quoted_at": bindparam("s"),
                "last_fetched_at": bindparam("l"),
            }
            if newest_only:
                values["replaced_at"] = bindparam("r")
            stmt = table.update().where(table.c.id == bindparam("row_id")).values(**values)
            conn.execute(stmt, changes)
        if inserts:
            conn.execute(table.insert(), inserts)
        return added, confirmed

    @staticmethod
    def _newest_rows(
        conn: Connection, table: Table, quotes: Sequence[MarketQuote], newest_only: bool
    ) -> dict[QuoteKey, _Open]:
        """The newest stored row of each key of ``quotes``: ``market_quote``'s open rows
        (one range of its newest index); ``quarantined_quote``'s newest row per key."""
        t = table
        columns = (
            t.c.id, *(t.c[c] for c in _KEY_COLUMNS), t.c.buy, t.c.sell, t.c.seen_quoted_at,
            t.c.last_fetched_at,
        )  # fmt: skip
        if newest_only:
            pairs = sorted({(q.base, q.quote) for q in quotes})
            wheres = [
                and_(
                    t.c.replaced_at.is_(None),
                    or_(*(and_(t.c.base == b, t.c.quote == c) for b, c in pairs)),
                    t.c.source.in_(sorted({q.source for q in quotes})),
                )
            ]
        else:  # a few keys a statement: SQLite parses a long OR into a deep tree
            keys = sorted({quote_key(q) for q in quotes})
            wheres = [
                or_(
                    *(
                        and_(*(t.c[c] == v for c, v in zip(_KEY_COLUMNS, k, strict=True)))
                        for k in keys[i : i + _KEYS_A_STATEMENT]
                    )
                )
                for i in range(0, len(keys), _KEYS_A_STATEMENT)
            ]
        found: dict[QuoteKey, _Open] = {}
        for where in wheres:
            for r in conn.execute(select(*columns).where(where).order_by(t.c.id)):
                key = (r.source, r.institution, r.city, r.base, r.quote, r.channel)
                found[key] = _Open(r.id, r.buy, r.sell, r.seen_quoted_at, r.last_fetched_at)
        return found

    def report_rate(self, base: str, quote: str, rate: Decimal, note: str, when: datetime) -> int:
        """Keep a rate a user reported by hand (``rate`` units of ``quote`` for one
        ``base``, exactly as given) at ``when``; its id. The plausibility of the rate is
        the caller's (:func:`ticker.core.ingest.report_rate`)."""
        _check_codes({base, quote})
        if base == quote:
            raise ValueError(f"base and quote are both {base}")
        if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
            raise ValueError(f"a reported rate is a positive finite Decimal, got {rate!r}")
        if len(note) > MAX_NOTE:
            raise ValueError(f"a note is at most {MAX_NOTE} characters, got {len(note)}")
        t = REPORTED_RATES
        row = {"base": base, "quote": quote, "rate": rate, "note": note, "reported_at": when}
        with self.db.errors(), self._write() as conn:
            done = conn.execute(t.insert().values(**row))
            self._announce(conn, MARKET)
        (reported,) = done.inserted_primary_key or (0,)
        return int(reported)

    def delete_reported(self, reported_id: int) -> bool:
        """Remove reported rate ``reported_id``; False when there is none of that id."""
        t = REPORTED_RATES
        with self.db.errors(), self._write() as conn:
            gone = conn.execute(t.delete().where(t.c.id == reported_id)).rowcount
            if gone:
                self._announce(conn, MARKET)
        return bool(gone)
