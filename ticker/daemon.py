"""``ticker collect``: the collector without a dashboard, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal

from ticker.clock import Clock, system_now
from ticker.collector import Collector
from ticker.config import Settings, describe_database
from ticker.net import make_client
from ticker.registry import build_providers
from ticker.scheduler import Scheduler
from ticker.storage.repository import open_repository

log = logging.getLogger("ticker.collect")

#: Seconds a round in flight may take to finish after a stop request (then cancelled).
STOP_GRACE = 4.0


async def collect(
    settings: Settings, stop: asyncio.Event | None = None, now: Clock = system_now
) -> None:
    """Poll every enabled provider on its schedule until ``stop`` is set (or a signal)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    repo = open_repository(settings, writes=True)
    providers = build_providers(settings, kinds=("rates", "indicators"), now=now)
    try:
        async with make_client() as client:
            collector = Collector(settings, repo, providers, client, now=now)
            names = ", ".join(p.NAME for p in providers)
            log.info("collecting from %s into %s", names, describe_database(settings.database_url))
            collector.start(Scheduler())
            await stop.wait()
            log.info("stopping")
            # A hook already started may finish within its own time limit.
            await collector.stop(STOP_GRACE, settings.collector.hook_timeout.total_seconds())
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        repo.db.dispose()
    log.info("stopped")
