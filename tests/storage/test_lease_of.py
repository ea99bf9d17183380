"""``lease_of``: a store's lease, of the store's own kind, from the store itself (no
caller reads a database URL): a file lock beside a SQLite file, an advisory lock on
PostgreSQL, none for an in-memory database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ticker.errors import StorageError
from ticker.storage.db import Database, open_database
from ticker.storage.lease import Identity, lease_of
from ticker.storage.lease.postgres import PostgresLease
from ticker.storage.lease.sqlite import SqliteLease
from ticker.storage.repository import Repository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_lease_is_of_the_stores_kind_and_works(database: Database) -> None:
    repo = Repository(database)
    mine = lease_of(repo, NOW, identity=Identity("here", 1, NOW))
    other = lease_of(repo, NOW, identity=Identity("there", 2, NOW))
    assert mine.where == other.where == database.where
    assert mine.busy_timeout == database.busy_timeout == timedelta(seconds=2)
    if repo.dialect == "sqlite":
        assert isinstance(mine, SqliteLease) and mine.database == repo.sqlite_path
    else:
        assert isinstance(mine, PostgresLease) and mine.conninfo.startswith("postgresql://")
    try:
        assert mine.acquire(NOW)
        assert not other.acquire(NOW)  # one holder per store
        holder = other.holder(NOW)
        assert holder is not None and (holder.host, holder.pid) == ("here", 1)
        mine.release(NOW)
        assert other.acquire(NOW)
    finally:
        mine.release(NOW)
        other.release(NOW)


def test_by_default_the_lease_is_this_process(database: Database) -> None:
    import os

    lease = lease_of(Repository(database), NOW)
    assert (lease.identity.pid, lease.identity.started_at) == (os.getpid(), NOW)


def test_an_in_memory_store_has_no_lease() -> None:
    db = open_database("sqlite://")
    try:
        with pytest.raises(StorageError, match="in-memory database has no collectors"):
            lease_of(Repository(db), NOW)
    finally:
        db.dispose()
