"""Chart data: a pair's history over a range, per provider, with no plotting library; and
the rates users reported by hand for it, a series of their own (:data:`REPORTED`: marked
points, never joined to a source's line)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ticker.model.market_records import REPORTED
from ticker.model.pairs import Orientation, Pair, convert, invert, pair_for
from ticker.model.series import MAX_POINTS, Series, range_start

if TYPE_CHECKING:
    from ticker.storage.reads import ReadQueries

#: The reported rates a chart reads (a user's few, newest first).
REPORTED_POINTS = 200


def chart_series(
    reads: ReadQueries,
    local: str,
    range_name: str,
    orientation: Orientation,
    providers: list[str],
) -> list[Series]:
    """One series per provider that has data in the range, oldest first.

    The range ends at the newest fixing any of ``providers`` stores for the pair, not at
    today's date: a day-ahead fixing (NBKR and CBR date theirs the next business day) is
    on the chart as it is in the table, and a pair whose source stopped a while ago still
    shows its last month rather than an empty one. No clock is read: the stored dates
    decide (every one of them passed the ingest's "not after tomorrow" check).
    """
    newest = reads.recent_fixings([(local, p) for p in providers], 1)
    if not newest:
        return []
    end = max(fixings[0].as_of for fixings in newest.values())
    since = range_start(range_name, end)
    pair = pair_for(local, orientation)
    reported = reported_series(reads, pair, since)
    return _fixings(reads, local, providers, pair, since, end) + reported


def _fixings(
    reads: ReadQueries,
    local: str,
    providers: list[str],
    pair: Pair,
    since: date | None,
    end: date,
) -> list[Series]:
    result = []
    for provider in providers:
        rows = reads.history(local, since=since, until=end, provider=provider)
        if not rows:
            continue
        values = [convert(o.rate, pair) for o in rows]
        low, high = min(values), max(values)  # of every fixing, before any thinning
        dates = [o.as_of for o in rows]
        if len(rows) > MAX_POINTS:
            step = len(rows) / MAX_POINTS
            keep = [int(i * step) for i in range(MAX_POINTS - 1)] + [len(rows) - 1]
            dates = [dates[i] for i in keep]
            values = [values[i] for i in keep]
        result.append(Series(provider, dates, values, low, high))
    return result


def reported_series(reads: ReadQueries, pair: Pair, since: date | None) -> list[Series]:
    """The rates reported by hand for ``pair`` (either way round, in ``pair``'s terms)
    on ``since`` or later (None: all), one point a day (the day's newest report, by its
    UTC date), as a series of its own named :data:`REPORTED`; none without one."""
    points: dict[date, Decimal] = {}
    for r in reads.reported_rates(None, REPORTED_POINTS):  # newest first
        if (r.base, r.quote) == (pair.base, pair.quote):
            rate = r.rate
        elif (r.quote, r.base) == (pair.base, pair.quote):
            rate = invert(r.rate)
        else:
            continue
        day = r.reported_at.date()
        if since is None or day >= since:
            points.setdefault(day, rate)
    if not points:
        return []
    days = sorted(points)
    return [Series(REPORTED, days, [points[d] for d in days])]
