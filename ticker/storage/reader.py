"""The read side: the store read through its driver's own connection, with no ORM loaded.

Reading five rows must not cost loading SQLAlchemy and SQLModel (about 0.4 s, twenty
times what the read itself costs). :func:`open_reads` opens the store the way a reader
needs it and nothing more:

* SQLite: the standard library's ``sqlite3`` on a read-only connection (``mode=ro``;
  ``immutable`` on a read-only mount);
* PostgreSQL: psycopg, with the same timeouts the write side sets.

The schema version is checked first. Anything the read side does not handle itself (a
file that is not there or not a database, a store that needs a migration or is newer
than this program, an in-memory database, a URL in another form) goes once through the
write side (:func:`~ticker.storage.repository.open_repository`), which creates, migrates
or says what is wrong in its own words; then the read goes on. Users see the same
messages either way.
"""

from __future__ import annotations

import sqlite3
from _thread import RLock
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ticker.config import Settings, describe_database
from ticker.errors import StorageError
from ticker.storage import sql
from ticker.storage.failures import describe_failure, driver_errors
from ticker.storage.reads import ReadQueries
from ticker.storage.sqlite_file import (
    SQLITE_MAGIC,
    file_uri,
    read_header,
    read_only_mode,
    read_only_refusal,
)
from ticker.storage.version import HEAD, READABLE_FROM

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

_PG_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
#: What opening a SQLite store asks before reading: the version (as
#: :data:`~ticker.storage.sql.VERSION` asks it, a row per row of ``ticker_schema``) and the
#: journal's mode beside it.
_SQLITE_OPENING = (
    "SELECT version, (SELECT journal_mode FROM pragma_journal_mode) FROM ticker_schema"
)


class Address(NamedTuple):
    """Where a store is, in a form the read side opens itself."""

    dialect: str
    where: str
    """As shown to users (the same words the write side uses)."""
    path: Path | None = None
    conninfo: str | None = None


def address_of(raw_url: str) -> Address | None:
    """The plain forms of a store URL (``sqlite:///FILE``, ``postgresql://...``); None
    for anything else, which the write side's parser reads (and words any error in)."""
    if raw_url.startswith("sqlite:///"):
        database = raw_url.removeprefix("sqlite:///")
        if not database or database == ":memory:" or any(c in database for c in "?#%"):
            return None
        if database.startswith("file:"):
            return None
        return Address("sqlite", database, path=Path(database))
    for scheme in _PG_SCHEMES:
        if raw_url.startswith(scheme):
            rest = raw_url.removeprefix(scheme)
            return Address(
                "postgresql", describe_database(raw_url), conninfo="postgresql://" + rest
            )
    return None


def store_exists(settings: Settings) -> bool:
    """False only for a SQLite file that does not exist yet (nothing stored, nothing to
    open); the URL is checked as the write side checks it."""
    address = address_of(settings.database_url)
    if address is None:
        from ticker.storage.db import store_exists as checked

        return checked(settings.database_url, settings.database_url_origin)
    return address.path is None or address.path.exists()


class StoreReader(ReadQueries):
    """The shared reads on one driver connection, shared by the threads that use it
    (one statement, or one :meth:`reading` block, at a time)."""

    def __init__(
        self,
        conn: Any,
        address: Address,
        busy_timeout: timedelta,
        read_only: bool,
        version: int = HEAD,
        reconnect: Callable[[], Any] | None = None,
    ) -> None:
        """``reconnect`` opens the connection again once it is lost (PostgreSQL: the
        server restarted); without it, a lost connection stays lost."""
        self._conn = conn
        self._reconnect = reconnect
        self.address = address
        self._busy_timeout = busy_timeout
        self.read_only = read_only
        """The store cannot be written by this process (a read-only file or mount)."""
        self.version = version
        """The store's schema (older than HEAD only on a read-only store)."""
        self._lock = RLock()  # threading's own (threading.RLock is it), without threading
        self._depth = 0

    @property
    def dialect(self) -> str:
        return self.address.dialect

    @property
    def where(self) -> str:
        return self.address.where

    @property
    def sqlite_path(self) -> Path | None:
        return self.address.path

    @property
    def writes_refused(self) -> str | None:
        return read_only_refusal(self.where) if self.read_only else None

    @property
    def busy_timeout(self) -> timedelta:
        return self._busy_timeout

    @property
    def listen_conninfo(self) -> str | None:
        return self.address.conninfo

    @property
    def schema_version(self) -> int:
        return self.version

    def errors(self) -> AbstractContextManager[None]:
        return driver_errors(self.where, self.busy_timeout)

    def _connection(self) -> Any:
        """The connection, opened again if it was lost. Under the lock."""
        if self._cut():
            self._conn = self._reconnect()  # type: ignore[misc]
        return self._conn

    def _cut(self) -> bool:
        """The server cut the connection (it restarted): a read is worth once more, on a
        new connection, before it is said to fail."""
        return self._reconnect is not None and bool(self._conn.closed)

    def _rows(self, text: str, params: dict[str, Any]) -> list[Sequence[Any]]:
        statement = sql.for_driver(text, self.dialect)
        with self._lock, self.errors():
            try:
                cursor = self._connection().execute(statement, params)
            except Exception:
                if self._depth or not self._cut():
                    raise
                cursor = self._connection().execute(statement, params)
            try:
                return list(cursor.fetchall())
            finally:
                cursor.close()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """The block's reads see one state of the store (one read transaction), and no
        other thread's reads come between them."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            try:
                with self.errors():
                    self._connection()
                    if self.dialect == "sqlite":
                        self._conn.execute("BEGIN")
                        try:
                            yield
                        finally:
                            if self._conn.in_transaction:
                                self._conn.execute("COMMIT")
                    else:
                        with ExitStack() as transaction:
                            try:
                                transaction.enter_context(self._conn.transaction())
                            except Exception:
                                if not self._cut():
                                    raise
                                transaction.enter_context(self._connection().transaction())
                            yield
            finally:
                self._depth = 0

    @contextmanager
    def driver(self) -> Iterator[Any]:
        """The driver's connection, for a streaming read (export), held for the block."""
        with self._lock:
            with self.errors():
                conn = self._connection()
            yield conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_reads(settings: Settings, now: Callable[[], datetime] | None = None) -> ReadQueries:
    """The settings' store for reading: a :class:`StoreReader` whenever the store allows
    it, else the write side's repository (which made the store readable first, or raised
    why it cannot be). With ``now``, config.toml's alert rules are brought into the store
    first if they are not there yet (so listed rules have their ids)."""
    reader = _open_quickly(settings)
    if reader is None:
        from ticker.storage.repository import open_repository

        repo = open_repository(settings)  # creates, migrates, or says what is wrong
        try:
            reader = _open_quickly(settings)
            if reader is None:
                _sync_rules(repo, settings, now)
                return repo
        except BaseException:
            repo.close()
            raise
        repo.close()
    try:
        if now is not None and not reader.read_only and not _rules_in_step(reader, settings):
            from ticker.storage.repository import opened_repository

            with opened_repository(settings) as repo:
                _sync_rules(repo, settings, now)
    except BaseException:
        reader.close()
        raise
    return reader


@contextmanager
def opened_reads(
    settings: Settings, now: Callable[[], datetime] | None = None
) -> Iterator[ReadQueries]:
    """:func:`open_reads` for a ``with`` block, closed after."""
    reads = open_reads(settings, now)
    try:
        yield reads
    finally:
        reads.close()


def _rules_in_step(reader: StoreReader, settings: Settings) -> bool:
    from ticker.storage.rule_sync import plan_sync  # only where rules are listed

    records = reader.config_rule_records(settings.config_id)
    return plan_sync(records, settings.alerts, settings.config_id).empty


def _sync_rules(repo: Any, settings: Settings, now: Callable[[], datetime] | None) -> None:
    if now is not None and not repo.db.read_only:
        repo.sync_config_rules(settings.alerts, settings.config_id, now())


def _open_quickly(settings: Settings) -> StoreReader | None:
    """A reader on the store when it is in a state the read side handles; None when the
    write side must see it first."""
    address = address_of(settings.database_url)
    if address is None:
        return None
    busy = settings.storage.busy_timeout
    if address.dialect == "sqlite":
        return _sqlite_reader(address, busy)
    return _postgres_reader(address, busy)


def _sqlite_reader(address: Address, busy_timeout: timedelta) -> StoreReader | None:
    path = address.path
    assert path is not None
    try:
        if not path.is_file():
            return None
        if read_header(path) != SQLITE_MAGIC:
            return None
    except OSError:
        return None
    mode = read_only_mode(path)
    try:
        conn = sqlite3.connect(
            file_uri(path, immutable=mode == "immutable"),
            uri=True,
            timeout=busy_timeout.total_seconds(),
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error:
        return None
    reader = StoreReader(conn, address, busy_timeout, read_only=mode is not None)
    try:  # the schema's version and the journal's mode, in one statement
        rows = conn.execute(_SQLITE_OPENING).fetchall()
    except sqlite3.Error:
        reader.close()
        return None
    version = _version_of(rows)
    journal = str(rows[0][1]).lower() if rows else ""
    if not _readable(version, reader.read_only) or (mode is None and journal != "wal"):
        reader.close()  # the write side upgrades it (or puts it in WAL mode) first
        return None
    assert version is not None
    reader.version = version
    return reader


def _postgres_reader(address: Address, busy_timeout: timedelta) -> StoreReader | None:
    import psycopg

    busy_ms = int(busy_timeout.total_seconds() * 1000)
    options = f"-c lock_timeout={busy_ms}" if busy_ms else ""
    conninfo = address.conninfo
    assert conninfo is not None

    def connect() -> Any:
        return psycopg.connect(conninfo, connect_timeout=10, options=options, autocommit=True)

    try:
        conn = connect()
    except psycopg.OperationalError as err:  # no server, refused, bad password: say so now
        raise StorageError(describe_failure(address.where, err, busy_timeout)) from err
    except psycopg.Error:
        return None
    reader = StoreReader(conn, address, busy_timeout, read_only=False, reconnect=connect)
    try:
        version = _version(conn)
    except psycopg.Error:
        reader.close()
        return None
    if not _readable(version, read_only=False):
        reader.close()
        return None
    return reader


def _version(conn: Any) -> int | None:
    return _version_of(conn.execute(sql.VERSION).fetchall())


def _version_of(rows: Sequence[Sequence[Any]]) -> int | None:
    """The schema's version from the rows of :data:`~ticker.storage.sql.VERSION` (one
    row, an integer; None for anything else)."""
    if len(rows) != 1 or not isinstance(rows[0][0], int):
        return None
    return int(rows[0][0])


def _readable(version: int | None, read_only: bool) -> bool:
    if version == HEAD:
        return True
    # A store nobody can write is read as it is, when its schema allows.
    return read_only and version is not None and READABLE_FROM <= version < HEAD
