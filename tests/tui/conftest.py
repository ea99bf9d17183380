from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from providers.base import ProviderOptions
from tests.helpers.dashboard import NOW
from tests.helpers.seeded import seed, settings_for
from ticker.config import Settings
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


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
