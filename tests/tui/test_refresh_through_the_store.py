"""``r`` on a dashboard standing by while `ticker collect` polls: the dashboard asks that
collector to poll now, through the store, and it does (on SQLite and on PostgreSQL),
where the dashboard used to tell the user to run `ticker collect`, which was running."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.dashboard import settle
from tests.helpers.e2e import cbt_route
from tests.helpers.feedserver import FeedServer
from tests.helpers.leases import HOST, write_config
from tests.helpers.paths import REPO
from ticker.config import RATE_PROVIDERS, load_settings
from ticker.tui.app import TickerApp


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ticker.db'}"
    return str(request.getfixturevalue("new_pg_database")())


def _log(state: Path) -> str:
    path = state / "ticker" / "collector.log"
    return path.read_text() if path.exists() else ""


async def _until(pilot: Any, done: Callable[[], bool], what: str, log: Callable[[], str]) -> None:
    deadline = time.monotonic() + 60  # a hang guard, never a time limit
    while not done():
        assert time.monotonic() < deadline, f"never: {what}\n{log()}"
        if pilot is None:
            await asyncio.sleep(0.05)
        else:
            await pilot.pause(0.05)


def _collect(cfg: Path, state: Path) -> subprocess.Popen[str]:
    """`ticker collect`, on the real clock: PostgreSQL judges the collectors' heartbeats
    by the server's."""
    env = {**os.environ, "XDG_STATE_HOME": str(state)}
    env.pop("TICKER_NOW", None)
    return subprocess.Popen(
        [sys.executable, "-m", "ticker.cli", "--config", str(cfg), "collect"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_r_on_a_standby_asks_the_running_collector_to_poll_now(
    tmp_path: Path, store_url: str
) -> None:
    with FeedServer(cbt_route).running() as server:
        cfg = write_config(tmp_path, server, store_url)
        state = tmp_path / "collect"
        collect = _collect(cfg, state)
        try:

            def log() -> str:
                return _log(state)

            await _until(None, lambda: "collecting from" in log(), "collecting", log)
            first = len(RATE_PROVIDERS)  # its first round: every source, at start
            await _until(None, lambda: len(server.seen) >= first, "first round", log)
            app = TickerApp(load_settings(str(cfg)), collect=True, now=lambda: datetime.now(UTC))
            async with app.run_test(size=(80, 24), notifications=True) as pilot:
                await settle(pilot)

                def status() -> str:
                    return str(app.query_one("#status").render())

                await _until(pilot, lambda: "fed by" in status(), "standing by", log)
                assert f"fed by {HOST} pid {collect.pid} (standing by)" in status()
                await asyncio.sleep(1.0)  # its first round's stragglers
                before = len(server.seen)

                await pilot.press("r")
                await settle(pilot)
                said = [n.message for n in app._notifications]
                assert said[-1] == (
                    f"Asked the collector ({HOST} pid {collect.pid}) to poll now; "
                    "new rates show as they arrive."
                )
                asked = f"asked to poll now by {HOST} pid {os.getpid()}: polling every source"
                await _until(pilot, lambda: asked in log(), "asked", log)
                await _until(pilot, lambda: len(server.seen) >= before + first, "polled again", log)
                again = {s.provider for s in server.seen[before:]}
                assert again == set(RATE_PROVIDERS)  # every source, asked once more
                assert app.collector is None  # the dashboard itself polled nothing
        finally:
            collect.terminate()
            _out, err = collect.communicate(timeout=30)
    assert "Traceback" not in err
