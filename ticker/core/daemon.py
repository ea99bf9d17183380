"""``ticker collect``: the collector without a dashboard, until SIGINT, SIGTERM or SIGHUP
(the terminal it ran in closed): each stops it cleanly, the lease released.

It polls only while it holds the store's lease (:mod:`ticker.core.polling`): a second
collector on the same store stands by, and takes over when the first one dies.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta

from ticker.config import POLLED_KINDS, Settings, describe_database
from ticker.core.clock import Clock, system_now
from ticker.core.collector import Collector
from ticker.core.polling import LeasedCollector
from ticker.core.runtime import open_store
from ticker.core.store_watch import STORE_GIVE_UP
from ticker.errors import StorageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _

log = logging.getLogger("ticker.collect")

#: What stops the collector cleanly (a poll in flight may finish, the lease is released).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


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
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    failure: StorageError | None = None

    def collecting(collector: Collector) -> None:
        names = ", ".join(collector.providers)
        said = _("collecting from {sources} into {store}")
        log.info("%s", said.format(sources=names, store=describe_database(settings.database_url)))
        if started is not None:
            started(collector)

    try:
        repo = open_store(settings, now, writes=True)
        try:
            polling = LeasedCollector(
                settings,
                repo,
                now,
                polled=[name for kind in POLLED_KINDS for name in settings.enabled_providers(kind)],
                started=collecting,
                ended=lambda _error: stop.set(),  # a refused lease ends it
            )
            try:
                await polling.start()
                failure = await _until_stopped(stop, polling, now, give_up)
                log.info("%s", _("stopping"))  # a hook already started may finish within its limit
            finally:
                await polling.close()
            if polling.error is not None:
                raise polling.error
        finally:
            repo.db.dispose()
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
    log.info("%s", _("stopped"))
    if failure is not None:
        raise failure


async def _until_stopped(
    stop: asyncio.Event, polling: LeasedCollector, now: Clock, give_up: timedelta
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
            said = _(
                "the store has refused every write for {minutes} min; stopping (last: {error})"
            )
            return StorageError(said.format(minutes=localised(f"{minutes:g}"), error=watch.error))
    return None
