"""Holding the store's lease while a collector polls; standing by while another does.

:class:`Leadership` runs beside a collector (``ticker collect``, a collecting dashboard):
it takes the lease (:mod:`ticker.storage.lease`) or stands by, trying again every
:data:`~ticker.storage.lease.RETRY_EVERY`; it beats while it holds it; and it says each
change in one log line:

* ``standing by: nbkr, nbk, ... polled by host pid 1234 since 14:02 UTC``
* ``took over from host pid 1234`` (or ``took the lease`` when nobody held it)
* ``lost the lease (...); stopped polling``
* once, when a frozen holder's session may not be ended by this collector's database role:
  what to grant (:class:`~ticker.storage.lease.TakeoverForbidden`)

A holder that has not confirmed its lease for
:data:`~ticker.storage.lease.SELF_FENCE_AFTER` stops polling (``on_lost``) before any
standby may take over (:data:`~ticker.storage.lease.TAKEOVER_AFTER`); :meth:`may_poll`
is the collector's gate, asked before every round and every write, so even a round due
at the very moment a frozen process wakes up does not run.

Every call of the lease runs in one thread of its own, one at a time: a call stuck on a
dead network delays nothing here (the fence is measured on the monotonic clock).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ticker.display.collectors import standing_by
from ticker.errors import StorageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _
from ticker.model.collectors import CollectorRecord
from ticker.storage.lease import (
    RETRY_EVERY,
    SELF_FENCE_AFTER,
    Lease,
    LeaseLost,
    LeaseRefused,
    TakeoverForbidden,
)

log = logging.getLogger("ticker.lease")

#: How often the loop wakes (to beat, to try the lease, to check the fence).
TICK = 0.2


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one try of the lease found."""

    held: bool
    holder: CollectorRecord | None = None
    terminated: CollectorRecord | None = None


class Leadership:
    def __init__(
        self,
        lease: Lease,
        now: Callable[[], datetime],
        *,
        on_active: Callable[[], Awaitable[None]],
        on_lost: Callable[[str], Awaitable[None]],
        on_standby: Callable[[CollectorRecord | None], None] | None = None,
        polled: Sequence[str] = (),
        monotonic: Callable[[], float] = time.monotonic,
        tick: float = TICK,
    ) -> None:
        """``on_active`` starts polling, ``on_lost`` stops it (both awaited before the
        line that says so); ``on_standby`` hears who holds the lease whenever that
        changes; ``polled`` names the sources for the standing-by line."""
        self.lease = lease
        self.now = now
        self.on_active = on_active
        self.on_lost = on_lost
        self.on_standby = on_standby
        self.polled = list(polled)
        self.monotonic = monotonic
        self.tick = tick
        self.active = False
        self.holder: CollectorRecord | None = None
        """Who holds the lease while this one stands by (as last seen)."""
        self._confirmed: float | None = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="ticker-lease")
        self._pending: tuple[str, float, Future[Any]] | None = None
        self._next_try = 0.0
        self._announced: tuple[str, int] | None | bool = False
        self._unreachable: str | None = None
        self._forbidden: str | None = None
        """The takeover this standby may not make, as last said (said once)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._attempted = False

    # ------------------------------------------------------------------ the gate

    def may_poll(self) -> bool:
        """Whether this collector holds a lease it confirmed within the fence's limit."""
        if not self.active or self._confirmed is None:
            return False
        return self.monotonic() - self._confirmed < SELF_FENCE_AFTER.total_seconds()

    # ------------------------------------------------------------------ the loop

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop``: take the lease or stand by, beat, fence. Raises
        :class:`~ticker.storage.lease.LeaseRefused` when the lease cannot be used."""
        if self._loop is None:
            self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        assert self._wake is not None
        while not stop.is_set():
            await self.step()
            stopping = asyncio.ensure_future(stop.wait())
            waking = asyncio.ensure_future(self._wake.wait())
            await asyncio.wait({stopping, waking}, timeout=self.tick, return_when="FIRST_COMPLETED")
            stopping.cancel()
            waking.cancel()
            self._wake.clear()

    async def first_attempt(self) -> None:
        """Turn until the first try of the lease is answered (taken, standing by, or the
        store did not answer): what a dashboard waits for before it says anything."""
        if self._loop is None:
            self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        while not self._attempted:
            await self.step()
            if not self._attempted:
                await asyncio.sleep(0.01)

    async def step(self) -> None:
        """One turn: handle a finished call, fence if due, start the next call."""
        mono = self.monotonic()
        if self._pending is not None and self._pending[2].done():
            what, started, future = self._pending
            self._pending = None
            await self._finished(what, started, future)
        if self.active and not self.may_poll():
            seconds = localised(f"{SELF_FENCE_AFTER.total_seconds():g}")
            reason = _("could not confirm it for {seconds}s").format(seconds=seconds)
            if self._unreachable:
                reason = f"{reason}: {self._unreachable}"
            await self._fence(reason)
        if self._pending is not None:
            return
        now = self.now()
        if self.active:
            if self.lease.due(now):
                self._submit("beat", mono, self.lease.beat, now)
        elif mono >= self._next_try:
            self._next_try = mono + RETRY_EVERY.total_seconds()
            self._submit("acquire", mono, self._attempt, now)

    async def release(self) -> None:
        """Give the lease up (after polling stopped) and end the lease's thread."""
        pending = self._pending
        if pending is not None:
            await asyncio.to_thread(concurrent.futures.wait, [pending[2]], 5)
        self.active = False
        await asyncio.wrap_future(self._executor.submit(self.lease.release, self.now()))
        self._executor.shutdown(wait=False)

    # ------------------------------------------------------------------ inside

    def _submit(self, what: str, mono: float, call: Callable[..., Any], *args: Any) -> None:
        future = self._executor.submit(call, *args)
        self._pending = (what, mono, future)
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:  # the loop wakes when the call is done
            future.add_done_callback(lambda _f: loop.call_soon_threadsafe(wake.set))

    def _attempt(self, now: datetime) -> Attempt:
        """In the lease's thread: one try, and who holds it otherwise."""
        if self.lease.acquire(now):
            return Attempt(True, terminated=getattr(self.lease, "terminated", None))
        return Attempt(False, self.lease.holder(now))

    async def _finished(self, what: str, started: float, future: Future[Any]) -> None:
        self._attempted = True
        try:
            result = future.result()
        except LeaseLost as err:
            if self.active:
                await self._fence(err.reason)
            return
        except LeaseRefused:
            raise  # the caller stops: no retry helps
        except TakeoverForbidden as err:  # the store answers: what is missing is a right
            self._answered()
            if self._forbidden != str(err):
                self._forbidden = str(err)
                log.error("lease: %s", err)
            return
        except StorageError as err:
            if self._unreachable != str(err):
                if self._unreachable is None:
                    said = _("lease: the store does not answer: {error}")
                    log.warning("%s", said.format(error=err))
                self._unreachable = str(err)
            return
        self._answered()
        if what == "beat":
            if self.active:
                self._confirmed = started
            return
        attempt: Attempt = result
        if attempt.held:
            await self._took(attempt, started)
        else:
            self._standing_by(attempt.holder)

    def _answered(self) -> None:
        if self._unreachable is not None:
            log.info("%s", _("lease: the store answers again"))
            self._unreachable = None

    async def _took(self, attempt: Attempt, started: float) -> None:
        before = attempt.terminated or (self.holder if self._announced else None)
        self.active, self._confirmed, self.holder = True, started, None
        self._announced, self._forbidden = False, None
        if attempt.terminated is not None:
            said = _("took over from {who} (its heartbeat had stood still; its session was ended)")
            log.warning("%s", said.format(who=attempt.terminated.who))
        elif before is not None:
            log.info("%s", _("took over from {who}").format(who=before.who))
        else:
            log.info("%s", _("took the lease"))
        await self.on_active()

    def _standing_by(self, holder: CollectorRecord | None) -> None:
        key = (holder.host, holder.pid) if holder is not None else None
        self.holder = holder
        if self._announced is not False and self._announced == key:
            return
        self._announced = key
        log.info("%s", standing_by(self.polled, holder, self.now()))
        if self.on_standby is not None:
            self.on_standby(holder)

    async def _fence(self, reason: str) -> None:
        self.active, self._confirmed = False, None
        self._announced = False
        self._executor.submit(self.lease.abandon)  # after a call still under way
        self._next_try = self.monotonic() + RETRY_EVERY.total_seconds()
        await self.on_lost(reason)
        log.warning("%s", _("lost the lease ({reason}); stopped polling").format(reason=reason))
