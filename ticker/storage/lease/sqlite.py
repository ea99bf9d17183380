"""The lease on SQLite: an exclusive ``flock`` on ``ticker.db.collector.lock`` beside the
database, dropped by the OS when its holder dies (``kill -9`` too); the holder writes who
it is into the file. A lock path that is a symlink or not a regular file is refused.

The file is its owner's alone (0600; one an earlier version made open to all is narrowed
when a collector opens it): ``flock`` needs only a descriptor open for reading, so another
account that could read the file could take the lock and keep every collector standing
by. (A write lock, ``fcntl(F_SETLK, F_WRLCK)``, would not stop it: a reader's read lock
blocks it as surely.) See :mod:`ticker.storage.lease.base` for what both kinds share."""

from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ticker.errors import StorageError
from ticker.i18n.words import _
from ticker.model.collectors import CollectorRecord, Role
from ticker.storage import decode
from ticker.storage.failures import describe_failure
from ticker.storage.lease.base import (
    _LOCK_FILE_MAX,
    SQLITE_HEARTBEAT_EVERY,
    Lease,
    LeaseLost,
    LeaseRefused,
)

#: The lock file's mode: its owner's alone (see above).
_MODE = 0o600


def lock_path(database: Path) -> Path:
    """The lock file beside a SQLite store: ``ticker.db`` -> ``ticker.db.collector.lock``."""
    return database.with_name(database.name + ".collector.lock")


class LockUnreadable(StorageError):
    """This account may not open the lock file (another account's collector made it, for
    it alone): who holds the lease cannot be looked at here."""


def _cannot_use(path: Path, reason: str | None) -> str:
    return _("{path}: cannot use the collectors' lock file: {reason}").format(
        path=path, reason=reason
    )


def _refused(path: Path) -> StorageError:
    return LeaseRefused(
        _(
            "{path}: the collectors' lock file is a symlink or not a regular file; refusing "
            "to use it (remove it: a collector makes a new one)"
        ).format(path=path)
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
        raise StorageError(_cannot_use(path, err.strerror)) from None
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise _refused(path)
    if before is None and not create:
        return None
    try:
        fd = os.open(path, flags, _MODE)
    except FileNotFoundError:
        return None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _refused(path) from None
        kind = LockUnreadable if err.errno in (errno.EACCES, errno.EPERM) else StorageError
        raise kind(_cannot_use(path, err.strerror)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # swapped in between
        os.close(fd)
        raise _refused(path)
    if create and stat.S_IMODE(info.st_mode) & ~_MODE and info.st_uid == os.geteuid():
        try:
            os.fchmod(fd, _MODE)  # an earlier version's, open to every account
        except OSError:
            pass
    return fd


def _read_holder_file(fd: int) -> dict[str, Any] | None:
    """What the holder wrote into the lock file, if it is what a holder writes."""
    try:
        raw = os.pread(fd, _LOCK_FILE_MAX + 1, 0)
    except OSError:
        return None
    if not raw or len(raw) > _LOCK_FILE_MAX:
        return None
    import json  # here: a store no collector ever held has no holder to read

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
            raise StorageError(
                _("{path}: cannot lock: {reason}").format(path=self.path, reason=err.strerror)
            ) from None
        info = os.fstat(fd)
        self._fd, self._inode = fd, (info.st_dev, info.st_ino)
        record = {
            "host": self.identity.host,
            "pid": self.identity.pid,
            "since": now.astimezone(UTC).isoformat(),
        }
        import json

        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(record).encode("utf-8"), 0)
        except OSError as err:
            self._drop()
            raise StorageError(
                _("{path}: cannot write: {reason}").format(path=self.path, reason=err.strerror)
            ) from None
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
                raise LeaseLost(_("{path} was removed or replaced").format(path=self.path))
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
