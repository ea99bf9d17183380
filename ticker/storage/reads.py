"""The reads the screens and the one-shot commands make, in domain types, over any
connection that runs :mod:`ticker.storage.sql`'s text.

Two classes run them: the read side's :class:`~ticker.storage.reader.StoreReader` (the
driver's own connection, no ORM loaded) and the write side's
:class:`~ticker.storage.repository.Repository` (SQLAlchemy's connection). Each provides
:meth:`ReadQueries._rows`; everything else is here, once.

The dollar pairs' methods take the local currency code and return observations of
``USD/local``; the ``pair_`` ones take the stored pair as its source publishes it
(``RUB/TJS`` from NBT, ``TJS/RUB`` from CBR) and filter on both sides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from providers.observation import Observation
from ticker.model.health import ProviderHealth
from ticker.model.pairs import Pair
from ticker.storage import decode, sql
from ticker.storage.version import LEASE_SCHEMA, MARKET_SCHEMA, RELEASE_SCHEMA, SNOOZE_SCHEMA

if TYPE_CHECKING:
    from ticker.model.collectors import CollectorRecord
    from ticker.model.market_records import HeldQuote, ReportedRate, StoredQuote
    from ticker.model.records import (
        AlertEvent,
        IndicatorPoint,
        IndicatorRefusal,
        IndicatorRevision,
        Quarantined,
        StoredRule,
    )
    from ticker.storage.decode import RuleRecord

Key = tuple[str, str]
"""(local currency, provider)."""

PairKey = tuple[Pair, str]
"""(stored pair, provider)."""

DataMark = tuple[tuple[Any, ...], ...]
"""An opaque value (:meth:`ReadQueries.data_mark`), compared, never looked into."""


class ReadQueries:
    """The shared reads; a subclass runs the statements (:meth:`_rows`) and says how
    its connection is had."""

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        raise NotImplementedError

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file (None: an in-memory database, or PostgreSQL)."""
        raise NotImplementedError

    @property
    def busy_timeout(self) -> timedelta:
        """How long a statement waits for a lock."""
        raise NotImplementedError

    @property
    def schema_version(self) -> int:
        """The store's schema: :data:`~ticker.storage.version.HEAD`, or an older one a
        read-only store is read in as it is."""
        raise NotImplementedError

    @property
    def listen_conninfo(self) -> str | None:
        """Where a PostgreSQL store's announcements are listened for (a libpq URL);
        None for other stores."""
        return None

    @property
    def writes_refused(self) -> str | None:
        """Why this process cannot write the store (a read-only file or mount), in the
        words every writing command says; None when it can."""
        return None

    def _rows(self, text: str, params: dict[str, Any]) -> list[Sequence[Any]]:
        """Every row of one statement (``:name`` parameters)."""
        raise NotImplementedError

    def reading(self) -> AbstractContextManager[None]:
        """A block whose reads share one connection (a screen's worth)."""
        raise NotImplementedError

    def driver(self) -> AbstractContextManager[Any]:
        """The driver's own connection (``sqlite3``'s, psycopg's), for streaming reads."""
        raise NotImplementedError

    def errors(self) -> AbstractContextManager[None]:
        """Driver errors inside become one-line :class:`~ticker.errors.StorageError`\\ s."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def recent_fixings(
        self, keys: Sequence[Key], n: int | Mapping[Key, int]
    ) -> dict[Key, list[Observation]]:
        """Each (local, provider)'s last ``n`` fixings (``n``: one number, or one per
        key), newest first (keys without any are left out), in one statement whose cost
        does not grow with history."""
        wanted = [(local, p, n if isinstance(n, int) else n[(local, p)]) for local, p in keys]
        wanted = [w for w in wanted if w[2] > 0]
        if not wanted:
            return {}
        found: dict[Key, list[Observation]] = {}
        for row in self._rows(*sql.recent_fixings(wanted, self.dialect)):
            o = decode.observation(row)
            found.setdefault((o.quote, o.provider), []).append(o)
        return found

    def recent_pair_fixings(
        self, keys: Sequence[PairKey], n: int | Mapping[PairKey, int]
    ) -> dict[PairKey, list[Observation]]:
        """Each (stored pair, provider)'s last ``n`` fixings, newest first (keys without
        any are left out), in one statement whose cost does not grow with history."""
        wanted = [(pair, p, n if isinstance(n, int) else n[(pair, p)]) for pair, p in keys]
        wanted = [w for w in wanted if w[2] > 0]
        if not wanted:
            return {}
        found: dict[PairKey, list[Observation]] = {}
        series = [(k.base, k.quote, p, m) for k, p, m in wanted]
        rows = self._rows(*sql.recent_pair_fixings(series, self.dialect))
        for row in rows:
            o = decode.observation(row)
            found.setdefault((Pair(o.base, o.quote), o.provider), []).append(o)
        return found

    def pair_fixings_before(
        self, wanted: Sequence[tuple[Pair, str, date]]
    ) -> dict[tuple[Pair, str, date], Observation]:
        """Each (stored pair, provider, day)'s last fixing dated before ``day`` (keys
        without one are left out), in one statement."""
        if not wanted:
            return {}
        keys = [(pair.base, pair.quote, p, day) for pair, p, day in wanted]
        rows = self._rows(*sql.pair_fixings_before(keys))
        return {wanted[int(row[0])]: decode.observation(row[1:]) for row in rows}

    def pair_history(
        self,
        pair: Pair,
        since: date | None = None,
        until: date | None = None,
        provider: str | None = None,
    ) -> list[Observation]:
        """Every fixing of the stored ``pair`` (as given, not turned round) in
        ``[since, until]``, by date then provider."""
        text, params = sql.history(pair.quote, since, until, provider, base=pair.base)
        return [decode.observation(r) for r in self._rows(text, params)]

    def latest_per_provider(
        self, locals_: Sequence[str], providers: Sequence[str]
    ) -> list[Observation]:
        """The latest fixing of each pair from each provider that has one (by pair, then
        provider, as given)."""
        keys = [(local, provider) for local in locals_ for provider in providers]
        latest = self.recent_fixings(keys, 1)
        return [latest[key][0] for key in keys if key in latest]

    def last_fixings(self, local: str, provider: str, n: int = 30) -> list[Observation]:
        """The last ``n`` fixings of ``USD/local`` from ``provider``, oldest first."""
        return self.recent_fixings([(local, provider)], n).get((local, provider), [])[::-1]

    def fixings_on(self, wanted: Sequence[tuple[str, str, date]]) -> list[Observation]:
        """The stored fixings among (local, provider, day), in one statement."""
        if not wanted:
            return []
        return [decode.observation(r) for r in self._rows(*sql.fixings_on(wanted))]

    def fixing_on(self, local: str, provider: str, day: date) -> Observation | None:
        """``provider``'s fixing of ``USD/local`` dated exactly ``day``."""
        found = self.fixings_on([(local, provider, day)])
        return found[0] if found else None

    def fixings_before(
        self, wanted: Sequence[tuple[str, str, date]]
    ) -> dict[tuple[str, str, date], Observation]:
        """Each (local, provider, day)'s last fixing dated before ``day`` (keys without
        one are left out), in one statement."""
        if not wanted:
            return {}
        rows = self._rows(*sql.fixings_before(wanted))
        return {wanted[int(row[0])]: decode.observation(row[1:]) for row in rows}

    def observation_ids(
        self, wanted: Sequence[tuple[str, str, date]]
    ) -> dict[tuple[str, str, date], int]:
        """The store's id of each stored fixing among (local, provider, day), in one
        statement."""
        if not wanted:
            return {}
        rows = self._rows(*sql.observation_ids(wanted))
        return {(str(q), str(p), decode.day(d)): int(i) for i, p, q, d in rows}

    def pair_observation_ids(
        self, wanted: Sequence[tuple[Pair, str, date]]
    ) -> dict[tuple[Pair, str, date], int]:
        """The store's id of each stored fixing among (stored pair, provider, day), in
        one statement."""
        if not wanted:
            return {}
        keys = [(pair.base, pair.quote, p, day) for pair, p, day in wanted]
        rows = self._rows(*sql.pair_observation_ids(keys))
        return {(Pair(str(b), str(q)), str(p), decode.day(d)): int(i) for i, p, b, q, d in rows}

    def history(
        self,
        local: str,
        since: date | None = None,
        until: date | None = None,
        provider: str | None = None,
    ) -> list[Observation]:
        """Every fixing of ``USD/local`` in ``[since, until]``, by date then provider."""
        return [
            decode.observation(r) for r in self._rows(*sql.history(local, since, until, provider))
        ]

    def observed_since(self, after: int) -> set[tuple[str, str, str]]:
        """Each (provider, base, quote) stored after the observation of id ``after`` (the
        first figure of a :meth:`data_mark`): what a refresh has to read again."""
        return {
            (str(p), str(b), str(q)) for p, b, q in self._rows(sql.OBSERVED_SINCE, {"after": after})
        }

    def stored_providers(self) -> list[str]:
        """Every provider with any stored observation, by name."""
        return [str(r[0]) for r in self._rows(sql.STORED_PROVIDERS, {})]

    def count_observations(self) -> int:
        return int(self._rows(sql.COUNT_OBSERVATIONS, {})[0][0])

    def quarantined(self, local: str | None = None, limit: int | None = None) -> list[Quarantined]:
        """Quarantined observations, newest fixing first (at most ``limit``)."""
        return [decode.quarantined(r) for r in self._rows(*sql.quarantined(local, limit))]

    def load_health(self) -> dict[str, ProviderHealth]:
        """Every provider's persisted health, by name."""
        found = (decode.health(r) for r in self._rows(sql.HEALTH, {}))
        return {h.provider: h for h in found}

    def collectors(self, heard_since: datetime) -> list[CollectorRecord]:
        """The collectors heard from since ``heard_since`` (older rows are of collectors
        long dead), the active one first. A store older than
        :data:`~ticker.storage.version.LEASE_SCHEMA` (read as it is) knows none."""
        if self.schema_version < LEASE_SCHEMA:
            return []
        rows = self._rows(sql.COLLECTORS, {"since": stored_moment(heard_since, self.dialect)})
        return [decode.collector(r) for r in rows]

    def lease_holder(self) -> tuple[datetime, str | None]:
        """PostgreSQL: the server's clock now, and the ``application_name`` of the session
        that holds the lease's advisory lock (None: no session holds it; empty: it did
        not say its name)."""
        from ticker.storage.lease.base import _KEY_HIGH, _KEY_LOW

        clock, name = self._rows(sql.LEASE_HOLDER, {"high": _KEY_HIGH, "low": _KEY_LOW})[0]
        return decode.moment(clock), None if name is None else str(name)

    def alert_rules(self) -> list[StoredRule]:
        """Every rule not removed, oldest first."""
        text = sql.RULES if self.schema_version >= SNOOZE_SCHEMA else sql.RULES_BEFORE_SNOOZE
        return [decode.rule_record(r).stored for r in self._rows(text, {})]

    def rule_ids(self) -> dict[int, bool]:
        """Every rule id ever given, and whether that rule was removed."""
        return {int(r[0]): r[1] is not None for r in self._rows(sql.RULE_IDS, {})}

    def config_rule_records(self, config_file: str) -> list[RuleRecord]:
        """The stored config rules ``config_file``'s ``[[alerts]]`` are compared with."""
        rows = self._rows(sql.CONFIG_RULES, {"config_file": config_file})
        return [decode.rule_record(r) for r in rows]

    def alert_events(
        self, limit: int | None = 50, rule_id: int | None = None, after_id: int | None = None
    ) -> list[AlertEvent]:
        """Firings, newest first, with the causing observation's source and date."""
        return [decode.event(r) for r in self._rows(*sql.alert_events(limit, rule_id, after_id))]

    def last_event_id(self) -> int:
        """The newest firing's id (0 when nothing ever fired)."""
        return int(self._rows(sql.LAST_EVENT, {})[0][0] or 0)

    def data_mark(self) -> DataMark:
        """What the screen's data has reached (:data:`~ticker.storage.sql.DATA_MARK`), in
        one statement: equal marks, nothing shown has moved in between."""
        if self.schema_version >= MARKET_SCHEMA:
            text = sql.DATA_MARK
        elif self.schema_version >= SNOOZE_SCHEMA:
            text = sql.DATA_MARK_BEFORE_MARKET
        else:
            text = sql.DATA_MARK_BEFORE_SNOOZE
        return tuple(tuple(row) for row in self._rows(text, {}))

    def latest_quotes(
        self,
        pairs: Sequence[tuple[str, str]] | None = None,
        channel: str | None = None,
        source: str | None = None,
        limit: int = 2000,
    ) -> list[StoredQuote]:
        """The newest price of every key (source, institution, city, pair, channel) of
        ``pairs`` (base, quote, as stored: ``("USD", "TJS")``; None: every pair), on
        ``channel`` and from ``source`` when given, at most ``limit``: one statement whose
        cost grows with the keys, never with the history. Nothing in a store of a schema
        from before the market (read as it is)."""
        if self.schema_version < MARKET_SCHEMA:
            return []
        rows = self._rows(*sql.latest_quotes(pairs, channel, source, _bound(limit)))
        return [decode.market_quote(r) for r in rows]

    def quote_history(
        self,
        source: str,
        institution: str,
        city: str,
        base: str,
        quote: str,
        channel: str,
        since: datetime | None = None,
        limit: int = 1000,
    ) -> list[StoredQuote]:
        """One key's prices, newest first: those still seen at ``since`` or later (all
        when None), at most ``limit``."""
        if self.schema_version < MARKET_SCHEMA:
            return []
        key = (source, institution, city, base, quote, str(channel))
        moment = None if since is None else stored_moment(since, self.dialect)
        rows = self._rows(*sql.quote_history(key, moment, _bound(limit)))
        return [decode.market_quote(r) for r in rows]

    def reported_rates(
        self, pair: tuple[str, str] | None = None, limit: int = 1000
    ) -> list[ReportedRate]:
        """Rates users reported by hand (of ``pair``, base then quote, as reported;
        None: all), newest first."""
        if self.schema_version < MARKET_SCHEMA:
            return []
        return [decode.reported(r) for r in self._rows(*sql.reported_rates(pair, _bound(limit)))]

    def quarantined_quotes(self, limit: int = 100) -> list[HeldQuote]:
        """Market quotes held as implausible, the newest held first."""
        if self.schema_version < MARKET_SCHEMA:
            return []
        rows = self._rows(sql.QUARANTINED_QUOTES, {"limit": _bound(limit)})
        return [decode.held_quote(r) for r in rows]

    def indicator_points(
        self,
        sources: Sequence[str] | None = None,
        indicators: Sequence[str] | None = None,
        countries: Sequence[str] | None = None,
        since: str | None = None,
    ) -> list[IndicatorPoint]:
        """Stored indicator values, by source, indicator, country, period (actual first);
        with ``since`` (``2021-12``) only the periods from then on."""
        released = self.schema_version >= RELEASE_SCHEMA
        statement = sql.indicator_points(sources, indicators, countries, released, since)
        rows = self._rows(*statement)
        return [decode.indicator(r) for r in rows]

    def indicator_revisions(
        self, source: str, indicator: str, country: str, limit: int = 1000
    ) -> list[IndicatorRevision]:
        """Every value a revision replaced in one series of one country, by period and
        then oldest first (none in a store from before revisions were kept)."""
        if self.schema_version < RELEASE_SCHEMA:
            return []
        params = {"source": source, "indicator": indicator, "country": country}
        rows = self._rows(sql.INDICATOR_REVISIONS, {**params, "limit": _bound(limit)})
        return [decode.revision(r) for r in rows]

    def indicator_refusals(self) -> list[IndicatorRefusal]:
        """Indicators their source refused when last asked (none in a read-only store of
        a schema from before refusals were kept)."""
        with self.reading():
            (count,) = self._rows(sql.HAS_REFUSALS[self.dialect], {})[0]
            if not count:
                return []
            return [decode.refusal(r) for r in self._rows(sql.INDICATOR_REFUSALS, {})]


def _bound(limit: int) -> int:
    """A read's LIMIT: a positive whole number (a read is always bounded)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"a limit is a positive whole number, got {limit!r}")
    return limit


def stored_moment(when: datetime, dialect: str) -> Any:
    """A moment as the store compares it: SQLite's naive UTC text (as
    :class:`~ticker.storage.types.UTCDateTime` writes it), an aware time elsewhere."""
    from datetime import UTC

    utc = when.astimezone(UTC)
    if dialect == "sqlite":
        return utc.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return utc
