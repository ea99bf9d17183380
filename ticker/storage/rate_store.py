"""Observations, quarantined values and days without a fixing.

Rates are stored canonically as ``USD -> local``: every method takes the local currency
code (``"KZT"``) and returns :class:`~providers.base.Observation` objects with ``base ==
"USD"``. Bulk paths use SQLAlchemy Core: one executemany, no ORM object per row; per-pair
reads are bounded index lookups, so their cost does not grow with history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, select

from providers.base import Observation
from ticker.model.pairs import USD, is_local
from ticker.model.records import Quarantined
from ticker.storage.base import NO_FIXING, OBS, QUARANTINE, StoreBase

#: An observation's columns, for the write side's own reads (ingest's checks, backfill's
#: plan): what the screens read is in :mod:`ticker.storage.reads`.
OBS_COLUMNS = (
    OBS.c.provider,
    OBS.c.base,
    OBS.c.quote,
    OBS.c.as_of,
    OBS.c.rate,
    OBS.c.derived,
    OBS.c.fetched_at,
    OBS.c.precision_pct,
)

_SQLITE_INSERT = (
    "INSERT INTO observation "
    "(provider, base, quote, as_of, rate, derived, fetched_at, precision_pct) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, base, quote, as_of) DO NOTHING"
)


class RateStore(StoreBase):
    """Observations, quarantine, days without a fixing."""

    def add_observations(self, observations: Iterable[Observation]) -> int:
        """Store a batch in one transaction; returns how many rows were new.

        A fixing already stored (same provider, base, quote and as_of) is left exactly
        as it was: re-polling adds no row and changes nothing.
        """
        return self.store(list(observations))

    def store(
        self,
        observations: Sequence[Observation],
        quarantined: Sequence[Quarantined] = (),
    ) -> int:
        """Store one response's observations and quarantined values in ONE transaction.

        Returns how many observations were new. Either everything is stored or nothing.
        """
        for o in observations:
            _check_canonical(o)
        _check_names(observations)
        held = []
        for q in quarantined:
            params = _observation_params(q.observation)
            del params["precision_pct"]  # not kept for quarantined values
            params["reason"] = q.reason
            params["previous_rate"] = q.previous_rate
            held.append(params)
        if not observations and not held:
            return 0
        q_stmt = self._insert_ignoring_duplicates(
            QUARANTINE, ("provider", "base", "quote", "as_of", "rate")
        )
        with self.db.errors(), self._write() as conn:
            added = self._insert_observations(conn, observations) if observations else 0
            if held:
                conn.execute(q_stmt, held)
            if added or held:  # a backfill's batch too (a round ends with its health)
                self._announce(conn, observations[0].provider if observations else "held")
            return added

    def _insert_observations(self, conn: Connection, observations: Sequence[Observation]) -> int:
        """The bulk insert: one executemany, no ORM object and no per-row type processing
        on SQLite; returns how many rows were new (duplicates are left as they were)."""
        if self._engine.dialect.name == "sqlite":
            # The values are written in the exact text forms SQLAlchemy's SQLite types
            # read back (tests round-trip every field); sqlite3's rowcount of an
            # executemany counts only the rows really inserted.
            # A batch shares a handful of dates and fetch times: each is formatted once.
            days: dict[date, str] = {}
            times: dict[datetime, str] = {}
            rows = []
            for o in observations:
                day = days.get(o.as_of)
                if day is None:
                    day = days[o.as_of] = o.as_of.isoformat()
                fetched = times.get(o.fetched_at)
                if fetched is None:
                    utc = o.fetched_at.astimezone(UTC)
                    fetched = times[o.fetched_at] = utc.strftime("%Y-%m-%d %H:%M:%S.%f")
                precision = None if o.precision is None else format(o.precision, "f")
                rows.append(
                    (
                        o.provider,
                        o.base,
                        o.quote,
                        day,
                        format(o.rate, "f"),
                        int(o.derived),
                        fetched,
                        precision,
                    )
                )
            cursor = conn.exec_driver_sql(_SQLITE_INSERT, rows)
            return max(cursor.rowcount, 0)
        stmt = self._insert_ignoring_duplicates(OBS, ("provider", "base", "quote", "as_of"))
        params = [_observation_params(o) for o in observations]
        # psycopg reports -1 for an executemany's rowcount, so count the ids RETURNING
        # gives back: only rows really inserted return.
        return len(conn.execute(stmt.returning(OBS.c.id), params).all())

    def rate_before(
        self, local: str, provider: str, before: date, base: str = USD
    ) -> Observation | None:
        """The same provider's latest fixing of ``base/local`` (``USD/local``) dated
        before ``before``."""
        query = (
            self._pair_query(local, provider, base)
            .where(OBS.c.as_of < before)
            .order_by(OBS.c.as_of.desc())
            .limit(1)
        )
        with self.db.errors(), self._read() as conn:
            row = conn.execute(query).first()
        return None if row is None else _observation(row)

    def others_near(
        self, local: str, provider: str, day: date, within: timedelta, base: str = USD
    ) -> list[Observation]:
        """Each other provider's latest fixing of ``base/local`` (``USD/local``) dated
        from ``within`` before ``day`` up to ``day``."""
        query = (
            select(*OBS_COLUMNS)
            .where(
                OBS.c.base == base,
                OBS.c.quote == local,
                OBS.c.provider != provider,
                OBS.c.as_of <= day,
                OBS.c.as_of >= day - within,
            )
            .order_by(OBS.c.as_of)
        )
        with self.db.errors(), self._read() as conn:
            latest = {row.provider: _observation(row) for row in conn.execute(query)}
        return list(latest.values())

    def nearest(self, local: str, provider: str, day: date) -> Observation | None:
        """``provider``'s fixing of ``USD/local`` dated closest to ``day`` (earlier wins a tie)."""
        on_or_before = self._pair_query(local, provider).where(OBS.c.as_of <= day)
        after = self._pair_query(local, provider).where(OBS.c.as_of > day)
        with self.db.errors(), self._read() as conn:
            below = conn.execute(on_or_before.order_by(OBS.c.as_of.desc()).limit(1)).first()
            above = conn.execute(after.order_by(OBS.c.as_of).limit(1)).first()
        candidates = [_observation(r) for r in (below, above) if r is not None]
        if not candidates:
            return None
        return min(candidates, key=lambda o: abs((o.as_of - day).days))

    def quarantined_before(
        self, local: str, provider: str, before: date, base: str = USD
    ) -> Observation | None:
        """The same provider's latest quarantined value of ``base/local`` (``USD/local``)
        before ``before``."""
        t = QUARANTINE
        query = (
            select(
                t.c.provider, t.c.base, t.c.quote, t.c.as_of, t.c.rate, t.c.derived, t.c.fetched_at
            )
            .where(
                t.c.provider == provider, t.c.base == base, t.c.quote == local, t.c.as_of < before
            )
            .order_by(t.c.as_of.desc())
            .limit(1)
        )
        with self.db.errors(), self._read() as conn:
            row = conn.execute(query).first()
        return None if row is None else _observation(row)

    def stored_days_by_pair(
        self, provider: str, since: date, until: date, locals_: Sequence[str]
    ) -> dict[str, set[date]]:
        """Per pair, the dates on which ``provider`` has a stored fixing."""
        query = select(OBS.c.quote, OBS.c.as_of).where(
            OBS.c.provider == provider,
            OBS.c.base == USD,
            OBS.c.quote.in_(sorted(set(locals_))),
            OBS.c.as_of >= since,
            OBS.c.as_of <= until,
        )
        days: dict[str, set[date]] = {local: set() for local in locals_}
        with self.db.errors(), self._read() as conn:
            for quote, as_of in conn.execute(query):
                days[quote].add(as_of)
        return days

    def no_fixing_days(
        self, provider: str, since: date, until: date, locals_: Sequence[str]
    ) -> dict[str, set[date]]:
        """Per pair, the dates in ``[since, until]`` recorded as having no fixing."""
        t = NO_FIXING
        query = select(t.c.quote, t.c.first_day, t.c.last_day).where(
            t.c.provider == provider,
            t.c.quote.in_(sorted(set(locals_))),
            t.c.first_day <= until,
            t.c.last_day >= since,
        )
        days: dict[str, set[date]] = {local: set() for local in locals_}
        with self.db.errors(), self._read() as conn:
            for quote, first, last in conn.execute(query):
                day = max(first, since)
                while day <= min(last, until):
                    days[quote].add(day)
                    day += timedelta(days=1)
        return days

    def record_no_fixing(
        self, provider: str, spans: Sequence[tuple[str, date, date]], now: datetime
    ) -> None:
        """Record ``(local, first_day, last_day)`` spans without a fixing from ``provider``."""
        if not spans:
            return
        rows = [
            {"provider": provider, "quote": q, "first_day": a, "last_day": b, "checked_at": now}
            for q, a, b in spans
        ]
        with self.db.errors(), self._write() as conn:
            conn.execute(NO_FIXING.insert(), rows)

    def _pair_query(self, local: str, provider: str | None, base: str = USD) -> Select[Any]:
        query = select(*OBS_COLUMNS).where(OBS.c.base == base, OBS.c.quote == local)
        if provider is not None:
            query = query.where(OBS.c.provider == provider)
        return query


_NAME = re.compile(r"[a-z][a-z0-9_\-]*")
_CODE = re.compile(r"[A-Z]{3}")


def _check_names(observations: Sequence[Observation]) -> None:
    """Provider names and currency codes are plain words: exported CSV never needs to
    quote a field (see :mod:`ticker.storage.export_stream`)."""
    for name in {o.provider for o in observations}:
        if not _NAME.fullmatch(name):
            raise ValueError(f"provider names are lowercase words, got {name!r}")
    for code in {c for o in observations for c in (o.base, o.quote)}:
        if not _CODE.fullmatch(code):
            raise ValueError(f"currency codes are three capital letters, got {code!r}")


def _check_canonical(o: Observation) -> None:
    """Stored as the source publishes it: the dollar first (``USD/local``), or a central
    bank's own table (``RUB/TJS``, NBKR's ``KZT/KGS``, CBR's ``TJS/RUB``): a local
    currency on one side at least, never the dollar second."""
    if o.quote == USD or (o.base != USD and not (is_local(o.base) or is_local(o.quote))):
        raise ValueError(
            f"observations are stored as USD/local or as a bank publishes a local "
            f"currency, got {o.base}/{o.quote}"
        )


def _observation_params(o: Observation) -> dict[str, Any]:
    _check_canonical(o)
    return {
        "provider": o.provider,
        "base": o.base,
        "quote": o.quote,
        "as_of": o.as_of,
        "rate": o.rate,
        "derived": o.derived,
        "fetched_at": o.fetched_at,
        "precision_pct": o.precision,
    }


def _observation(row: Sequence[Any]) -> Observation:
    """An observation from its columns (``OBS_COLUMNS``; quarantine rows have no
    precision)."""
    provider, base, quote, as_of, rate, derived, fetched_at = row[:7]
    precision = row[7] if len(row) > 7 else None
    return Observation(provider, base, quote, as_of, rate, bool(derived), fetched_at, precision)
