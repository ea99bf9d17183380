"""Chart data as values: a pair's history per provider over a named range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

RANGES: tuple[str, ...] = ("1M", "3M", "1Y", "5Y", "All")
_SPANS = {"1M": 31, "3M": 92, "1Y": 366, "5Y": 5 * 366}
#: At most this many points per line; longer histories are thinned evenly.
MAX_POINTS = 400


def range_start(name: str, end: date) -> date | None:
    """The first day of range ``name`` ending on ``end`` (None: all of the history)."""
    days = _SPANS.get(name)
    return None if days is None else end - timedelta(days=days)


@dataclass(frozen=True, slots=True)
class Series:
    """One provider's fixings over a range, oldest first. A long history is thinned to
    :data:`MAX_POINTS` points (the first and the last kept): ``low`` and ``high`` are
    those of every fixing of the range, drawn or not (None: those of ``values``)."""

    provider: str
    dates: list[date]
    values: list[Decimal]
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def lowest(self) -> Decimal:
        return self.low if self.low is not None else min(self.values)

    @property
    def highest(self) -> Decimal:
        return self.high if self.high is not None else max(self.values)

    def value_on(self, day: date) -> Decimal | None:
        """The fixing dated ``day`` among the points, if there is one."""
        for d, v in zip(self.dates, self.values, strict=True):
            if d == day:
                return v
        return None
