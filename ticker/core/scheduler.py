"""A small typed wrapper around APScheduler 3's AsyncIOScheduler.

APScheduler 3.x binds the running event loop at ``start()``, so start it from inside
the loop (the collector's ``run``, the dashboard's ``on_mount``). Jobs run with
``max_instances=1`` and ``coalesce=True``: a slow source never overlaps itself, and
missed runs collapse into one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

Job = Callable[[], Awaitable[None]]


class Scheduler:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)

    def start(self) -> None:
        self._scheduler.start()

    def pause(self) -> None:
        """Start no new runs (running ones go on)."""
        if self._scheduler.running:
            self._scheduler.pause()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def every(
        self,
        name: str,
        interval: timedelta,
        job: Job,
        jitter: timedelta = timedelta(0),
        first_run: datetime | None = None,
    ) -> None:
        """Run ``job`` every ``interval`` (first at ``first_run``, default now)."""
        self._scheduler.add_job(
            job,
            trigger=_trigger(interval, jitter),
            id=name,
            name=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=first_run or datetime.now(UTC),
            replace_existing=True,
        )

    def reschedule(self, name: str, interval: timedelta, jitter: timedelta = timedelta(0)) -> None:
        """Change a job's interval (its next run moves to now + interval)."""
        self._scheduler.reschedule_job(name, trigger=_trigger(interval, jitter))

    def run_at(self, name: str, when: datetime) -> None:
        """Move a job's next run (e.g. to honour a long Retry-After)."""
        self._scheduler.modify_job(name, next_run_time=when)

    def next_run(self, name: str) -> datetime | None:
        job = self._scheduler.get_job(name)
        when = getattr(job, "next_run_time", None) if job is not None else None
        return when if isinstance(when, datetime) else None


def _trigger(interval: timedelta, jitter: timedelta) -> IntervalTrigger:
    return IntervalTrigger(
        seconds=interval.total_seconds(),
        jitter=int(jitter.total_seconds()) or None,
        timezone=UTC,
    )
