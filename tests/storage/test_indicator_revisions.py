"""Monetary series in the store: a release date with each value, every revision kept as
history (a revised monthly CPI keeps both values), and an older store read as it is."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text

from providers.base import IndicatorValue
from tests.helpers.read_only import read_only_file
from ticker.config import Settings
from ticker.storage import migrations
from ticker.storage.db import Database, make_engine, normalize_url, open_database
from ticker.storage.reader import open_reads
from ticker.storage.repository import Repository

T1 = datetime(2026, 11, 12, 6, 0, tzinfo=UTC)
T2 = T1 + timedelta(days=30)
T3 = T2 + timedelta(days=30)


def cpi(value: str, at: datetime, released: date | None = date(2026, 11, 11)) -> IndicatorValue:
    return IndicatorValue(
        "imf-sdmx", "cpi-yoy", "UZB", "2026-10", Decimal(value), False, at, released
    )


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


def test_a_revised_cpi_keeps_both_values_and_every_later_one(repo: Repository) -> None:
    assert repo.store_indicators([cpi("7.8", T1)]) == (1, 0)
    assert repo.store_indicators([cpi("7.8", T1 + timedelta(hours=6))]) == (0, 0)
    assert repo.store_indicators([cpi("7.9", T2, date(2026, 12, 10))]) == (0, 1)
    assert repo.store_indicators([cpi("7.7", T3, None)]) == (0, 1)
    (point,) = repo.indicator_points(indicators=["cpi-yoy"])
    assert (point.value, point.previous_value, point.revised_at) == (
        Decimal("7.7"),
        Decimal("7.9"),
        T3,
    )
    # a revision that gives no release date keeps the one known
    assert point.released == date(2026, 12, 10)
    history = repo.indicator_revisions("imf-sdmx", "cpi-yoy", "UZB")
    assert [(r.value, r.released, r.fetched_at, r.replaced_at) for r in history] == [
        (Decimal("7.8"), date(2026, 11, 11), T1, T2),
        (Decimal("7.9"), date(2026, 12, 10), T2, T3),
    ]
    assert repo.indicator_revisions("imf-sdmx", "cpi-yoy", "KAZ") == []


def test_a_release_date_learnt_later_is_not_a_revision(repo: Repository) -> None:
    repo.store_indicators([cpi("7.8", T1, None)])
    assert repo.store_indicators([cpi("7.8", T2, date(2026, 11, 11))]) == (0, 0)
    (point,) = repo.indicator_points()
    assert point.released == date(2026, 11, 11) and point.revised_at is None
    assert repo.indicator_revisions("imf-sdmx", "cpi-yoy", "UZB") == []


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(normalize_url(db_url), timedelta(seconds=2))
    yield eng
    eng.dispose()


def _insert_annual(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO indicator_value (source, indicator, country, period, value, "
                "is_forecast, fetched_at) VALUES ('imf', 'NGDP_RPCH', 'KGZ', '2025', '9.0', "
                ":f, :t)"
            ),
            {"f": False, "t": "2026-04-08 09:00:00.000000"},
        )


def test_a_schema_10_store_upgrades_keeping_its_indicators(engine: Engine, db_url: str) -> None:
    assert migrations.upgrade(engine, target=10) == (0, 10)
    _insert_annual(engine)
    engine.dispose()
    db = open_database(db_url)
    try:
        assert db.schema_before == 10
        repo = Repository(db)
        (annual,) = repo.indicator_points()
        assert (annual.period, annual.value, annual.released) == ("2025", Decimal("9.0"), None)
        assert repo.store_indicators([cpi("7.8", T1)]) == (1, 0)
        assert repo.indicator_points(sources=["imf-sdmx"])[0].released == date(2026, 11, 11)
    finally:
        db.dispose()


def test_a_read_only_store_from_before_release_dates_reads_without_them(tmp_path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(normalize_url(f"sqlite:///{path}"), timedelta(seconds=2))
    migrations.upgrade(engine, target=10)
    _insert_annual(engine)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA journal_mode=DELETE"))
    engine.dispose()
    base = Settings()
    settings = dataclasses.replace(
        base, storage=dataclasses.replace(base.storage, url=f"sqlite:///{path}")
    )
    with read_only_file(path):
        reads = open_reads(settings)
        try:
            assert reads.writes_refused and reads.schema_version == 10
            (annual,) = reads.indicator_points()
            assert annual.value == Decimal("9.0") and annual.released is None
            assert reads.indicator_revisions("imf", "NGDP_RPCH", "KGZ") == []
        finally:
            reads.close()
