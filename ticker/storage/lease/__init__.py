"""The store's lease: one active collector per store, the others stand by.

* :mod:`ticker.storage.lease.base`: what both kinds share (the limits, who a collector is,
  the ``collector`` rows), and the errors;
* :mod:`ticker.storage.lease.sqlite`: a file lock beside the database (and who holds a
  SQLite store's lease, for the read side);
* :mod:`ticker.storage.lease.postgres`: an advisory lock on a connection of its own.

:func:`lease_of` is the one way to a store's lease: it picks the kind from the store
itself, so that no caller looks into a database URL.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from ticker.errors import StorageError
from ticker.i18n.words import _
from ticker.storage.lease.base import (
    FORGET_AFTER,
    HEARTBEAT_EVERY,
    LEASE_KEY,
    RETRY_EVERY,
    SELF_FENCE_AFTER,
    SQLITE_HEARTBEAT_EVERY,
    TAKEOVER_AFTER,
    Identity,
    Lease,
    LeaseLost,
    LeaseRefused,
    Monotonic,
    TakeoverForbidden,
)

if TYPE_CHECKING:  # only the type: the read side imports this package without the ORM
    from ticker.storage.repository import Repository

__all__ = [
    "FORGET_AFTER",
    "HEARTBEAT_EVERY",
    "LEASE_KEY",
    "RETRY_EVERY",
    "SELF_FENCE_AFTER",
    "SQLITE_HEARTBEAT_EVERY",
    "TAKEOVER_AFTER",
    "Identity",
    "Lease",
    "LeaseLost",
    "LeaseRefused",
    "TakeoverForbidden",
    "lease_of",
]


def lease_of(
    store: Repository,
    now: datetime,
    *,
    identity: Identity | None = None,
    monotonic: Monotonic = time.monotonic,
) -> Lease:
    """The lease of an open store, as this process (``identity``: by default this host
    and pid, started ``now``) would hold it: a file lock beside a SQLite file, an advisory
    lock on PostgreSQL. Nothing is opened until the first :meth:`Lease.acquire`. Raises
    :class:`StorageError` for an in-memory database (no other process can share it)."""
    identity = identity or Identity.here(now)
    where, busy_timeout = store.db.where, store.busy_timeout
    if store.dialect == "sqlite":
        database = store.sqlite_path
        if database is None:
            raise StorageError(
                _("{where}: an in-memory database has no collectors to share it").format(
                    where=where
                )
            )
        from ticker.storage.lease.sqlite import SqliteLease

        return SqliteLease(identity, where, busy_timeout, database=database)
    conninfo = store.listen_conninfo
    assert conninfo is not None  # every other store is a PostgreSQL one
    from ticker.storage.lease.postgres import PostgresLease

    return PostgresLease(identity, where, busy_timeout, conninfo=conninfo, monotonic=monotonic)
