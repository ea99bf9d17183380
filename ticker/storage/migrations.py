"""Versioned schema: a newer program upgrades an older database in place.

The table ``ticker_schema`` holds one row, the schema version. Each :class:`Migration`
moves the schema from ``version - 1`` to ``version``; :func:`upgrade` runs the missing
ones in order, all in ONE transaction under the database's write lock (``BEGIN
IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so two processes starting at
once never both migrate, and a failure midway leaves the database as it was.

Migrations are history: each one spells out its own tables and columns and never
imports the current models, so that later changes to ``tables.py`` cannot rewrite what
an old migration does. To change the schema, edit ``tables.py`` AND append a migration;
``tests/storage/test_migrations.py`` fails until the two agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    inspect,
    select,
    text,
)

from ticker.errors import StorageError
from ticker.storage.version import HEAD as HEAD
from ticker.storage.version import READABLE_FROM as READABLE_FROM
from ticker.storage.version import SCHEMA_TABLE as SCHEMA_TABLE

_ADVISORY_LOCK_KEY = 0x7469636B  # "tick"

_schema_meta = MetaData()
schema_table = Table(SCHEMA_TABLE, _schema_meta, Column("version", Integer, nullable=False))


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    upgrade: Callable[[Connection], None]


def _v1_initial(conn: Connection) -> None:
    """The first schema: observations, quarantine, alerts, provider health, indicators."""
    md = MetaData()

    def utc() -> DateTime:
        return DateTime(timezone=True)

    Table(
        "observation",
        md,
        Column("id", Integer, primary_key=True),
        Column("provider", String, nullable=False),
        Column("base", String, nullable=False),
        Column("quote", String, nullable=False),
        Column("as_of", Date, nullable=False),
        Column("rate", String, nullable=False),
        Column("derived", Boolean, nullable=False),
        Column("fetched_at", utc(), nullable=False),
        UniqueConstraint("provider", "base", "quote", "as_of", name="uq_observation_fixing"),
        Index("ix_observation_pair_as_of", "base", "quote", "as_of"),
    )
    Table(
        "quarantined_observation",
        md,
        Column("id", Integer, primary_key=True),
        Column("provider", String, nullable=False),
        Column("base", String, nullable=False),
        Column("quote", String, nullable=False),
        Column("as_of", Date, nullable=False),
        Column("rate", String, nullable=False),
        Column("derived", Boolean, nullable=False),
        Column("fetched_at", utc(), nullable=False),
        Column("reason", String, nullable=False),
        Column("previous_rate", String),
        UniqueConstraint(
            "provider", "base", "quote", "as_of", "rate", name="uq_quarantined_fixing"
        ),
    )
    Table(
        "alert_rule",
        md,
        Column("id", Integer, primary_key=True),
        Column("pair", String, nullable=False),
        Column("kind", String, nullable=False),
        Column("value", String),
        Column("percent", String),
        Column("direction", String, nullable=False),
        Column("window_seconds", Integer),
        Column("days", Integer),
        Column("cooldown_seconds", Integer, nullable=False),
        Column("hysteresis", String, nullable=False),
        Column("channels", String, nullable=False),
        Column("command", String, nullable=False),
        Column("label", String, nullable=False),
        Column("origin", String, nullable=False),
        Column("enabled", Boolean, nullable=False),
        Column("created_at", utc(), nullable=False),
    )
    Table(
        "alert_event",
        md,
        Column("id", Integer, primary_key=True),
        Column("rule_id", Integer, ForeignKey("alert_rule.id", ondelete="SET NULL")),
        Column("observation_id", Integer, ForeignKey("observation.id", ondelete="SET NULL")),
        Column("fired_at", utc(), nullable=False),
        Column("pair", String, nullable=False),
        Column("rate", String),
        Column("message", String, nullable=False),
    )
    Table(
        "provider_status",
        md,
        Column("provider", String, primary_key=True),
        Column("state", String, nullable=False),
        Column("last_attempt", utc()),
        Column("last_success", utc()),
        Column("last_error", String),
        Column("consecutive_failures", Integer, nullable=False),
        Column("next_run", utc()),
    )
    Table(
        "indicator_value",
        md,
        Column("id", Integer, primary_key=True),
        Column("source", String, nullable=False),
        Column("indicator", String, nullable=False),
        Column("country", String, nullable=False),
        Column("period", String, nullable=False),
        Column("value", String),
        Column("is_forecast", Boolean, nullable=False),
        Column("fetched_at", utc(), nullable=False),
        Column("previous_value", String),
        Column("revised_at", utc()),
        UniqueConstraint(
            "source", "indicator", "country", "period", "is_forecast", name="uq_indicator_point"
        ),
    )
    md.create_all(conn)


def _v2_alert_state(conn: Connection) -> None:
    """Alert rules keep their edge-triggered state; config rules their condition and file;
    removed rules stay (hidden), so ids are never reused."""
    pg = conn.dialect.name == "postgresql"
    true = "true" if pg else "1"
    timestamp = "TIMESTAMP WITH TIME ZONE" if pg else "DATETIME"
    for column in (
        "fingerprint VARCHAR",
        "config_file VARCHAR",
        f"armed BOOLEAN NOT NULL DEFAULT {true}",
        f"last_fired_at {timestamp}",
        "last_observation_id INTEGER",
        f"removed_at {timestamp}",
    ):
        conn.execute(text(f"ALTER TABLE alert_rule ADD COLUMN {column}"))


def _v3_calendars(conn: Connection) -> None:
    """Observations keep the precision their source published; backfill records the
    days a source has no fixing for, so a rerun does not ask again."""
    conn.execute(text("ALTER TABLE observation ADD COLUMN precision_pct VARCHAR"))
    md = MetaData()
    timestamp = DateTime(timezone=True)
    Table(
        "no_fixing",
        md,
        Column("id", Integer, primary_key=True),
        Column("provider", String, nullable=False),
        Column("quote", String, nullable=False),
        Column("first_day", Date, nullable=False),
        Column("last_day", Date, nullable=False),
        Column("checked_at", timestamp, nullable=False),
        Index("ix_no_fixing_provider_quote", "provider", "quote", "first_day"),
    )
    md.create_all(conn)


#: Why a stored fixing was moved to quarantine by :func:`_v4_impossible_dates`.
IMPOSSIBLE_DATE = "dated more than a day after it was fetched: no source publishes that far ahead"


def _v4_impossible_dates(conn: Connection) -> None:
    """Fixings dated after the day they were fetched plus one (an erapi timestamp of 2100,
    a CBR set of 2099, stored by older versions) leave the normal points for quarantine:
    otherwise such a fixing would stay the pair's newest for good. Alert events keep
    their message; their link to the observation becomes NULL."""
    if conn.dialect.name == "postgresql":
        late = "o.as_of > (o.fetched_at + interval '2 days')::date"
    else:
        late = "o.as_of > date(o.fetched_at, '+2 days')"
    conn.execute(
        text(
            "INSERT INTO quarantined_observation "
            "(provider, base, quote, as_of, rate, derived, fetched_at, reason, previous_rate) "
            "SELECT o.provider, o.base, o.quote, o.as_of, o.rate, o.derived, o.fetched_at, "
            f":reason, NULL FROM observation o WHERE {late} ON CONFLICT DO NOTHING"
        ),
        {"reason": IMPOSSIBLE_DATE},
    )
    conn.execute(
        text(f"DELETE FROM observation WHERE id IN (SELECT o.id FROM observation o WHERE {late})")
    )


def _v5_snooze(conn: Connection) -> None:
    """Alert rules can be snoozed until a moment. The read side reads a store of an
    older schema (a read-only one it cannot upgrade) as if no rule were snoozed."""
    timestamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
    conn.execute(text(f"ALTER TABLE alert_rule ADD COLUMN snoozed_until {timestamp}"))


def _v6_indicator_refusals(conn: Connection) -> None:
    """Indicators a source refused (World Bank error 175), with the source's reason, so
    that every process shows them as refused rather than as not published."""
    md = MetaData()
    Table(
        "indicator_refusal",
        md,
        Column("source", String, primary_key=True),
        Column("indicator", String, primary_key=True),
        Column("reason", String, nullable=False),
        Column("refused_at", DateTime(timezone=True), nullable=False),
    )
    md.create_all(conn)


def _v7_collectors(conn: Connection) -> None:
    """Every running collector keeps a row: who it is, whether it holds the store's lease
    (``active``) or stands by, and its last heartbeat (:mod:`ticker.storage.lease`)."""
    md = MetaData()
    timestamp = DateTime(timezone=True)
    Table(
        "collector",
        md,
        Column("id", Integer, primary_key=True),
        Column("host", String, nullable=False),
        Column("pid", Integer, nullable=False),
        Column("role", String, nullable=False),
        Column("started_at", timestamp, nullable=False),
        Column("active_since", timestamp),
        Column("heartbeat_at", timestamp, nullable=False),
        UniqueConstraint("host", "pid", name="uq_collector_process"),
    )
    md.create_all(conn)


def _v8_webhook_deliveries(conn: Connection) -> None:
    """A firing's webhook delivery is kept until it is done, so that one cut short at
    shutdown is sent at the next start. Only the collector reads the table: the read side
    reads an older store (a read-only one) as it always did."""
    md = MetaData()
    timestamp = DateTime(timezone=True)
    Table("alert_event", md, Column("id", Integer, primary_key=True))
    Table(
        "webhook_delivery",
        md,
        Column(
            "event_id",
            Integer,
            ForeignKey("alert_event.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("body", String, nullable=False),
        Column("queued_at", timestamp, nullable=False),
        Column("state", String, nullable=False),
        Column("settled_at", timestamp),
        Column("detail", String),
        Index("ix_webhook_delivery_state", "state", "queued_at"),
    )
    md.tables["webhook_delivery"].create(conn)


def _v9_poll_requests(conn: Connection) -> None:
    """A dashboard that does not poll asks the collector that does to poll now through
    the store: a row the collector watches for and answers. Only the write side reads the
    table: the read side reads an older store as it always did."""
    md = MetaData()
    timestamp = DateTime(timezone=True)
    Table(
        "poll_request",
        md,
        Column("id", Integer, primary_key=True),
        Column("asked_by", String, nullable=False),
        Column("asked_at", timestamp, nullable=False),
        Column("answered_at", timestamp),
        sqlite_autoincrement=True,  # ids never given twice (the collector goes by them)
    )
    md.create_all(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _v1_initial),
    Migration(2, "alert rule state", _v2_alert_state),
    Migration(3, "precision and days without a fixing", _v3_calendars),
    Migration(4, "fixings with impossible dates quarantined", _v4_impossible_dates),
    Migration(5, "alert rules can be snoozed", _v5_snooze),
    Migration(6, "indicators a source refused", _v6_indicator_refusals),
    Migration(7, "collectors and their heartbeats", _v7_collectors),
    Migration(8, "webhook deliveries kept until done", _v8_webhook_deliveries),
    Migration(9, "requests to poll now", _v9_poll_requests),
)

if MIGRATIONS[-1].version != HEAD:  # pragma: no cover - caught by every test run
    raise AssertionError("ticker.storage.version.HEAD must be the last migration's version")


def current_version(conn: Connection) -> int | None:
    """The database's schema version, or ``None`` for a database ticker never touched.

    Raises :class:`StorageError` when ``ticker_schema`` exists without a version row.
    """
    if not inspect(conn).has_table(SCHEMA_TABLE):
        return None
    version = conn.execute(select(schema_table.c.version)).scalar()
    if version is None:
        raise StorageError(f"{SCHEMA_TABLE} has no version row; the database was left untouched")
    return int(version)


def _look(conn: Connection, where: str) -> tuple[int | None, list[str]]:
    """The version, and (without one) the tables there are."""
    try:
        version = current_version(conn)
    except StorageError as err:
        raise StorageError(f"{where}: {err}") from None
    return version, [] if version is not None else sorted(inspect(conn).get_table_names())


def check_ours(engine: Engine, where: str, head: int = HEAD) -> int | None:
    """Refuse, without writing, a database ticker must not touch; return its version.

    Refused: another program's database (tables but no ``ticker_schema``), a damaged
    version table, and a schema newer than ``head``.
    """
    with engine.connect() as conn:
        version, others = _look(conn, where)
        if version is None and others and conn.dialect.name == "postgresql":
            # Tables but no version: another program's database, or ticker's schema just
            # made by another ticker between the two looks (each statement sees what is
            # committed when it starts). A migration holds its lock until it commits:
            # wait for any running one, then look again.
            conn.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": _ADVISORY_LOCK_KEY})
            version, others = _look(conn, where)
        if version is None:
            if others:
                shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
                raise StorageError(
                    f"{where}: not a ticker database (it holds other tables: {shown}); "
                    "left untouched"
                )
        conn.rollback()
    if version is not None and version > head:
        raise StorageError(
            f"{where}: schema version {version} is newer than this program understands "
            f"({head}); upgrade ticker"
        )
    return version


def upgrade(
    engine: Engine,
    migrations: Sequence[Migration] = MIGRATIONS,
    target: int | None = None,
    where: str = "database",
) -> tuple[int, int]:
    """Bring the schema to ``target`` (default: the last migration).

    Returns ``(version_before, version_after)``; ``version_before`` is 0 for a new
    database. Raises :class:`StorageError` as :func:`check_ours` does.
    """
    last = migrations[-1].version
    head = last if target is None else target
    version = check_ours(engine, where, last)
    if version is not None and version >= head:
        return version, version
    with engine.connect().execution_options(sqlite_immediate=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK_KEY})
        version = current_version(conn)  # again, now that we hold the lock
        if version is None:
            _schema_meta.create_all(conn)
            conn.execute(schema_table.insert().values(version=0))
            version = 0
        before = version
        for migration in migrations:
            if version < migration.version <= head:
                migration.upgrade(conn)
                version = migration.version
        conn.execute(schema_table.update().values(version=version))
    return before, version
