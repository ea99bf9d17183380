"""Opening the store: engine set-up, safety checks, schema upgrade, error mapping.

SQLite (the default) runs in WAL mode with a busy timeout so that dashboards and a
collector can share one file: readers never block the writer, and a writer waits for
another writer's lock instead of failing at once. Transactions are real transactions:
pysqlite's own BEGIN handling is switched off and we emit ``BEGIN`` (``BEGIN IMMEDIATE``
for writes) ourselves, so DDL is transactional too and a write is all or nothing.

PostgreSQL URLs use psycopg 3 (``postgresql://`` is read as ``postgresql+psycopg://``).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ticker.config import Settings, describe_database
from ticker.errors import ConfigError, StorageError
from ticker.i18n.words import _
from ticker.storage import migrations
from ticker.storage.failures import damaged, describe_failure, locked
from ticker.storage.sqlite_file import (
    check_sqlite_file,
    file_uri,
    read_only_mode,
    read_only_refusal,
)

__all__ = [
    "Database",
    "check_sqlite_file",
    "damaged",
    "describe_failure",
    "open_database",
    "read_only_mode",
    "read_only_url",
    "refuse_unreadable",
    "storage_errors",
]


@dataclass(frozen=True, slots=True)
class Database:
    """An open store: the engine plus what is needed to word errors about it."""

    engine: Engine
    where: str
    """The database as shown to users (a path for SQLite, a masked URL otherwise)."""
    busy_timeout: timedelta
    schema_before: int
    """The schema version found on opening (0 for a new database)."""
    read_only: bool = False
    """Opened read-only: the file, or its directory, cannot be written."""
    _checked: list[bool] = field(default_factory=list, compare=False, repr=False)

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn driver errors into one-line :class:`StorageError`s naming the database."""
        with storage_errors(self.where, self.busy_timeout):
            yield

    def dispose(self) -> None:
        self.engine.dispose()

    def check_sound(self) -> None:
        """Before this process's first write to a SQLite file: SQLite's quick check, so a
        damaged file is refused (one line, the file untouched) instead of written into."""
        if self.read_only:
            raise StorageError(read_only_refusal(self.where))
        if self.engine.dialect.name != "sqlite" or self._checked:
            return
        with self.errors():
            quick_check(self.engine, self.where)
        self._checked.append(True)


def quick_check(engine: Engine, where: str) -> None:
    """SQLite's quick check of the whole file; raises StorageError when it is damaged."""
    raw = engine.raw_connection()
    try:
        verdict = raw.cursor().execute("PRAGMA quick_check(1)").fetchone()[0]
    finally:
        raw.close()
    if verdict != "ok":
        raise StorageError(damaged(where, str(verdict)))


#: Drivers this program ships; others would fail at connect time with an import error.
_DRIVERS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


def normalize_url(raw: str, origin: str = "storage.url") -> URL:
    """Parse a SQLAlchemy URL; pick psycopg 3 for PostgreSQL. Raises ConfigError.

    ``origin`` says where the URL came from, for messages (``$TICKER_DB_URL``...).
    """
    shown = describe_database(raw)
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            _("{where}: expected {expected}, got {got}").format(
                where=origin, expected=_("a SQLAlchemy URL"), got=repr(shown)
            )
        ) from None
    driver = _DRIVERS.get(url.drivername)
    if driver is None:
        raise ConfigError(
            _("{where}: expected {expected}, got {got}").format(
                where=origin,
                expected=_("a sqlite:// or postgresql:// URL (drivers: pysqlite, psycopg)"),
                got=repr(shown),
            )
        )
    return url.set(drivername=driver)


def store_exists(raw_url: str, origin: str = "storage.url") -> bool:
    """False only for a SQLite file that does not exist yet (nothing stored, nothing to open)."""
    url = normalize_url(raw_url, origin)
    if url.get_backend_name() != "sqlite":
        return True
    path = sqlite_file(url)
    return path is None or path.exists()


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL, or ``None`` for an in-memory database."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    if database.startswith("file:"):  # a read-only file's URI (see read_only_url)
        return Path(unquote(database.removeprefix("file:").partition("?")[0]))
    return Path(database)


def read_only_url(path: Path, mode: str) -> URL:
    """The URL that opens ``path`` read-only, as :func:`read_only_mode` says it must be."""
    uri = file_uri(path, immutable=mode == "immutable")
    database, _, query = uri.partition("?")
    options = dict(item.split("=") for item in query.split("&"))
    return URL.create("sqlite", database=database, query={**options, "uri": "true"})


def make_engine(url: URL, busy_timeout: timedelta) -> Engine:
    """An engine with the timeouts and transaction handling described above.

    Nothing here writes to the database: switching a file to WAL is done once, by
    :func:`open_database`, after the file has been checked.
    """
    busy_ms = int(busy_timeout.total_seconds() * 1000)
    if url.get_backend_name() != "sqlite":
        # A lock wait gives up after the busy timeout, as on SQLite.
        options = f"-c lock_timeout={busy_ms}" if busy_ms else ""
        return create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 10, "options": options},
        )
    in_memory = sqlite_file(url) is None
    kwargs: dict[str, Any] = {
        "connect_args": {"timeout": busy_timeout.total_seconds(), "check_same_thread": False}
    }
    if in_memory:
        kwargs["poolclass"] = StaticPool  # one shared connection, or every query sees a new DB
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # no implicit BEGINs: we issue them ourselves
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def ensure_wal(engine: Engine, where: str, busy_timeout: timedelta = timedelta(seconds=5)) -> None:
    """Put a SQLite file in WAL mode (persistent), once it is known to be sound.

    A file not yet in WAL mode (new, or made elsewhere) gets a quick integrity check
    first, because switching modes rewrites the header: a damaged file stays untouched.
    SQLite answers a mode switch that meets another connection's lock with "database is
    locked" at once, without waiting: several processes opening a new store together
    retry here, until the busy timeout, and find it switched by one of them.
    """
    deadline = time.monotonic() + busy_timeout.total_seconds()
    while True:
        raw = engine.raw_connection()  # outside any transaction: the mode cannot change inside
        try:
            cursor = raw.cursor()
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal":
                return
            verdict = cursor.execute("PRAGMA quick_check(1)").fetchone()[0]
            if verdict != "ok":
                raise StorageError(damaged(where, str(verdict)))
            mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            cursor.close()
            if str(mode).lower() == "wal":
                return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise StorageError(describe_failure(where, err, busy_timeout)) from err
            if time.monotonic() >= deadline:
                raise StorageError(locked(where, busy_timeout)) from err
        finally:
            raw.close()
        time.sleep(0.02)


def open_store(settings: Settings) -> Database:
    """Open (creating or upgrading) the store the settings name."""
    return open_database(
        settings.database_url,
        settings.storage.busy_timeout,
        create_parent=settings.uses_default_database,
        origin=settings.database_url_origin,
    )


@contextmanager
def opened_store(settings: Settings) -> Iterator[Database]:
    """The settings' store for a ``with`` block, without the models (for commands that
    only stream, like export: SQLModel and pydantic are never imported)."""
    db = open_store(settings)
    try:
        yield db
    finally:
        db.dispose()


def open_database(
    raw_url: str,
    busy_timeout: timedelta = timedelta(seconds=5),
    *,
    create_parent: bool = False,
    upgrade: bool = True,
    origin: str = "storage.url",
) -> Database:
    """Open (creating or upgrading as needed) the store at ``raw_url``.

    ``create_parent`` makes a missing directory for a SQLite file (used for the default
    location in the platform data dir). Raises :class:`ConfigError` for a bad URL and
    :class:`StorageError` for anything wrong with the database itself: not a database,
    damaged, another program's, newer than this program, locked.
    """
    url = normalize_url(raw_url, origin)
    where = describe_database(raw_url)
    path = sqlite_file(url) if url.get_backend_name() == "sqlite" else None
    read_only: str | None = None
    if path is not None:
        where = str(path)
        check_sqlite_file(path, create_parent)
        read_only = read_only_mode(path)
        if read_only is not None:
            url = read_only_url(path, read_only)
    engine = make_engine(url, busy_timeout)
    try:
        with storage_errors(where, busy_timeout):
            version = migrations.check_ours(engine, where)
            if read_only is not None:
                refuse_unreadable(where, version)
                return Database(engine, where, busy_timeout, version or 0, read_only=True)
            if path is not None:
                ensure_wal(engine, where, busy_timeout)
                if upgrade and version is not None and version < migrations.HEAD:
                    quick_check(engine, where)  # a migration writes: never into damage
            if upgrade:
                before, _after = migrations.upgrade(engine, where=where)
            else:
                with engine.connect() as conn:
                    before = migrations.current_version(conn) or 0
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, where, busy_timeout, before)


def refuse_unreadable(where: str, version: int | None) -> None:
    """A read-only store whose schema this program cannot read without an upgrade."""
    if version is not None and version < migrations.READABLE_FROM:
        raise StorageError(
            _(
                "{where}: is read-only, and its schema (version {version}) needs "
                "an upgrade this program cannot write; open it once where it is "
                "writable"
            ).format(where=where, version=version)
        )


@contextmanager
def storage_errors(where: str, busy_timeout: timedelta) -> Iterator[None]:
    """Map SQLAlchemy/driver errors (and the raw driver's, for the streaming readers) to
    :class:`StorageError`: one line, naming the database."""
    try:
        yield
    except (DatabaseError, sqlite3.DatabaseError) as err:
        raise StorageError(describe_failure(where, err, busy_timeout)) from err
    except SQLAlchemyError as err:
        raise StorageError(f"{where}: {err}") from err
