"""A fresh PostgreSQL store used by several programs at once: one makes the schema, the
others wait for it; none calls it "not a ticker database"."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Connection

from ticker.config import load_settings
from ticker.errors import StorageError
from ticker.storage import migrations
from ticker.storage.db import make_engine, normalize_url, open_database
from ticker.storage.reader import opened_reads
from ticker.storage.repository import open_repository  # noqa: F401  (imported before the threads)

STARTS = 6
ROUNDS = 4


def at_once(jobs: list[Callable[[], None]]) -> list[BaseException]:
    """Run ``jobs`` in threads released together; their errors."""
    gate = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        gate.wait()
        try:
            job()
        except BaseException as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_a_fresh_postgresql_store_opened_by_many_at_once_is_made_once(
    new_pg_database: Callable[[], str], tmp_path: object
) -> None:
    for _ in range(ROUNDS):
        url = new_pg_database()

        def writer(url: str = url) -> None:
            db = open_database(url, timedelta(seconds=10))
            try:
                assert db.schema_before in (0, migrations.HEAD)
            finally:
                db.dispose()

        def reader(url: str = url) -> None:
            settings = load_settings(None, env={"TICKER_DB_URL": url})
            with opened_reads(settings) as reads:
                assert reads.schema_version == migrations.HEAD

        errors = at_once([writer, reader] * (STARTS // 2))
        assert not errors, [str(e) for e in errors if isinstance(e, StorageError)] or errors


def test_a_look_that_meets_the_schema_being_made_waits_for_it(
    new_pg_database: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race, widened: a program finds no version table, another commits the whole
    schema, and the first then finds tables. It must see the store as ticker's."""
    url = new_pg_database()
    real = migrations.current_version
    looked, made = threading.Event(), threading.Event()

    def slow(conn: Connection) -> int | None:
        version = real(conn)
        if threading.current_thread().name == "late" and version is None and not made.is_set():
            looked.set()
            made.wait(10)  # the other program makes the schema meanwhile
        return version

    monkeypatch.setattr(migrations, "current_version", slow)
    found: list[object] = []

    def late() -> None:
        try:
            db = open_database(url, timedelta(seconds=10))
            found.append(db.schema_before)
            db.dispose()
        except StorageError as err:
            found.append(err)

    thread = threading.Thread(target=late, name="late")
    thread.start()
    assert looked.wait(10)
    engine = make_engine(normalize_url(url), timedelta(seconds=10))
    try:
        assert migrations.upgrade(engine) == (0, migrations.HEAD)
    finally:
        engine.dispose()
        made.set()
    thread.join(30)
    assert found == [migrations.HEAD]
