"""A store seeded with 40 days of history of every official source (the dashboard and
the snapshot tests)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY
from ticker.config import Settings
from ticker.model.health import HealthState, ProviderHealth
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
