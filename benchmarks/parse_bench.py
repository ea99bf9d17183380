"""Parser throughput: each rate provider's latest poll replayed from its recorded sample
(through httpx's mock transport, so the figure includes one in-memory HTTP exchange per
request): observations parsed per second. A report, with no goal: a parser falling far
behind the others is the thing to look at.

The latest polls are small and bounded (one day of at most ~100 currencies). Only the
history responses grow with the request (a backfill asks for up to a year per request),
so those are where anything quadratic would hurt: each range source parses a response of
ten times the days, built in the recorded format, and the time per observation is
compared.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, date, datetime, timedelta

import httpx

from benchmarks.harness import Figure
from tests.helpers.scenarios import LATEST, make, serve
from ticker.config import RATE_PROVIDERS

START = date(2000, 1, 3)


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


def _comma(value: float) -> str:
    return f"{value:.4f}".replace(".", ",")


def _cbr_dynamic(days: int) -> httpx.MockTransport:
    """``XML_dynamic.asp`` as recorded (windows-1251, decimal commas), ``days`` records."""

    def reply(request: httpx.Request) -> httpx.Response:
        cbr_id = request.url.params["VAL_NM_RQ"]
        records = "".join(
            f'<Record Date="{(START + timedelta(days=i)).strftime("%d.%m.%Y")}" Id="{cbr_id}">'
            f"<Nominal>100</Nominal><Value>{_comma(15 + i % 97 / 100)}</Value></Record>"
            for i in range(days)
        )
        body = (
            '<?xml version="1.0" encoding="windows-1251"?>'
            f'<ValCurs ID="{cbr_id}" name="Foreign Currency Market Dynamic">{records}</ValCurs>'
        )
        return httpx.Response(200, content=body.encode("windows-1251"))

    return httpx.MockTransport(reply)


def _frankfurter_range(days: int) -> httpx.MockTransport:
    """``v2/rates?from=&to=`` as recorded: one object per day and quote."""
    rows = [
        {"date": (START + timedelta(days=i)).isoformat(), "base": "USD", "quote": q, "rate": r}
        for i in range(days)
        for q, r in (("KGS", 87.41), ("KZT", 481.2), ("TJS", 9.61), ("TMT", 3.5), ("UZS", 12310.07))
    ]
    body = json.dumps(rows).encode()
    return httpx.MockTransport(lambda _request: httpx.Response(200, content=body))


HISTORY = {"cbr": _cbr_dynamic, "frankfurter": _frankfurter_range}


async def _history_seconds_per_observation(name: str, days: int, repeats: int) -> float:
    provider = make(name, datetime(2030, 1, 1, tzinfo=UTC))
    best = float("inf")
    async with httpx.AsyncClient(transport=HISTORY[name](days)) as client:
        for _ in range(repeats):
            started = time.perf_counter()
            batch = await provider.fetch_history(client, START, START + timedelta(days=days))
            elapsed = time.perf_counter() - started
            assert len(batch.observations) >= days * 4, (name, len(batch.observations))
            best = min(best, elapsed / len(batch.observations))
    return best


def figures(seconds: float, small_days: int = 200, repeats: int = 3) -> list[Figure]:
    rates = {name: asyncio.run(_throughput(name, seconds)) for name in RATE_PROVIDERS}
    shown = ", ".join(f"{name} {rate:,.0f}" for name, (rate, _rounds) in rates.items())
    result = [Figure("parser throughput (observations/s)", shown, "report", True)]
    large_days = small_days * 10
    ratios = {}
    for name in HISTORY:
        small = asyncio.run(_history_seconds_per_observation(name, small_days, repeats))
        large = asyncio.run(_history_seconds_per_observation(name, large_days, repeats))
        ratios[name] = large / small
    result.append(
        Figure(
            f"history parsing, {large_days:,} vs {small_days:,} days per response: "
            "time per observation",
            ", ".join(f"{name} {ratio:.2f}x" for name, ratio in ratios.items()),
            "<= 1.5x, linear",
            all(r <= 1.5 for r in ratios.values()),
        )
    )
    return result
