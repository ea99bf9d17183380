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
:func:`ticker.storage.lease.sqlite.sqlite_holder` to say who holds a SQLite store's lease.
The calls block (a thread runs them); none waits for the lock. This module is what both
kinds share; they live in :mod:`ticker.storage.lease.sqlite` and
:mod:`ticker.storage.lease.postgres`, and :func:`ticker.storage.lease.lease_of` picks a
store's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ticker.errors import StorageError
from ticker.model.collectors import CollectorRecord, Role
from ticker.storage import decode

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
        import socket  # a collector's: ``ticker health`` reads who holds the lease, no socket

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
        """Whether a heartbeat is due (the holder confirms its lease at each one); at once
        when the wall clock has stepped back past the last one (else the holder would
        wait the step out, and fence itself meanwhile)."""
        return _elapsed(self._last_confirm, now, HEARTBEAT_EVERY)

    def _row_due(self, now: datetime) -> bool:
        return _elapsed(self._last_beat, now, self.heartbeat_every)

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


def _elapsed(last: datetime | None, now: datetime, every: timedelta) -> bool:
    """Whether ``every`` has passed since ``last``, or the clock stepped back past it."""
    return last is None or not timedelta(0) <= now - last < every


class LeaseRefused(StorageError):
    """The lease cannot be used at all (its lock file is not one): no retry helps."""


class TakeoverForbidden(StorageError):
    """A standby may not end the frozen holder's session (its database role lacks the
    right): it says what to grant, once; the store itself answers."""
