"""The queries the rest of the program needs, in domain types.

Rates are stored canonically as ``USD -> local``: every method takes the local
currency code (``"KZT"``) and returns :class:`~providers.base.Observation` objects with
``base == "USD"``. Orientation for display is the caller's business.

Bulk paths (storing a batch, streaming rows for export) use SQLAlchemy Core on the
tables behind the models: one executemany, one streaming cursor, no ORM object per row.
Per-pair reads are bounded index lookups, so their cost does not grow with history.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Insert, Select, Table, and_, bindparam, func, or_, select
from sqlalchemy.types import Integer

from providers.base import IndicatorValue, Observation
from ticker.config import Settings
from ticker.model.health import ProviderHealth
from ticker.model.pairs import USD, parse_pair
from ticker.model.records import (
    AlertEvent,
    IndicatorPoint,
    IndicatorsStored,
    NewEvent,
    Quarantined,
    RuleState,
    StoredRule,
)
from ticker.model.rules import AlertRuleConfig, rule_fingerprint
from ticker.storage.db import Database, open_store
from ticker.storage.tables import (
    AlertEventRow,
    AlertRuleRow,
    IndicatorRow,
    NoFixingRow,
    ObservationRow,
    ProviderStatusRow,
    QuarantinedRow,
    table_of,
)

_OBS: Table = table_of(ObservationRow)
_QUARANTINE: Table = table_of(QuarantinedRow)
_STATUS: Table = table_of(ProviderStatusRow)
_RULES: Table = table_of(AlertRuleRow)
_EVENTS: Table = table_of(AlertEventRow)
_INDICATORS: Table = table_of(IndicatorRow)
_NO_FIXING: Table = table_of(NoFixingRow)
_OBS_COLUMNS = (
    _OBS.c.provider,
    _OBS.c.base,
    _OBS.c.quote,
    _OBS.c.as_of,
    _OBS.c.rate,
    _OBS.c.derived,
    _OBS.c.fetched_at,
    _OBS.c.precision_pct,
)
#: One provider's last fixings of a pair, newest first. Built once: the dashboard runs it
#: for every pair and source on each read, and building a statement each time cost more
#: than running it.
_LAST_FIXINGS = (
    select(*_OBS_COLUMNS)
    .where(
        _OBS.c.base == USD,
        _OBS.c.quote == bindparam("local"),
        _OBS.c.provider == bindparam("provider"),
    )
    .order_by(_OBS.c.as_of.desc())
    .limit(bindparam("n", type_=Integer))
)


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


class Repository:
    """Reads and writes the history store."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self._engine = database.engine

    # ------------------------------------------------------------------ writes

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
            _QUARANTINE, ("provider", "base", "quote", "as_of", "rate")
        )
        with self.db.errors(), self._write() as conn:
            added = self._insert_observations(conn, observations) if observations else 0
            if held:
                conn.execute(q_stmt, held)
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
        stmt = self._insert_ignoring_duplicates(_OBS, ("provider", "base", "quote", "as_of"))
        params = [_observation_params(o) for o in observations]
        # psycopg reports -1 for an executemany's rowcount, so count the ids RETURNING
        # gives back: only rows really inserted return.
        return len(conn.execute(stmt.returning(_OBS.c.id), params).all())

    def rate_before(self, local: str, provider: str, before: date) -> Observation | None:
        """The same provider's latest fixing of ``USD/local`` dated before ``before``."""
        query = (
            self._pair_query(local, provider)
            .where(_OBS.c.as_of < before)
            .order_by(_OBS.c.as_of.desc())
            .limit(1)
        )
        with self.db.errors(), self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _observation(row)

    def others_near(
        self, local: str, provider: str, day: date, within: timedelta
    ) -> list[Observation]:
        """Each other provider's latest fixing of ``USD/local`` dated from ``within``
        before ``day`` up to ``day``."""
        query = (
            select(*_OBS_COLUMNS)
            .where(
                _OBS.c.base == USD,
                _OBS.c.quote == local,
                _OBS.c.provider != provider,
                _OBS.c.as_of <= day,
                _OBS.c.as_of >= day - within,
            )
            .order_by(_OBS.c.as_of)
        )
        with self.db.errors(), self._engine.connect() as conn:
            latest = {row.provider: _observation(row) for row in conn.execute(query)}
        return list(latest.values())

    def nearest(self, local: str, provider: str, day: date) -> Observation | None:
        """``provider``'s fixing of ``USD/local`` dated closest to ``day`` (earlier wins a tie)."""
        on_or_before = self._pair_query(local, provider).where(_OBS.c.as_of <= day)
        after = self._pair_query(local, provider).where(_OBS.c.as_of > day)
        with self.db.errors(), self._engine.connect() as conn:
            below = conn.execute(on_or_before.order_by(_OBS.c.as_of.desc()).limit(1)).first()
            above = conn.execute(after.order_by(_OBS.c.as_of).limit(1)).first()
        candidates = [_observation(r) for r in (below, above) if r is not None]
        if not candidates:
            return None
        return min(candidates, key=lambda o: abs((o.as_of - day).days))

    def quarantined_before(self, local: str, provider: str, before: date) -> Observation | None:
        """The same provider's latest quarantined value of ``USD/local`` before ``before``."""
        t = _QUARANTINE
        query = (
            select(
                t.c.provider, t.c.base, t.c.quote, t.c.as_of, t.c.rate, t.c.derived, t.c.fetched_at
            )
            .where(
                t.c.provider == provider, t.c.base == USD, t.c.quote == local, t.c.as_of < before
            )
            .order_by(t.c.as_of.desc())
            .limit(1)
        )
        with self.db.errors(), self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _observation(row)

    def stored_days_by_pair(
        self, provider: str, since: date, until: date, locals_: Sequence[str]
    ) -> dict[str, set[date]]:
        """Per pair, the dates on which ``provider`` has a stored fixing."""
        query = select(_OBS.c.quote, _OBS.c.as_of).where(
            _OBS.c.provider == provider,
            _OBS.c.base == USD,
            _OBS.c.quote.in_(sorted(set(locals_))),
            _OBS.c.as_of >= since,
            _OBS.c.as_of <= until,
        )
        days: dict[str, set[date]] = {local: set() for local in locals_}
        with self.db.errors(), self._engine.connect() as conn:
            for quote, as_of in conn.execute(query):
                days[quote].add(as_of)
        return days

    def no_fixing_days(
        self, provider: str, since: date, until: date, locals_: Sequence[str]
    ) -> dict[str, set[date]]:
        """Per pair, the dates in ``[since, until]`` recorded as having no fixing."""
        t = _NO_FIXING
        query = select(t.c.quote, t.c.first_day, t.c.last_day).where(
            t.c.provider == provider,
            t.c.quote.in_(sorted(set(locals_))),
            t.c.first_day <= until,
            t.c.last_day >= since,
        )
        days: dict[str, set[date]] = {local: set() for local in locals_}
        with self.db.errors(), self._engine.connect() as conn:
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
            conn.execute(_NO_FIXING.insert(), rows)

    def fixing_on(self, local: str, provider: str, day: date) -> Observation | None:
        """``provider``'s fixing of ``USD/local`` dated exactly ``day``."""
        query = self._pair_query(local, provider).where(_OBS.c.as_of == day)
        with self.db.errors(), self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _observation(row)

    def count_observations(self) -> int:
        with self.db.errors(), self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(_OBS)).scalar_one())

    def latest_per_provider(
        self, locals_: Sequence[str], providers: Sequence[str]
    ) -> list[Observation]:
        """The latest fixing of each pair from each provider that has one.

        One indexed lookup per (pair, provider), so the cost is independent of how much
        history is stored.
        """
        result = []
        with self.db.errors(), self._engine.connect() as conn:
            for local in locals_:
                for provider in providers:
                    params = {"local": local, "provider": provider, "n": 1}
                    row = conn.execute(_LAST_FIXINGS, params).first()
                    if row is not None:
                        result.append(_observation(row))
        return result

    def last_fixings(self, local: str, provider: str, n: int = 30) -> list[Observation]:
        """The last ``n`` fixings of ``USD/local`` from ``provider``, oldest first."""
        params = {"local": local, "provider": provider, "n": n}
        with self.db.errors(), self._engine.connect() as conn:
            rows = conn.execute(_LAST_FIXINGS, params).all()
        return [_observation(r) for r in reversed(rows)]

    def history(
        self,
        local: str,
        since: date | None = None,
        until: date | None = None,
        provider: str | None = None,
    ) -> list[Observation]:
        """Every fixing of ``USD/local`` in ``[since, until]``, by date then provider."""
        query = self._pair_query(local, provider)
        if since is not None:
            query = query.where(_OBS.c.as_of >= since)
        if until is not None:
            query = query.where(_OBS.c.as_of <= until)
        query = query.order_by(_OBS.c.as_of, _OBS.c.provider)
        with self.db.errors(), self._engine.connect() as conn:
            return [_observation(r) for r in conn.execute(query)]

    def quarantined(self, local: str | None = None, limit: int | None = None) -> list[Quarantined]:
        """Quarantined observations, newest fixing first (at most ``limit``)."""
        t = _QUARANTINE
        query = select(
            t.c.provider,
            t.c.base,
            t.c.quote,
            t.c.as_of,
            t.c.rate,
            t.c.derived,
            t.c.fetched_at,
            t.c.reason,
            t.c.previous_rate,
        ).order_by(t.c.as_of.desc(), t.c.provider)
        if local is not None:
            query = query.where(t.c.base == USD, t.c.quote == local)
        if limit is not None:
            query = query.limit(limit)
        with self.db.errors(), self._engine.connect() as conn:
            return [
                Quarantined(_observation(r[:7]), r.reason, r.previous_rate)
                for r in conn.execute(query)
            ]

    # ------------------------------------------------------------------ health

    def save_health(self, health: ProviderHealth) -> None:
        """Insert or replace one provider's health row."""
        values = {
            "provider": health.provider,
            "state": health.state,
            "last_attempt": health.last_attempt,
            "last_success": health.last_success,
            "last_error": health.last_error,
            "consecutive_failures": health.consecutive_failures,
            "next_run": health.next_run,
        }
        stmt = self._dialect().insert(_STATUS).values(values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["provider"],
            set_={k: stmt.excluded[k] for k in values if k != "provider"},
        )
        with self.db.errors(), self._write() as conn:
            conn.execute(stmt)

    def load_health(self) -> dict[str, ProviderHealth]:
        """Every provider's persisted health, by name."""
        t = _STATUS
        with self.db.errors(), self._engine.connect() as conn:
            rows = conn.execute(select(t)).all()
        return {
            r.provider: ProviderHealth(
                r.provider,
                r.state,
                r.last_attempt,
                r.last_success,
                r.last_error,
                r.consecutive_failures,
                r.next_run,
            )
            for r in rows
        }

    # ------------------------------------------------------------------ indicators

    def store_indicators(self, values: Sequence[IndicatorValue]) -> IndicatorsStored:
        """Store one response's indicator values in one transaction.

        A value not stored yet is added. A stored one that the source now publishes
        differently (a revision, or a year that became missing) is replaced, and the old
        value and the time of the revision are kept with it. An unchanged one is left as
        it was.
        """
        if not values:
            return IndicatorsStored(0, 0)
        t = _INDICATORS
        keys = {(v.source, v.indicator) for v in values}
        query = select(
            t.c.id, t.c.source, t.c.indicator, t.c.country, t.c.period, t.c.is_forecast, t.c.value
        ).where(
            or_(*(and_(t.c.source == src, t.c.indicator == code) for src, code in sorted(keys)))
        )
        added = revised = 0
        with self.db.errors(), self._write() as conn:
            stored = {
                (r.source, r.indicator, r.country, r.period, bool(r.is_forecast)): (r.id, r.value)
                for r in conn.execute(query)
            }
            new_rows = []
            for v in values:
                key = (v.source, v.indicator, v.country, v.period, v.is_forecast)
                if key not in stored:
                    stored[key] = (0, v.value)  # a response listing a point twice adds it once
                    new_rows.append(
                        {
                            "source": v.source,
                            "indicator": v.indicator,
                            "country": v.country,
                            "period": v.period,
                            "value": v.value,
                            "is_forecast": v.is_forecast,
                            "fetched_at": v.fetched_at,
                        }
                    )
                    continue
                row_id, old = stored[key]
                if old == v.value or row_id == 0:
                    continue
                conn.execute(
                    t.update()
                    .where(t.c.id == row_id)
                    .values(
                        value=v.value,
                        previous_value=old,
                        revised_at=v.fetched_at,
                        fetched_at=v.fetched_at,
                    )
                )
                stored[key] = (row_id, v.value)
                revised += 1
            if new_rows:
                conn.execute(t.insert(), new_rows)
                added = len(new_rows)
        return IndicatorsStored(added, revised)

    def indicator_points(
        self,
        sources: Sequence[str] | None = None,
        indicators: Sequence[str] | None = None,
        countries: Sequence[str] | None = None,
    ) -> list[IndicatorPoint]:
        """Stored indicator values, by source, indicator, country, period (actual first)."""
        t = _INDICATORS
        query = select(
            t.c.source,
            t.c.indicator,
            t.c.country,
            t.c.period,
            t.c.value,
            t.c.is_forecast,
            t.c.fetched_at,
            t.c.previous_value,
            t.c.revised_at,
        ).order_by(t.c.source, t.c.indicator, t.c.country, t.c.period, t.c.is_forecast)
        for column, wanted in (
            (t.c.source, sources),
            (t.c.indicator, indicators),
            (t.c.country, countries),
        ):
            if wanted is not None:
                query = query.where(column.in_(list(wanted)))
        with self.db.errors(), self._engine.connect() as conn:
            return [
                IndicatorPoint(
                    r.source,
                    r.indicator,
                    r.country,
                    r.period,
                    r.value,
                    bool(r.is_forecast),
                    r.fetched_at,
                    r.previous_value,
                    r.revised_at,
                )  # fmt: skip
                for r in conn.execute(query)
            ]

    # ------------------------------------------------------------------ alert rules

    def add_alert_rule(self, rule: AlertRuleConfig, origin: str, now: datetime) -> int:
        """Store a rule; returns its id (stable for the life of the store, never reused)."""
        with self.db.errors(), self._write() as conn:
            return self._insert_rule(conn, rule, origin, now)

    def _insert_rule(
        self,
        conn: Connection,
        rule: AlertRuleConfig,
        origin: str,
        now: datetime,
        config_file: str | None = None,
    ) -> int:
        values = {
            **_rule_attributes(rule),
            "pair": str(rule.pair),
            "kind": rule.kind,
            "value": rule.value,
            "percent": rule.percent,
            "direction": rule.direction,
            "window_seconds": int(rule.window.total_seconds()) if rule.window else None,
            "days": rule.days,
            "hysteresis": rule.hysteresis,
            "origin": origin,
            "enabled": True,
            "created_at": now,
            "fingerprint": rule_fingerprint(rule) if origin == "config" else None,
            "config_file": config_file,
            "armed": True,
        }
        return int(conn.execute(_RULES.insert().values(values).returning(_RULES.c.id)).scalar_one())

    def sync_config_rules(
        self, rules: Sequence[AlertRuleConfig], config_file: str, now: datetime
    ) -> None:
        """Make the stored rules of ``config_file`` exactly its ``[[alerts]]``.

        A rule is found again by its condition (pair, kind, thresholds): it keeps its id
        and its state (a restart never re-fires it), and a changed label, cooldown,
        channel list or command is updated in place. A new condition is added; one no
        longer in the file is removed (its firings stay in the history). Rules of other
        config files (another process sharing the store) are left alone.
        """
        wanted: dict[str, AlertRuleConfig] = {}
        for rule in rules:
            wanted.setdefault(rule_fingerprint(rule), rule)
        query = select(_RULES).where(
            _RULES.c.origin == "config",
            _RULES.c.removed_at.is_(None),
            or_(_RULES.c.config_file == config_file, _RULES.c.config_file.is_(None)),
        )

        def plan(conn: Connection) -> tuple[list[Any], list[tuple[int, dict[str, Any]]], list[int]]:
            add, update, remove = dict(wanted), [], []
            for row in conn.execute(query):
                stored = _stored_rule(row)
                # A row stored before fingerprints existed (schema v1) is fingerprinted here.
                fp = row.fingerprint or rule_fingerprint(stored.rule)
                rule = add.pop(fp, None)
                if rule is None:
                    if row.config_file == config_file:
                        remove.append(row.id)
                    continue
                attributes = _rule_attributes(rule)
                if any(getattr(row, k) != v for k, v in attributes.items()) or (
                    row.config_file != config_file or row.fingerprint != fp
                ):
                    update.append(
                        (row.id, {**attributes, "config_file": config_file, "fingerprint": fp})
                    )
            return list(add.values()), update, remove

        with self.db.errors():
            with self._engine.connect() as conn:
                if plan(conn) == ([], [], []):
                    return  # the usual case: nothing to write
            with self._write() as conn:
                add, update, remove = plan(conn)  # again, under the lock
                for rule_id, values in update:
                    conn.execute(_RULES.update().where(_RULES.c.id == rule_id).values(values))
                if remove:
                    conn.execute(
                        _RULES.update().where(_RULES.c.id.in_(remove)).values(removed_at=now)
                    )
                for rule in add:
                    self._insert_rule(conn, rule, "config", now, config_file)

    def alert_rules(self) -> list[StoredRule]:
        """Every rule not removed, oldest first."""
        query = select(_RULES).where(_RULES.c.removed_at.is_(None)).order_by(_RULES.c.id)
        with self.db.errors(), self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [_stored_rule(r) for r in rows]

    def delete_alert_rule(self, rule_id: int, now: datetime | None = None) -> bool:
        """Remove a rule (kept hidden, so its id is never reused); False if none."""
        when = now or datetime.now(UTC)
        with self.db.errors(), self._write() as conn:
            result = conn.execute(
                _RULES.update()
                .where(_RULES.c.id == rule_id, _RULES.c.removed_at.is_(None))
                .values(removed_at=when)
            )
            return bool(result.rowcount)

    def observation_id(self, local: str, provider: str, as_of: date) -> int | None:
        """The id of ``provider``'s stored fixing of ``USD/local`` on ``as_of``."""
        query = select(_OBS.c.id).where(
            _OBS.c.provider == provider,
            _OBS.c.base == USD,
            _OBS.c.quote == local,
            _OBS.c.as_of == as_of,
        )
        with self.db.errors(), self._engine.connect() as conn:
            return conn.execute(query).scalar()

    def apply_alert(
        self,
        rule_id: int,
        decide: Callable[[RuleState], tuple[RuleState, NewEvent | None]],
        now: datetime,
    ) -> int | None:
        """Move one rule's state under the write lock; returns the new event's id if it fired.

        ``decide`` sees the state as stored at this instant, so two processes evaluating
        the same rule (a dashboard and a headless collector) never both fire it.
        """
        query = select(
            _RULES.c.armed, _RULES.c.last_fired_at, _RULES.c.last_observation_id, _RULES.c.enabled
        ).where(_RULES.c.id == rule_id, _RULES.c.removed_at.is_(None))
        if self._engine.dialect.name == "postgresql":
            query = query.with_for_update()
        with self.db.errors(), self._write() as conn:
            row = conn.execute(query).first()
            if row is None or not row.enabled:
                return None  # removed or disabled meanwhile
            state = RuleState(bool(row.armed), row.last_fired_at, row.last_observation_id)
            new_state, event = decide(state)
            if new_state != state:
                conn.execute(
                    _RULES.update()
                    .where(_RULES.c.id == rule_id)
                    .values(
                        armed=new_state.armed,
                        last_fired_at=new_state.last_fired_at,
                        last_observation_id=new_state.last_observation_id,
                    )
                )
            if event is None:
                return None
            insert = _EVENTS.insert().values(
                rule_id=rule_id,
                observation_id=event.observation_id,
                fired_at=now,
                pair=event.pair,
                rate=event.rate,
                message=event.message,
            )
            return int(conn.execute(insert.returning(_EVENTS.c.id)).scalar_one())

    def alert_events(
        self, limit: int | None = 50, rule_id: int | None = None, after_id: int | None = None
    ) -> list[AlertEvent]:
        """Firings, newest first, with the causing observation's source and date."""
        e = _EVENTS
        query = (
            select(
                e.c.id,
                e.c.rule_id,
                e.c.fired_at,
                e.c.pair,
                e.c.rate,
                e.c.message,
                _OBS.c.provider,
                _OBS.c.as_of,
            )
            .select_from(e.outerjoin(_OBS, _OBS.c.id == e.c.observation_id))
            .order_by(e.c.id.desc())
        )
        if rule_id is not None:
            query = query.where(e.c.rule_id == rule_id)
        if after_id is not None:
            query = query.where(e.c.id > after_id)
        if limit is not None:
            query = query.limit(limit)
        with self.db.errors(), self._engine.connect() as conn:
            return [AlertEvent(*r) for r in conn.execute(query)]

    def last_event_id(self) -> int:
        """The newest firing's id (0 when nothing ever fired)."""
        with self.db.errors(), self._engine.connect() as conn:
            return int(conn.execute(select(func.max(_EVENTS.c.id))).scalar() or 0)

    # ------------------------------------------------------------------ helpers

    def _pair_query(self, local: str, provider: str | None) -> Select[Any]:
        query = select(*_OBS_COLUMNS).where(_OBS.c.base == USD, _OBS.c.quote == local)
        if provider is not None:
            query = query.where(_OBS.c.provider == provider)
        return query

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection in a write transaction (``BEGIN IMMEDIATE`` on SQLite), once the
        store is known to be sound (:meth:`Database.check_sound`)."""
        self.db.check_sound()
        with self._engine.connect() as conn:
            conn.execution_options(sqlite_immediate=True)
            with conn.begin():
                yield conn

    def _dialect(self) -> Any:
        """SQLAlchemy's module for this store's dialect (its INSERT ... ON CONFLICT).
        Imported when first needed: PostgreSQL's took SQLite users about 40 ms at every
        start (a PostgreSQL engine has imported it already)."""
        dialect = self._engine.dialect.name
        if dialect == "sqlite":
            from sqlalchemy.dialects import sqlite

            return sqlite
        if dialect == "postgresql":
            from sqlalchemy.dialects import postgresql

            return postgresql
        raise NotImplementedError(f"no idempotent insert for {dialect}")  # normalize_url prevents

    def _insert_ignoring_duplicates(self, table: Table, keys: Sequence[str]) -> Insert:
        insert: Insert = (
            self._dialect().insert(table).on_conflict_do_nothing(index_elements=list(keys))
        )
        return insert


_SQLITE_INSERT = (
    "INSERT INTO observation "
    "(provider, base, quote, as_of, rate, derived, fetched_at, precision_pct) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, base, quote, as_of) DO NOTHING"
)


def _rule_attributes(rule: AlertRuleConfig) -> dict[str, Any]:
    """The columns of a rule that are not its condition (updated in place)."""
    return {
        "cooldown_seconds": int(rule.cooldown.total_seconds()),
        "channels": json.dumps(list(rule.channels)),
        "command": json.dumps(list(rule.command)),
        "label": rule.label,
    }


def _stored_rule(r: Any) -> StoredRule:
    rule = AlertRuleConfig(
        pair=parse_pair(r.pair),
        kind=r.kind,
        value=r.value,
        percent=r.percent,
        direction=r.direction,
        window=timedelta(seconds=r.window_seconds) if r.window_seconds else None,
        days=r.days,
        cooldown=timedelta(seconds=r.cooldown_seconds),
        hysteresis=r.hysteresis,
        channels=tuple(json.loads(r.channels)),
        command=tuple(json.loads(r.command)),
        label=r.label,
    )
    state = RuleState(bool(r.armed), r.last_fired_at, r.last_observation_id)
    return StoredRule(r.id, rule, r.origin, bool(r.enabled), r.created_at, state)


_NAME = re.compile(r"[a-z][a-z0-9_\-]*")
_CODE = re.compile(r"[A-Z]{3}")


def _check_names(observations: Sequence[Observation]) -> None:
    """Provider names and currency codes are plain words: exported CSV never needs to
    quote a field (see :mod:`ticker.storage.export_stream`)."""
    for name in {o.provider for o in observations}:
        if not _NAME.fullmatch(name):
            raise ValueError(f"provider names are lowercase words, got {name!r}")
    for code in {o.quote for o in observations}:
        if not _CODE.fullmatch(code):
            raise ValueError(f"currency codes are three capital letters, got {code!r}")


def _check_canonical(o: Observation) -> None:
    if o.base != USD or o.quote == USD:
        raise ValueError(f"observations are stored as USD/local, got {o.base}/{o.quote}")


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
    """An observation from its columns (``_OBS_COLUMNS``; quarantine rows have no
    precision)."""
    provider, base, quote, as_of, rate, derived, fetched_at = row[:7]
    precision = row[7] if len(row) > 7 else None
    return Observation(provider, base, quote, as_of, rate, bool(derived), fetched_at, precision)
