"""Recorded responses for every provider's latest poll, and how to replay them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from providers.base import Batch, Provider, ProviderOptions
from ticker.core.registry import load_provider

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers"
BASE = "https://feeds.example"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass(frozen=True)
class Scenario:
    """A provider's latest poll: the clock, and each request it must make with its reply."""

    now: datetime
    routes: Mapping[str, tuple[dict[str, str], str | None]]
    """path -> (exact query parameters, fixture file; None: 404, not published yet)."""
    headers: Mapping[str, str] = field(default_factory=dict)


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


LATEST: dict[str, Scenario] = {
    "nbkr": Scenario(
        at(2026, 5, 22, 13),
        {
            "/XML/daily.xml": ({}, "nbkr/daily.xml_fetched-2026-05-22_Date-23.05.2026.xml"),
            "/XML/weekly.xml": ({}, "nbkr/weekly.xml_fetched-2026-05-23_Date-23.05.2026.xml"),
        },
    ),
    "nbk": Scenario(
        at(2026, 3, 31, 12),  # 17:00 in Almaty: the next day's rate is out
        {"/rss/get_rates.cfm": ({"fdate": "01.04.2026"}, "nbk/get_rates.cfm_fdate_01.04.2026.xml")},
    ),
    "nbt": Scenario(
        at(2026, 5, 18),
        {
            "/en/kurs/export_xml.php": (
                {"date": "2026-05-18", "export": "xmlout"},
                "nbt/export_xml_2026-05-18.xml",
            )
        },
    ),
    "cbu": Scenario(
        at(2026, 4, 1),
        {"/en/arkhiv-kursov-valyut/json/": ({}, "cbu/json_all_2026-04-01.json")},
    ),
    "cbt": Scenario(
        at(2026, 5, 20),
        {
            # 14:00 in Ashgabat: tomorrow's file (out about 15:30) is not there yet.
            "/kurs/2026/21052026.xml": ({}, None),
            "/kurs/2026/20052026.xml": ({}, "cbt/kurs_2026_20052026.xml"),
        },
    ),
    "cbr": Scenario(
        at(2026, 4, 26, 22),
        {"/scripts/XML_daily.asp": ({}, "cbr/XML_daily_latest_2026-04-25.xml")},
    ),
    "frankfurter": Scenario(
        at(2026, 5, 22),
        {
            "/v2/rates": (
                {"base": "USD", "quotes": "KGS,KZT,TJS,UZS,TMT"},
                "frankfurter/rates_latest.json",
            )
        },
    ),
    "erapi": Scenario(at(2026, 5, 23, 3), {"/v6/latest/USD": ({}, "erapi/latest_USD.json")}),
    "currencyapi": Scenario(
        at(2026, 5, 23, 3),
        {
            "/npm/@fawazahmed0/currency-api@latest/v1/currencies/usd.json": (
                {},
                "currencyapi/usd_latest.json",
            )
        },
    ),
}


class Recorder:
    """A MockTransport handler that serves routes and records every request."""

    def __init__(self, reply: Callable[[httpx.Request], httpx.Response]) -> None:
        self.reply = reply
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.reply(request)


def serve(scenario: Scenario) -> Recorder:
    def reply(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        assert path in scenario.routes, f"unexpected request {request.url}"
        params, name = scenario.routes[path]
        assert dict(request.url.params) == params, f"params of {request.url}"
        if name is None:
            return httpx.Response(404, content=b"Not Found")
        return httpx.Response(200, content=fixture(name))

    return Recorder(reply)


def make(
    name: str,
    now: datetime,
    base: str = BASE,
    fallback_url: str = "",
    indicators: tuple[str, ...] = (),
) -> Provider:
    options = ProviderOptions(fallback_url=fallback_url, indicators=indicators)
    return load_provider(name)(base, 5.0, lambda: now, options)


def run(
    provider: Provider,
    handler: Callable[[httpx.Request], httpx.Response],
    method: str = "fetch",
    *args: Any,
) -> Batch:
    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            result: Batch = await getattr(provider, method)(client, *args)
            return result

    return asyncio.run(go())
