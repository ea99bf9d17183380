"""Indicator values in the store: added once, revised in place with the old value kept,
missing kept missing, forecasts apart from actual values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from providers.base import IndicatorValue
from ticker.storage.db import Database
from ticker.storage.repository import Repository

T1 = datetime(2026, 4, 8, 9, 0, tzinfo=UTC)
T2 = T1 + timedelta(days=30)


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


def value(
    period: str, v: str | None, forecast: bool = False, at: datetime = T1, country: str = "KGZ"
) -> IndicatorValue:
    number = None if v is None else Decimal(v)
    return IndicatorValue("imf", "NGDP_RPCH", country, period, number, forecast, at)


def test_values_are_added_once_and_revisions_keep_the_old_value(repo: Repository) -> None:
    first = [value("2024", "9.0"), value("2025", "6.8"), value("2026", "5.3", forecast=True)]
    assert repo.store_indicators(first) == (3, 0)
    assert repo.store_indicators(first) == (0, 0)  # polled again: nothing changes
    revised = [
        value("2024", "9.0", at=T2),
        value("2025", "7.1", at=T2),
        value("2026", "5.3", True, T2),
    ]
    assert repo.store_indicators(revised) == (0, 1)
    points = {(p.period, p.is_forecast): p for p in repo.indicator_points()}
    p2025 = points[("2025", False)]
    assert (p2025.value, p2025.previous_value, p2025.revised_at) == (
        Decimal("7.1"),
        Decimal("6.8"),
        T2,
    )
    assert points[("2024", False)].revised_at is None and points[("2024", False)].fetched_at == T1


def test_a_forecast_and_the_actual_value_of_a_year_are_kept_apart(repo: Repository) -> None:
    repo.store_indicators([value("2026", "5.3", forecast=True)])
    repo.store_indicators([value("2026", "5.0", forecast=False, at=T2)])
    points = repo.indicator_points()
    assert [(p.period, p.value, p.is_forecast) for p in points] == [
        ("2026", Decimal("5.0"), False),
        ("2026", Decimal("5.3"), True),
    ]


def test_missing_stays_missing_and_a_value_that_goes_missing_is_a_revision(
    repo: Repository,
) -> None:
    assert repo.store_indicators([value("2024", None, country="TKM")]) == (1, 0)
    (point,) = repo.indicator_points(countries=["TKM"])
    assert point.value is None  # never 0
    repo.store_indicators([value("2023", "4.0", country="TKM")])
    assert repo.store_indicators([value("2023", None, country="TKM", at=T2)]) == (0, 1)
    gone = next(p for p in repo.indicator_points(countries=["TKM"]) if p.period == "2023")
    assert (gone.value, gone.previous_value) == (None, Decimal("4.0"))


def test_exact_digits_and_filters(repo: Repository) -> None:
    other = IndicatorValue("worldbank", "FP.CPI.TOTL.ZG", "KAZ", "2024", Decimal("8.70"), False, T1)
    repo.store_indicators([value("2024", "0.123456789012345678"), other])
    assert [p.value for p in repo.indicator_points(sources=["imf"])] == [
        Decimal("0.123456789012345678")
    ]
    assert str(repo.indicator_points(countries=["KAZ"])[0].value) == "8.70"
    assert repo.indicator_points(indicators=["NOPE"]) == []
