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

While its collector runs it also answers the requests to poll now that others make
through the store (a standing-by or ``--no-collect`` dashboard's ``r``: :func:`ask_for_poll`,
:class:`~ticker.core.store_watch.PollRequests`): it polls every source at once, as its own
dashboard's ``r`` does (a round in flight is joined, never doubled; each source's retries
and backoff as in any round; the schedule goes on), one request or many at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ticker.config import POLLED_KINDS, Settings
from ticker.core.clock import Clock
from ticker.core.leadership import Leadership
from ticker.core.poll_log import log
from ticker.core.runtime import STOP_GRACE, Runtime
from ticker.core.scheduler import Scheduler
from ticker.core.store_watch import PollRequests
from ticker.core.watch import store_collectors
from ticker.errors import TickerError
from ticker.i18n.words import _
from ticker.model.collectors import CollectorRecord, active_of
from ticker.storage.lease import Identity, Lease, lease_of
from ticker.storage.repository import Repository

if TYPE_CHECKING:  # loaded with the collector, when it starts
    import httpx

    from ticker.core.collector import Collector
    from ticker.storage.poll_requests import PollRequest

#: Seconds a round in flight may take to finish once the lease is lost (then cancelled:
#: the lease's limits leave a few seconds before a standby may take over).
LOST_GRACE = 0.5
#: Seconds between two looks for requests to poll now (a look reads SQLite's commit
#: counter, or whether PostgreSQL announced anything, which also wakes it at once; the
#: requests are read only after someone committed).
REQUEST_LOOK = 1.0


class LeasedCollector:
    """A collector on an open store, polling only while this process holds its lease."""

    def __init__(
        self,
        settings: Settings,
        repo: Repository,
        now: Clock,
        *,
        kinds: Sequence[str] = POLLED_KINDS,
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
        self._answering: asyncio.Task[None] | None = None
        """Answers the requests to poll now while the collector runs."""
        self.requests: PollRequests | None = None
        """The watch for requests to poll now, while the collector runs (for tests and
        diagnostics)."""

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
            self._answering = asyncio.create_task(self._answer_requests(runtime.collector))
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
            answering, self._answering = self._answering, None
            if answering is not None:
                # Cancelled; never waited on for long: a look at the store may still be
                # under way on a connection a frozen moment left half dead.
                answering.cancel()
                await asyncio.wait({answering}, timeout=LOST_GRACE)
            if runtime is not None:
                await runtime.close(grace, hook_grace=hook_grace)

    async def _answer_requests(self, collector: Collector) -> None:
        """While the collector runs: poll every source when someone asked through the
        store (see the module's words), then mark the requests answered."""
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()

        def heard() -> None:  # from the listener's thread
            loop.call_soon_threadsafe(wake.set)

        requests = self.requests = PollRequests(self.repo, heard)
        try:
            while True:  # requests made before this holder started are not its own
                try:
                    await asyncio.to_thread(requests.open)
                    break
                except TickerError:  # the store refuses: the rounds say so
                    await asyncio.sleep(REQUEST_LOOK)
            while True:
                try:
                    await asyncio.wait_for(wake.wait(), REQUEST_LOOK)
                except TimeoutError:
                    pass
                wake.clear()
                if not requests.maybe():
                    continue
                try:
                    asked = await asyncio.to_thread(requests.take)
                except TickerError:  # looked at again next time
                    continue
                if asked and self.may_poll():
                    await self._poll_asked(collector, requests, asked)
        finally:
            try:  # a listener's thread may take a moment to end: not on the loop
                loop.run_in_executor(None, requests.close)
            except RuntimeError:  # the loop's executor is shut down already
                requests.close()

    async def _poll_asked(
        self, collector: Collector, requests: PollRequests, asked: list[PollRequest]
    ) -> None:
        who = ", ".join(sorted({a.asked_by for a in asked}))
        log.info("%s", _("asked to poll now by {who}: polling every source").format(who=who))
        await collector.poll_all()
        try:
            await asyncio.to_thread(requests.answer, asked, self.now())
        except TickerError:  # polled all the same
            pass

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


def ask_for_poll(repo: Repository, now: Clock) -> tuple[CollectorRecord | None, bool]:
    """Ask the collector that holds the store's lease to poll now, through the store
    (:class:`~ticker.core.store_watch.PollRequests` hears it). Who holds the lease (None:
    nobody), and whether it was asked: not when nobody holds it, nor when this process
    does (its collector is not running, or it would have polled itself). Raises
    TickerError when the store refuses."""
    when = now()
    holder = active_of(store_collectors(repo, when))
    me = Identity.here(when)
    if holder is None or (holder.host, holder.pid) == (me.host, me.pid):
        return holder, False
    repo.ask_for_poll(me.who, when)
    return holder, True
