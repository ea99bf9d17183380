"""The collector that polls only while this process holds the store's lease: the one
orchestration that ``ticker collect`` (:mod:`ticker.core.daemon`) and the dashboard share.

:class:`LeasedCollector` takes the store's lease or stands by (:mod:`ticker.core.
leadership`); while it holds the lease it runs the collector (:class:`~ticker.core.
runtime.Runtime`), gated by the lease; when the lease is lost it stops the collector at
once, and when another holder dies it takes over. Starting and stopping the collector
take turns (one lock): a loss during a start waits for that start and stops what it
started, and nothing starts once :meth:`LeasedCollector.close` has begun.

Its owner starts it, closes it, and listens (every callback is called on the event loop):

* ``started(collector)``: a collector is about to poll (before its first poll: subscribe
  to its rounds here);
* ``polling(names)``: it has started, and polls these sources at once;
* ``lost(reason)``: the lease was lost; the collector (if it ran) has stopped;
* ``standby(holder)``: another collector holds the lease (said when the holder changes);
* ``failed(error)``: a collector could not start (no provider enabled, the store refused):
  this one keeps the lease and polls nothing. Without ``failed`` the error ends the loop;
* ``ended(error)``: the lease's loop ended: closed (None), or an error (a lease that
  cannot be used at all, a failed start without ``failed``), kept in :attr:`error`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ticker.config import Settings
from ticker.core.clock import Clock
from ticker.core.leadership import Leadership
from ticker.core.runtime import STOP_GRACE, Runtime
from ticker.core.scheduler import Scheduler
from ticker.errors import TickerError
from ticker.model.collectors import CollectorRecord
from ticker.storage.lease import Lease, lease_of
from ticker.storage.repository import Repository

if TYPE_CHECKING:  # loaded with the collector, when it starts
    import httpx

    from ticker.core.collector import Collector

#: Seconds a round in flight may take to finish once the lease is lost (then cancelled:
#: the lease's limits leave a few seconds before a standby may take over).
LOST_GRACE = 0.5


class LeasedCollector:
    """A collector on an open store, polling only while this process holds its lease."""

    def __init__(
        self,
        settings: Settings,
        repo: Repository,
        now: Clock,
        *,
        kinds: Sequence[str] = ("rates", "indicators"),
        transport: httpx.AsyncBaseTransport | None = None,
        polled: Sequence[str] = (),
        lease: Lease | None = None,
        started: Callable[[Collector], None] | None = None,
        polling: Callable[[list[str]], None] | None = None,
        lost: Callable[[str], None] | None = None,
        standby: Callable[[CollectorRecord | None], None] | None = None,
        failed: Callable[[TickerError], None] | None = None,
        ended: Callable[[BaseException | None], None] | None = None,
    ) -> None:
        """``kinds`` and ``transport`` as :meth:`Runtime.start` takes them; ``polled``
        names the sources for the standing-by log line; ``lease``: the store's own by
        default (:func:`~ticker.storage.lease.lease_of`). The callbacks: see above."""
        self.settings = settings
        self.repo = repo
        self.now = now
        self.kinds = tuple(kinds)
        self.transport = transport
        self.runtime: Runtime | None = None
        """The running collector with its providers and client (None: not polling)."""
        self.error: BaseException | None = None
        """What ended the lease's loop, if anything did."""
        self._started, self._polling, self._lost = started, polling, lost
        self._standby, self._failed, self._ended = standby, failed, ended
        self.leadership = Leadership(
            lease if lease is not None else lease_of(repo, now()),
            now,
            on_active=self._start,
            on_lost=self._stop_lost,
            on_standby=self._standing_by,
            polled=polled,
        )
        self._turn = asyncio.Lock()
        """Starting and stopping the collector take turns."""
        self._closing = False
        self._warm = False
        self._attempted = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def collector(self) -> Collector | None:
        """The collector while it polls (None while standing by)."""
        return self.runtime.collector if self.runtime is not None else None

    def may_poll(self) -> bool:
        """The collector's gate: the lease is held and confirmed."""
        return self.leadership.may_poll()

    # ------------------------------------------------------------------ the owner's

    async def start(self) -> None:
        """Try the lease once and return when that try is answered (the collector has
        started, or this one stands by, or the store did not answer); then keep at it in
        a task of its own until :meth:`close`."""
        if self._task is not None:
            return
        self._task = asyncio.create_task(self._hold())
        self._task.add_done_callback(self._held)
        attempted = asyncio.ensure_future(self._attempted.wait())
        await asyncio.wait({attempted, self._task}, return_when=asyncio.FIRST_COMPLETED)
        attempted.cancel()

    async def close(self, grace: float = STOP_GRACE, hook_grace: float | None = None) -> None:
        """Stop the collector (rounds in flight get ``grace`` seconds, alert hooks
        ``hook_grace``: by default their own limit), then the lease's loop, and give the
        lease up (once: a second call does nothing). What ended the loop is not raised
        here: :attr:`error` keeps it."""
        if self._closing:
            return
        self._closing = True
        await self._halt(grace, hook_grace)
        self._stop.set()
        if self._task is not None:
            await asyncio.wait({self._task})
        await self.leadership.release()

    # ------------------------------------------------------------------ inside

    async def _hold(self) -> None:
        try:
            await self.leadership.first_attempt()
        finally:
            self._attempted.set()
        await self.leadership.run(self._stop)

    def _held(self, task: asyncio.Task[None]) -> None:
        self.error = None if task.cancelled() else task.exception()
        if self._ended is not None:
            self._ended(self.error)

    async def _start(self) -> None:
        """The lease is ours: start the collector (unless it runs, or this one closes)."""
        async with self._turn:
            if self.runtime is not None or self._closing:
                return
            try:
                runtime = await Runtime.start(
                    self.settings,
                    self.repo,
                    self.now,
                    kinds=self.kinds,
                    transport=self.transport,
                    gate=self.may_poll,
                )
            except TickerError as err:
                if self._failed is None:
                    raise
                self._failed(err)
                return
            if self._closing:  # closed while it was starting: it never polls
                await runtime.close(LOST_GRACE, hook_grace=LOST_GRACE)
                return
            self.runtime = runtime
            if self._started is not None:
                self._started(runtime.collector)
            polled_now = runtime.collector.start(Scheduler(self.now))
            # Held by this process alone: webhook deliveries a stopped collector left
            # undone (cut at shutdown, killed) are sent now, by one collector.
            runtime.collector.alerts.resend_pending()
            if self._polling is not None:
                self._polling(polled_now)

    async def _stop_lost(self, reason: str) -> None:
        """The lease is lost: stop at once (rounds in flight get :data:`LOST_GRACE`)."""
        await self._halt(LOST_GRACE, LOST_GRACE)
        if self._lost is not None:
            self._lost(reason)

    async def _halt(self, grace: float, hook_grace: float | None) -> None:
        """Stop the collector, if it runs."""
        async with self._turn:
            runtime, self.runtime = self.runtime, None
            if runtime is not None:
                await runtime.close(grace, hook_grace=hook_grace)

    def _standing_by(self, holder: CollectorRecord | None) -> None:
        """Another collector holds the lease: say so, and load the collector's modules
        meanwhile, so that taking over polls without waiting for imports."""
        if not self._warm:
            self._warm = True
            asyncio.get_running_loop().run_in_executor(None, _import_collector)
        if self._standby is not None:
            self._standby(holder)


def _import_collector() -> None:
    import ticker.core.net
    import ticker.core.registry  # noqa: F401
