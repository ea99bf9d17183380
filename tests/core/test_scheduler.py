"""The APScheduler wrapper with real time, in fractions of a second."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from ticker.core.scheduler import Scheduler


def test_jobs_start_at_once_repeat_and_never_overlap() -> None:
    starts: list[float] = []
    running = 0
    overlap = 0

    async def slow_job() -> None:
        nonlocal running, overlap
        running += 1
        overlap = max(overlap, running)
        starts.append(asyncio.get_running_loop().time())
        await asyncio.sleep(0.15)  # longer than the interval
        running -= 1

    hourly: list[float] = []

    async def hourly_job() -> None:
        hourly.append(asyncio.get_running_loop().time())

    async def main() -> datetime | None:
        scheduler = Scheduler()
        scheduler.start()
        scheduler.every("job", timedelta(seconds=0.05), slow_job)
        scheduler.every("hourly", timedelta(hours=1), hourly_job)
        await asyncio.sleep(0.5)
        next_run = scheduler.next_run("job")
        scheduler.shutdown()
        return next_run

    next_run = asyncio.run(main())
    assert len(hourly) == 1  # an hourly job ran within half a second: the first run is at once
    assert len(starts) >= 2  # it repeats
    assert overlap == 1  # max_instances=1: a slow run is never doubled
    assert next_run is not None and next_run > datetime.now(UTC) - timedelta(seconds=1)


def test_reschedule_and_run_at() -> None:
    async def job() -> None:
        pass

    async def main() -> tuple[datetime | None, datetime | None]:
        scheduler = Scheduler()
        scheduler.start()
        later = datetime.now(UTC) + timedelta(hours=1)
        scheduler.every("a", timedelta(minutes=30), job, first_run=later)
        scheduler.reschedule("a", timedelta(hours=2))
        rescheduled = scheduler.next_run("a")
        when = datetime.now(UTC) + timedelta(minutes=5)
        scheduler.run_at("a", when)
        moved = scheduler.next_run("a")
        scheduler.shutdown()
        return rescheduled, moved

    rescheduled, moved = asyncio.run(main())
    assert rescheduled is not None and rescheduled > datetime.now(UTC) + timedelta(minutes=100)
    assert moved is not None and abs((moved - datetime.now(UTC)).total_seconds() - 300) < 5


def test_next_poll_follows_the_publication_calendar() -> None:
    from datetime import date

    from providers.catalogue import CALENDARS
    from ticker.core.pacing import next_poll

    nbk = CALENDARS["nbk"]  # the next day's rate at about 16:00 in Almaty (11:00 UTC)
    every = timedelta(minutes=30)
    wed_night = datetime(2026, 12, 2, 19, 30, tzinfo=UTC)  # 00:30 Thursday in Almaty
    # Thursday's fixing in hand at night: rarely until Friday's window (10:30 UTC).
    planned = next_poll(nbk, wed_night, every, date(2026, 12, 3))
    assert planned == wed_night + timedelta(hours=3)  # at most three hours apart
    later = next_poll(nbk, datetime(2026, 12, 3, 8, 0, tzinfo=UTC), every, date(2026, 12, 3))
    assert later == datetime(2026, 12, 3, 10, 30, tzinfo=UTC)  # the window opens at 10:30
    # In the window, or while the due fixing is missing: the provider's own interval.
    in_window = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    assert next_poll(nbk, in_window, every, date(2026, 12, 3)) == in_window + every
    behind = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)  # Friday's is due, not here
    assert next_poll(nbk, behind, every, date(2026, 12, 3)) == behind + every
    assert next_poll(nbk, behind, every, None) == behind + every
    # A Saturday morning with Saturday's fixing (set on Friday): rarely; Sunday's file,
    # a repeat of it, is not waited for.
    saturday = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
    assert next_poll(nbk, saturday, every, date(2026, 12, 5)) == saturday + timedelta(hours=3)
    sunday_night = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)  # 01:00 Monday in Almaty
    assert next_poll(nbk, sunday_night, every, date(2026, 12, 5)) == sunday_night + timedelta(
        hours=3
    )


def test_the_jitter_is_drawn_by_the_rand_it_is_given() -> None:
    async def job() -> None:
        pass

    async def main() -> datetime | None:
        scheduler = Scheduler(rand=lambda: 0.5)
        scheduler.start()
        scheduler.every("a", timedelta(minutes=30), job, first_run=datetime.now(UTC))
        scheduler.reschedule("a", timedelta(hours=1), jitter=timedelta(minutes=10))
        rescheduled = scheduler.next_run("a")
        scheduler.shutdown()
        return rescheduled

    rescheduled = asyncio.run(main())
    expected = datetime.now(UTC) + timedelta(hours=1, minutes=5)  # half of the 10 minutes
    assert rescheduled is not None and abs((rescheduled - expected).total_seconds()) < 5
