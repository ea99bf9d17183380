"""What every part of the store shares: the tables, the write transaction (after the
soundness check), and the idempotent insert of the store's dialect."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Insert, Table

from ticker.storage.changes import CHANNEL
from ticker.storage.db import Database, sqlite_file
from ticker.storage.reads import ReadQueries
from ticker.storage.sql import for_driver
from ticker.storage.sqlite_file import read_only_refusal
from ticker.storage.tables import (
    AlertEventRow,
    AlertRuleRow,
    IndicatorRefusalRow,
    IndicatorRevisionRow,
    IndicatorRow,
    NoFixingRow,
    ObservationRow,
    ProviderStatusRow,
    QuarantinedRow,
    WebhookDeliveryRow,
    table_of,
)
from ticker.storage.version import HEAD

#: The announcement, in psycopg's spelling (only ever run on PostgreSQL).
_ANNOUNCE = for_driver("SELECT pg_notify(:channel, :what)", "postgresql")

OBS: Table = table_of(ObservationRow)
QUARANTINE: Table = table_of(QuarantinedRow)
STATUS: Table = table_of(ProviderStatusRow)
RULES: Table = table_of(AlertRuleRow)
EVENTS: Table = table_of(AlertEventRow)
INDICATORS: Table = table_of(IndicatorRow)
NO_FIXING: Table = table_of(NoFixingRow)
REFUSALS: Table = table_of(IndicatorRefusalRow)
REVISIONS: Table = table_of(IndicatorRevisionRow)
WEBHOOK_DELIVERIES: Table = table_of(WebhookDeliveryRow)


class StoreBase(ReadQueries):
    """The database, the write path every part of the store uses, and the shared reads
    (:class:`~ticker.storage.reads.ReadQueries`) on SQLAlchemy's connection."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self._engine = database.engine
        self._session = threading.local()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Every read this thread makes inside the block uses one connection (a screen's
        worth of reads: the snapshot, a pair's detail). Nested blocks share it."""
        if getattr(self._session, "conn", None) is not None:
            yield
            return
        with self.db.errors(), self._engine.connect() as conn:
            self._session.conn = conn
            try:
                yield
            finally:
                self._session.conn = None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection for reads: the thread's :meth:`reading` one, or a new one."""
        conn = getattr(self._session, "conn", None)
        if conn is not None:
            yield conn
            return
        with self._engine.connect() as conn:
            yield conn

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return str(self._engine.dialect.name)

    def _rows(self, text: str, params: dict[str, Any]) -> list[Sequence[Any]]:
        statement = for_driver(text, self.dialect)
        with self.db.errors(), self._read() as conn:
            return list(conn.exec_driver_sql(statement, params).all())

    @property
    def sqlite_path(self) -> Path | None:
        return sqlite_file(self._engine.url) if self.dialect == "sqlite" else None

    @property
    def busy_timeout(self) -> timedelta:
        return self.db.busy_timeout

    @property
    def listen_conninfo(self) -> str | None:
        if self.dialect != "postgresql":
            return None
        url = self._engine.url.set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    @property
    def writes_refused(self) -> str | None:
        return read_only_refusal(self.db.where) if self.db.read_only else None

    @property
    def schema_version(self) -> int:
        # A writable store was brought to HEAD on opening; a read-only one is as found.
        return self.db.schema_before if self.db.read_only else HEAD

    def close(self) -> None:
        self.db.dispose()

    def errors(self) -> AbstractContextManager[None]:
        return self.db.errors()

    @contextmanager
    def driver(self) -> Iterator[Any]:
        with self.db.errors(), self._engine.connect() as conn:
            yield conn.connection.dbapi_connection

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection in a write transaction (``BEGIN IMMEDIATE`` on SQLite), once the
        store is known to be sound (:meth:`Database.check_sound`)."""
        self.db.check_sound()
        with self._engine.connect() as conn:
            conn.execution_options(sqlite_immediate=True)
            with conn.begin():
                yield conn

    def _announce(self, conn: Connection, what: str) -> None:
        """On PostgreSQL, tell every listening dashboard that ``what`` (a provider's
        round, ``rules``, ``events``...) moved: a NOTIFY in the write's own transaction,
        delivered when it commits and never when it rolls back
        (:mod:`ticker.storage.changes`). Other stores need no word: SQLite counts commits."""
        if self.dialect == "postgresql":
            conn.exec_driver_sql(_ANNOUNCE, {"channel": CHANNEL, "what": what})

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
