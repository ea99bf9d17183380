"""A wall clock that steps (back, or ahead, or was once ahead) must not stop polling:
the schedule is re-armed at a step, persisted plans from a clock that was ahead
are not believed, and a step is said in one line."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest

from tests.core.test_collector import FakeScheduler
from tests.helpers.collecting import T0, Clock, Scripted, collector, ok
from ticker.core.scheduler import Scheduler
from ticker.storage.db import Database


class SteppingClock:
    """The system's clock, shifted by what the test steps it by."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture
def stepping(monkeypatch: pytest.MonkeyPatch) -> SteppingClock:
    """A wall clock the test steps: the program's (given to the Scheduler) and the one
    APScheduler reads for "now" (patched for this test only), as a real step moves both."""
    import apscheduler.schedulers.base

    clock = SteppingClock()

    class Stepped(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Stepped:
            return cls.fromtimestamp(clock().timestamp(), tz)

    monkeypatch.setattr(apscheduler.schedulers.base, "datetime", Stepped)
    return clock


def test_a_clock_stepped_back_an_hour_does_not_stop_the_schedule(
    stepping: SteppingClock, caplog: pytest.LogCaptureFixture
) -> None:
    clock = stepping
    runs: list[datetime] = []

    async def job() -> None:
        runs.append(clock())

    async def main() -> datetime | None:
        scheduler = Scheduler(clock)
        scheduler.start()
        scheduler.every("job", timedelta(seconds=0.05), job)
        await asyncio.sleep(0.2)
        clock.offset = -timedelta(hours=1)
        before = len(runs)
        await asyncio.sleep(1.3)
        assert len(runs) - before >= 5, "polling stopped when the clock stepped back"
        next_run = scheduler.next_run("job")
        scheduler.shutdown()
        return next_run

    with caplog.at_level(logging.WARNING):
        next_run = asyncio.run(main())
    # The next run, told in the program's clock, is within an interval of its now.
    assert next_run is not None and abs((next_run - clock()).total_seconds()) < 1
    steps = [r.getMessage() for r in caplog.records if "stepped" in r.getMessage()]
    assert steps == [
        "the wall clock stepped back by 1h; polling keeps its pace (the schedule is re-armed)"
    ]


def test_a_clock_stepped_back_keeps_each_next_run_as_far_off_as_it_was(
    stepping: SteppingClock,
) -> None:
    clock = stepping
    runs: list[datetime] = []

    async def job() -> None:
        runs.append(clock())

    async def main() -> timedelta:
        scheduler = Scheduler(clock)
        scheduler.start()
        scheduler.every("hourly", timedelta(hours=1), job)
        await asyncio.sleep(0.2)
        clock.offset = -timedelta(hours=1)
        await asyncio.sleep(1.2)
        next_run = scheduler.next_run("hourly")
        scheduler.shutdown()
        assert next_run is not None
        return next_run - clock()

    left = asyncio.run(main())
    assert len(runs) == 1  # not run again: the step is no reason to poll
    assert timedelta(minutes=59) < left < timedelta(hours=1)  # not in two hours


def test_a_clock_stepped_ahead_runs_what_it_jumped_over(stepping: SteppingClock) -> None:
    clock = stepping
    runs: list[datetime] = []

    async def job() -> None:
        runs.append(clock())

    async def main() -> None:
        scheduler = Scheduler(clock)
        scheduler.start()
        scheduler.every("hourly", timedelta(hours=1), job)
        await asyncio.sleep(0.2)
        assert len(runs) == 1
        clock.offset = timedelta(hours=2)  # a suspended laptop wakes up
        await asyncio.sleep(1.5)
        next_run = scheduler.next_run("hourly")
        scheduler.shutdown()
        assert next_run is not None  # an hour after that run: the pace is kept
        assert abs(next_run - (runs[-1] + timedelta(hours=1))) < timedelta(seconds=1)

    asyncio.run(main())
    assert len(runs) == 2  # the two runs jumped over, as one (coalesced)


def test_a_plan_from_a_clock_that_was_a_day_ahead_is_not_believed(database: Database) -> None:
    clock = Clock()
    clock.now = T0 + timedelta(days=1)  # a VM restored from a snapshot, a boot before NTP
    first = collector(database, Scripted([ok()]), clock)
    scheduler = FakeScheduler(clock)
    first.start(scheduler)  # type: ignore[arg-type]
    scheduler.next["nbk"] = clock.now + timedelta(minutes=30)
    asyncio.run(first.poll("nbk"))
    assert first.health["nbk"].next_run == T0 + timedelta(days=1, minutes=30)
    clock.now = T0  # the clock is right again
    again = collector(database, Scripted([ok()]), clock)
    scheduler = FakeScheduler(clock)
    assert again.start(scheduler) == ["nbk"]  # type: ignore[arg-type]
    assert scheduler.calls[0] == ("every", "nbk", None)  # polled at once, not in a day


def test_a_plan_beyond_the_longest_schedule_is_not_believed(database: Database) -> None:
    clock = Clock()
    first = collector(database, Scripted([ok()]), clock)
    first.health["nbk"].next_run = T0 + timedelta(days=3)  # no schedule is this long
    first.repo.save_health(first.health["nbk"])
    again = collector(database, Scripted([ok()]), clock)
    scheduler = FakeScheduler(clock)
    assert again.start(scheduler) == ["nbk"]  # type: ignore[arg-type]


def test_the_lease_beats_on_when_the_clock_steps_back(tmp_path: Path) -> None:
    from ticker.storage.lease import HEARTBEAT_EVERY, Identity
    from ticker.storage.lease.sqlite import SqliteLease

    db = tmp_path / "ticker.db"
    lease = SqliteLease(Identity("here", 1, T0), str(db), database=db)
    try:
        assert lease.acquire(T0)
        lease.beat(T0 + HEARTBEAT_EVERY)
        assert not lease.due(T0 + HEARTBEAT_EVERY)
        # An hour back: the heartbeat (the holder's confirmation) is due at once, not in
        # an hour, after which the holder would have fenced itself.
        assert lease.due(T0 - timedelta(hours=1))
    finally:
        lease.abandon()
