"""Chart data as values: a pair's history per provider over a named range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

RANGES: tuple[str, ...] = ("1M", "3M", "1Y", "5Y", "All")
_SPANS = {"1M": 31, "3M": 92, "1Y": 366, "5Y": 5 * 366}
#: At most this many points per line; longer histories are thinned evenly.
MAX_POINTS = 400


def range_start(name: str, today: date) -> date | None:
    days = _SPANS.get(name)
    return None if days is None else today - timedelta(days=days)


@dataclass(frozen=True, slots=True)
class Series:
    provider: str
    dates: list[date]
    values: list[Decimal]
