"""One backfill at a time per store: ``ticker backfill`` and the dashboard's ``b`` hold this
lock while they run, and one that finds it held says who holds it and does nothing.

* **SQLite**: an exclusive ``flock`` on ``ticker.db.backfill.lock`` beside the database
  (its owner's alone, 0600; a symlink or anything but a regular file is refused), dropped
  by the OS when its holder dies; the holder writes its host, pid and start into it.
* **PostgreSQL**: a session-level advisory lock on a connection of its own, held until
  the backfill ends (the server drops it with the session).

An in-memory store is this process's alone: nothing to lock.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ticker.errors import StorageError
from ticker.i18n.words import _
from ticker.i18n.zone import clock, in_zone, zone_name
from ticker.storage.failures import describe_failure

if TYPE_CHECKING:
    from ticker.storage.repository import Repository

#: The advisory lock's key on PostgreSQL ("tickback"; the collectors' lease is another).
BACKFILL_KEY = 0x7469636B_6261636B
_MODE = 0o600
_MAX = 4096


class BackfillRunning(StorageError):
    """Another backfill holds the store's backfill lock."""


def lock_path(database: Path) -> Path:
    """``ticker.db`` -> ``ticker.db.backfill.lock``."""
    return database.with_name(database.name + ".backfill.lock")


class BackfillLock:
    """Held from :meth:`take` to :meth:`release` (both block briefly: call them off the
    UI loop); :meth:`take` raises :class:`BackfillRunning` when another backfill holds it,
    :class:`StorageError` when it cannot be taken at all."""

    def __init__(self, repo: Repository) -> None:
        self.where = repo.db.where
        self.busy_timeout = repo.busy_timeout
        self.database = repo.sqlite_path if repo.dialect == "sqlite" else None
        self.conninfo = repo.listen_conninfo
        self._fd: int | None = None
        self._conn: Any = None

    def take(self, now: datetime) -> None:
        if self.database is not None:
            self._take_file(lock_path(self.database), now)
        elif self.conninfo is not None:
            self._take_advisory(self.conninfo)

    def release(self) -> None:
        """Give the lock up (if held); never raises."""
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # the session's end drops the lock anyway
                pass

    def _take_file(self, path: Path, now: datetime) -> None:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(path, flags, _MODE)
        except OSError as err:
            if err.errno == errno.ELOOP:
                raise StorageError(
                    _("{path}: the backfill lock is a symlink; refusing it").format(path=path)
                ) from None
            raise StorageError(
                _("{path}: cannot use the backfill lock: {reason}").format(
                    path=path, reason=err.strerror
                )
            ) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StorageError(
                    _("{path}: the backfill lock is not a regular file; refusing it").format(
                        path=path
                    )
                )
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BackfillRunning(_running(_holder(fd))) from None
            me = {"host": socket.gethostname(), "pid": os.getpid(), "since": _stamp(now)}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me).encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def _take_advisory(self, conninfo: str) -> None:
        import psycopg

        try:
            conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=3)
            held = conn.execute("SELECT pg_try_advisory_lock(%s)", (BACKFILL_KEY,)).fetchone()
        except psycopg.Error as err:
            raise StorageError(describe_failure(self.where, err, self.busy_timeout)) from err
        if not (held and held[0]):
            conn.close()
            raise BackfillRunning(_running(None))
        self._conn = conn


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _holder(fd: int) -> str | None:
    try:
        found = json.loads(os.pread(fd, _MAX, 0).decode("utf-8"))
        host, pid, since = str(found["host"])[:100], int(found["pid"]), str(found["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return _("{host} pid {pid} since {moment}").format(host=host, pid=pid, moment=_moment(since))


def _moment(stamp: str) -> str:
    """A lock file's ``2026-12-05 10:53 UTC`` on the user's clock (``2026-12-05 16:53
    +06``); as written when it is not one."""
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%d %H:%M UTC").replace(tzinfo=UTC)
    except ValueError:
        return stamp
    return f"{in_zone(moment).date().isoformat()} {clock(moment)} {zone_name(moment)}"


def _running(who: str | None) -> str:
    if who:
        return _(
            "another backfill is running on this store ({who}); it fetches the same history: "
            "wait for it to end"
        ).format(who=who)
    return _(
        "another backfill is running on this store; it fetches the same history: wait for it to end"
    )
