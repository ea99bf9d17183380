"""Small builders for test data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from providers.base import Observation

FETCHED = datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=UTC)


def obs(
    quote: str = "KZT",
    rate: str = "478.77",
    as_of: date = date(2026, 11, 20),
    provider: str = "nbk",
    derived: bool = False,
    fetched_at: datetime = FETCHED,
) -> Observation:
    return Observation(provider, "USD", quote, as_of, Decimal(rate), derived, fetched_at)


def series(
    quote: str, provider: str, start: date, rates: list[str], step: int = 1
) -> list[Observation]:
    return [obs(quote, r, start + timedelta(days=i * step), provider) for i, r in enumerate(rates)]
