"""The one place that wires the program: the store, the providers, the shared HTTP client
and the collector. ``ticker collect``, ``ticker poll`` and the dashboard all start here.

* :func:`open_store` opens the settings' store and brings config.toml's alert rules into
  it (listed with their stable ids), once per process;
* :class:`Runtime` builds the enabled providers, the client and the collector on an open
  store, and stops them in order (rounds in flight, then hooks, then the client).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ticker.config import Settings
from ticker.errors import UsageError
from ticker.i18n.words import _
from ticker.storage.repository import Repository, open_repository

if TYPE_CHECKING:  # the collector, the client and the providers load when one starts
    import httpx

    from ticker.core.collector import Collector

Clock = Callable[[], datetime]

#: Seconds a round in flight may take to finish after a stop request (then cancelled).
STOP_GRACE = 4.0


def open_store(settings: Settings, now: Clock, *, writes: bool = False) -> Repository:
    """The settings' store, with config.toml's alert rules in it. ``writes``: the caller
    is about to write (a damaged or read-only store is refused now). A read-only store
    is opened as it is: its rules are shown as stored."""
    repo = open_repository(settings, writes=writes)
    try:
        if not repo.db.read_only:
            repo.sync_config_rules(settings.alerts, settings.config_id, now())
    except BaseException:
        repo.db.dispose()
        raise
    return repo


@contextmanager
def opened(settings: Settings, now: Clock, *, writes: bool = False) -> Iterator[Repository]:
    """:func:`open_store` for a ``with`` block; its connections are closed after."""
    repo = open_store(settings, now, writes=writes)
    try:
        yield repo
    finally:
        repo.db.dispose()


@dataclass(slots=True)
class Runtime:
    """A collector on an open store, with its providers and client."""

    settings: Settings
    repo: Repository
    client: httpx.AsyncClient
    collector: Collector

    @classmethod
    async def start(
        cls,
        settings: Settings,
        repo: Repository,
        now: Clock,
        *,
        names: Sequence[str] | None = None,
        kinds: Sequence[str] = ("rates",),
        transport: httpx.AsyncBaseTransport | None = None,
        gate: Callable[[], bool] | None = None,
    ) -> Runtime:
        """Build the named providers (or every enabled one of ``kinds``) and a collector
        for them. The collector reads provider health from the store: in a thread, so
        that a dashboard's loop keeps drawing. Raises UsageError when no provider is
        enabled. ``gate``: the collector's (see :class:`~ticker.core.collector.Collector`)."""
        from ticker.core.collector import Collector
        from ticker.core.net import make_client
        from ticker.core.registry import build_providers

        providers = build_providers(settings, names, now=now, kinds=kinds)
        if not providers:
            raise UsageError(
                _("no rate provider is enabled; enable one in [providers] or use --provider")
            )
        client = make_client(transport)
        try:
            collector = await asyncio.to_thread(
                lambda: Collector(settings, repo, providers, client, now=now, gate=gate)
            )
        except BaseException:
            await client.aclose()
            raise
        return cls(settings, repo, client, collector)

    async def close(self, grace: float = STOP_GRACE, hook_grace: float | None = None) -> None:
        """Stop: rounds in flight get ``grace`` seconds, hooks ``hook_grace`` (default:
        their own time limit), then the client closes."""
        if hook_grace is None:
            hook_grace = self.settings.collector.hook_timeout.total_seconds()
        try:
            await self.collector.stop(grace, hook_grace)
        finally:
            await self.client.aclose()


@asynccontextmanager
async def running(
    settings: Settings,
    repo: Repository,
    now: Clock,
    *,
    names: Sequence[str] | None = None,
    kinds: Sequence[str] = ("rates",),
    grace: float = STOP_GRACE,
) -> AsyncIterator[Runtime]:
    """:meth:`Runtime.start` for a ``with`` block, closed after it."""
    runtime = await Runtime.start(settings, repo, now, names=names, kinds=kinds)
    try:
        yield runtime
    finally:
        await runtime.close(grace)
