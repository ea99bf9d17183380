"""SQLite-specific safety: corrupt files, lock contention, crashes, concurrent opens."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.factories import obs, series
from ticker.errors import StorageError
from ticker.storage import migrations
from ticker.storage.db import open_database
from ticker.storage.export_stream import Selection, field_rows
from ticker.storage.repository import Repository


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_file_db_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    db = open_database(_url(tmp_path / "t.db"), timedelta(seconds=3))
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 3000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose()


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a database\n" * 50, b"\x00\x01garbage" * 1000, b"SQLite"],
    ids=["text", "binary", "short"],
)
def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ticker.db"
    path.write_bytes(content)
    with pytest.raises(StorageError) as info:
        open_database(_url(path))
    message = str(info.value)
    assert str(path) in message and "not a SQLite database" in message
    assert "\n" not in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ticker.db"]  # no -wal/-shm made


def _filled_database(path: Path, rows: int = 3000) -> None:
    db = open_database(_url(path))
    Repository(db).add_observations(
        series("KZT", "nbk", date(2000, 1, 1), [str(400 + i / 100) for i in range(rows)])
    )
    db.dispose()  # the last close checkpoints the WAL into the main file


def test_a_corrupt_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ticker.db"
    _filled_database(path)
    data = bytearray(path.read_bytes())
    page = 4096
    # Wreck every page after the schema page: the header still says SQLite.
    for start in range(page, len(data), page):
        data[start : start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    before = _digest(path)

    with pytest.raises(StorageError) as info:
        db = open_database(_url(path))
        try:
            list(field_rows(Repository(db), Selection()))
        finally:
            db.dispose()
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "malformed" in message
    assert "\n" not in message
    assert _digest(path) == before


def test_a_damaged_database_not_in_wal_mode_is_left_untouched(tmp_path: Path) -> None:
    """Switching to WAL rewrites the header, so a file not yet in WAL is checked first."""
    path = tmp_path / "ticker.db"
    _filled_database(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # as if made by an older tool
    data = bytearray(path.read_bytes())
    for start in range(8192, len(data), 4096):
        data[start : start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(StorageError, match=rf"^{path}: the database is damaged"):
        open_database(_url(path))
    assert _digest(path) == before


def test_a_sound_database_not_in_wal_mode_is_switched_on_open(tmp_path: Path) -> None:
    path = tmp_path / "ticker.db"
    _filled_database(path, rows=5)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    db = open_database(_url(path))
    db.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_wrecked_schema_page_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ticker.db"
    _filled_database(path, rows=10)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xab" * (4096 - 100)  # keep the 100-byte header, wreck the rest
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(StorageError, match=rf"^{path}: .*malformed"):
        open_database(_url(path))
    assert _digest(path) == before


def test_a_missing_directory_is_an_error_unless_it_is_the_default(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "ticker.db"
    with pytest.raises(StorageError, match="does not exist"):
        open_database(_url(target))
    assert not (tmp_path / "no").exists()
    db = open_database(_url(target), create_parent=True)
    db.dispose()
    assert target.is_file()


def test_a_locked_database_waits_then_gives_up_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "ticker.db"
    db = open_database(_url(path), timedelta(milliseconds=300))
    repo = Repository(db)
    repo.add_observations([obs(as_of=date(2026, 1, 1))])
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        holder.execute(
            "INSERT INTO observation (provider, base, quote, as_of, rate, derived, fetched_at) "
            "VALUES ('x', 'USD', 'KGS', '2026-01-01', '1', 0, '2026-01-01 00:00:00')"
        )
        started = time.monotonic()
        with pytest.raises(StorageError) as info:
            repo.add_observations([obs(as_of=date(2026, 1, 2))])
        waited = time.monotonic() - started
        assert "locked by another writer" in str(info.value)
        assert "0.3s" in str(info.value) and str(path) in str(info.value)
        assert waited >= 0.25  # it waited for the busy timeout instead of failing at once
        assert repo.count_observations() == 1  # readers still read during the lock
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert repo.add_observations([obs(as_of=date(2026, 1, 2))]) == 1
    assert repo.count_observations() == 2
    db.dispose()


def test_a_writer_waits_for_a_short_lock_and_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "ticker.db"
    db = open_database(_url(path), timedelta(seconds=10))
    repo = Repository(db)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        assert repo.add_observations([obs()]) == 1
    finally:
        release.join()
        holder.close()
        db.dispose()


def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "ticker.db"
    errors: list[BaseException] = []
    results: list[int] = []

    def opener() -> None:
        try:
            db = open_database(_url(path), timedelta(seconds=10))
            results.append(db.schema_before)
            db.dispose()
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results).count(0) == 1  # exactly one of them found an empty database
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM ticker_schema").fetchall() == [(migrations.HEAD,)]


_WRITER = """
import sys
from datetime import date, timedelta
from tests.helpers.factories import obs
from ticker.storage.db import open_database
from ticker.storage.export_stream import Selection, field_rows
from ticker.storage.repository import Repository

repo = Repository(open_database(sys.argv[1]))
batch = 0
while True:
    day = date(2000, 1, 1) + timedelta(days=batch)
    repo.add_observations([obs(provider=f"p{i}", as_of=day) for i in range(100)])
    batch += 1
    print(batch, flush=True)
"""


def test_kill_9_mid_write_keeps_every_committed_batch(tmp_path: Path) -> None:
    path = tmp_path / "ticker.db"
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, _url(path)],
        stdout=subprocess.PIPE,
        cwd=root,
        text=True,
    )
    assert proc.stdout is not None
    committed = 0
    for line in proc.stdout:
        committed = int(line)
        if committed >= 20:
            break
    proc.kill()  # SIGKILL: no cleanup, possibly mid-transaction
    proc.wait()
    proc.stdout.close()

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        count = conn.execute("SELECT count(*) FROM observation").fetchone()[0]
    assert count % 100 == 0  # whole batches only
    assert count >= committed * 100  # nothing that was reported committed is lost


def test_checking_a_files_header_never_drops_this_processs_sqlite_locks(tmp_path: Path) -> None:
    """Closing any descriptor of a file drops every POSIX lock the process holds on it:
    after such a close, another process's last connection would delete the WAL under our
    open connection, and what we write next nobody else would see."""
    import sqlite3 as sqlite
    import subprocess
    import sys

    from ticker.storage.db import open_database
    from ticker.storage.sqlite_file import check_sqlite_file

    db = tmp_path / "t.db"
    open_database(f"sqlite:///{db}").dispose()
    ours = sqlite.connect(db, isolation_level=None)
    ours.execute("SELECT count(*) FROM ticker_schema").fetchall()
    check_sqlite_file(db, create_parent=False)  # what opening the store again does
    other = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute(sys.argv[2])\n"
        "print(c.execute('SELECT count(*) FROM no_fixing').fetchone()[0])\n"
        "c.close()\n"
    )
    row = (
        "INSERT INTO no_fixing (provider, quote, first_day, last_day, checked_at) "
        "VALUES ('nbk', 'KZT', '2026-11-28', '2026-11-29', '2026-11-30 00:00:00.000000')"
    )

    def elsewhere(statement: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", other, str(db), statement], capture_output=True, text=True
        )
        return done.stdout.strip() or done.stderr.strip().splitlines()[-1]

    assert elsewhere(row) == "1"  # another process writes, and closes its last connection
    ours.execute(row)
    assert elsewhere("SELECT 1") == "2"  # our write is seen
    ours.close()
