"""`ticker collect` as a process: clean stops, kill -9, and readers sharing the file."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from tests.helpers.e2e import E2E_NOW, cbt_route, write_config
from tests.helpers.factories import obs
from tests.helpers.feedserver import FeedServer, Route
from tests.helpers.paths import FIXTURES, REPO
from ticker.config import RATE_PROVIDERS
from ticker.model.health import HealthState, ProviderHealth
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


def _start(cfg: Path, state: Path, now: datetime = E2E_NOW) -> subprocess.Popen[str]:
    env = {**os.environ, "TICKER_NOW": now.isoformat(), "XDG_STATE_HOME": str(state)}
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


def test_sigterm_mid_round_lets_the_round_finish_and_exits_cleanly(tmp_path: Path) -> None:
    # Every source takes 1 s to answer; the stop request comes while all are in flight.
    with FeedServer(cbt_route, latency=1.0).running() as server:
        db = tmp_path / "t.db"
        cfg = write_config(tmp_path, server, db)
        proc = _start(cfg, tmp_path / "state")
        try:
            deadline = time.monotonic() + 30
            while len(server.in_flight) < 9 and time.monotonic() < deadline:
                time.sleep(0.05)  # wait until the first round has reached every source
            time.sleep(0.3)
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "raised an exception" not in err
    assert "ticker.collect: collecting from nbkr, nbk, nbt" in err
    assert err.rstrip().endswith("INFO ticker.collect: stopped")
    log = (tmp_path / "state" / "ticker" / "collector.log").read_text()
    assert "collecting from" in log and "stopped" in log
    # The rounds in flight were given time to finish: their rows and health are stored.
    assert _count(db) == 43
    database = open_database(f"sqlite:///{db}")
    health = Repository(database).load_health()
    database.dispose()
    assert set(health) == set(RATE_PROVIDERS)
    assert {h.state for h in health.values()} == {"ok"}


def changing_route() -> Route:
    """NBK answers for the date asked: each run (on a business day of its own) stores
    new rows."""

    def route(provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        if provider != "nbk":
            return cbt_route(provider, path, query)
        day = datetime.strptime(query["fdate"], "%d.%m.%Y").date()
        body = (FIXTURES / "providers/nbk/get_rates.cfm_fdate_01.04.2026.xml").read_bytes()
        return 200, body.replace(
            b"<date>01.04.2026</date>", day.strftime("<date>%d.%m.%Y</date>").encode()
        )

    return route


def test_kill_9_in_the_middle_of_polling_loses_no_committed_row(tmp_path: Path) -> None:
    rng = random.Random(1234)
    db = tmp_path / "t.db"
    counts = []
    with FeedServer(changing_route(), latency=0.4).running() as server:
        cfg = write_config(tmp_path, server, db)
        # Each run on a business day of its own (its clock moved on: $TICKER_NOW).
        runs = [E2E_NOW + timedelta(days=d) for d in (0, 3, 4, 5, 6, 7)]
        for run_at in runs[:5]:
            proc = _start(cfg, tmp_path / "state", run_at)
            deadline = time.monotonic() + 30
            while not server.in_flight.get("nbk") and time.monotonic() < deadline:
                time.sleep(0.02)  # a round is on its way
            time.sleep(rng.uniform(0.1, 1.2))  # kill before, during or after its commit
            proc.kill()
            proc.communicate()
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                # A restart keeps a persisted next run that is still ahead; forget it so
                # that the next run polls at once again.
                conn.execute("DELETE FROM provider_status")
            counts.append(_count(db))
        # One more run, killed only once it has committed something new.
        proc = _start(cfg, tmp_path / "state", runs[5])
        deadline = time.monotonic() + 30
        while _count(db) <= counts[-1] and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.kill()
        proc.communicate()
        counts.append(_count(db))
    assert counts == sorted(counts)  # nothing that was committed ever went missing
    assert counts[-1] > counts[-2]  # the last run did commit, and its rows are there
    database = open_database(f"sqlite:///{db}")  # opens cleanly after all that
    assert Repository(database).count_observations() == counts[-1]
    database.dispose()


def test_a_writer_and_two_readers_share_the_file_without_lock_errors(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    repo = Repository(database)
    stop = threading.Event()
    written = {"n": 0}

    def writer() -> None:
        day = date(2026, 11, 23) - timedelta(days=4000)
        while not stop.is_set():
            batch = [obs(code, "478.77", day, "nbk") for code in ("KZT", "KGS", "TJS", "UZS")]
            repo.store(batch)
            repo.save_health(ProviderHealth("nbk", HealthState.OK, None, None, None, 0, None))
            written["n"] += len(batch)
            day += timedelta(days=1)

    thread = threading.Thread(target=writer)
    thread.start()
    env = {**os.environ, "TICKER_DB_URL": f"sqlite:///{db}"}
    failures: list[str] = []
    reads = 0
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
                for args in (["rates", "--json"], ["providers", "--json"])
            ]
            for reader in readers:
                out, err = reader.communicate(timeout=30)
                if reader.returncode != 0 or "locked" in err or "Traceback" in err:
                    failures.append(err)
                elif out.startswith(("[", "{")) and json.loads(out):
                    reads += 1
    finally:
        stop.set()
        thread.join()
        database.dispose()
    assert failures == []
    assert written["n"] > 0 and reads >= 2  # the readers really read what was written
