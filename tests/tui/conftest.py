from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation, ProviderOptions
from tests.helpers.dashboard import NOW, TODAY
from ticker.config import Settings
from ticker.model.health import HealthState, ProviderHealth
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

OFFICIAL = {
    "KGS": ("nbkr", "87.45"),
    "KZT": ("nbk", "478.77"),
    "TJS": ("nbt", "9.3450"),
    "UZS": ("cbu", "12194.21"),
    "TMT": ("cbt", "3.50"),
}


def seed(repo: Repository) -> None:
    """40 days of deterministic history for each official source, plus CBR crosses."""
    fetched = NOW - timedelta(minutes=5)
    rows = []
    for code, (provider, start) in OFFICIAL.items():
        value = Decimal(start)
        for back in range(40, -1, -1):
            day = TODAY - timedelta(days=back)
            if provider in ("nbk", "cbu") and day.weekday() >= 5:
                continue
            # A small weekly wave; the latest fixing is exactly the published start value.
            step = Decimal(back % 7 - 3) / 1000 if code != "TMT" and back else Decimal(0)
            rate = (Decimal(start) * (1 + step)).quantize(Decimal(start))
            rows.append(Observation(provider, "USD", code, day, rate, False, fetched))
            value = rate
        rows.append(Observation("cbr", "USD", code, TODAY, value, True, fetched))
    repo.add_observations(rows)
    repo.save_health(
        ProviderHealth(
            "cbt",
            HealthState.FAILING,
            NOW,
            NOW - timedelta(days=2),
            "timed out after 20s",
            3,
            NOW + timedelta(hours=2),
        )
    )
    for name in ("nbkr", "nbk", "nbt", "cbu", "cbr"):
        repo.save_health(
            ProviderHealth(name, HealthState.OK, NOW, NOW, None, 0, NOW + timedelta(minutes=30))
        )


def settings_for(db: Path) -> Settings:
    base = Settings()
    return dataclasses.replace(
        base, storage=dataclasses.replace(base.storage, url=f"sqlite:///{db}")
    )


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Settings]:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    seed(Repository(database))
    database.dispose()
    yield settings_for(db)


@pytest.fixture
def empty(tmp_path: Path) -> Settings:
    return settings_for(tmp_path / "empty.db")


def seed_indicators(repo: Repository) -> None:
    """The indicator fixtures (documented shapes) as the collector would store them."""
    import asyncio

    import httpx

    from providers.imf import IMF
    from providers.worldbank import WorldBank

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "indicators"

    def answer(request: httpx.Request) -> httpx.Response:
        if "NGDP_RPCH" in request.url.path:
            return httpx.Response(200, content=(fixtures / "imf_ngdp_rpch.json").read_bytes())
        page = request.url.params["page"]
        return httpx.Response(200, content=(fixtures / f"worldbank_cpi_p{page}.json").read_bytes())

    async def fetch() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            for provider in (
                WorldBank(
                    "https://wb.test",
                    now=lambda: NOW,
                    options=ProviderOptions(indicators=("FP.CPI.TOTL.ZG",)),
                ),
                IMF(
                    "https://imf.test",
                    now=lambda: NOW,
                    options=ProviderOptions(indicators=("NGDP_RPCH",)),
                ),
            ):
                repo.store_indicators((await provider.fetch(client)).indicators)

    asyncio.run(fetch())


@pytest.fixture
def with_indicators(seeded: Settings) -> Settings:
    """The seeded store plus indicators; only the two fetched indicators configured."""
    database = open_database(seeded.database_url)
    seed_indicators(Repository(database))
    database.dispose()
    providers = dict(seeded.providers)
    providers["worldbank"] = dataclasses.replace(
        providers["worldbank"], indicators=("FP.CPI.TOTL.ZG",)
    )
    providers["imf"] = dataclasses.replace(providers["imf"], indicators=("NGDP_RPCH",))
    return dataclasses.replace(seeded, providers=providers)
