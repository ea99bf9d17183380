"""``ticker collect``: the collector without a dashboard, until SIGINT or SIGTERM."""

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
from ticker.core.runtime import open_store, running
from ticker.core.scheduler import Scheduler
from ticker.errors import StorageError

log = logging.getLogger("ticker.collect")


async def collect(
    settings: Settings,
    stop: asyncio.Event | None = None,
    now: Clock = system_now,
    give_up: timedelta = STORE_GIVE_UP,
    started: Callable[[Collector], None] | None = None,
) -> None:
    """Poll every enabled provider on its schedule until ``stop`` is set (or a signal).

    Raises :class:`StorageError` when the store has refused every call for ``give_up``
    (a collector that stores nothing must not look alive to a service manager).
    ``started`` is called with the collector before its first poll (the metrics).
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    failure: StorageError | None = None
    try:
        repo = open_store(settings, now, writes=True)
        try:
            async with running(settings, repo, now, kinds=("rates", "indicators")) as runtime:
                collector = runtime.collector
                names = ", ".join(collector.providers)
                where = describe_database(settings.database_url)
                log.info("collecting from %s into %s", names, where)
                if started is not None:
                    started(collector)
                collector.start(Scheduler(now))
                failure = await _until_stopped(stop, collector, now, give_up)
                log.info("stopping")  # a hook already started may finish within its limit
        finally:
            repo.db.dispose()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    log.info("stopped")
    if failure is not None:
        raise failure


async def _until_stopped(
    stop: asyncio.Event, collector: Collector, now: Clock, give_up: timedelta
) -> StorageError | None:
    """Wait for ``stop``; or return the error of a store that has refused for too long."""
    check = min(max(give_up.total_seconds() / 10, 0.05), 30.0)
    while not stop.is_set():
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), check)
        watch = collector.store
        if watch.given_up(now(), give_up):
            minutes = give_up.total_seconds() / 60
            return StorageError(
                f"the store has refused every write for {minutes:g} min; stopping "
                f"(last: {watch.error})"
            )
    return None
