"""Poll round: every rate provider at once against a local server that answers each request
after 100 ms, against the slowest provider's fetch on its own (some sources need two
requests). Concurrency means the round costs about the slowest source, not their sum.
The same round with 20 watched pairs (:data:`benchmarks.pairs_store.WATCH`: the rouble,
euro and yuan against the five, two crosses) must cost the same: the banks' same files
are read, with no more requests than the dollar pairs alone.

The server runs in a process of its own, as a real feed would (:mod:`benchmarks.feeds`)."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.feeds import feed_server_apart, pointed_settings
from benchmarks.harness import Figure
from tests.helpers.e2e import cbt_route, e2e_clock
from ticker.config import RATE_PROVIDERS, Settings
from ticker.core.collector import Collector
from ticker.core.registry import build_providers
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

LATENCY = 0.1


async def _alone(settings: Settings, name: str) -> float:
    (provider,) = build_providers(settings, [name], now=e2e_clock)
    async with httpx.AsyncClient() as client:
        started = time.perf_counter()
        await provider.fetch(client)
        return time.perf_counter() - started


async def _round(settings: Settings, repo: Repository, asked: list[str] | None = None) -> float:
    """One round of every rate provider; ``asked`` gets each request's URL."""
    providers = build_providers(settings, list(RATE_PROVIDERS), now=e2e_clock)

    async def count(request: httpx.Request) -> None:
        if asked is not None:
            asked.append(str(request.url))

    async with httpx.AsyncClient(event_hooks={"request": [count]}) as client:
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
    from benchmarks.pairs_store import WATCH

    with feed_server_apart(LATENCY, cbt_route) as root, tempfile.TemporaryDirectory() as tmp:
        settings = pointed_settings(root, Path(tmp) / "t.db")
        slowest = max(
            min(asyncio.run(_alone(settings, name)) for _ in range(repeats))
            for name in RATE_PROVIDERS
        )
        rounds: dict[str, tuple[float, int]] = {}
        for name, watch in (("dollar", ()), ("pairs", WATCH)):
            db_path = Path(tmp) / f"{name}.db"
            these = pointed_settings(root, db_path, watch)
            db = open_database(these.database_url)
            try:
                repo = Repository(db)
                asked: list[str] = []
                best = min(asyncio.run(_round(these, repo, asked)) for _ in range(repeats))
                rounds[name] = (best, len(asked) // repeats)
            finally:
                db.dispose()
    (round_time, requests), (pairs_time, pairs_requests) = rounds["dollar"], rounds["pairs"]
    ratio, pairs_ratio = round_time / slowest, pairs_time / slowest
    return [
        Figure(
            f"poll round of {len(RATE_PROVIDERS)} providers ({LATENCY * 1000:.0f} ms per request)",
            f"{ratio:.2f}x the slowest provider alone ({round_time * 1000:.0f} vs "
            f"{slowest * 1000:.0f} ms)",
            "<= 1.3x",
            ratio <= 1.3,
        ),
        Figure(
            f"poll round with {len(WATCH)} watched pairs ({LATENCY * 1000:.0f} ms per request)",
            f"{pairs_ratio:.2f}x the slowest provider alone ({pairs_time * 1000:.0f} vs "
            f"{slowest * 1000:.0f} ms; {pairs_requests} requests, {requests} for the dollar "
            "pairs alone)",
            "<= 1.3x, no more requests",
            pairs_ratio <= 1.3 and pairs_requests <= requests,
        ),
    ]
