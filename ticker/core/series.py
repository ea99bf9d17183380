"""Chart data: a pair's history over a range, per provider, with no plotting library."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ticker.model.pairs import Orientation, convert, pair_for
from ticker.model.series import MAX_POINTS, Series, range_start

if TYPE_CHECKING:
    from ticker.storage.reads import ReadQueries


def chart_series(
    reads: ReadQueries,
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
        rows = reads.history(local, since=since, until=today, provider=provider)
        if len(rows) > MAX_POINTS:
            step = len(rows) / MAX_POINTS
            rows = [rows[int(i * step)] for i in range(MAX_POINTS - 1)] + [rows[-1]]
        if rows:
            result.append(
                Series(provider, [o.as_of for o in rows], [convert(o.rate, pair) for o in rows])
            )
    return result
