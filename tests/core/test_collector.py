"""The collector's decisions, driven by a fake clock and scripted providers."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from providers.base import (
    Batch,
    ProviderUnavailable,
)
from tests.helpers.collecting import T0, Clock, Scripted, broken, collector, crash, down, ok
from tests.helpers.factories import obs
from ticker.config import Settings
from ticker.core.collector import Collector, RoundDone
from ticker.model.health import FAILING, OK, UNSTABLE
from ticker.storage.db import Database
from ticker.storage.repository import Repository


def test_a_good_round_stores_records_health_and_notifies(database: Database) -> None:
    clock = Clock()
    c = collector(database, Scripted([ok()]), clock)
    heard: list[RoundDone] = []
    unsubscribe = c.subscribe(heard.append)
    outcome = asyncio.run(c.poll("nbk"))
    assert outcome.ok and outcome.result is not None and outcome.result.stored == 1
    health = c.health["nbk"]
    assert (health.state, health.last_success, health.consecutive_failures) == (OK, T0, 0)
    assert health.next_run is None  # nothing is scheduled: no promise of a next poll
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


class FakeScheduler:
    """Records what the collector asks of the scheduler; the clock is the test's."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.calls: list[tuple[str, str, object]] = []
        self.next: dict[str, datetime] = {}
        self.intervals: dict[str, timedelta] = {}

    def every(self, name, interval, job, jitter=timedelta(0), first_run=None) -> None:
        self.calls.append(("every", name, first_run))
        self.intervals[name] = interval
        self.next[name] = first_run or self.clock.now

    def reschedule(self, name, interval, jitter=timedelta(0)) -> None:
        self.calls.append(("reschedule", name, interval))
        self.intervals[name] = interval
        self.next[name] = self.clock.now + interval

    def run_at(self, name, when) -> None:
        self.calls.append(("run_at", name, when))
        self.next[name] = when

    def next_run(self, name):
        return self.next.get(name)

    def on_skipped(self, callback) -> None:
        self.told_of_skips = callback

    def start(self) -> None:
        self.calls.append(("start", "", None))

    def pause(self) -> None:
        self.calls.append(("pause", "", None))

    def shutdown(self) -> None:
        self.calls.append(("shutdown", "", None))


def test_scheduling_follows_health_and_retry_after(database: Database) -> None:
    clock = Clock()
    provider = Scripted([down(), down(), down(), ok(), down(retry_after=900), ok()])
    c = collector(database, provider, clock, retries=1, failing_after=3, failing_slowdown=4)
    scheduler = FakeScheduler(clock)
    c.start(scheduler)  # type: ignore[arg-type]
    assert scheduler.calls[0] == ("every", "nbk", None)  # never polled: at once
    assert scheduler.intervals["nbk"] == timedelta(minutes=30)
    for _ in range(3):
        asyncio.run(c.poll("nbk"))
    assert ("reschedule", "nbk", timedelta(hours=2)) in scheduler.calls  # failing: slower
    asyncio.run(c.poll("nbk"))  # recovers
    assert scheduler.calls[-1] == ("reschedule", "nbk", timedelta(minutes=30))
    assert c.health["nbk"].next_run == T0 + timedelta(minutes=30)
    asyncio.run(c.poll("nbk"))  # 429 with a 15-minute Retry-After: the next run moves
    moved: object = scheduler.calls[-1]
    assert moved == ("run_at", "nbk", T0 + timedelta(seconds=900))
    assert c.health["nbk"].next_run == T0 + timedelta(seconds=900)
    asyncio.run(c.stop())
    assert [name for name, *_ in scheduler.calls[-2:]] == ["pause", "shutdown"]


def test_a_restart_keeps_a_persisted_next_run_that_is_still_ahead(database: Database) -> None:
    clock = Clock()
    first = collector(database, Scripted([ok()]), clock)
    scheduler = FakeScheduler(clock)
    first.start(scheduler)  # type: ignore[arg-type]
    scheduler.next["nbk"] = T0 + timedelta(minutes=30)  # APScheduler moves it as the job runs
    asyncio.run(first.poll("nbk"))
    planned = first.health["nbk"].next_run
    assert planned == T0 + timedelta(minutes=30)
    clock.now = T0 + timedelta(minutes=5)
    again = collector(database, Scripted([ok()]), clock)
    scheduler = FakeScheduler(clock)
    again.start(scheduler)  # type: ignore[arg-type]
    assert scheduler.calls[0] == ("every", "nbk", planned)  # not polled again at once
    clock.now = T0 + timedelta(hours=1)
    late = collector(database, Scripted([ok()]), clock)
    scheduler = FakeScheduler(clock)
    late.start(scheduler)  # type: ignore[arg-type]
    assert scheduler.calls[0] == ("every", "nbk", None)  # overdue: at once


def test_an_absurd_retry_after_is_capped(database: Database) -> None:
    clock = Clock()
    c = collector(database, Scripted([down(retry_after=99999999999999)]), clock)
    scheduler = FakeScheduler(clock)
    c.start(scheduler)  # type: ignore[arg-type]
    outcome = asyncio.run(c.poll("nbk"))
    assert not outcome.ok
    assert scheduler.calls[-1] == ("run_at", "nbk", T0 + timedelta(days=1))


def test_a_round_in_flight_is_joined_not_doubled(database: Database) -> None:
    gate = asyncio.Event()

    class Slow(Scripted):
        async def fetch(self, client: httpx.AsyncClient) -> Batch:
            self.calls += 1
            await gate.wait()
            return ok()()

    provider = Slow([])
    c = collector(database, provider, Clock())

    async def main() -> None:
        first = asyncio.create_task(c.poll("nbk"))
        second = asyncio.create_task(c.poll("nbk"))
        await asyncio.sleep(0)
        gate.set()
        a, b = await asyncio.gather(first, second)
        assert a is b

    asyncio.run(main())
    assert provider.calls == 1


def test_a_store_error_is_not_the_sources_fault(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ticker.errors import StorageError

    c = collector(database, Scripted([ok()]), Clock(), failing_after=1)

    def locked(*args: object) -> None:
        raise StorageError("t.db: the database is locked by another writer")

    monkeypatch.setattr("ticker.core.collector.ingest", locked)
    outcome = asyncio.run(c.poll("nbk"))
    assert not outcome.ok and outcome.store_failed
    assert outcome.error is not None and outcome.error.reason.startswith("not stored: ")
    assert c.health["nbk"].state != FAILING and c.health["nbk"].consecutive_failures == 0


def test_a_round_of_many_sources_uses_the_store_one_call_at_a_time(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sources answering together queue for the store instead of piling threads on it
    (the store takes one writer at a time; extra threads only take the GIL from the loop
    that reads the next answers). Every source's data still gets stored."""
    import threading

    from ticker.core.ingest import ingest

    inside = 0
    most = 0
    lock = threading.Lock()

    def watched(*args: object) -> object:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        try:
            threading.Event().wait(0.01)  # long enough for the others to arrive
            return ingest(*args)  # type: ignore[arg-type]
        finally:
            with lock:
                inside -= 1

    monkeypatch.setattr("ticker.core.collector.ingest", watched)

    def answer(name: str, local: str) -> Callable[[], Batch]:
        return lambda: Batch([obs(local, "1.5", date(2026, 11, 20), provider=name)])

    providers = []
    clock = Clock()
    for name, local in [("nbk", "KZT"), ("nbkr", "KGS"), ("nbt", "TJS"), ("cbu", "UZS")]:
        p = Scripted([answer(name, local)])
        p.NAME = name  # type: ignore[misc]
        p.now = clock
        providers.append(p)
    c = Collector(Settings(), Repository(database), providers, httpx.AsyncClient(), now=clock)
    outcomes = asyncio.run(c.poll_all())
    assert [o.ok for o in outcomes] == [True] * 4
    assert most == 1
    assert Repository(database).count_observations() == 4


class Outage:
    """A store that refuses every call while ``down`` (PostgreSQL stopped, a full disk)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, repo: Repository) -> None:
        from ticker.errors import StorageError

        self.down = False
        for name in ("store", "save_health", "load_health", "alert_rules", "rate_before"):
            real = getattr(repo, name)

            def refusing(*args: object, _real: Callable[..., object] = real) -> object:
                if self.down:
                    raise StorageError("t.db: the disk is full; nothing more was written")
                return _real(*args)

            monkeypatch.setattr(repo, name, refusing)


def test_a_store_outage_is_one_line_when_it_goes_and_one_when_it_comes_back(
    database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    c = collector(database, Scripted([ok()]), clock)
    outage = Outage(monkeypatch, c.repo)
    caplog.set_level(logging.INFO, logger="ticker")

    async def rounds() -> None:
        outage.down = True
        for _ in range(5):  # five rounds, each with a batch, health and alerts to store
            await c.poll("nbk")
            clock.now += timedelta(minutes=1)
        assert c.store.given_up(clock.now, timedelta(minutes=4))
        outage.down = False
        await c.poll("nbk")
        await c.poll("nbk")

    asyncio.run(rounds())
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "store unavailable: t.db: the disk is full; nothing more was written",
        "store recovered (it had refused for 300s)",
    ]
    assert not c.store.given_up(clock.now, timedelta(seconds=0))


class FullDisk:
    """A full disk: writes that need new pages (a batch) are refused, small ones in place
    (a provider's health row) still pass."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, repo: Repository) -> None:
        from ticker.errors import StorageError

        self.full = False
        real: Callable[..., object] = repo.store

        def refusing(*args: object) -> object:
            if self.full:
                raise StorageError("t.db: the disk is full; nothing more was written")
            return real(*args)

        monkeypatch.setattr(repo, "store", refusing)


def test_a_full_disk_is_one_line_each_way_although_small_writes_still_pass(
    database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    c = collector(database, Scripted([ok()]), clock)
    disk = FullDisk(monkeypatch, c.repo)
    caplog.set_level(logging.INFO, logger="ticker")

    async def rounds() -> None:
        disk.full = True
        for _ in range(6):  # each round: its batch refused, its health row written
            await c.poll("nbk")
            clock.now += timedelta(minutes=1)
        assert c.store.given_up(clock.now, timedelta(minutes=5))
        disk.full = False
        await c.poll("nbk")
        await c.poll("nbk")

    asyncio.run(rounds())
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("store ")]
    assert lines == [
        "store unavailable: t.db: the disk is full; nothing more was written",
        "store recovered (it had refused for 360s)",
    ]


def test_a_headless_collector_whose_store_refuses_for_too_long_stops_with_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ticker.config import StorageSettings
    from ticker.core.daemon import collect
    from ticker.errors import StorageError

    base = Settings()
    only_nbk = {
        n: dataclasses.replace(p, enabled=n == "nbk", base_url="http://127.0.0.1:9/" + n)
        for n, p in base.providers.items()
    }
    settings = dataclasses.replace(
        base,
        storage=StorageSettings(url=f"sqlite:///{tmp_path / 't.db'}"),
        providers=only_nbk,
        collector=dataclasses.replace(base.collector, retries=1),  # one attempt per round
    )

    def full(self: Repository, *args: object) -> None:
        raise StorageError("t.db: the disk is full; nothing more was written")

    monkeypatch.setattr(Repository, "save_health", full)  # every round records health
    with pytest.raises(StorageError, match="refused every write for 0.005 min; stopping"):
        asyncio.run(asyncio.wait_for(collect(settings, give_up=timedelta(seconds=0.3)), 20))
