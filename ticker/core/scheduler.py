"""A small typed wrapper around APScheduler 3's AsyncIOScheduler.

APScheduler 3.x binds the running event loop at ``start()``, so start it from inside
the loop (the collector's ``run``, the dashboard's ``on_mount``). Jobs run with
``max_instances=1`` and ``coalesce=True``: a slow source never overlaps itself, and
missed runs collapse into one. APScheduler's own log lines are not ours to show (see
:mod:`ticker.cli.logsetup`): a run skipped because the previous one still runs is told
to :meth:`Scheduler.on_skipped` listeners instead, with when that one started, and a job
that raises is logged here, in our words.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from ticker.core.clock import Clock, system_now

log = logging.getLogger("ticker.scheduler")

Job = Callable[[], Awaitable[None]]
Skipped = Callable[[str, "datetime | None"], None]
"""Told ``(job name, when the run still going started)`` for each run skipped."""


class Scheduler:
    def __init__(self, now: Clock = system_now) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._now = now
        self._started: dict[str, datetime] = {}
        """When each job's run in progress started."""
        self._skipped: list[Skipped] = []
        self._scheduler.add_listener(self._max_instances, EVENT_JOB_MAX_INSTANCES)

    def start(self) -> None:
        self._scheduler.start()

    def pause(self) -> None:
        """Start no new runs (running ones go on)."""
        if self._scheduler.running:
            self._scheduler.pause()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def on_skipped(self, callback: Skipped) -> None:
        """Call ``callback`` when a run is skipped because the previous one still runs."""
        self._skipped.append(callback)

    def started(self, name: str) -> datetime | None:
        """When the job's run in progress started (None: not running)."""
        return self._started.get(name)

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
            self._watched(name, job),
            trigger=_trigger(interval, jitter),
            id=name,
            name=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=first_run or datetime.now(UTC),
            replace_existing=True,
        )

    def _watched(self, name: str, job: Job) -> Job:
        async def run() -> None:
            self._started[name] = self._now()
            try:
                await job()
            except Exception:  # APScheduler would log it in its words; a bug, said in ours
                log.exception("%s: the scheduled run failed", name)
            finally:
                self._started.pop(name, None)

        return run

    def _max_instances(self, event: Any) -> None:
        name = str(event.job_id)
        for callback in list(self._skipped):
            try:
                callback(name, self._started.get(name))
            except Exception:  # a listener's bug must not stop the scheduler
                log.exception("%s: telling of a skipped run failed", name)

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
