"""A backfill stopped by a signal, or killed, keeps what it fetched; a store that refuses
writes stops it with one line."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from tests.helpers.e2e import write_config
from tests.helpers.feedserver import FeedServer
from tests.helpers.nbk import NBKServer, repository, settings_for
from tests.helpers.paths import REPO
from ticker.core.backfill import FLUSH_SECONDS, Backfill
from ticker.core.net import make_client
from ticker.core.registry import build_provider
from ticker.errors import StorageError
from ticker.storage.repository import Repository

NOW = {"TICKER_NOW": "2026-11-27T12:00:00+00:00"}


def stored_rows(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM observation").fetchone()[0])


def start_backfill(tmp_path: Path, server: FeedServer) -> tuple[subprocess.Popen[str], Path]:
    db = tmp_path / "t.db"
    extra = '[providers.nbk]\nbackfill_delay = "50ms"\n'
    cfg = write_config(tmp_path, server, db)
    cfg.write_text(cfg.read_text().replace("[providers.nbk]\n", extra, 1))
    child = subprocess.Popen(
        [sys.executable, "-m", "ticker.cli", "--config", str(cfg), "backfill",
         "--since", "2025-01-01", "--until", "2026-11-20", "--provider", "nbk"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, **NOW},
    )  # fmt: skip
    return child, db


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_stops_a_backfill_like_ctrl_c_keeping_every_row(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    fake = NBKServer()
    fake.stop_after = 12
    with fake.server.running():
        child, db = start_backfill(tmp_path, fake.server)
        assert fake.reached.wait(30)
        child.send_signal(sig)
        _out, err = child.communicate(timeout=30)
        answered = len(fake.server.requests_of("nbk"))
    assert child.returncode == code, err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"ticker: stopped by {sig.name}; ") and "Traceback" not in err
    kept = stored_rows(db)
    assert f"{kept} new rows stored" in last
    # Every answered request's 4 rates were kept (the one in flight may not have been).
    assert kept >= 4 * (answered - 1) and kept > 0


def test_a_killed_backfill_loses_at_most_the_last_seconds(tmp_path: Path) -> None:
    fake = NBKServer()
    fake.stop_after = 10_000
    with fake.server.running():
        child, db = start_backfill(tmp_path, fake.server)
        deadline = time.monotonic() + 30
        while len(fake.server.requests_of("nbk")) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(FLUSH_SECONDS + 1.5)
        cutoff = time.monotonic() - (FLUSH_SECONDS + 1.0)
        old_enough = [s for s in fake.server.requests_of("nbk") if s.finished < cutoff]
        child.kill()
        child.communicate(timeout=30)
    assert len(old_enough) >= 40
    assert stored_rows(db) >= 4 * len(old_enough)  # far fewer than the 500 of a batch


class RefusingRepository(Repository):
    """A store whose disk fills up after the first write."""

    writes = 0

    def store(self, *args: object, **kwargs: object) -> int:
        self.writes += 1
        if self.writes > 1:
            raise StorageError("t.db: the disk is full; nothing more was written (free some space)")
        return super().store(*args, **kwargs)  # type: ignore[arg-type]


def test_a_full_disk_stops_the_backfill_with_its_one_error(tmp_path: Path) -> None:
    fake = NBKServer()
    with fake.server.running():
        settings = settings_for(fake.server, tmp_path)
        plain = repository(tmp_path)
        repo = RefusingRepository(plain.db)

        async def go() -> Backfill:
            async with make_client() as client:
                job = Backfill(
                    repo, client, settings, [build_provider("nbk", settings)],
                    date(2025, 1, 1), date(2026, 11, 20),
                )  # fmt: skip
                with pytest.raises(StorageError, match="the disk is full"):
                    await job.run()
                return job

        job = asyncio.run(go())
        asked = len(fake.server.requests_of("nbk"))
    assert repo.count_observations() == job.progress["nbk"].stored > 0
    assert asked < 480  # it stopped soon after, instead of fetching two years for nothing
    plain.db.dispose()
