"""A store for 20 watched pairs (issue 28) with a year of history each: the five against
the dollar from all nine providers (:mod:`benchmarks.store`), and for the other fifteen
what their sources publish every day: each local bank's own ``F/L`` and its neighbours'
currencies, the Bank of Russia's ``X/RUB``, the aggregators' ``USD/EUR|RUB|CNY``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from benchmarks.store import FETCHED, LAST_DAY, LOCALS, PROVIDERS, observations
from providers.base import Observation
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

#: The 20 watched pairs: the five against the dollar, then fifteen others.
WATCH = (
    "KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD",
    "RUB/KGS", "RUB/KZT", "RUB/TJS", "RUB/UZS", "RUB/TMT",
    "EUR/KGS", "EUR/KZT", "EUR/TJS", "EUR/UZS", "EUR/TMT",
    "CNY/KGS", "CNY/KZT", "CNY/UZS", "KZT/KGS", "UZS/TJS",
)  # fmt: skip
BANK = {"KGS": "nbkr", "KZT": "nbk", "TJS": "nbt", "UZS": "cbu", "TMT": "cbt"}
PER_USD = {"USD": 1, "KGS": 87, "KZT": 478, "TJS": 9, "UZS": 12194, "TMT": 3.5, "EUR": 0.86,
           "RUB": 80, "CNY": 7.1}  # fmt: skip


def config_text() -> str:
    return "[pairs]\nwatch = [" + ", ".join(f'"{p}"' for p in WATCH) + "]\n"


def pair_observations(days: int) -> list[Observation]:
    """``days`` days of every series the fifteen other pairs are routed from."""
    rows = observations(days * len(PROVIDERS) * len(LOCALS))
    first = LAST_DAY - timedelta(days=days - 1)
    for d in range(days):
        day = first + timedelta(days=d)
        wiggle = Decimal(1) + Decimal((d * 37) % 100).scaleb(-4)

        def rate(base: str, quote: str, wiggle: Decimal = wiggle) -> Decimal:
            return (Decimal(str(PER_USD[quote])) / Decimal(str(PER_USD[base])) * wiggle).quantize(
                Decimal("1e-6")
            )

        for local, bank in BANK.items():
            for foreign in ("RUB", "EUR", "CNY", *(c for c in LOCALS if c != local)):
                rows.append(Observation(bank, foreign, local, day, rate(foreign, local), False,
                                        FETCHED))  # fmt: skip
            rows.append(Observation("cbr", local, "RUB", day, rate(local, "RUB"), False, FETCHED))
        for agg in ("frankfurter", "erapi", "currencyapi"):
            for foreign in ("RUB", "EUR", "CNY"):
                rows.append(Observation(agg, "USD", foreign, day, rate("USD", foreign), True,
                                        FETCHED))  # fmt: skip
    return rows


def build_pairs_store(path: Path, days: int) -> int:
    if path.exists():
        path.unlink()
    db = open_database(f"sqlite:///{path}")
    try:
        repo = Repository(db)
        rows = pair_observations(days)
        for start in range(0, len(rows), 50_000):
            repo.store(rows[start : start + 50_000])
        return len(rows)
    finally:
        db.dispose()
