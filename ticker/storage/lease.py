"""The store's lease: one active collector per store, the others stand by.

A collector (headless or a dashboard's) holds the lease before it polls:

* **SQLite**: an OS lock (``flock``, exclusive, non-blocking) on a file beside the
  database, ``ticker.db.collector.lock``. The OS drops it when the holder dies, ``kill -9``
  included; the holder writes who it is (host, pid, since) into the file so that others
  can say it. A lock path that is a symlink or not a regular file is refused.
* **PostgreSQL**: a session-level advisory lock (``pg_try_advisory_lock``) on a connection
  of its own (autocommit, TCP keepalives, ``application_name`` naming host and pid),
  confirmed at every heartbeat. A machine that loses power leaves its session (and the
  lock) on the server for as long as the server takes to notice, so the heartbeat rows
  decide too: a standby that sees the holder's heartbeat stand still for
  :data:`TAKEOVER_AFTER` ends the holder's session (``pg_terminate_backend``) and takes
  the lock; and a holder that could not confirm its lock for :data:`SELF_FENCE_AFTER`
  (shorter) stops polling and writing first (:mod:`ticker.core.leadership`), so two
  collectors never poll at once.

Every collector keeps a row in the ``collector`` table (host, pid, role, started_at,
active_since, heartbeat_at), written at each heartbeat; rows not heard from for
:data:`FORGET_AFTER` are removed by the next holder and ignored by readers. On SQLite
the lock itself tells whether the holder lives, so its heartbeat is written less often
(:data:`SQLITE_HEARTBEAT_EVERY`): every commit wakes the dashboards that watch the file.

Driver connections only (``sqlite3``, psycopg), no ORM: the read side uses
:func:`sqlite_holder` to say who holds a SQLite store's lease. The calls block (a thread
runs them); none waits for the lock.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ticker.errors import StorageError
from ticker.model.collectors import CollectorRecord, Role
from ticker.storage import decode
from ticker.storage.failures import describe_failure

#: PostgreSQL: how often every collector writes its heartbeat (the holder confirms its
#: lock with the same statement).
HEARTBEAT_EVERY = timedelta(seconds=2)
#: SQLite: the OS lock says whether the holder lives; the heartbeat row is for people
#: (``ticker providers``, ``ticker health``), and each write wakes every dashboard.
SQLITE_HEARTBEAT_EVERY = timedelta(seconds=10)
#: PostgreSQL: a holder whose heartbeat has not moved for this long (as the standby's own
#: monotonic clock measures it) is dead: a standby ends its session and takes over.
TAKEOVER_AFTER = timedelta(seconds=8)
#: A holder that could not confirm its lock for this long stops polling and writing.
#: Shorter than :data:`TAKEOVER_AFTER`: it has stopped before anyone takes over.
SELF_FENCE_AFTER = timedelta(seconds=4)
#: How often a standby tries the lease.
RETRY_EVERY = timedelta(seconds=1)
#: Rows of collectors not heard from for this long are removed (by the next holder) and
#: ignored by every reader.
FORGET_AFTER = timedelta(minutes=2)

#: The advisory lock's key ("tickcoll"); migrations take another (``migrations.py``).
LEASE_KEY = 0x7469636B_636F6C6C
_KEY_HIGH, _KEY_LOW = LEASE_KEY >> 32, LEASE_KEY & 0xFFFFFFFF

#: The lock file holds one small JSON object: more is not ours.
_LOCK_FILE_MAX = 4096

Monotonic = Callable[[], float]


class LeaseLost(Exception):
    """The holder no longer holds the lease (its connection or lock file is gone)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a collector is, as others are told."""

    host: str
    pid: int
    started_at: datetime

    @classmethod
    def here(cls, now: datetime) -> Identity:
        return cls(socket.gethostname() or "localhost", os.getpid(), now)

    @property
    def who(self) -> str:
        return f"{self.host} pid {self.pid}"


@dataclass(slots=True)
class Lease:
    """What both kinds share: who this collector is, whether it holds the lease, and
    the ``collector`` rows' statements (``:name`` parameters, run by :meth:`_execute`)."""

    identity: Identity
    where: str
    busy_timeout: timedelta = timedelta(seconds=5)
    held: bool = False
    active_since: datetime | None = None
    heartbeat_every: timedelta = HEARTBEAT_EVERY
    _last_beat: datetime | None = field(default=None, repr=False)
    _last_confirm: datetime | None = field(default=None, repr=False)

    dialect = "sqlite"

    # ------------------------------------------------------------------ the interface

    def acquire(self, now: datetime) -> bool:
        """Try once to take the lease (never waits for it); True when held now. Raises
        :class:`StorageError` when the store cannot be reached."""
        raise NotImplementedError

    def beat(self, now: datetime) -> None:
        """The heartbeat: the holder confirms its lease (raises :class:`LeaseLost` when it
        is gone, :class:`StorageError` when it could not tell); a standby says it is
        there. Both write their row."""
        raise NotImplementedError

    def holder(self, now: datetime) -> CollectorRecord | None:
        """Who holds the lease, as far as can be told (None: nobody, or unknown)."""
        raise NotImplementedError

    def release(self, now: datetime) -> None:
        """Give the lease up (if held) and remove this collector's row; never raises."""
        raise NotImplementedError

    def abandon(self) -> None:
        """Stop holding the lease without a word to the store (after a fence): its lock
        goes with the connection or the file descriptor."""
        raise NotImplementedError

    def due(self, now: datetime) -> bool:
        """Whether a heartbeat is due (the holder confirms its lease at each one)."""
        return self._last_confirm is None or now - self._last_confirm >= HEARTBEAT_EVERY

    def _row_due(self, now: datetime) -> bool:
        return self._last_beat is None or now - self._last_beat >= self.heartbeat_every

    # ------------------------------------------------------------------ the rows

    def _execute(self, text: str, params: dict[str, Any]) -> list[Any]:
        raise NotImplementedError

    def _stamp(self, when: datetime) -> Any:
        utc = when.astimezone(UTC)
        if self.dialect == "sqlite":
            return utc.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        return utc

    def _write_row(self, now: datetime) -> None:
        """This collector's row, as it stands now (one statement each way)."""
        role = Role.ACTIVE if self.held else Role.STANDBY
        params = {
            "host": self.identity.host,
            "pid": self.identity.pid,
            "role": str(role),
            "started": self._stamp(self.identity.started_at),
            "since": self._stamp(self.active_since) if self.active_since else None,
            "beat": self._stamp(now),
        }
        self._execute(
            "INSERT INTO collector (host, pid, role, started_at, active_since, heartbeat_at) "
            "VALUES (:host, :pid, :role, :started, :since, :beat) "
            "ON CONFLICT (host, pid) DO UPDATE SET role = excluded.role, "
            "started_at = excluded.started_at, active_since = excluded.active_since, "
            "heartbeat_at = excluded.heartbeat_at",
            params,
        )
        self._last_beat = now

    def _took_over(self, now: datetime) -> None:
        """On taking the lease: rows of former holders (dead: their lock is ours) and of
        collectors long unheard of go."""
        self._execute(
            "DELETE FROM collector WHERE (role = 'active' AND NOT (host = :host AND pid = :pid))"
            " OR heartbeat_at < :forgotten",
            {
                "host": self.identity.host,
                "pid": self.identity.pid,
                "forgotten": self._stamp(now - FORGET_AFTER),
            },
        )

    def _remove_row(self) -> None:
        self._execute(
            "DELETE FROM collector WHERE host = :host AND pid = :pid",
            {"host": self.identity.host, "pid": self.identity.pid},
        )

    def _active_row(self) -> CollectorRecord | None:
        rows = self._execute(
            "SELECT host, pid, role, started_at, active_since, heartbeat_at FROM collector "
            "WHERE role = 'active' ORDER BY heartbeat_at DESC LIMIT 1",
            {},
        )
        return decode.collector(rows[0]) if rows else None


# ---------------------------------------------------------------------- SQLite


def lock_path(database: Path) -> Path:
    """The lock file beside a SQLite store: ``ticker.db`` -> ``ticker.db.collector.lock``."""
    return database.with_name(database.name + ".collector.lock")


class LeaseRefused(StorageError):
    """The lease cannot be used at all (its lock file is not one): no retry helps."""


def _refused(path: Path) -> StorageError:
    return LeaseRefused(
        f"{path}: the collectors' lock file is a symlink or not a regular file; refusing "
        "to use it (remove it: a collector makes a new one)"
    )


def _open_lock_file(path: Path, create: bool) -> int | None:
    """The lock file's descriptor (None: there is none, and ``create`` is False). A
    symlink, a FIFO, a device or a directory at the path is refused, never opened
    through."""
    flags = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    flags |= (os.O_RDWR | os.O_CREAT) if create else os.O_RDONLY
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        before = None
    except OSError as err:
        raise StorageError(
            f"{path}: cannot use the collectors' lock file: {err.strerror}"
        ) from None
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise _refused(path)
    if before is None and not create:
        return None
    try:
        fd = os.open(path, flags, 0o644)
    except FileNotFoundError:
        return None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _refused(path) from None
        raise StorageError(
            f"{path}: cannot use the collectors' lock file: {err.strerror}"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped in between
        os.close(fd)
        raise _refused(path)
    return fd


def _read_holder_file(fd: int) -> dict[str, Any] | None:
    """What the holder wrote into the lock file, if it is what a holder writes."""
    try:
        raw = os.pread(fd, _LOCK_FILE_MAX + 1, 0)
    except OSError:
        return None
    if not raw or len(raw) > _LOCK_FILE_MAX:
        return None
    try:
        found = json.loads(raw.decode("utf-8"))
        host, pid = str(found["host"])[:255], int(found["pid"])
        since = decode.moment(str(found["since"]))
    except (ValueError, KeyError, TypeError, OverflowError):
        return None
    return {"host": host, "pid": pid, "since": since}


def sqlite_holder(database: Path, now: datetime) -> tuple[bool, CollectorRecord | None]:
    """Whether a collector holds the lease of the SQLite store at ``database`` now, and
    who (as its lock file says). Looks without taking it for more than a moment: a
    shared lock, at once released."""
    fd = _open_lock_file(lock_path(database), create=False)
    if fd is None:
        return False, None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            found = _read_holder_file(fd)
            if found is None:
                return True, None
            since = found["since"]  # its heartbeat is in the collector table, if anywhere
            record = CollectorRecord(found["host"], found["pid"], Role.ACTIVE, since, since, since)
            return True, record
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False, None
    finally:
        os.close(fd)


@dataclass(slots=True)
class SqliteLease(Lease):
    """The lease of a SQLite store: ``flock`` on the file beside it."""

    database: Path = Path()
    _fd: int | None = field(default=None, repr=False)
    _inode: tuple[int, int] | None = field(default=None, repr=False)
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    row_error: str | None = None
    """Why the last heartbeat row could not be written (the lease stands on the lock)."""

    def __post_init__(self) -> None:
        self.heartbeat_every = SQLITE_HEARTBEAT_EVERY

    @property
    def path(self) -> Path:
        return lock_path(self.database)

    def acquire(self, now: datetime) -> bool:
        if self.held:
            return True
        fd = _open_lock_file(self.path, create=True)
        assert fd is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if self._row_due(now):
                self._rows_quietly(now)
            return False
        except OSError as err:
            os.close(fd)
            raise StorageError(f"{self.path}: cannot lock: {err.strerror}") from None
        info = os.fstat(fd)
        self._fd, self._inode = fd, (info.st_dev, info.st_ino)
        record = {
            "host": self.identity.host,
            "pid": self.identity.pid,
            "since": now.astimezone(UTC).isoformat(),
        }
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(record).encode("utf-8"), 0)
        except OSError as err:
            self._drop()
            raise StorageError(f"{self.path}: cannot write: {err.strerror}") from None
        self.held, self.active_since, self._last_confirm = True, now, now
        self._rows_quietly(now, took_over=True)
        return True

    def beat(self, now: datetime) -> None:
        if self.held:
            try:
                info = os.stat(self.path, follow_symlinks=False)
                same = (info.st_dev, info.st_ino) == self._inode and stat.S_ISREG(info.st_mode)
            except OSError:
                same = False
            if not same:  # removed or replaced: another collector could lock a new one
                self._drop()
                raise LeaseLost(f"{self.path} was removed or replaced")
        self._last_confirm = now
        if self._row_due(now):
            self._rows_quietly(now)

    def holder(self, now: datetime) -> CollectorRecord | None:
        if self.held:
            return None
        held, record = sqlite_holder(self.database, now)
        if not held:
            return None
        if record is not None:
            try:
                row = self._active_row()
            except (sqlite3.Error, StorageError):
                row = None
            if row is not None and (row.host, row.pid) == (record.host, record.pid):
                return row
        return record

    def release(self, now: datetime) -> None:
        if self.held and self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)  # nobody's name in it any more
            except OSError:
                pass
        self._drop()
        try:
            self._remove_row()
        except (sqlite3.Error, StorageError):
            pass
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def abandon(self) -> None:
        self._drop()

    def _drop(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # the OS releases the lock with the last descriptor
        self._fd, self._inode = None, None
        self.held, self.active_since = False, None

    def _rows_quietly(self, now: datetime, took_over: bool = False) -> None:
        """The heartbeat row; a failure is kept (:attr:`row_error`), never raised: the
        lease stands on the lock, not on the row."""
        try:
            if took_over:
                self._took_over(now)
            self._write_row(now)
            self.row_error = None
        except (sqlite3.Error, StorageError) as err:
            self.row_error = str(err)
            self._last_beat = now  # not again at once: at the next heartbeat

    def _execute(self, text: str, params: dict[str, Any]) -> list[Any]:
        if self._conn is None:
            self._conn = sqlite3.connect(
                self.database,
                timeout=self.busy_timeout.total_seconds(),
                isolation_level=None,
                check_same_thread=False,
            )
        try:
            return list(self._conn.execute(text, params).fetchall())
        except sqlite3.Error as err:
            raise StorageError(describe_failure(self.where, err, self.busy_timeout)) from err


# ---------------------------------------------------------------------- PostgreSQL


@dataclass(slots=True)
class PostgresLease(Lease):
    """The lease of a PostgreSQL store: a session-level advisory lock on a connection of
    its own."""

    conninfo: str = ""
    monotonic: Monotonic = time.monotonic
    _conn: Any = field(default=None, repr=False)
    _seen: tuple[Any, ...] | None = field(default=None, repr=False)
    """The holder's session and heartbeat as last seen, and since when (monotonic)."""
    terminated: CollectorRecord | None = None
    """The holder whose session this standby ended (set by :meth:`acquire`)."""

    dialect = "postgresql"

    def acquire(self, now: datetime) -> bool:
        if self.held:
            return True
        self.terminated = None
        got = self._try_lock()
        if not got:
            dead = self._dead_holder()
            if dead is not None:
                pid, record = dead
                self._execute_plain("SELECT pg_terminate_backend(%s, 2000)", (pid,))
                self.terminated = record or CollectorRecord("?", pid, Role.ACTIVE, now, None, now)
                got = self._try_lock()
        if got:
            self.held, self.active_since, self._seen = True, now, None
            self._last_confirm = now
            try:  # a row not written now is written at the next heartbeat (due at once)
                self._guarded(lambda: self._took_over(now))
                self._guarded(lambda: self._write_row(now))
            except StorageError:
                self._last_beat = None
        elif self._row_due(now):
            self._guarded(lambda: self._write_row(now))
        return got

    def beat(self, now: datetime) -> None:
        self._last_confirm = now
        if not self.held:
            self._guarded(lambda: self._write_row(now))
            return
        try:
            rows = self._conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                "AND objid = %s AND objsubid = 1 AND granted AND pid = pg_backend_pid()",
                (_KEY_HIGH, _KEY_LOW),
            ).fetchall()
        except Exception as err:
            self._lost_or_unknown(err)
            raise  # pragma: no cover - _lost_or_unknown always raises
        if not rows or int(rows[0][0]) == 0:
            self._forget_connection()
            raise LeaseLost("the advisory lock is gone")
        self._guarded(lambda: self._write_row(now))

    def holder(self, now: datetime) -> CollectorRecord | None:
        if self.held:
            return None
        try:
            found: CollectorRecord | None = self._guarded(self._active_row)
        except StorageError:
            return None
        return found

    def release(self, now: datetime) -> None:
        if self._conn is not None:
            try:
                self._remove_row()
                if self.held:
                    self._conn.execute("SELECT pg_advisory_unlock(%s)", (LEASE_KEY,))
            except Exception:  # closing the session releases the lock anyway
                pass
        self._forget_connection()

    def abandon(self) -> None:
        self._forget_connection()

    # ------------------------------------------------------------------ helpers

    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed:
            import psycopg

            name = f"ticker collector {self.identity.host} pid {self.identity.pid}"
            name = name.encode("ascii", "replace").decode("ascii")[:63]
            try:
                self._conn = psycopg.connect(
                    self.conninfo,
                    autocommit=True,
                    connect_timeout=3,
                    application_name=name,
                    keepalives=1,
                    keepalives_idle=2,
                    keepalives_interval=1,
                    keepalives_count=2,
                    tcp_user_timeout=int(SELF_FENCE_AFTER.total_seconds() * 1000) - 1000,
                    options="-c statement_timeout=2500 -c lock_timeout=2000",
                )
            except psycopg.Error as err:
                self._conn = None
                raise StorageError(describe_failure(self.where, err, self.busy_timeout)) from err
        return self._conn

    def _try_lock(self) -> bool:
        rows = self._execute_plain("SELECT pg_try_advisory_lock(%s)", (LEASE_KEY,))
        return bool(rows[0][0])

    def _dead_holder(self) -> tuple[int, CollectorRecord | None] | None:
        """The holder's backend pid when its heartbeat has stood still for
        :data:`TAKEOVER_AFTER` (by this process's monotonic clock), else None."""
        rows = self._execute_plain(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
            "AND objid = %s AND objsubid = 1 AND granted AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())",
            (_KEY_HIGH, _KEY_LOW),
        )
        if not rows:
            self._seen = None  # released in between: the next try takes it
            return None
        pid = int(rows[0][0])
        record = self._guarded(self._active_row)
        key = (pid, record.host if record else None, record.pid if record else None,
               record.heartbeat_at if record else None)  # fmt: skip
        mono = self.monotonic()
        if self._seen is None or self._seen[0] != key:
            self._seen = (key, mono)
            return None
        if mono - self._seen[1] < TAKEOVER_AFTER.total_seconds():
            return None
        self._seen = None
        return pid, record

    def _execute_plain(self, statement: str, params: tuple[Any, ...]) -> list[Any]:
        conn = self._connection()
        try:
            return list(conn.execute(statement, params).fetchall())
        except Exception as err:
            self._lost_or_unknown(err)
            raise  # pragma: no cover

    def _execute(self, text: str, params: dict[str, Any]) -> list[Any]:
        from ticker.storage.sql import for_driver

        cursor = self._connection().execute(for_driver(text, "postgresql"), params)
        return list(cursor.fetchall()) if cursor.description else []

    def _guarded(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except StorageError:
            raise
        except Exception as err:
            self._lost_or_unknown(err)
            raise  # pragma: no cover

    def _lost_or_unknown(self, err: Exception) -> None:
        """A driver error: the lease is lost with the connection; otherwise it is only
        unconfirmed (a timeout). Always raises."""
        if type(err).__module__.split(".")[0] != "psycopg":
            raise err
        conn = self._conn
        broken = conn is None or conn.closed or getattr(conn, "broken", False)
        reason = describe_failure(self.where, err, self.busy_timeout)
        if broken:
            was_held = self.held
            self._forget_connection()
            if was_held:
                raise LeaseLost(f"connection lost: {reason}") from err
        raise StorageError(reason) from err

    def _forget_connection(self) -> None:
        conn, self._conn = self._conn, None
        self.held, self.active_since = False, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass


def open_lease(
    dialect: str,
    identity: Identity,
    where: str,
    *,
    database: Path | None = None,
    conninfo: str | None = None,
    busy_timeout: timedelta = timedelta(seconds=5),
    monotonic: Monotonic = time.monotonic,
) -> Lease:
    """The lease of a store (nothing is opened until the first :meth:`Lease.acquire`)."""
    if dialect == "sqlite":
        if database is None:
            raise StorageError(f"{where}: an in-memory database has no collectors to share it")
        return SqliteLease(identity, where, busy_timeout, database=database)
    assert conninfo is not None
    return PostgresLease(identity, where, busy_timeout, conninfo=conninfo, monotonic=monotonic)
