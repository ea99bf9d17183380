"""A store and settings watching 20 pairs (the five against the dollar, then the rouble,
the euro, the yuan and crosses among the five): 40 days of each central bank's own rows,
as the dashboard tests of pairs beyond the dollar read them."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY
from tests.helpers.seeded import seed
from ticker.config import Settings, parse_config
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

WATCH = [
    "KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD",
    "RUB/TJS", "RUB/KGS", "RUB/UZS", "RUB/KZT", "RUB/TMT",
    "EUR/KGS", "EUR/KZT", "EUR/TJS", "EUR/UZS",
    "CNY/KGS", "CNY/KZT",
    "KZT/KGS", "UZS/TJS", "TJS/KGS", "TMT/UZS",
]  # fmt: skip
#: Each bank's own row of another currency (divided by its nominal), as published today.
OWN_ROWS = {
    ("nbt", "RUB/TJS"): "0.1149",
    ("nbkr", "RUB/KGS"): "1.1234",
    ("cbu", "RUB/UZS"): "151.93",
    ("nbk", "RUB/KZT"): "6.12",
    ("cbt", "RUB/TMT"): "0.0432",
    ("nbkr", "EUR/KGS"): "101.52",
    ("nbk", "EUR/KZT"): "555.81",
    ("nbt", "EUR/TJS"): "10.7851",
    ("cbu", "EUR/UZS"): "14152.37",
    ("nbkr", "CNY/KGS"): "12.0843",
    ("nbk", "CNY/KZT"): "66.21",
    ("nbkr", "KZT/KGS"): "0.1859",
}


def seed_pairs(repo: Repository) -> None:
    """The dollar history of :func:`tests.helpers.seeded.seed`, and 40 days of each own row."""
    seed(repo)
    fetched = NOW - timedelta(minutes=5)
    rows = []
    for (provider, text), start in OWN_ROWS.items():
        base, quote = text.split("/")
        for back in range(40, -1, -1):
            day = TODAY - timedelta(days=back)
            if provider in ("nbk", "cbu") and day.weekday() >= 5:
                continue
            step = Decimal(back % 5 - 2) / 500 if back else Decimal(0)
            rate = (Decimal(start) * (1 + step)).quantize(Decimal(start))
            rows.append(Observation(provider, base, quote, day, rate, False, fetched))
    repo.add_observations(rows)


def pairs_settings(tmp_path: Path, watch: list[str] = WATCH) -> Settings:
    """Settings watching ``watch`` on a seeded store under ``tmp_path``."""
    db = tmp_path / "pairs.db"
    database = open_database(f"sqlite:///{db}")
    seed_pairs(Repository(database))
    database.dispose()
    base = parse_config({"pairs": {"watch": watch}}, "config.toml")
    return dataclasses.replace(
        base, storage=dataclasses.replace(base.storage, url=f"sqlite:///{db}")
    )
