"""Parser throughput: each rate provider's latest poll replayed from its recorded sample
(through httpx's mock transport, so the figure includes one in-memory HTTP exchange per
request): observations parsed per second. A report, with no goal: a parser falling far
behind the others is the thing to look at."""

from __future__ import annotations

import asyncio
import time

import httpx

from benchmarks.harness import Figure
from tests.providers.scenarios import LATEST, make, serve
from ticker.config import RATE_PROVIDERS


async def _throughput(name: str, seconds: float) -> tuple[float, int]:
    scenario = LATEST[name]
    provider = make(name, scenario.now)
    parsed = rounds = 0
    async with httpx.AsyncClient(transport=httpx.MockTransport(serve(scenario))) as client:
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            batch = await provider.fetch(client)
            parsed += len(batch.observations)
            rounds += 1
        elapsed = time.perf_counter() - started
    return parsed / elapsed, rounds


def figures(seconds: float) -> list[Figure]:
    rates = {name: asyncio.run(_throughput(name, seconds)) for name in RATE_PROVIDERS}
    shown = ", ".join(f"{name} {rate:,.0f}" for name, (rate, _rounds) in rates.items())
    return [Figure("parser throughput (observations/s)", shown, "report", True)]
