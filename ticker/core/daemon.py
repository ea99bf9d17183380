"""``ticker collect``: the collector without a dashboard, until SIGINT or SIGTERM.

It polls only while it holds the store's lease (:mod:`ticker.core.leadership`): a second
collector on the same store stands by, and takes over when the first one dies.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta

from ticker.config import Settings, describe_database
from ticker.core.clock import Clock, system_now
from ticker.core.collector import STORE_GIVE_UP, Collector
from ticker.core.leadership import Leadership, store_lease
from ticker.core.runtime import Runtime, open_store
from ticker.core.scheduler import Scheduler
from ticker.errors import StorageError
from ticker.storage.repository import Repository

log = logging.getLogger("ticker.collect")

#: Seconds a round in flight may take to finish once the lease is lost (then cancelled:
#: the lease's limits leave a few seconds before a standby may take over).
LOST_GRACE = 0.5


async def collect(
    settings: Settings,
    stop: asyncio.Event | None = None,
    now: Clock = system_now,
    give_up: timedelta = STORE_GIVE_UP,
    started: Callable[[Collector], None] | None = None,
) -> None:
    """Poll every enabled provider on its schedule until ``stop`` is set (or a signal),
    while this collector holds the store's lease; stand by while another holds it.
    ``started`` is called with each collector before its first poll (the metrics
    endpoint follows it: a new one after every takeover).

    Raises :class:`StorageError` when the store has refused every call for ``give_up``
    (a collector that stores nothing must not look alive to a service manager).
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    failure: StorageError | None = None
    try:
        repo = open_store(settings, now, writes=True)
        try:
            polling = _Polling(settings, repo, now, started)
            leadership = Leadership(
                store_lease(repo.db, now()),
                now,
                on_active=polling.start,
                on_lost=polling.stop,
                on_standby=polling.warm_up,
                polled=settings.enabled_providers("rates")
                + settings.enabled_providers("indicators"),
            )
            polling.gate = leadership.may_poll
            lease_stop = asyncio.Event()
            holding = asyncio.create_task(leadership.run(lease_stop))
            holding.add_done_callback(lambda _task: stop.set())  # a refused lease ends it
            try:
                failure = await _until_stopped(stop, polling, now, give_up)
                log.info("stopping")  # a hook already started may finish within its limit
                await polling.stop(None)
            finally:
                lease_stop.set()
                await holding
                await leadership.release()
        finally:
            repo.db.dispose()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    log.info("stopped")
    if failure is not None:
        raise failure


class _Polling:
    """The collector, running while the lease is held."""

    def __init__(
        self,
        settings: Settings,
        repo: Repository,
        now: Clock,
        started: Callable[[Collector], None] | None = None,
    ) -> None:
        self.settings = settings
        self.started = started
        self.repo = repo
        self.now = now
        self.gate: Callable[[], bool] | None = None
        self.runtime: Runtime | None = None
        self._turn = asyncio.Lock()
        self._warm = False

    @property
    def collector(self) -> Collector | None:
        return self.runtime.collector if self.runtime is not None else None

    async def start(self) -> None:
        async with self._turn:
            if self.runtime is not None:
                return
            runtime = await Runtime.start(
                self.settings,
                self.repo,
                self.now,
                kinds=("rates", "indicators"),
                gate=self.gate,
            )
            self.runtime = runtime
            names = ", ".join(runtime.collector.providers)
            where = describe_database(self.settings.database_url)
            log.info("collecting from %s into %s", names, where)
            if self.started is not None:
                self.started(runtime.collector)
            runtime.collector.start(Scheduler(self.now))

    def warm_up(self, _holder: object) -> None:
        """While standing by: load the collector's modules, so that taking over polls
        without waiting for imports."""
        if not self._warm:
            self._warm = True
            asyncio.get_running_loop().run_in_executor(None, _import_collector)

    async def stop(self, reason: str | None) -> None:
        """Stop polling: after the lease was lost (``reason``), at once; at the end
        (None), with the usual grace for rounds in flight."""
        async with self._turn:
            runtime, self.runtime = self.runtime, None
            if runtime is None:
                return
            if reason is None:
                await runtime.close()
            else:
                await runtime.close(LOST_GRACE, hook_grace=LOST_GRACE)


def _import_collector() -> None:
    import ticker.core.net
    import ticker.core.registry  # noqa: F401


async def _until_stopped(
    stop: asyncio.Event, polling: _Polling, now: Clock, give_up: timedelta
) -> StorageError | None:
    """Wait for ``stop``; or return the error of a store that has refused for too long."""
    check = min(max(give_up.total_seconds() / 10, 0.05), 30.0)
    while not stop.is_set():
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), check)
        collector = polling.collector
        if collector is None:
            continue
        watch = collector.store
        if watch.given_up(now(), give_up):
            minutes = give_up.total_seconds() / 60
            return StorageError(
                f"the store has refused every write for {minutes:g} min; stopping "
                f"(last: {watch.error})"
            )
    return None
