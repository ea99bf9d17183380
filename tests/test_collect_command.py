"""`ticker collect` as a process: clean stops, kill -9, and readers sharing the file."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from tests.factories import obs
from tests.feedserver import FeedServer
from tests.test_cli import REPO
from tests.test_poll_export import cbt_route, write_config
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


def _start(cfg: Path, state: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_STATE_HOME": str(state)}
    return subprocess.Popen(
        [sys.executable, "-m", "ticker.cli", "--config", str(cfg), "collect"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM observation").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the tables are not made yet


def _wait_for_rows(db: Path, at_least: int, limit: float = 30.0) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        count = _count(db)
        if count >= at_least:
            return count
        time.sleep(0.1)
    raise AssertionError(f"fewer than {at_least} rows after {limit}s")


def test_collect_polls_at_once_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    with FeedServer(cbt_route).running() as server:
        db = tmp_path / "t.db"
        cfg = write_config(tmp_path, server, db)
        proc = _start(cfg, tmp_path / "state")
        try:
            _wait_for_rows(db, 40)  # the first round runs at start
            time.sleep(0.3)
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=15)
            stopped_in = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "ticker.collect: collecting from nbkr, nbk, nbt" in err
    assert err.rstrip().endswith("INFO ticker.collect: stopped")
    log = (tmp_path / "state" / "ticker" / "collector.log").read_text()
    assert "collecting from" in log and "stopped" in log
    assert stopped_in < 15  # a hang guard; it typically stops in well under a second
    database = open_database(f"sqlite:///{db}")
    health = Repository(database).load_health()
    database.dispose()
    assert {h.state for h in health.values()} == {"ok"}
    assert all(h.next_run is not None for h in health.values())


def test_kill_9_in_the_middle_of_polling_loses_no_committed_row(tmp_path: Path) -> None:
    rng = random.Random(1234)
    db = tmp_path / "t.db"
    with FeedServer(cbt_route, latency=0.2).running() as server:
        cfg = write_config(tmp_path, server, db)
        seen = 0
        for _ in range(4):
            proc = _start(cfg, tmp_path / "state")
            time.sleep(rng.uniform(0.5, 1.5))  # somewhere in the middle of a round
            proc.kill()
            proc.communicate()
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            count = _count(db)
            assert count >= seen  # nothing that was committed went missing
            seen = count
    database = open_database(f"sqlite:///{db}")  # opens cleanly after all that
    assert Repository(database).count_observations() == seen
    database.dispose()


def test_a_writer_and_two_readers_share_the_file_without_lock_errors(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    repo = Repository(database)
    stop = threading.Event()
    written = {"n": 0}

    def writer() -> None:
        day = date(2000, 1, 1)
        while not stop.is_set():
            batch = [obs(code, "100", day, f"p{i}") for code in ("KZT", "KGS") for i in range(25)]
            repo.store(batch)
            written["n"] += len(batch)
            day += timedelta(days=1)

    thread = threading.Thread(target=writer)
    thread.start()
    env = {**os.environ, "TICKER_DB_URL": f"sqlite:///{db}"}
    failures: list[str] = []
    try:
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            readers = [
                subprocess.Popen(
                    [sys.executable, "-m", "ticker.cli", *args],
                    cwd=REPO,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for args in (["rates", "--json"], ["providers"])
            ]
            for reader in readers:
                _out, err = reader.communicate(timeout=30)
                if reader.returncode not in (0, 1) or "locked" in err or "Traceback" in err:
                    failures.append(err)
    finally:
        stop.set()
        thread.join()
        database.dispose()
    assert failures == []
    assert written["n"] > 0
