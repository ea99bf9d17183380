"""Poll round: every rate provider at once against a local server that answers each request
after 100 ms, against the slowest provider's fetch on its own (some sources need two
requests). Concurrency means the round costs about the slowest source, not their sum.

The server runs in a process of its own, as a real feed would: in the benchmark's process
its threads would take the GIL from the collector being measured."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

from benchmarks.harness import Figure
from tests.helpers.e2e import cbt_route, e2e_clock
from tests.helpers.feedserver import FeedServer
from ticker.config import RATE_PROVIDERS, Settings
from ticker.core.collector import Collector
from ticker.core.registry import build_providers
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

LATENCY = 0.1


def _serve(conn: Connection, latency: float) -> None:
    """The child process: serve the recorded feeds until told to stop."""
    with FeedServer(cbt_route, latency=latency).running() as server:
        conn.send(server.base_url(""))
        conn.recv()


@contextmanager
def feed_server_apart(latency: float) -> Iterator[str]:
    """The feed server in another process; yields its root URL (``http://host:port/``)."""
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(theirs, latency), daemon=True
    )
    process.start()
    try:
        if not ours.poll(30):
            raise RuntimeError("the feed server did not start")
        yield str(ours.recv())
    finally:
        ours.send("stop")
        process.join(10)
        if process.is_alive():
            process.kill()


def _settings(root: str, db: Path) -> Settings:
    base = Settings()
    providers = {
        name: dataclasses.replace(conf, base_url=root + name)
        for name, conf in base.providers.items()
    }
    storage = dataclasses.replace(base.storage, url=f"sqlite:///{db}")
    return dataclasses.replace(base, providers=providers, storage=storage)


async def _alone(settings: Settings, name: str) -> float:
    (provider,) = build_providers(settings, [name], now=e2e_clock)
    async with httpx.AsyncClient() as client:
        started = time.perf_counter()
        await provider.fetch(client)
        return time.perf_counter() - started


async def _round(settings: Settings, repo: Repository) -> float:
    providers = build_providers(settings, list(RATE_PROVIDERS), now=e2e_clock)
    async with httpx.AsyncClient() as client:
        collector = Collector(settings, repo, providers, client, now=e2e_clock)
        started = time.perf_counter()
        outcomes = await collector.poll_all()
        elapsed = time.perf_counter() - started
    failed = [o.provider for o in outcomes if not o.ok]
    if failed:
        raise RuntimeError(f"poll round failed for {failed}")
    return elapsed


def figures(repeats: int) -> list[Figure]:
    # The recorded feeds include a value the sanity checks quarantine: the collector's
    # warning about it is not a figure.
    quiet = logging.getLogger("ticker")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return _figures(repeats)
    finally:
        quiet.setLevel(level)


def _figures(repeats: int) -> list[Figure]:
    with feed_server_apart(LATENCY) as root, tempfile.TemporaryDirectory() as tmp:
        settings = _settings(root, Path(tmp) / "t.db")
        slowest = max(
            min(asyncio.run(_alone(settings, name)) for _ in range(repeats))
            for name in RATE_PROVIDERS
        )
        db = open_database(settings.database_url)
        try:
            repo = Repository(db)
            round_time = min(asyncio.run(_round(settings, repo)) for _ in range(repeats))
        finally:
            db.dispose()
    ratio = round_time / slowest
    return [
        Figure(
            f"poll round of {len(RATE_PROVIDERS)} providers ({LATENCY * 1000:.0f} ms per request)",
            f"{ratio:.2f}x the slowest provider alone ({round_time * 1000:.0f} vs "
            f"{slowest * 1000:.0f} ms)",
            "<= 1.3x",
            ratio <= 1.3,
        )
    ]
