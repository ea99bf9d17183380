"""The collector's decisions, driven by a fake clock and scripted providers."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from providers.base import (
    Batch,
    Provider,
    ProviderResponseError,
    ProviderUnavailable,
)
from tests.factories import obs
from ticker.collector import Collector, RoundDone
from ticker.config import Settings
from ticker.health import FAILING, OK, UNSTABLE
from ticker.storage.db import Database
from ticker.storage.repository import Repository

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


class Scripted(Provider):
    """A provider whose every fetch does the next thing in its script."""

    NAME = "nbk"
    TITLE = "scripted"
    CURRENCIES = frozenset({"KZT"})

    def __init__(self, script: list[Callable[[], Batch]]) -> None:
        super().__init__("http://127.0.0.1:9")
        self.script = script
        self.calls = 0

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        step = self.script[min(self.calls, len(self.script) - 1)]
        self.calls += 1
        return step()


def ok(rate: str = "478.77", day: int = 20) -> Callable[[], Batch]:
    return lambda: Batch([obs("KZT", rate, date(2026, 11, day))])


def down(retry_after: float | None = None) -> Callable[[], Batch]:
    def fail() -> Batch:
        raise ProviderUnavailable("nbk", "http://127.0.0.1:9/x", "HTTP 503", retry_after)

    return fail


def broken() -> Batch:
    raise ProviderResponseError("nbk", "http://127.0.0.1:9/x", "not well-formed XML")


def crash() -> Batch:
    raise KeyError("a bug")


def collector(
    database: Database, provider: Provider, clock: Clock, **collector_settings: object
) -> Collector:
    settings = Settings()
    settings = dataclasses.replace(
        settings,
        collector=dataclasses.replace(settings.collector, **collector_settings),  # type: ignore[arg-type]
    )
    client = httpx.AsyncClient()
    return Collector(
        settings,
        Repository(database),
        [provider],
        client,
        now=clock,
        sleep=clock.sleep,
        rand=lambda: 0.5,
    )


def test_a_good_round_stores_records_health_and_notifies(database: Database) -> None:
    clock = Clock()
    c = collector(database, Scripted([ok()]), clock)
    heard: list[RoundDone] = []
    unsubscribe = c.subscribe(heard.append)
    outcome = asyncio.run(c.poll("nbk"))
    assert outcome.ok and outcome.result is not None and outcome.result.stored == 1
    health = c.health["nbk"]
    assert (health.state, health.last_success, health.consecutive_failures) == (OK, T0, 0)
    assert health.next_run == T0 + timedelta(minutes=30)
    assert [e.outcome for e in heard] == [outcome]
    # Persisted: another process sees the same health.
    assert Repository(database).load_health()["nbk"] == health
    unsubscribe()
    asyncio.run(c.poll("nbk"))
    assert len(heard) == 1


def test_transient_failures_are_retried_with_backoff_within_a_round(database: Database) -> None:
    clock = Clock()
    provider = Scripted([down(), down(), ok()])
    c = collector(database, provider, clock, retries=3)
    outcome = asyncio.run(c.poll("nbk"))
    assert outcome.ok and provider.calls == 3
    assert clock.slept == [2.0, 4.0]  # exponential; jitter is centred (rand=0.5)
    assert c.health["nbk"].state == OK


def test_jitter_spreads_the_backoff(database: Database) -> None:
    c = collector(database, Scripted([ok()]), Clock())
    err = ProviderUnavailable("nbk", "u", "HTTP 503")
    c._rand = lambda: 0.0
    low = c.backoff(1, err)
    c._rand = lambda: 1.0
    high = c.backoff(1, err)
    assert (low, high) == (3.0, 5.0)
    assert c.backoff(10, err) <= 60 * 1.25  # bounded


def test_retry_after_is_honoured_and_a_long_one_ends_the_round(database: Database) -> None:
    clock = Clock()
    c = collector(database, Scripted([down(retry_after=30), ok()]), clock)
    assert asyncio.run(c.poll("nbk")).ok
    assert clock.slept == [30]
    clock2 = Clock()
    provider = Scripted([down(retry_after=900)])
    c2 = collector(database, provider, clock2)
    outcome = asyncio.run(c2.poll("nbk"))
    assert not outcome.ok and provider.calls == 1 and clock2.slept == []
    assert c2.health["nbk"].next_run == T0 + timedelta(seconds=900)


def test_repeated_failures_make_a_provider_failing_then_it_recovers(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    provider = Scripted([down(), down(), down(), down(), down(), down(), ok()])
    c = collector(database, provider, clock, retries=1, failing_after=3, failing_slowdown=4)
    states = []
    with caplog.at_level(logging.INFO, logger="ticker.collector"):
        for _ in range(7):
            asyncio.run(c.poll("nbk"))
            states.append(c.health["nbk"].state)
            if c.health["nbk"].state == FAILING:
                assert c.interval("nbk") == timedelta(hours=2)  # polled 4x less often
    assert states == [UNSTABLE, UNSTABLE, FAILING, FAILING, FAILING, FAILING, OK]
    messages = [r.getMessage() for r in caplog.records]
    # Transitions only: one line when it starts failing, one when it recovers.
    assert messages == [
        "nbk is failing: HTTP 503 (http://127.0.0.1:9/x)",
        "nbk recovered",
    ]
    assert c.interval("nbk") == timedelta(minutes=30)
    assert c.health["nbk"].last_error == "HTTP 503"  # kept for the record


def test_a_bad_response_is_not_retried(database: Database) -> None:
    clock = Clock()
    provider = Scripted([broken])
    c = collector(database, provider, clock, retries=3)
    outcome = asyncio.run(c.poll("nbk"))
    assert not outcome.ok and provider.calls == 1 and clock.slept == []
    assert c.health["nbk"].last_error == "not well-formed XML"


def test_a_provider_bug_does_not_stop_the_collector(database: Database) -> None:
    clock = Clock()
    c = collector(database, Scripted([crash, ok()]), clock)
    first = asyncio.run(c.poll("nbk"))
    assert first.error is not None and "internal error: KeyError" in first.error.reason
    assert asyncio.run(c.poll("nbk")).ok


def test_a_failing_subscriber_does_not_stop_the_collector(database: Database) -> None:
    c = collector(database, Scripted([ok()]), Clock())

    def bad(_event: RoundDone) -> None:
        raise RuntimeError("subscriber bug")

    heard: list[RoundDone] = []
    c.subscribe(bad)
    c.subscribe(heard.append)
    assert asyncio.run(c.poll("nbk")).ok and len(heard) == 1


def test_health_survives_a_restart(database: Database) -> None:
    clock = Clock()
    c = collector(database, Scripted([down()]), clock, retries=1, failing_after=1)
    asyncio.run(c.poll("nbk"))
    again = collector(database, Scripted([ok()]), clock)
    assert again.health["nbk"].state == FAILING
    assert again.interval("nbk") == timedelta(hours=2)


def test_stored_values_are_screened(database: Database) -> None:
    repo = Repository(database)
    repo.add_observations([obs("KZT", "478.77", date(2026, 11, 19))])
    c = collector(database, Scripted([ok("700.00")]), Clock())
    outcome = asyncio.run(c.poll("nbk"))
    assert outcome.result is not None and len(outcome.result.quarantined) == 1
    assert [o.rate for o in repo.history("KZT")] == [Decimal("478.77")]
