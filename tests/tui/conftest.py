from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from ticker.config import Settings
from ticker.health import ProviderHealth
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

#: The fixed clock of every dashboard test: Monday 23 November 2026, 09:00 UTC.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = NOW.date()

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
            "failing",
            NOW,
            NOW - timedelta(days=2),
            "timed out after 20s",
            3,
            NOW + timedelta(hours=2),
        )
    )
    for name in ("nbkr", "nbk", "nbt", "cbu", "cbr"):
        repo.save_health(ProviderHealth(name, "ok", NOW, NOW, None, 0, NOW + timedelta(minutes=30)))


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


def repo_for(settings: Settings) -> Repository:
    return Repository(open_database(settings.database_url))
