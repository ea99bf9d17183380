"""Endurance: thousands of collector rounds, accelerated (no real waiting), 30% of them
failing in varied ways: memory growth, rows lost, and the health table at the end."""

from __future__ import annotations

import asyncio
import logging
import random
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

from benchmarks.harness import Figure
from providers.base import (
    Batch,
    Observation,
    Provider,
    ProviderAuthError,
    ProviderResponseError,
    ProviderUnavailable,
)
from ticker.config import Settings
from ticker.core.collector import Collector
from ticker.model.health import FAILING, OK, UNSTABLE
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

NAMES = ("nbkr", "nbk", "nbt", "cbu", "cbt")
LOCAL = {"nbkr": "KGS", "nbk": "KZT", "nbt": "TJS", "cbu": "UZS", "cbt": "TMT"}
RATE = {"KGS": "87.45", "KZT": "478.77", "TJS": "9.345", "UZS": "12194.21", "TMT": "3.50"}
FAILURE_SHARE = 0.3
#: The clock moves this much per round: each source (polled every fifth round) finds a
#: fixing of a new day every time, dated today as a real one is.
ROUND_STEP = timedelta(hours=5)


class Flaky(Provider):
    """A source that answers with one new fixing per good round, and fails 30% of rounds:
    timeouts, 503s with and without Retry-After, garbage, refusals, and plain bugs."""

    TITLE = "endurance"
    CURRENCIES = frozenset(LOCAL.values())

    def __init__(self, name: str, rand: random.Random, clock: list[datetime]) -> None:
        super().__init__("http://127.0.0.1:9", now=lambda: clock[0])
        self.NAME = name  # type: ignore[misc]
        self.rand = rand
        self.outcomes: list[bool] = []
        """Per round: True when the round ended with a stored batch."""

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        if self.rand.random() < FAILURE_SHARE:
            kind = self.rand.randrange(5)
            url = f"http://127.0.0.1:9/{self.NAME}"
            if kind == 0:
                raise ProviderUnavailable(self.NAME, url, "timed out after 20s")
            if kind == 1:
                raise ProviderUnavailable(self.NAME, url, "HTTP 503", retry_after=30.0)
            if kind == 2:
                raise ProviderResponseError(self.NAME, url, "not well-formed XML")
            if kind == 3:
                raise ProviderAuthError(self.NAME, url, "HTTP 403")
            raise KeyError("a bug in a parser")
        local = LOCAL[self.NAME]
        day = self.today()
        rate = Decimal(RATE[local])
        return Batch([Observation(self.NAME, "USD", local, day, rate, False, self.now())])


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


async def _run(cycles: int, db_path: Path) -> tuple[float, float, int, int, list[str]]:
    rand = random.Random(20261122)
    clock = [datetime(2026, 11, 22, tzinfo=UTC)]
    database = open_database(f"sqlite:///{db_path}")
    repo = Repository(database)
    settings = Settings()
    providers = {name: Flaky(name, rand, clock) for name in NAMES}

    async def no_wait(_seconds: float) -> None:
        return None

    stored_rounds = 0
    try:
        async with httpx.AsyncClient() as client:
            collector = Collector(
                settings, repo, list(providers.values()), client,
                now=lambda: clock[0], sleep=no_wait, rand=rand.random,
            )  # fmt: skip
            warm = min(1000, cycles // 10)
            start_rss = 0.0
            for cycle in range(cycles):
                if cycle == warm:
                    start_rss = _rss_mb()
                name = NAMES[cycle % len(NAMES)]
                clock[0] += ROUND_STEP
                outcome = await collector.poll(name)
                stored = outcome.ok and outcome.result is not None and outcome.result.stored == 1
                providers[name].outcomes.append(outcome.ok)
                stored_rounds += stored
            end_rss = _rss_mb()
        count = repo.count_observations()
        health = repo.load_health()
        wrong = []
        failing_after = settings.collector.failing_after
        for name, provider in providers.items():
            tail = 0
            for ok in reversed(provider.outcomes):
                if ok:
                    break
                tail += 1
            expected = OK if tail == 0 else FAILING if tail >= failing_after else UNSTABLE
            got = health[name]
            if (got.state, got.consecutive_failures) != (expected, tail):
                wrong.append(
                    f"{name}: {got.state}/{got.consecutive_failures}, expected {expected}/{tail}"
                )
    finally:
        database.dispose()
    return start_rss, end_rss, stored_rounds, count, wrong


def figures(cycles: int) -> list[Figure]:
    quiet = logging.getLogger("ticker")
    level, propagate = quiet.level, quiet.propagate
    quiet.setLevel(logging.CRITICAL)  # thousands of failures: their log lines are not the point
    quiet.propagate = False
    try:
        with tempfile.TemporaryDirectory(prefix="ticker-bench-") as tmp:
            start, end, stored, count, wrong = asyncio.run(_run(cycles, Path(tmp) / "t.db"))
    finally:
        quiet.setLevel(level)
        quiet.propagate = propagate
    growth = end - start
    return [
        Figure(
            f"endurance, {cycles:,} rounds with {FAILURE_SHARE:.0%} failing: memory growth",
            f"{growth:+.1f} MB ({start:.1f} -> {end:.1f} MB after warm-up)",
            "< 10 MB",
            growth < 10,
        ),
        Figure(
            "endurance: rows lost",
            f"{stored - count} ({count:,} stored of {stored:,} good rounds)",
            "0 (and some stored)",
            stored == count and stored > 0,
        ),
        Figure(
            "endurance: health table at the end",
            "correct" if not wrong else "; ".join(wrong),
            "correct",
            not wrong,
        ),
    ]
