"""Backfill: a year of every rate source with history, through the code ``ticker backfill``
runs (:class:`ticker.core.backfill.Backfill`, the providers a backfill builds, the shared
client), against a local server that answers each request after 100 ms from the sources'
recordings (:mod:`benchmarks.history_feeds`), with the pacing a user gets by default
(each source's ``backfill_delay`` and ``backfill_concurrency``).

The figures: the requests and seconds of the whole backfill, each source's requests (and
whether the plan's estimate said so), and NBT's, which reads a year through its range
export in one request per currency instead of one a day.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

from benchmarks.feeds import feed_server_apart, pointed_settings
from benchmarks.harness import Figure
from benchmarks.history_feeds import history_route
from providers.base import History
from tests.helpers.e2e import e2e_clock
from ticker.config import Settings
from ticker.core.backfill import Backfill
from ticker.core.backfill_plan import a_year_back
from ticker.core.backfill_progress import ProviderProgress
from ticker.core.net import make_client
from ticker.core.registry import build_providers
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

LATENCY = 0.1
#: A year of NBT, one request a day, before its range export was read.
NBT_DAILY = 366
#: The whole year's backfill before (issue 32: NBT, NBK, CBU, CBT and currencyapi a
#: request a day).
BEFORE = 1_583


@dataclass(slots=True)
class Traffic:
    """Each source's requests, and when its first began and its last ended."""

    requests: Counter[str] = field(default_factory=Counter)
    first: dict[str, float] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)

    async def sent(self, request: httpx.Request) -> None:
        source = request.url.path.split("/")[1]
        self.requests[source] += 1
        self.first.setdefault(source, time.perf_counter())

    async def answered(self, response: httpx.Response) -> None:
        self.last[response.request.url.path.split("/")[1]] = time.perf_counter()

    def seconds(self, source: str) -> float:
        return self.last.get(source, 0.0) - self.first.get(source, 0.0)


async def _backfill(
    settings: Settings, since: date, until: date, traffic: Traffic
) -> tuple[float, dict[str, ProviderProgress]]:
    # As ``ticker backfill`` builds them: the enabled rate sources, no board references.
    providers = build_providers(settings, now=e2e_clock, references=False)
    db = open_database(settings.database_url)
    try:
        async with make_client() as client:
            client.event_hooks = {"request": [traffic.sent], "response": [traffic.answered]}
            job = Backfill(Repository(db), client, settings, providers, since, until, now=e2e_clock)
            started = time.perf_counter()
            progress = await job.run()
            elapsed = time.perf_counter() - started
    finally:
        db.dispose()
    failed = {name: p.failures[:2] for name, p in progress.items() if p.failures}
    if failed:
        raise RuntimeError(f"the backfill failed: {failed}")
    return elapsed, progress


def figures(days: int | None = None, latency: float = LATENCY) -> list[Figure]:
    """A year's backfill (``days``: that many days instead, the smoke test's few) with
    ``latency`` seconds per request."""
    quiet = logging.getLogger("ticker")  # a recorded value the sanity checks hold back
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return _figures(days, latency)
    finally:
        quiet.setLevel(level)


def _figures(days: int | None, latency: float) -> list[Figure]:
    until = e2e_clock().date()
    since = a_year_back(until) if days is None else until - timedelta(days=days - 1)
    traffic = Traffic()
    with feed_server_apart(latency, history_route) as root, tempfile.TemporaryDirectory() as tmp:
        settings = pointed_settings(root, Path(tmp) / "t.db")
        elapsed, progress = asyncio.run(_backfill(settings, since, until, traffic))
    asked = {n: p for n, p in progress.items() if traffic.requests[n]}
    total = sum(traffic.requests.values())
    estimated = all(p.requests == traffic.requests[n] for n, p in asked.items())
    slowest = max(asked, key=traffic.seconds)
    conf = settings.providers
    pacing = ", ".join(
        f"{n} {conf[n].backfill_delay.total_seconds():g} s"
        + (f" x{conf[n].backfill_concurrency}" if conf[n].backfill_concurrency > 1 else "")
        for n in asked
    )
    pauses = (  # a pause between two requests
        (traffic.requests[slowest] - 1)
        * conf[slowest].backfill_delay.total_seconds()
        / conf[slowest].backfill_concurrency
    )
    breakdown = ", ".join(
        f"{n} {traffic.requests[n]}" + (" range" if p.total and _ranged(n) else "")
        for n, p in asked.items()
    )
    span = f"{(until - since).days + 1} days"
    nbt = traffic.requests["nbt"]
    nbt_line = (
        f"{nbt} requests in {traffic.seconds('nbt'):.2f} s ({NBT_DAILY} for a year at a "
        "request a day, its snapshots)"
    )
    year = days is None
    return [
        Figure(
            f"backfill of {span}, {len(asked)} rate sources ({latency * 1000:.0f} ms per request, "
            "default pacing)",
            f"{total} requests in {elapsed:.1f} s ({breakdown}; the plan's estimate "
            f"{'said so' if estimated else 'DIFFERED'}); pacing {pacing}; the slowest, "
            f"{slowest}, {traffic.seconds(slowest):.0f} s, {pauses:.0f} s of it its pauses",
            f"< {BEFORE:,} requests for a year, each estimated right"
            if year
            else "estimated right",
            estimated and (total < BEFORE or not year),
        ),
        Figure(
            f"NBT backfill of {span} ({latency * 1000:.0f} ms per request)",
            nbt_line,
            "<= 8 requests",
            0 < nbt <= 8,
        ),
    ]


def _ranged(name: str) -> bool:
    from ticker.core.registry import load_provider

    return load_provider(name).HISTORY is History.RANGE
