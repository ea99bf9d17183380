"""Poll round: every rate provider at once against a local server that answers each request
after 100 ms, against the slowest provider's fetch on its own (some sources need two
requests). Concurrency means the round costs about the slowest source, not their sum."""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.harness import Figure
from tests.feedserver import FeedServer
from tests.test_poll_export import cbt_route
from ticker.collector import Collector
from ticker.config import RATE_PROVIDERS, Settings
from ticker.registry import build_providers
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

LATENCY = 0.1


def _settings(server: FeedServer, db: Path) -> Settings:
    base = Settings()
    providers = {
        name: dataclasses.replace(conf, base_url=server.base_url(name))
        for name, conf in base.providers.items()
    }
    storage = dataclasses.replace(base.storage, url=f"sqlite:///{db}")
    return dataclasses.replace(base, providers=providers, storage=storage)


async def _alone(settings: Settings, name: str) -> float:
    (provider,) = build_providers(settings, [name])
    async with httpx.AsyncClient() as client:
        started = time.perf_counter()
        await provider.fetch(client)
        return time.perf_counter() - started


async def _round(settings: Settings, repo: Repository) -> float:
    providers = build_providers(settings, list(RATE_PROVIDERS))
    async with httpx.AsyncClient() as client:
        collector = Collector(settings, repo, providers, client)
        started = time.perf_counter()
        outcomes = await collector.poll_all()
        elapsed = time.perf_counter() - started
    failed = [o.provider for o in outcomes if not o.ok]
    if failed:
        raise RuntimeError(f"poll round failed for {failed}")
    return elapsed


def figures(repeats: int) -> list[Figure]:
    with (
        FeedServer(cbt_route, latency=LATENCY).running() as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        settings = _settings(server, Path(tmp) / "t.db")
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
