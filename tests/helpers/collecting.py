"""A collector on a scripted provider and a clock the test moves."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import httpx

from providers.base import (
    Batch,
    Provider,
    ProviderResponseError,
    ProviderUnavailable,
)
from providers.calendar import EVERY_DAY, Calendar
from tests.helpers.factories import obs
from ticker.config import Settings
from ticker.core.collector import Collector
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
    #: Publishing at any hour: polled at its interval, whatever the clock says (the
    #: calendar's own effect on the schedule is tested in test_scheduler).
    CALENDAR = Calendar(UTC, EVERY_DAY, time(0, 0), window=timedelta(days=1))

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
    database: Database,
    provider: Provider,
    clock: Clock,
    base: Settings | None = None,
    **collector_settings: object,
) -> Collector:
    settings = base or Settings()
    settings = dataclasses.replace(
        settings,
        collector=dataclasses.replace(settings.collector, **collector_settings),  # type: ignore[arg-type]
    )
    client = httpx.AsyncClient()
    provider.now = clock  # one clock for the collector and its sources
    return Collector(
        settings,
        Repository(database),
        [provider],
        client,
        now=clock,
        sleep=clock.sleep,
        rand=lambda: 0.5,
    )
