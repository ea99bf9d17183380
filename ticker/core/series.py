"""Chart data: a pair's history over a range, per provider, with no plotting library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ticker.model.pairs import Orientation, convert, pair_for

if TYPE_CHECKING:
    from ticker.storage.repository import Repository

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


def chart_series(
    repo: Repository,
    local: str,
    range_name: str,
    today: date,
    orientation: Orientation,
    providers: list[str],
) -> list[Series]:
    """One series per provider that has data in the range, oldest first."""
    pair = pair_for(local, orientation)
    since = range_start(range_name, today)
    result = []
    for provider in providers:
        rows = repo.history(local, since=since, until=today, provider=provider)
        if len(rows) > MAX_POINTS:
            step = len(rows) / MAX_POINTS
            rows = [rows[int(i * step)] for i in range(MAX_POINTS - 1)] + [rows[-1]]
        if rows:
            result.append(
                Series(provider, [o.as_of for o in rows], [convert(o.rate, pair) for o in rows])
            )
    return result
