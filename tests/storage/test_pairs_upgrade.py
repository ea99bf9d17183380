"""A store written before pairs beyond the dollar (issue 28: the same schema, version 9,
and the same migrations: only dollar pairs stored) opens with a ``[pairs]`` config on
both backends without losing a row, then holds ``RUB/TJS`` and ``KZT/KGS`` rows beside
them, exported as such; the dollar pairs' export is the same bytes as before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from providers.base import Observation
from tests.helpers.cli import ticker
from ticker.model.pairs import Pair
from ticker.storage.db import open_database
from ticker.storage.repository import Repository
from ticker.storage.version import HEAD

FETCHED = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
WATCH = ["KGS/USD", "KZT/USD", "TJS/USD", "RUB/TJS", "RUB/KGS", "KZT/KGS"]


def o(provider: str, pair: str, rate: str, day: int) -> Observation:
    base, quote = pair.split("/")
    return Observation(provider, base, quote, date(2026, 11, day), Decimal(rate), False, FETCHED)


BEFORE = [
    o("nbk", "USD/KZT", "478.77", 23),
    o("nbk", "USD/KZT", "479.10", 24),
    o("nbkr", "USD/KGS", "87.4500", 23),
    o("nbt", "USD/TJS", "9.2886", 23),
]
AFTER = [
    o("nbt", "RUB/TJS", "0.1149", 24),
    o("nbkr", "RUB/KGS", "1.1234", 24),
    o("nbkr", "KZT/KGS", "0.1859", 24),
    o("nbk", "KGS/KZT", "5.47", 24),
]


def test_a_store_of_dollar_pairs_upgrades_and_holds_other_pairs(
    db_url: str, tmp_path: Path
) -> None:
    database = open_database(db_url)
    Repository(database).store(BEFORE)
    # Issue 28 needed no migration: the tables of schema 9 (issue 28's) hold every pair.
    assert Repository(database).schema_version == HEAD >= 9
    database.dispose()
    env = {"TICKER_DB_URL": db_url, "TICKER_NOW": "2026-11-25T12:00:00+00:00"}
    before = ticker("export", env=env)
    assert before.returncode == 0, before.stderr
    cfg = tmp_path / "config.toml"
    cfg.write_text("[pairs]\nwatch = [" + ", ".join(f'"{p}"' for p in WATCH) + "]\n")
    opened = ticker("--config", str(cfg), "rates", "--json", env=env)
    assert opened.returncode == 0, opened.stderr
    database = open_database(db_url)
    try:
        repo = Repository(database)
        assert repo.count_observations() == len(BEFORE)  # not a row lost
        repo.store(AFTER)
        assert repo.count_observations() == len(BEFORE) + len(AFTER)
        assert [o.rate for o in repo.pair_history(Pair("RUB", "TJS"))] == [Decimal("0.1149")]
    finally:
        database.dispose()
    # The dollar pairs' export is the bytes it was; the watched pairs come after them.
    plain = ticker("export", "--pair", "KZT", "--pair", "KGS", "--pair", "TJS", env=env)
    assert plain.stdout == before.stdout
    watched = ticker("--config", str(cfg), "export", env=env)
    assert watched.returncode == 0, watched.stderr
    assert watched.stdout.startswith(before.stdout)
    extra = watched.stdout[len(before.stdout) :].splitlines()
    assert [line.split(",")[:5] for line in extra] == [
        ["2026-11-24", "RUB", "TJS", "0.1149", "nbt"],
        ["2026-11-24", "RUB", "KGS", "1.1234", "nbkr"],
        ["2026-11-24", "KGS", "KZT", "5.47", "nbk"],  # each series as published
        ["2026-11-24", "KZT", "KGS", "0.1859", "nbkr"],
    ]
    best = ticker("--config", str(cfg), "export", "--best", "--pair", "KZT/KGS", env=env)
    assert best.returncode == 0, best.stderr
    lines = [line.split(",")[:5] for line in best.stdout.splitlines()[1:]]
    assert lines == [
        ["2026-11-23", "KZT", "KGS", "0.1826555549", "via:usd"],  # no bank's quote yet
        ["2026-11-24", "KZT", "KGS", "0.1859", "nbkr"],
    ]
