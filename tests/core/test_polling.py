"""The leased collector (:mod:`ticker.core.polling`), headless: it polls only while this
process holds the store's lease, stands by (and says who holds it) otherwise, takes over
when the holder is gone, stops at once when the lease is lost, and starting and stopping
take turns. ``ticker collect`` and the dashboard both run it (their own tests: tests/cli/
test_collect_lease.py, tests/tui/test_dashboard_lease.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.dashboard import NOW
from ticker.config import Settings, StorageSettings
from ticker.core.collector import Collector
from ticker.core.polling import LeasedCollector
from ticker.core.runtime import Runtime, open_store
from ticker.errors import UsageError
from ticker.model.collectors import CollectorRecord, Role
from ticker.storage.lease import Identity, Lease, LeaseLost, LeaseRefused
from ticker.storage.lease.sqlite import SqliteLease
from ticker.storage.repository import Repository


def running_clock() -> Callable[[], datetime]:
    """A clock that starts at NOW and runs (the lease's heartbeats fall due)."""
    start = time.monotonic()
    return lambda: NOW + timedelta(seconds=time.monotonic() - start)


def settings_for(db: Path, **enabled: bool) -> Settings:
    base = Settings()
    providers = {
        name: dataclasses.replace(p, enabled=enabled.get(name, False))
        for name, p in base.providers.items()
    }
    return dataclasses.replace(
        base,
        storage=StorageSettings(url=f"sqlite:///{db}"),
        providers=providers,
        collector=dataclasses.replace(base.collector, retries=1),  # one attempt per round
    )


@dataclasses.dataclass
class Heard:
    """What the owner of a leased collector is told, in order."""

    said: list[tuple[str, Any]] = dataclasses.field(default_factory=list)
    requests: list[str] = dataclasses.field(default_factory=list)

    def transport(self) -> httpx.MockTransport:
        def answer(request: httpx.Request) -> httpx.Response:
            self.requests.append(request.url.host)
            return httpx.Response(503)

        return httpx.MockTransport(answer)

    def callbacks(self, failed: bool = True) -> dict[str, Any]:
        def told(what: str) -> Callable[[Any], None]:
            return lambda value: self.said.append((what, value))

        names = ["started", "polling", "lost", "standby", "ended"]
        return {name: told(name) for name in names + (["failed"] if failed else [])}

    def kinds(self) -> list[str]:
        return [what for what, _value in self.said]


async def until(check: Callable[[], bool], limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while not check():
        assert time.monotonic() < deadline, "not in time"
        await asyncio.sleep(0.02)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Settings, Repository]]:
    settings = settings_for(tmp_path / "t.db", nbk=True)
    repo = open_store(settings, lambda: NOW, writes=True)
    yield settings, repo
    repo.db.dispose()


async def test_it_stands_by_while_another_holds_the_lease_and_takes_over_after_it(
    store: tuple[Settings, Repository], tmp_path: Path
) -> None:
    settings, repo = store
    other = SqliteLease(Identity("server-1", 4242, NOW), "t.db", database=tmp_path / "t.db")
    assert other.acquire(NOW)
    heard = Heard()
    now = running_clock()
    polling = LeasedCollector(settings, repo, now, transport=heard.transport(), **heard.callbacks())
    await polling.start()  # returns once the first try is answered
    try:
        assert heard.kinds() == ["standby"]
        holder = heard.said[0][1]
        assert isinstance(holder, CollectorRecord)
        assert (holder.host, holder.pid) == ("server-1", 4242)
        assert polling.collector is None and not polling.may_poll()
        await asyncio.sleep(1.5)  # it tries again meanwhile, and polls nothing
        assert heard.requests == [] and heard.kinds() == ["standby"]

        other.release(NOW)  # the holder stops: this one takes over
        await until(lambda: bool(heard.requests))
        assert heard.kinds() == ["standby", "started", "polling"]
        started, polled = heard.said[1][1], heard.said[2][1]
        assert isinstance(started, Collector) and started is polling.collector
        assert polled == ["nbk"]  # never polled before: at once
        assert polling.may_poll() and set(heard.requests) == {"nationalbank.kz"}
    finally:
        await polling.close()
    assert polling.collector is None and polling.error is None
    assert heard.kinds()[-1] == "ended" and heard.said[-1][1] is None
    assert other.acquire(now())  # the lease was given up
    other.release(now())


async def test_a_lost_lease_stops_the_collector_at_once_and_it_stands_by_again(
    store: tuple[Settings, Repository],
) -> None:
    settings, repo = store
    lease = ScriptedLease(Identity("here", 1, NOW), "t.db")
    heard = Heard()
    polling = LeasedCollector(
        settings, repo, running_clock(), lease=lease, transport=heard.transport(),
        **heard.callbacks(),
    )  # fmt: skip
    await polling.start()
    try:
        assert heard.kinds() == ["started", "polling"] and polling.collector is not None
        collector = polling.collector
        lease.free, lease.lost = False, True  # the next heartbeat finds it gone
        await until(lambda: "lost" in heard.kinds())
        assert heard.said[2] == ("lost", "the lock is gone")
        assert polling.collector is None and not polling.may_poll()
        assert collector._stopping  # stopped, not only forgotten
        await until(lambda: "standby" in heard.kinds())  # it tries again: someone else has it
        assert heard.said[3][0] == "standby"
        assert heard.kinds().count("started") == 1
    finally:
        await polling.close()
    assert lease.released


async def test_closing_while_the_collector_starts_waits_for_the_start_and_polls_nothing(
    store: tuple[Settings, Repository], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, repo = store
    real_start, real_close = Runtime.start, Runtime.close
    go, starting = asyncio.Event(), asyncio.Event()
    closed: list[Runtime] = []

    async def slow_start(cls: type[Runtime], *args: Any, **kwargs: Any) -> Runtime:
        starting.set()
        await go.wait()
        return await real_start(*args, **kwargs)

    async def close(self: Runtime, grace: float = 4.0, hook_grace: float | None = None) -> None:
        closed.append(self)
        await real_close(self, grace, hook_grace)

    monkeypatch.setattr(Runtime, "close", close)
    monkeypatch.setattr(Runtime, "start", classmethod(slow_start))
    heard = Heard()
    lease = ScriptedLease(Identity("here", 1, NOW), "t.db")
    polling = LeasedCollector(
        settings, repo, running_clock(), lease=lease, transport=heard.transport(),
        **heard.callbacks(),
    )  # fmt: skip
    start = asyncio.create_task(polling.start())
    await starting.wait()
    closing = asyncio.create_task(polling.close())
    await asyncio.sleep(0.3)
    assert not closing.done()  # the stop waits for the start: they take turns
    go.set()
    await asyncio.wait_for(asyncio.gather(start, closing), 20)
    assert len(closed) == 1  # what was started is stopped
    assert "started" not in heard.kinds() and heard.requests == []
    assert polling.collector is None


async def test_a_collector_that_cannot_start_is_said_and_the_loop_goes_on(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path / "t.db")  # no provider enabled
    repo = open_store(settings, lambda: NOW, writes=True)
    heard = Heard()
    polling = LeasedCollector(settings, repo, running_clock(), **heard.callbacks())
    try:
        await polling.start()
        assert heard.kinds() == ["failed"]
        error = heard.said[0][1]
        assert isinstance(error, UsageError) and "no rate provider is enabled" in str(error)
        assert polling.collector is None and polling.error is None
    finally:
        await polling.close()
        repo.db.dispose()


async def test_without_a_failed_listener_a_start_that_fails_ends_the_loop(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path / "t.db")
    repo = open_store(settings, lambda: NOW, writes=True)
    heard = Heard()
    polling = LeasedCollector(settings, repo, running_clock(), **heard.callbacks(failed=False))
    try:
        await polling.start()
        await until(lambda: "ended" in heard.kinds())
        assert isinstance(polling.error, UsageError)
        assert heard.said == [("ended", polling.error)]
    finally:
        await polling.close()
        repo.db.dispose()


async def test_a_lease_that_cannot_be_used_ends_the_loop_with_its_error(
    store: tuple[Settings, Repository], tmp_path: Path
) -> None:
    settings, repo = store
    target = tmp_path / "elsewhere"
    target.write_text("keep me")
    (tmp_path / "t.db.collector.lock").symlink_to(target)
    heard = Heard()
    polling = LeasedCollector(settings, repo, running_clock(), **heard.callbacks())
    try:
        await polling.start()
        await until(lambda: "ended" in heard.kinds())
    finally:
        await polling.close()
    assert isinstance(polling.error, LeaseRefused)
    assert heard.kinds() == ["ended"] and target.read_text() == "keep me"


@dataclasses.dataclass(slots=True)
class ScriptedLease(Lease):
    """A lease that does as the test says: free to take, or lost at the next beat."""

    free: bool = True
    lost: bool = False
    released: bool = False

    def acquire(self, now: datetime) -> bool:
        if self.free:
            self.held = True
        return self.held

    def beat(self, now: datetime) -> None:
        if self.held and self.lost:
            self.held = False
            raise LeaseLost("the lock is gone")

    def due(self, now: datetime) -> bool:
        return True

    def holder(self, now: datetime) -> CollectorRecord | None:
        return None if self.held else CollectorRecord("there", 2, Role.ACTIVE, now, now, now)

    def release(self, now: datetime) -> None:
        self.held, self.released = False, True

    def abandon(self) -> None:
        self.held = False
