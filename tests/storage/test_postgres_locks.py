"""PostgreSQL gives up on a held lock after the busy timeout, as SQLite does."""

from __future__ import annotations

import time
from datetime import timedelta

import psycopg
import pytest

from tests.helpers.factories import obs
from ticker.errors import StorageError
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


def test_a_locked_table_waits_then_gives_up_with_a_message(new_pg_database) -> None:
    url = new_pg_database()
    db = open_database(url, timedelta(milliseconds=400))
    repo = Repository(db)
    repo.add_observations([obs()])
    holder = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    try:
        holder.execute("LOCK TABLE observation IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        with pytest.raises(StorageError, match="locked by another writer; gave up after 0.4s"):
            repo.add_observations([obs(quote="KGS", rate="87.45")])
        assert time.monotonic() - started >= 0.3
    finally:
        holder.rollback()
        holder.close()
    assert repo.add_observations([obs(quote="KGS", rate="87.45")]) == 1
    assert repo.count_observations() == 2
    db.dispose()
