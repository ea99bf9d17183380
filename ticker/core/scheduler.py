"""The collector's scheduler: jobs every interval, timed on the monotonic clock.

A wall clock that steps (NTP after a boot, a VM restored from a snapshot, an admin's
``date -s``) does not move the schedule: every due time is a point on the monotonic clock,
and the wall-clock moments the interface speaks in (``first_run``, ``run_at``,
``next_run``) are converted at the call, by the program's clock. A step is said in one
line (:class:`ClockSteps`); after a step forward (a suspended machine waking up, whose
monotonic clock stood still) the runs it jumped over are due at once.

Start it from inside the running loop (the collector's ``run``, the dashboard's
``on_mount``). Jobs never overlap themselves and missed runs collapse into one: a run due
while the previous one still runs is skipped and told to :meth:`Scheduler.on_skipped`
listeners, with when that one started; a job that raises is logged here.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ticker.core.clock import Clock, ClockSteps, system_now

log = logging.getLogger("ticker.scheduler")

Job = Callable[[], Awaitable[None]]
Skipped = Callable[[str, "datetime | None"], None]
"""Told ``(job name, when the run still going started)`` for each run skipped."""

#: The scheduler looks at the wall clock at least this often (to tell a step).
WAKE_EVERY = 1.0


@dataclass(slots=True)
class _Job:
    run: Job
    interval: float
    jitter: float
    due: float
    """On the monotonic clock."""
    task: asyncio.Task[None] | None = None


class Scheduler:
    def __init__(
        self,
        now: Clock = system_now,
        monotonic: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._now = now
        self._mono = monotonic
        self._rand = rand
        self._jobs: dict[str, _Job] = {}
        self._started: dict[str, datetime] = {}
        """When each job's run in progress started."""
        self._skipped: list[Skipped] = []
        self._steps = ClockSteps(now, monotonic)
        self._driver: asyncio.Task[None] | None = None
        self._changed: asyncio.Event | None = None
        self._paused = False

    @property
    def running(self) -> bool:
        return self._driver is not None and not self._driver.done()

    def start(self) -> None:
        if self._driver is None:
            self._changed = asyncio.Event()
            self._driver = asyncio.get_running_loop().create_task(self._drive())

    def pause(self) -> None:
        """Start no new runs (running ones go on)."""
        self._paused = True

    def shutdown(self) -> None:
        if self._driver is not None:
            self._driver.cancel()
        for job in self._jobs.values():
            if job.task is not None and not job.task.done():
                job.task.cancel()

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
        due = self._at(first_run) if first_run is not None else self._mono()
        spec = _Job(job, interval.total_seconds(), jitter.total_seconds(), due)
        old = self._jobs.get(name)
        if old is not None:
            spec.task = old.task
        self._jobs[name] = spec
        self._wake()

    def reschedule(self, name: str, interval: timedelta, jitter: timedelta = timedelta(0)) -> None:
        """Change a job's interval (its next run moves to now + interval)."""
        job = self._jobs[name]
        job.interval, job.jitter = interval.total_seconds(), jitter.total_seconds()
        job.due = self._mono() + self._step(job)
        self._wake()

    def run_at(self, name: str, when: datetime) -> None:
        """Move a job's next run (e.g. to honour a long Retry-After)."""
        self._jobs[name].due = self._at(when)
        self._wake()

    def next_run(self, name: str) -> datetime | None:
        """The job's next run, in the program's clock (None: no such job)."""
        job = self._jobs.get(name)
        if job is None:
            return None
        return self._now() + timedelta(seconds=job.due - self._mono())

    # ------------------------------------------------------------------ inside

    def _at(self, when: datetime) -> float:
        """A wall-clock moment of the program's clock, on the monotonic clock."""
        return self._mono() + max((when - self._now()).total_seconds(), 0.0)

    def _step(self, job: _Job) -> float:
        return job.interval + job.jitter * self._rand()

    def _wake(self) -> None:
        if self._changed is not None:
            self._changed.set()

    async def _drive(self) -> None:
        assert self._changed is not None
        while True:
            ahead = self._steps.check()
            if ahead > 0:  # the wall clock jumped ahead of the monotonic: so do the runs
                mono = self._mono()
                for job in self._jobs.values():
                    job.due = max(mono, job.due - ahead)
            if not self._paused:
                self._fire_due()
            mono = self._mono()
            wait = min([WAKE_EVERY] + [job.due - mono for job in self._jobs.values()])
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), max(wait, 0.0))
            except TimeoutError:
                pass

    def _fire_due(self) -> None:
        mono = self._mono()
        for name, job in list(self._jobs.items()):
            if job.due > mono:
                continue
            job.due += self._step(job)
            if job.due <= mono:  # missed runs collapse into one
                job.due = mono + self._step(job)
            if job.task is not None and not job.task.done():
                self._tell_skipped(name)
                continue
            job.task = asyncio.get_running_loop().create_task(self._watched(name, job.run))

    async def _watched(self, name: str, job: Job) -> None:
        self._started[name] = self._now()
        try:
            await job()
        except Exception:  # a bug, said in our words
            log.exception("%s: the scheduled run failed", name)
        finally:
            self._started.pop(name, None)

    def _tell_skipped(self, name: str) -> None:
        for callback in list(self._skipped):
            try:
                callback(name, self._started.get(name))
            except Exception:  # a listener's bug must not stop the scheduler
                log.exception("%s: telling of a skipped run failed", name)
