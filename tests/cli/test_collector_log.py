"""The collector's log, in its own words: a skipped poll, quarantines, every poll with
``--verbose`` only, and no library's raw messages."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from providers.base import Batch
from tests.helpers.collecting import T0, Clock, Scripted, broken, ok
from tests.helpers.e2e import E2E_NOW, cbt_route, write_config
from tests.helpers.feedserver import FeedServer
from tests.helpers.paths import REPO
from ticker.cli.logsetup import POLLS, setup_logging
from ticker.config import Settings
from ticker.core.collector import Collector
from ticker.core.scheduler import Scheduler
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

Setup = Callable[[bool], Path]


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[Setup]:
    """``setup(verbose)``: the collector's logging into a file; everything put back after."""
    names = ["", "ticker", POLLS, "apscheduler"]
    saved = {
        n: (lg.level, lg.propagate, list(lg.handlers))
        for n, lg in ((n, logging.getLogger(n)) for n in names)
    }

    def setup(verbose: bool) -> Path:
        path = tmp_path / f"collector-{verbose}.log"
        assert setup_logging(path, verbose=verbose) is None
        return path

    yield setup
    logging.captureWarnings(False)
    for name, (level, propagate, handlers) in saved.items():
        lg = logging.getLogger(name)
        for handler in lg.handlers:
            if handler not in handlers:
                handler.close()
        lg.handlers[:] = handlers
        lg.setLevel(level)
        lg.propagate = propagate


def _collector(
    tmp_path: Path, provider: Scripted, clock: Clock, interval: timedelta | None = None
) -> Collector:
    settings = Settings()
    if interval is not None:
        nbk = dataclasses.replace(settings.providers["nbk"], interval=interval)
        settings = dataclasses.replace(settings, providers={**settings.providers, "nbk": nbk})
    provider.now = clock
    tmp_path.mkdir(exist_ok=True)
    ticks = iter(range(10_000))
    return Collector(
        settings,
        Repository(open_database(f"sqlite:///{tmp_path / 't.db'}")),
        [provider],
        httpx.AsyncClient(),
        now=clock,
        sleep=clock.sleep,
        rand=lambda: 0.5,
        timer=lambda: next(ticks) * 0.25,  # each look at the timer is a quarter second on
    )


def _lines(path: Path) -> list[str]:
    """The log's lines without their timestamps."""
    return [line.split(" ", 1)[1] for line in path.read_text().splitlines()]


class Held(Scripted):
    """A source whose answer takes until the test lets it go."""

    def __init__(self) -> None:
        super().__init__([ok()])
        self.gate = asyncio.Event()

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        await self.gate.wait()
        return await super().fetch(client)


def test_a_skipped_poll_is_one_line_of_ours_with_when_the_running_one_started(
    tmp_path: Path, logged: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    log = logged(False)
    clock = Clock()  # T0: 09:00:00 UTC
    provider = Held()
    c = _collector(tmp_path, provider, clock, interval=timedelta(milliseconds=50))
    skips: list[str] = []

    async def go() -> None:
        scheduler = Scheduler(clock)
        scheduler.on_skipped(lambda name, started: skips.append(name))
        assert c.start(scheduler) == ["nbk"]  # polled at once; its answer is held
        for _ in range(400):  # until the scheduler has skipped it three times (at most 20 s)
            if len(skips) >= 3:
                break
            await asyncio.sleep(0.05)
        provider.gate.set()
        await c.stop(grace=5)
        await c.client.aclose()

    asyncio.run(go())
    c.repo.db.dispose()
    assert len(skips) >= 3
    lines = _lines(log)
    said = "nbk: poll skipped, the previous one is still running (started 09:00:00 UTC)"
    started = "INFO ticker.collector: nbk: polling now (never polled; every 50ms, as configured)"
    assert lines == [started, f"WARNING ticker.collector: {said}"]  # once for that one poll
    everything = log.read_text() + capsys.readouterr().err
    assert "apscheduler" not in everything and "maximum number of running" not in everything


def test_with_verbose_each_further_skip_of_the_same_poll_is_an_info_line(
    tmp_path: Path, logged: Setup
) -> None:
    log = logged(True)
    clock = Clock()
    c = _collector(tmp_path, Scripted([ok()]), clock)
    c.skipped("cbt", T0)
    c.skipped("cbt", T0)
    c.skipped("cbt", T0 + timedelta(hours=5, minutes=2, seconds=11))  # a later poll
    c.repo.db.dispose()
    assert _lines(log) == [
        "WARNING ticker.collector: cbt: poll skipped, the previous one is still running "
        "(started 09:00:00 UTC)",
        "INFO ticker.collector.polls: cbt: poll skipped, the previous one is still running "
        "(started 09:00:00 UTC)",
        "WARNING ticker.collector: cbt: poll skipped, the previous one is still running "
        "(started 14:02:11 UTC)",
    ]


def test_a_quarantined_rate_is_logged_once_with_pair_value_source_and_reason(
    tmp_path: Path, logged: Setup
) -> None:
    log = logged(False)
    clock = Clock()
    # 478.77 on the 19th, then 600 on the 20th (polled twice): (600 - 478.77) / 478.77
    # is a move of 25.32%, more than the 20% allowed.
    c = _collector(tmp_path, Scripted([ok("478.77", 19), ok("600", 20), ok("600", 20)]), clock)

    async def go() -> None:
        for _ in range(3):
            await c.poll("nbk")
        await c.client.aclose()

    asyncio.run(go())
    c.repo.db.dispose()
    assert _lines(log) == [
        "WARNING ticker.collector: nbk: USD/KZT = 600 of 2026-11-20 quarantined: "
        "moved +25.32% from 478.77 (more than the 20% allowed)"
    ]


def _rounds(c: Collector) -> None:
    async def go() -> None:
        for _ in range(5):
            await c.poll("nbk")
        await c.client.aclose()

    asyncio.run(go())
    c.repo.db.dispose()


def _script() -> Scripted:
    # new, unchanged, a failure three times (failing from the third), then back.
    return Scripted([ok(), ok(), broken, broken, broken, ok("478.80", 21)])


def test_verbose_logs_every_poll_and_without_it_only_changes_of_state(
    tmp_path: Path, logged: Setup
) -> None:
    quiet = logged(False)
    _rounds(_collector(tmp_path / "a", _script(), Clock()))
    assert _lines(quiet) == [
        "WARNING ticker.collector: nbk is failing: not well-formed XML (http://127.0.0.1:9/x)"
    ]
    verbose = logged(True)
    provider = _script()
    c = _collector(tmp_path / "b", provider, Clock())
    _rounds(c)
    # Each round looks at the timer twice: a quarter of a second each.
    assert _lines(verbose) == [
        "INFO ticker.collector.polls: nbk: 1 rate in 0.25s: 1 stored, 0 unchanged, 0 quarantined",
        "INFO ticker.collector.polls: nbk: 1 rate in 0.25s: 0 stored, 1 unchanged, 0 quarantined",
        "INFO ticker.collector.polls: nbk: poll failed in 0.25s: not well-formed XML",
        "INFO ticker.collector.polls: nbk: poll failed in 0.25s: not well-formed XML",
        "INFO ticker.collector.polls: nbk: poll failed in 0.25s: not well-formed XML",
        "WARNING ticker.collector: nbk is failing: not well-formed XML (http://127.0.0.1:9/x)",
    ]


def test_the_libraries_say_nothing_of_their_own(logged: Setup) -> None:
    log = logged(True)
    logging.getLogger("httpx").info('HTTP Request: GET http://127.0.0.1/x "HTTP/1.1 200 OK"')
    logging.getLogger("apscheduler.scheduler").info('Added job "cbt" to job store "default"')
    logging.getLogger("apscheduler.scheduler").warning(
        'Execution of job "cbt (trigger: interval[0:30:00], next run at: 2026-05-22 14:32:11 '
        'UTC)" skipped: maximum number of running instances reached (1)'
    )
    logging.getLogger("sqlalchemy.pool.impl.QueuePool").warning("Connection pool exhausted")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("the old way", DeprecationWarning, stacklevel=1)
    assert _lines(log) == [
        "WARNING ticker.internal: unexpected message from sqlalchemy (please report it): "
        "Connection pool exhausted",
        "WARNING ticker.internal: unexpected message from python (please report it): "
        "DeprecationWarning: the old way",
    ]


def test_collect_help_lists_verbose(capsys: pytest.CaptureFixture[str]) -> None:
    from ticker.cli import main

    with pytest.raises(SystemExit):
        main(["collect", "--help"])
    assert "-v, --verbose" in capsys.readouterr().out


def test_collect_verbose_as_a_process_logs_every_poll_in_its_own_words(tmp_path: Path) -> None:
    with FeedServer(cbt_route).running() as server:
        cfg = write_config(tmp_path, server, tmp_path / "t.db")
        env = {**os.environ, "TICKER_NOW": E2E_NOW.isoformat(), "XDG_STATE_HOME": str(tmp_path)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "ticker.cli", "--config", str(cfg), "collect", "-v"],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        log = tmp_path / "ticker" / "collector.log"
        try:
            for _ in range(600):  # until every rate source's first poll is logged (60 s)
                text = log.read_text() if log.exists() else ""
                if text.count("ticker.collector.polls: ") >= 9:
                    break
                time.sleep(0.1)
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0, err
    polls = [line for line in err.splitlines() if " INFO ticker.collector.polls: " in line]
    assert len(polls) >= 9
    # NBK's recorded answer: KZT, KGS, TJS and UZS, all new in an empty store.
    nbk = [line.split(": ", 1)[1] for line in polls if ": nbk: " in line]
    assert nbk[0].startswith("nbk: 4 rates in ") and nbk[0].endswith(
        ": 4 stored, 0 unchanged, 0 quarantined"
    )
    assert "apscheduler" not in err and "httpx" not in err and "HTTP Request" not in err
