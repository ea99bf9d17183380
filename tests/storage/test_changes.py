"""The store watch: a look at SQLite's commit counter, so an unchanged store is not
read again."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers.factories import obs
from ticker.storage.changes import ChangeWatch, CommitCounter
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


def test_sqlite_watch_sees_every_commit_and_nothing_else(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 't.db'}")
    repo = Repository(db)
    watch = ChangeWatch.of(Repository(db))
    try:
        assert watch.changed()  # the first look
        assert not watch.changed()
        repo.load_health()
        repo.latest_per_provider(["KZT"], ["nbk"])
        assert not watch.changed()  # reads change nothing
        repo.store([obs()])  # this process's own engine
        assert watch.changed()
        assert not watch.changed()
        script = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute(\"UPDATE observation SET rate = '478.80'\"); c.commit()"
        )
        subprocess.run([sys.executable, "-c", script, str(tmp_path / "t.db")], check=True)
        assert watch.changed()  # another process
        assert not watch.changed()
        watch.forget()
        assert watch.changed()  # after a failed read, the next look reads again
    finally:
        watch.close()
        db.dispose()


def test_the_watch_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = open_database(f"sqlite:///{path}")
    watch = ChangeWatch.of(Repository(db))
    try:
        watch.changed()
        assert isinstance(watch, CommitCounter) and watch._conn is not None
        try:
            watch._conn.execute("CREATE TABLE x (y)")
        except sqlite3.OperationalError as err:
            assert "readonly" in str(err)
        else:
            raise AssertionError("the watch's connection could write")
    finally:
        watch.close()
        db.dispose()


def test_without_a_counter_every_look_says_changed() -> None:
    database = open_database("sqlite://")  # in memory: no second connection
    watch = ChangeWatch.of(Repository(database))
    assert watch.blind
    assert [watch.changed() for _ in range(3)] == [True, True, True]
    watch.close()
    database.dispose()
