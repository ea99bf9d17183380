"""The collector polls the monetary sources like any other: against their recorded
answers on the local feed server, its log says each round, its metrics count the
values stored, and a second round adds nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import datetime

import pytest

from tests.helpers.feedserver import FeedServer
from tests.helpers.monetary_feeds import MONETARY_NAMES, MONETARY_NOW, MonetaryFeeds
from ticker.config import Settings
from ticker.core.collector import Collector, PollOutcome
from ticker.core.metrics import build_metrics
from ticker.core.metrics.rates import Reading
from ticker.core.net import make_client
from ticker.core.registry import build_providers
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

ADDED = {"nbk-data": 51, "imf-sdmx": 52, "cbu-policy": 156, "siat": 27}


def clock() -> datetime:
    return MONETARY_NOW


def settings_for(server: FeedServer, db_url: str) -> Settings:
    base = Settings()
    providers = {
        name: dataclasses.replace(base.providers[name], base_url=server.base_url(name))
        for name in MONETARY_NAMES
    }
    return dataclasses.replace(
        base,
        storage=dataclasses.replace(base.storage, url=db_url),
        providers={**base.providers, **providers},
        collector=dataclasses.replace(base.collector, retries=1),
    )


def test_two_rounds_are_logged_counted_and_stored_once(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    feeds = MonetaryFeeds()
    database = open_database(db_url)
    metrics = build_metrics(Reading(lambda: (), lambda: None))
    with FeedServer(feeds).running() as server:
        settings = settings_for(server, db_url)

        async def main() -> list[list[PollOutcome]]:
            async with make_client() as client:
                providers = build_providers(settings, list(MONETARY_NAMES), now=clock)
                repo = Repository(database)
                collector = Collector(settings, repo, providers, client, now=clock)
                metrics.attach(collector)
                rounds = [await collector.poll_all()]
                feeds.failing = {"siat"}
                rounds.append(await collector.poll_all())
                return rounds

        try:
            with caplog.at_level(logging.INFO, logger="ticker.collector.polls"):
                first, second = asyncio.run(main())
            points = Repository(database).indicator_points()
            health = Repository(database).load_health()
        finally:
            metrics.close()
            database.dispose()

    assert {o.provider: o.result.indicators_added for o in first if o.result} == ADDED
    assert all(o.ok for o in first)
    assert {o.provider: o.ok for o in second} == {
        "nbk-data": True,
        "imf-sdmx": True,
        "cbu-policy": True,
        "siat": False,
    }
    assert sum(o.result.indicators_added for o in second if o.result) == 0
    assert len(points) == sum(ADDED.values())  # the failed round lost nothing
    assert health["siat"].state == "unstable" and "503" in (health["siat"].last_error or "")

    logged = [r.getMessage() for r in caplog.records if r.name == "ticker.collector.polls"]
    nbk = [line for line in logged if line.startswith("nbk-data: ")]
    assert len(nbk) == 2
    assert "51 indicator values in " in nbk[0] and ": 51 new, 0 revised, 0 unchanged" in nbk[0]
    assert ": 0 new, 0 revised, 51 unchanged" in nbk[1]
    assert any(line.startswith("siat: poll failed in ") and "503" in line for line in logged)

    registry = metrics.registry

    def sample(name: str, **labels: str) -> float | None:
        return registry.get_sample_value(name, labels)

    for name, added in ADDED.items():
        assert sample("ticker_indicator_values_stored_total", provider=name) == added
        assert sample("ticker_rows_stored_total", provider=name) is None  # no rates
    assert sample("ticker_polls_total", provider="siat", outcome="failed") == 1
    assert sample("ticker_polls_total", provider="nbk-data", outcome="ok") == 2
