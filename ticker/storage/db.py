"""Opening the store: engine set-up, safety checks, schema upgrade, error mapping.

SQLite (the default) runs in WAL mode with a busy timeout so that dashboards and a
collector can share one file: readers never block the writer, and a writer waits for
another writer's lock instead of failing at once. Transactions are real transactions:
pysqlite's own BEGIN handling is switched off and we emit ``BEGIN`` (``BEGIN IMMEDIATE``
for writes) ourselves, so DDL is transactional too and a write is all or nothing.

PostgreSQL URLs use psycopg 3 (``postgresql://`` is read as ``postgresql+psycopg://``).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ticker.config import Settings, describe_database
from ticker.errors import ConfigError, StorageError
from ticker.storage import migrations

SQLITE_MAGIC = b"SQLite format 3\x00"


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
            raise StorageError(
                f"{self.where}: is read-only (the file or its directory cannot be written); "
                "reading works, writing needs a writable store"
            )
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
        raise ConfigError(f"{origin}: expected a SQLAlchemy URL, got {shown!r}") from None
    driver = _DRIVERS.get(url.drivername)
    if driver is None:
        raise ConfigError(
            f"{origin}: expected a sqlite:// or postgresql:// URL (drivers: pysqlite, "
            f"psycopg), got {shown!r}"
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
    return Path(database)


def check_sqlite_file(path: Path, create_parent: bool) -> None:
    """Refuse, without touching it, anything at ``path`` that is not a SQLite database."""
    if path.is_dir():
        raise StorageError(f"{path}: is a directory, expected a SQLite database file")
    if path.exists():
        if not path.is_file():  # a FIFO or a device: opening it could block for ever
            raise StorageError(
                f"{path}: not a regular file (a FIFO, a device), expected a SQLite database file"
            )
        try:
            with path.open("rb") as fh:
                header = fh.read(len(SQLITE_MAGIC))
        except OSError as err:
            raise StorageError(f"{path}: cannot read the database: {err.strerror}") from None
        if header and header != SQLITE_MAGIC:
            raise StorageError(
                f"{path}: not a SQLite database (the file was left untouched; "
                "move it away or point [storage] url elsewhere)"
            )
        return
    parent = path.parent
    if not parent.is_dir():
        if not create_parent:
            raise StorageError(f"{path}: directory {parent} does not exist")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(f"{path}: cannot create {parent}: {err.strerror}") from None


def read_only_mode(path: Path) -> str | None:
    """How an existing SQLite file must be opened when this process cannot write it:
    ``"ro"`` when the file is read-only (SQLite can still make its WAL index beside it),
    ``"immutable"`` when its directory is (a read-only mount: nothing can be made there,
    and nobody else can be writing); None when it is writable."""
    if not path.exists():
        return None
    if not os.access(path.parent, os.W_OK):
        return "immutable"
    if not os.access(path, os.W_OK):
        return "ro"
    return None


def _read_only_url(path: Path, mode: str) -> URL:
    query = {"mode": "ro", "uri": "true"}
    if mode == "immutable":
        query["immutable"] = "1"
    return URL.create("sqlite", database=f"file:{quote(str(path.resolve()))}", query=query)


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
                raise StorageError(
                    f"{where}: the database is locked by another writer; gave up after "
                    f"{busy_timeout.total_seconds():g}s (nothing was written)"
                ) from err
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
            url = _read_only_url(path, read_only)
    engine = make_engine(url, busy_timeout)
    try:
        with storage_errors(where, busy_timeout):
            version = migrations.check_ours(engine, where)
            if read_only is not None:
                if version is not None and version < migrations.READABLE_FROM:
                    raise StorageError(
                        f"{where}: is read-only, and its schema (version {version}) needs "
                        "an upgrade this program cannot write; open it once where it is "
                        "writable"
                    )
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


def damaged(where: str, reason: str) -> str:
    """The one message for a damaged SQLite file, whichever command meets it."""
    reason = " ".join(reason.split())[:200]
    return (
        f"{where}: the database is damaged ({reason}); nothing was written to it. "
        "Restore it from a backup, or move it away and start a new one"
    )


_DAMAGED = ("malformed", "file is not a database", "database corrupt")
_DISK_FULL = ("database or disk is full", "no space left on device")


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


def describe_failure(where: str, err: BaseException, busy_timeout: timedelta) -> str:
    """One line for a store error: locked, damaged, disk full, or the driver's words."""
    reason = _reason(err)
    lowered = reason.lower()
    if isinstance(err, (OperationalError, sqlite3.OperationalError)) and (
        "locked" in lowered or "busy" in lowered or "lock timeout" in lowered
    ):
        return (
            f"{where}: the database is locked by another writer; gave up after "
            f"{busy_timeout.total_seconds():g}s (nothing was written)"
        )
    if any(word in lowered for word in _DAMAGED):
        return damaged(where, reason)
    if any(word in lowered for word in _DISK_FULL):
        return f"{where}: the disk is full; nothing more was written (free some space)"
    if "disk i/o error" in lowered:
        return (
            f"{where}: disk I/O error: the disk may be full, failing or gone "
            f"(check free space and the device)"
        )
    return f"{where}: {reason}"


def _reason(err: BaseException) -> str:
    orig = getattr(err, "orig", None)
    text = str(orig) if orig is not None else str(err)
    return " ".join(text.split())  # one line, whatever the driver printed
