"""The ``ticker_rate`` gauges with ``[pairs] watch``: a gauge per watched pair beyond the
dollar, in its stored orientation (``RUB/TJS``), from its routed source (a cross: the
sources of its legs); the default ``[pairs]`` gives the dollar pairs alone, as before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from ticker.config import Settings, parse_config
from ticker.core.metrics.rates import RateWatch, store_reader
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = date(2026, 11, 25)


def o(provider: str, pair: str, rate: str) -> Observation:
    base, quote = pair.split("/")
    return Observation(provider, base, quote, DAY, Decimal(rate), False, NOW)


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 't.db'}"
    database = open_database(url)
    Repository(database).add_observations(
        [
            o("nbt", "USD/TJS", "9.2886"),
            o("cbr", "TJS/RUB", "8.7"),  # CBR's somoni: RUB/TJS from NBT wins
            o("nbt", "RUB/TJS", "0.1149"),
            o("nbkr", "USD/KGS", "87.45"),
            o("nbk", "USD/KZT", "478.77"),
            o("nbk", "EUR/KZT", "555.81"),
        ]
    )
    database.dispose()
    yield url


def settings(url: str, watch: list[str] | None) -> Settings:
    data: dict[str, object] = {"storage": {"url": url}}
    if watch is not None:
        data["pairs"] = {"watch": watch}
    return parse_config(data, "test")


def gauges(s: Settings) -> dict[str, dict[tuple[str, str], float]]:
    watch = RateWatch(store_reader(s, lambda: NOW))
    try:
        watch.request()
        assert watch.settle(10)
        return {
            family.name: {
                (sample.labels["pair"], sample.labels["source"]): sample.value
                for sample in family.samples
            }
            for family in watch.collect()
        }
    finally:
        watch.close()


def test_a_gauge_per_watched_pair(db_url: str) -> None:
    watched = ["KGS/USD", "KZT/USD", "TJS/RUB", "EUR/KZT", "KGS/KZT"]
    found = gauges(settings(db_url, watched))
    rates = found["ticker_rate"]
    assert rates == {
        ("USD/KGS", "nbkr"): 87.45,
        ("USD/KZT", "nbk"): 478.77,
        ("USD/TJS", "nbt"): 9.2886,
        ("RUB/TJS", "nbt"): 0.1149,  # stored orientation, whichever way it is watched
        ("EUR/KZT", "nbk"): 555.81,
        ("KZT/KGS", "nbk+nbkr"): pytest.approx(87.45 / 478.77),  # a cross: both legs
    }
    assert set(found["ticker_rate_stale"]) == set(rates)
    assert found["ticker_rate_stale"][("RUB/TJS", "nbt")] == 0.0


def test_without_pairs_the_dollar_pairs_alone(db_url: str) -> None:
    rates = gauges(settings(db_url, None))["ticker_rate"]
    assert rates == {("USD/KGS", "nbkr"): 87.45, ("USD/KZT", "nbk"): 478.77,
                     ("USD/TJS", "nbt"): 9.2886}  # fmt: skip
