"""The SQL text of every read the program shows from, in one place.

Both sides run it: the read side on the driver's own connection (``sqlite3``, psycopg;
:mod:`ticker.storage.reader`), the write side on SQLAlchemy's (``exec_driver_sql``), so a
value reads the same whichever opened the store. The text is written once, with
``:name`` parameters, and is valid on SQLite and PostgreSQL alike; :func:`for_driver`
spells the parameters as psycopg wants them. Nothing here uses ``%`` or ``::`` (psycopg
would read either as its own).

Every statement is bounded by an index or a LIMIT, except those that stream history
(:func:`history`), which ask for a range.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

#: An observation's columns, in the order :func:`ticker.storage.decode.observation` reads.
OBSERVATION = "provider, base, quote, as_of, rate, derived, fetched_at, precision_pct"

VERSION = "SELECT version FROM ticker_schema"

HEALTH = (
    "SELECT provider, state, last_attempt, last_success, last_error, consecutive_failures, "
    "next_run FROM provider_status"
)

#: A rule's columns, in the order :func:`ticker.storage.decode.rule_record` reads.
RULE = (
    "id, pair, kind, value, percent, direction, window_seconds, days, cooldown_seconds, "
    "hysteresis, channels, command, label, origin, enabled, created_at, armed, "
    "last_fired_at, last_observation_id, fingerprint, config_file, snoozed_until"
)

RULES = f"SELECT {RULE} FROM alert_rule WHERE removed_at IS NULL ORDER BY id"

#: :data:`RULES` on a store older than :data:`~ticker.storage.version.SNOOZE_SCHEMA`
#: (read as it is, on a read-only mount): no rule is snoozed there.
RULES_BEFORE_SNOOZE = RULES.replace("snoozed_until", "NULL AS snoozed_until")

#: The rules a config file's ``[[alerts]]`` are compared with (rules stored before
#: config files were told apart have none).
CONFIG_RULES = (
    f"SELECT {RULE} FROM alert_rule WHERE origin = 'config' AND removed_at IS NULL "
    "AND (config_file = :config_file OR config_file IS NULL) ORDER BY id"
)

#: Every rule id ever given, removed ones too (their firings stay in the history).
RULE_IDS = "SELECT id, removed_at FROM alert_rule ORDER BY id"

LAST_EVENT = "SELECT max(id) FROM alert_event"

COUNT_OBSERVATIONS = "SELECT count(*) FROM observation"

#: What the screen shows has moved when this has: the newest observation, quarantined
#: value and firing, the newest provider health written, the market (quotes, held
#: quotes, reported rates), and the rules with their state
#: (a handful of rows). Each value is one index lookup (a max of a primary key) or a look
#: at a table of a few rows, all in ONE statement: asked after every commit anyone makes,
#: a collector's heartbeat included, it tells which commits the screen needs to read.
#: One row per live rule, each carrying the four marks (one row of NULL rule columns
#: when there is no rule); compared as read, never decoded.
#: The market's marks: the newest quote and held quote, and the sum of the reported
#: rates' ids (it moves when one is added or deleted; the table is a user's few rows).
_MARKET_MARKS = (
    "(SELECT max(id) FROM market_quote) AS quotes, "
    "(SELECT max(id) FROM quarantined_quote) AS held_quotes, "
    "(SELECT sum(id) FROM reported_rate) AS reported"
)
_MARKS = (
    "(SELECT max(id) FROM observation) AS observations, "
    "(SELECT max(id) FROM quarantined_observation) AS held, "
    "(SELECT max(last_attempt) FROM provider_status) AS attempted, "
    "(SELECT max(id) FROM alert_event) AS fired, "
    f"{_MARKET_MARKS}"
)
DATA_MARK = (
    f"SELECT m.observations, m.held, m.attempted, m.fired, m.quotes, m.held_quotes, "
    f"m.reported, {', '.join('r.' + c for c in RULE.split(', '))} "
    f"FROM (SELECT {_MARKS}) AS m "
    "LEFT OUTER JOIN alert_rule AS r ON r.removed_at IS NULL ORDER BY r.id"
)

#: :data:`DATA_MARK` on a store older than :data:`~ticker.storage.version.MARKET_SCHEMA`
#: (read as it is, on a read-only mount): it has no market.
DATA_MARK_BEFORE_MARKET = DATA_MARK.replace(
    _MARKET_MARKS, "NULL AS quotes, NULL AS held_quotes, NULL AS reported"
)

#: :data:`DATA_MARK` on a store older than :data:`~ticker.storage.version.SNOOZE_SCHEMA`.
DATA_MARK_BEFORE_SNOOZE = DATA_MARK_BEFORE_MARKET.replace(
    "r.snoozed_until", "NULL AS snoozed_until"
)

#: Each (provider, base, quote) with an observation stored after the one of id ``:after``
#: (a data mark's newest): a range scan of the primary key over the new rows alone.
OBSERVED_SINCE = "SELECT DISTINCT provider, base, quote FROM observation WHERE id > :after"

#: Every provider with a stored observation, by a loose scan of the unique index
#: (provider, base, quote, as_of): one index seek per provider, whatever the history.
STORED_PROVIDERS = (
    "WITH RECURSIVE p(name) AS ("
    "SELECT min(provider) FROM observation "
    "UNION ALL "
    "SELECT (SELECT min(provider) FROM observation WHERE provider > p.name) "
    "FROM p WHERE p.name IS NOT NULL"
    ") SELECT name FROM p WHERE name IS NOT NULL"
)

#: Every collector's heartbeat row heard from since ``:since``, the active first.
COLLECTORS = (
    "SELECT host, pid, role, started_at, active_since, heartbeat_at FROM collector "
    "WHERE heartbeat_at >= :since ORDER BY role, heartbeat_at DESC LIMIT 100"
)

LEASE_HOLDER = (
    "SELECT clock_timestamp(), (SELECT coalesce(a.application_name, '') FROM pg_locks l "
    "LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
    "AND l.classid = :high AND l.objid = :low AND l.objsubid = 1 AND l.granted "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "LIMIT 1)"
)
"""PostgreSQL: the server's clock, and the ``application_name`` of the session holding
the lease's advisory lock (NULL: nobody holds it; empty: it did not say)."""

Statement = tuple[str, dict[str, Any]]


def recent_fixings(wanted: Sequence[tuple[str, str, int]], dialect: str = "") -> Statement:
    """Each (local, provider, n)'s last ``n`` fixings of ``USD/local`` (see
    :func:`recent_pair_fixings`)."""
    return recent_pair_fixings([("USD", local, p, n) for local, p, n in wanted], dialect)


def recent_pair_fixings(
    wanted: Sequence[tuple[str, str, str, int]], dialect: str = ""
) -> Statement:
    """Each (base, quote, provider, n)'s last ``n`` fixings of ``base/quote``, newest
    first, in ONE statement: a branch per key, each an index range scan of at most ``n``
    rows, so the cost depends on the keys, never on how much history is stored.

    On SQLite (``dialect``), when every key asks the same ``n`` (a read's usual case),
    the keys are a table of values instead, each joined to the ids of its last ``n``
    rows (the same index range scan): SQLite prepares a branch in about 20 µs, half of a
    one-shot read's rates (measured, 45 keys: 0.9 ms as branches, 0.26 ms so)."""
    if dialect == "sqlite" and len({n for *_, n in wanted}) == 1:
        return _recent_by_ids(wanted)
    branches = []
    params: dict[str, Any] = {}
    for i, (base, quote, provider, n) in enumerate(wanted):
        branches.append(
            f"SELECT * FROM (SELECT {OBSERVATION} FROM observation "
            f"WHERE provider = :p{i} AND base = :b{i} AND quote = :q{i} "
            f"ORDER BY as_of DESC LIMIT :n{i}) AS f{i}"
        )
        params[f"p{i}"], params[f"b{i}"], params[f"q{i}"] = provider, base, quote
        params[f"n{i}"] = n
    return " UNION ALL ".join(branches), params


def _recent_by_ids(wanted: Sequence[tuple[str, str, str, int]]) -> Statement:
    """:func:`recent_pair_fixings` on SQLite, every key's ``n`` the same: in the keys'
    order, each key's newest first, as the branches give them."""
    keys = []
    params: dict[str, Any] = {"n": wanted[0][3]}
    for i, (base, quote, provider, _n) in enumerate(wanted):
        keys.append(f"({i}, :p{i}, :b{i}, :q{i})")
        params[f"p{i}"], params[f"b{i}"], params[f"q{i}"] = provider, base, quote
    columns = ", ".join(f"o.{c}" for c in OBSERVATION.split(", "))
    return (
        f"WITH k(i, p, b, q) AS (VALUES {', '.join(keys)}) "
        f"SELECT {columns} FROM k JOIN observation AS o ON o.id IN ("
        "SELECT id FROM observation WHERE provider = k.p AND base = k.b AND quote = k.q "
        "ORDER BY as_of DESC LIMIT :n) "
        "ORDER BY k.i, o.as_of DESC"
    ), params


def fixings_on(wanted: Sequence[tuple[str, str, date]]) -> Statement:
    """The fixings of (local, provider, day) of ``USD/local`` (see :func:`pair_fixings_on`)."""
    return pair_fixings_on([("USD", local, p, day) for local, p, day in wanted])


def pair_fixings_on(wanted: Sequence[tuple[str, str, str, date]]) -> Statement:
    """The fixings of (base, quote, provider, day), each one unique-index lookup, in one
    statement."""
    clauses = []
    params: dict[str, Any] = {}
    for i, (base, quote, provider, day) in enumerate(wanted):
        clauses.append(f"(provider = :p{i} AND base = :b{i} AND quote = :q{i} AND as_of = :d{i})")
        params[f"p{i}"], params[f"b{i}"], params[f"q{i}"] = provider, base, quote
        params[f"d{i}"] = day.isoformat()
    where = " OR ".join(clauses)
    return f"SELECT {OBSERVATION} FROM observation WHERE {where}", params


def fixings_before(wanted: Sequence[tuple[str, str, date]]) -> Statement:
    """Each (local, provider, day)'s last fixing of ``USD/local`` dated before ``day``
    (see :func:`pair_fixings_before`)."""
    return pair_fixings_before([("USD", local, p, day) for local, p, day in wanted])


def pair_fixings_before(wanted: Sequence[tuple[str, str, str, date]]) -> Statement:
    """Each (base, quote, provider, day)'s last fixing dated before ``day``, in ONE
    statement: a branch per key, each one index seek (LIMIT 1). Each row starts with its
    key's position in ``wanted``, then :data:`OBSERVATION`."""
    branches = []
    params: dict[str, Any] = {}
    for i, (base, quote, provider, day) in enumerate(wanted):
        branches.append(
            f"SELECT * FROM (SELECT {i} AS k, {OBSERVATION} FROM observation "
            f"WHERE provider = :p{i} AND base = :b{i} AND quote = :q{i} AND as_of < :d{i} "
            f"ORDER BY as_of DESC LIMIT 1) AS b{i}"
        )
        params[f"p{i}"], params[f"b{i}"], params[f"q{i}"] = provider, base, quote
        params[f"d{i}"] = day.isoformat()
    return " UNION ALL ".join(branches), params


def observation_ids(wanted: Sequence[tuple[str, str, date]]) -> Statement:
    """The ids of the fixings of (local, provider, day), each one unique-index lookup, in
    one statement: rows of id, provider, quote, as_of."""
    text, params = fixings_on(wanted)
    return text.replace(OBSERVATION, "id, provider, quote, as_of", 1), params


def pair_observation_ids(wanted: Sequence[tuple[str, str, str, date]]) -> Statement:
    """The ids of the fixings of (base, quote, provider, day): rows of id, provider,
    base, quote, as_of."""
    text, params = pair_fixings_on(wanted)
    return text.replace(OBSERVATION, "id, provider, base, quote, as_of", 1), params


def history(
    local: str,
    since: date | None,
    until: date | None,
    provider: str | None,
    base: str = "USD",
) -> Statement:
    """Every fixing of ``base/local`` (``USD/local``) in ``[since, until]``, by date then
    provider."""
    where = ["base = :base", "quote = :local"]
    params: dict[str, Any] = {"local": local, "base": base}
    if provider is not None:
        where.append("provider = :provider")
        params["provider"] = provider
    if since is not None:
        where.append("as_of >= :since")
        params["since"] = since.isoformat()
    if until is not None:
        where.append("as_of <= :until")
        params["until"] = until.isoformat()
    text = f"SELECT {OBSERVATION} FROM observation WHERE {' AND '.join(where)}"
    return f"{text} ORDER BY as_of, provider", params


def quarantined(local: str | None, limit: int | None) -> Statement:
    """Quarantined values (newest fixing first), with their reason and previous rate."""
    text = (
        "SELECT provider, base, quote, as_of, rate, derived, fetched_at, reason, "
        "previous_rate FROM quarantined_observation"
    )
    params: dict[str, Any] = {}
    if local is not None:
        text += " WHERE base = 'USD' AND quote = :local"
        params["local"] = local
    text += " ORDER BY as_of DESC, provider"
    if limit is not None:
        text += " LIMIT :limit"
        params["limit"] = limit
    return text, params


def alert_events(limit: int | None, rule_id: int | None, after_id: int | None) -> Statement:
    """Firings, newest first, with the causing observation's source and date."""
    text = (
        "SELECT e.id, e.rule_id, e.fired_at, e.pair, e.rate, e.message, o.provider, o.as_of "
        "FROM alert_event AS e LEFT OUTER JOIN observation AS o ON o.id = e.observation_id"
    )
    where, params = [], {}
    if rule_id is not None:
        where.append("e.rule_id = :rule_id")
        params["rule_id"] = rule_id
    if after_id is not None:
        where.append("e.id > :after_id")
        params["after_id"] = after_id
    if where:
        text += " WHERE " + " AND ".join(where)
    text += " ORDER BY e.id DESC"
    if limit is not None:
        text += " LIMIT :limit"
        params["limit"] = limit
    return text, params


def indicator_points(
    sources: Sequence[str] | None,
    indicators: Sequence[str] | None,
    countries: Sequence[str] | None,
    released: bool = True,
    since: str | None = None,
) -> Statement:
    """Stored indicator values, by source, indicator, country, period (actual first);
    ``released=False`` on a store older than
    :data:`~ticker.storage.version.RELEASE_SCHEMA` (no release dates: NULL). ``since``
    (``2021-12``): only the periods from then on, compared as text, which orders every
    period form (``2021-12-15``, ``2022-01``, ``2022-Q1``; a year alone, ``2021``, falls
    before it)."""
    text = (
        "SELECT source, indicator, country, period, value, is_forecast, fetched_at, "
        f"previous_value, revised_at, {'released' if released else 'NULL'} FROM indicator_value"
    )
    where, params = [], {}
    for column, wanted in (("source", sources), ("indicator", indicators), ("country", countries)):
        if wanted is None:
            continue
        names = []
        for i, value in enumerate(wanted):
            names.append(f":{column}{i}")
            params[f"{column}{i}"] = value
        where.append(f"{column} IN ({', '.join(names)})" if names else "1 = 0")
    if since is not None:
        where.append("period >= :since")
        params["since"] = since
    if where:
        text += " WHERE " + " AND ".join(where)
    return text + " ORDER BY source, indicator, country, period, is_forecast", params


#: Every value a revision replaced, for one series of one country, oldest first (the
#: columns :func:`ticker.storage.decode.revision` reads).
INDICATOR_REVISIONS = (
    "SELECT period, is_forecast, value, released, fetched_at, replaced_at "
    "FROM indicator_revision WHERE source = :source AND indicator = :indicator "
    "AND country = :country ORDER BY period, replaced_at, id LIMIT :limit"
)


#: A stored market quote's columns, in the order :func:`ticker.storage.decode.market_quote`
#: reads.
MARKET_QUOTE = (
    "id, source, institution, city, base, quote, channel, buy, sell, quoted_at, "
    "seen_quoted_at, first_fetched_at, last_fetched_at"
)


def latest_quotes(
    pairs: Sequence[tuple[str, str]] | None, channel: str | None, source: str | None, limit: int
) -> Statement:
    """The newest row of every key (``replaced_at`` NULL: one range of the index
    ``ix_market_quote_newest``, as long as there are keys, whatever the history) of
    ``pairs`` (base, quote; None: every pair), by pair, channel, source, institution."""
    where = ["replaced_at IS NULL"]
    params: dict[str, Any] = {"limit": limit}
    if pairs is not None:
        clauses = []
        for i, (base, quote) in enumerate(pairs):
            clauses.append(f"(base = :b{i} AND quote = :q{i})")
            params[f"b{i}"], params[f"q{i}"] = base, quote
        where.append(f"({' OR '.join(clauses)})" if clauses else "1 = 0")
    if channel is not None:
        where.append("channel = :channel")
        params["channel"] = channel
    if source is not None:
        where.append("source = :source")
        params["source"] = source
    text = (
        f"SELECT {MARKET_QUOTE}, replaced_at FROM market_quote WHERE {' AND '.join(where)} "
        "ORDER BY base, quote, channel, source, institution, city LIMIT :limit"
    )
    return text, params


def quote_history(key: tuple[str, str, str, str, str, str], since: Any, limit: int) -> Statement:
    """One key's (source, institution, city, base, quote, channel) prices, newest first:
    those seen at ``since`` (a stored moment) or later, at most ``limit`` (one range of
    the index ``ix_market_quote_key``)."""
    names = ("source", "institution", "city", "base", "quote", "channel")
    params: dict[str, Any] = dict(zip(names, key, strict=True))
    where = [f"{name} = :{name}" for name in names]
    if since is not None:
        where.append("last_fetched_at >= :since")
        params["since"] = since
    params["limit"] = limit
    text = (
        f"SELECT {MARKET_QUOTE}, replaced_at FROM market_quote WHERE {' AND '.join(where)} "
        "ORDER BY last_fetched_at DESC, id DESC LIMIT :limit"
    )
    return text, params


def reported_rates(pair: tuple[str, str] | None, limit: int) -> Statement:
    """Rates users reported (of ``pair`` as written, base then quote), newest first."""
    text = "SELECT id, base, quote, rate, note, reported_at FROM reported_rate"
    params: dict[str, Any] = {"limit": limit}
    if pair is not None:
        text += " WHERE base = :base AND quote = :quote"
        params["base"], params["quote"] = pair
    return text + " ORDER BY reported_at DESC, id DESC LIMIT :limit", params


#: Held market quotes, the newest held first, with the facts of why and the official rate.
QUARANTINED_QUOTES = (
    f"SELECT {MARKET_QUOTE}, reason, official FROM quarantined_quote ORDER BY id DESC LIMIT :limit"
)


#: Whether the store has the refusals table (a read-only store of an older schema has not).
HAS_REFUSALS = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
    "AND name = 'indicator_refusal'",
    "postgresql": "SELECT count(*) FROM pg_tables WHERE tablename = 'indicator_refusal' "
    "AND schemaname = current_schema()",
}

#: Indicators their source refused when last asked.
INDICATOR_REFUSALS = (
    "SELECT source, indicator, reason, refused_at FROM indicator_refusal ORDER BY source, indicator"
)


_NAMED = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=256)
def for_driver(text: str, dialect: str) -> str:
    """The statement with its parameters spelled for the dialect's driver: ``:name`` for
    sqlite3, ``%(name)s`` for psycopg."""
    if dialect == "sqlite":
        return text
    return _NAMED.sub(r"%(\1)s", text)
