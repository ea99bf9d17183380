"""Versioned schema: a newer program upgrades an older database in place.

The table ``ticker_schema`` holds one row, the schema version. Each :class:`Migration`
moves the schema from ``version - 1`` to ``version``; :func:`upgrade` runs the missing
ones in order, all in ONE transaction under the database's write lock (``BEGIN
IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so two processes starting at
once never both migrate, and a failure midway leaves the database as it was.

Migrations are history: each one's step (:mod:`ticker.storage.migration_steps`) spells
out its own tables and columns and never imports the current models, so that later
changes to ``tables.py`` cannot rewrite what an old migration does. To change the schema,
edit ``tables.py`` AND append a step there and its :class:`Migration` here;
``tests/storage/test_migrations.py`` fails until the two agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Table, inspect, select, text

from ticker.errors import StorageError
from ticker.i18n.words import _
from ticker.storage import migration_steps as steps
from ticker.storage.migration_steps import IMPOSSIBLE_DATE as IMPOSSIBLE_DATE
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


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", steps.v1_initial),
    Migration(2, "alert rule state", steps.v2_alert_state),
    Migration(3, "precision and days without a fixing", steps.v3_calendars),
    Migration(4, "fixings with impossible dates quarantined", steps.v4_impossible_dates),
    Migration(5, "alert rules can be snoozed", steps.v5_snooze),
    Migration(6, "indicators a source refused", steps.v6_indicator_refusals),
    Migration(7, "collectors and their heartbeats", steps.v7_collectors),
    Migration(8, "webhook deliveries kept until done", steps.v8_webhook_deliveries),
    Migration(9, "requests to poll now", steps.v9_poll_requests),
    Migration(10, "market quotes, held quotes and reported rates", steps.v10_market),
    Migration(11, "indicator release dates and every revision", steps.v11_indicator_releases),
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
        raise StorageError(
            _("{table} has no version row; the database was left untouched").format(
                table=SCHEMA_TABLE
            )
        )
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
                    _(
                        "{where}: not a ticker database (it holds other tables: {tables}); "
                        "left untouched"
                    ).format(where=where, tables=shown)
                )
        conn.rollback()
    if version is not None and version > head:
        raise StorageError(
            _(
                "{where}: schema version {version} is newer than this program understands "
                "({head}); upgrade ticker"
            ).format(where=where, version=version, head=head)
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
