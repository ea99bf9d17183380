"""The lease on PostgreSQL: a session-level advisory lock on a connection of its own,
confirmed at every heartbeat; a holder whose heartbeat stands still is ended by a standby.
See :mod:`ticker.storage.lease.base` for what both kinds share and the limits."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ticker.errors import StorageError
from ticker.i18n.words import _
from ticker.model.collectors import CollectorRecord, Role
from ticker.storage.failures import describe_failure
from ticker.storage.lease.base import (
    _KEY_HIGH,
    _KEY_LOW,
    LEASE_KEY,
    SELF_FENCE_AFTER,
    TAKEOVER_AFTER,
    Lease,
    LeaseLost,
    Monotonic,
    TakeoverForbidden,
)

#: PostgreSQL's ``insufficient_privilege``.
_INSUFFICIENT_PRIVILEGE = "42501"


def session_name(host: str, pid: int) -> str:
    """The ``application_name`` of a collector's lease session: how readers tell which
    row's collector holds the advisory lock (:func:`ticker.core.watch.store_collectors`)."""
    name = f"ticker collector {host} pid {pid}"
    return name.encode("ascii", "replace").decode("ascii")[:63]


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
                self._end_session(pid, record)
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
            raise LeaseLost(_("the advisory lock is gone"))
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

            name = session_name(self.identity.host, self.identity.pid)
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

    def _end_session(self, pid: int, record: CollectorRecord | None) -> None:
        """End the frozen holder's session; :class:`TakeoverForbidden` when this
        collector's role may not."""
        conn = self._connection()
        try:
            conn.execute("SELECT pg_terminate_backend(%s, 2000)", (pid,))
        except Exception as err:
            if getattr(err, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
                self._lost_or_unknown(err)
                raise  # pragma: no cover
            raise TakeoverForbidden(self._forbidden(pid, record)) from err

    def _forbidden(self, pid: int, record: CollectorRecord | None) -> str:
        """Why this standby may not end the holder's session, and what to grant."""
        holder = (
            record.who
            if record is not None
            else _("the session of server pid {pid}").format(pid=pid)
        )
        rows = self._execute_plain(
            "SELECT current_user, (SELECT r.rolsuper FROM pg_stat_activity a JOIN pg_roles r "
            "ON r.oid = a.usesysid WHERE a.pid = %s)",
            (pid,),
        )
        role, superuser = _identifier(str(rows[0][0])), bool(rows[0][1])
        if superuser:
            return _(
                "{where}: cannot take over from {holder} (its heartbeat stands still): "
                "role {role} may not end its session, which is a superuser's: only a "
                "superuser may end it (run the collectors as a role that is not a superuser)"
            ).format(where=self.where, holder=holder, role=role)
        return _(
            "{where}: cannot take over from {holder} (its heartbeat stands still): "
            "role {role} may not end its session; grant it the right: "
            "GRANT pg_signal_backend TO {role}"
        ).format(where=self.where, holder=holder, role=role)

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
                raise LeaseLost(_("connection lost: {reason}").format(reason=reason)) from err
        raise StorageError(reason) from err

    def _forget_connection(self) -> None:
        conn, self._conn = self._conn, None
        self.held, self.active_since = False, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass


def _identifier(name: str) -> str:
    """A role's name as SQL spells it (quoted unless plain), printable."""
    from ticker.model.text import printable

    if name.isascii() and name.replace("_", "a").isalnum() and name == name.lower():
        if not name[0].isdigit():
            return name
    return printable('"' + name.replace('"', '""') + '"')
