"""A small typed wrapper around APScheduler 3's AsyncIOScheduler, re-armed when the wall
clock steps.

APScheduler 3.x binds the running event loop at ``start()``, so start it from inside
the loop (the collector's ``run``, the dashboard's ``on_mount``). Jobs run with
``max_instances=1`` and ``coalesce=True``: a slow source never overlaps itself, and
missed runs collapse into one. APScheduler's own log lines are not ours to show (see
:mod:`ticker.cli.logsetup`): a run skipped because the previous one still runs is told
to :meth:`Scheduler.on_skipped` listeners instead, with when that one started, and a job
that raises is logged here, in our words.

APScheduler times its jobs by the wall clock, which can step (NTP after a boot, a VM
restored from a snapshot, ``date -s``, a machine waking from suspend): back an hour, and
no job would run for an hour. So a watch, an asyncio task sleeping on the loop's
monotonic clock (not an APScheduler job, which the step would hold up too), compares the
wall clock with the monotonic one at least every :data:`WATCH_EVERY` seconds and re-arms
every job at a step: after a step back each next run moves back by the step (polling
keeps its pace), after a step ahead the runs jumped over are due at once, as one. Each
step is said in one line (:class:`~ticker.core.clock.ClockSteps`).

The interface speaks in the program's clock (``now``: the system's, or ``$TICKER_NOW``'s,
which runs on from another moment); APScheduler in the system's. The two differ by a
constant, measured at construction.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.interval import IntervalTrigger

from ticker.core.clock import Clock, ClockSteps, system_now

log = logging.getLogger("ticker.scheduler")

Job = Callable[[], Awaitable[None]]
Skipped = Callable[[str, "datetime | None"], None]
"""Told ``(job name, when the run still going started)`` for each run skipped."""

#: The watch compares the wall clock with the monotonic one this often (seconds).
WATCH_EVERY = 0.5


class Scheduler:
    def __init__(
        self,
        now: Clock = system_now,
        monotonic: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._now = now
        self._mono = monotonic
        self._rand = rand
        self._skew = now() - datetime.now(UTC)
        """The program's clock less APScheduler's (the system's)."""
        self._started: dict[str, datetime] = {}
        """When each job's run in progress started."""
        self._skipped: list[Skipped] = []
        self._watch: asyncio.Task[None] | None = None
        self._scheduler.add_listener(self._max_instances, EVENT_JOB_MAX_INSTANCES)

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> None:
        self._scheduler.start()
        if self._watch is None:
            self._watch = asyncio.get_running_loop().create_task(self._watch_clock())

    def pause(self) -> None:
        """Start no new runs (running ones go on)."""
        if self._scheduler.running:
            self._scheduler.pause()

    def shutdown(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
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
            trigger=self._trigger(interval, jitter),
            id=name,
            name=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=self._theirs(first_run or self._now()),
            replace_existing=True,
        )

    def reschedule(self, name: str, interval: timedelta, jitter: timedelta = timedelta(0)) -> None:
        """Change a job's interval (its next run moves to now + interval)."""
        self._scheduler.reschedule_job(name, trigger=self._trigger(interval, jitter))

    def run_at(self, name: str, when: datetime) -> None:
        """Move a job's next run (e.g. to honour a long Retry-After)."""
        self._scheduler.modify_job(name, next_run_time=self._theirs(when))

    def next_run(self, name: str) -> datetime | None:
        """The job's next run, in the program's clock (None: no such job)."""
        job = self._scheduler.get_job(name)
        when = getattr(job, "next_run_time", None) if job is not None else None
        return when + self._skew if isinstance(when, datetime) else None

    # ------------------------------------------------------------------ inside

    def _theirs(self, when: datetime) -> datetime:
        """A moment of the program's clock, in APScheduler's."""
        return when - self._skew

    def _trigger(self, interval: timedelta, jitter: timedelta) -> IntervalTrigger:
        return _Every(interval, jitter, self._rand)

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

    async def _watch_clock(self) -> None:
        steps = ClockSteps(self._now, self._mono)
        while True:
            await asyncio.sleep(WATCH_EVERY)
            step = steps.check()
            if step:
                try:
                    self._rearm(step)
                except Exception:  # a bug: said, and the watch goes on
                    log.exception("re-arming the schedule after a clock step failed")

    def _rearm(self, step: float) -> None:
        """Re-arm every job after the wall clock stepped by ``step`` seconds: back, each
        next run moves back as much (as far off as it was); ahead, a run it jumped over is
        due now (once: the jobs coalesce), a later one keeps its moment."""
        now = self._theirs(self._now())
        for job in self._scheduler.get_jobs():
            when = job.next_run_time
            if not isinstance(when, datetime):
                continue  # a paused job
            if step < 0:
                self._scheduler.modify_job(job.id, next_run_time=when + timedelta(seconds=step))
            elif when < now:
                self._scheduler.modify_job(job.id, next_run_time=now)
        if self._scheduler.state == STATE_RUNNING:
            self._scheduler.wakeup()  # its timer was set by the clock before the step


class _Every(IntervalTrigger):  # type: ignore[misc]  # APScheduler has no types
    """APScheduler's interval trigger, its jitter (0 up to ``jitter``) drawn by ``rand``."""

    def __init__(self, interval: timedelta, jitter: timedelta, rand: Callable[[], float]) -> None:
        super().__init__(seconds=interval.total_seconds(), timezone=UTC)
        self._spread = jitter.total_seconds()
        self._rand = rand

    def get_next_fire_time(self, previous: datetime | None, now: datetime) -> datetime | None:
        when: datetime | None = super().get_next_fire_time(previous, now)
        if when is None or self._spread <= 0:
            return when
        return when + timedelta(seconds=self._spread * self._rand())
