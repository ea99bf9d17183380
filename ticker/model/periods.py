"""The periods a change is measured over, and where each one starts.

``1d`` (the default) compares a rate with the previous fixing of the same source, as the
news strips do. The others compare it with the rate in force at the period's start: the
newest fixing of the same source dated on or before :func:`period_start` (a weekend or a
holiday at the start takes the fixing before it). Pure: the caller gives the date, in the
user's time zone (``YTD`` just after local midnight on 1 January is already the new year).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class ChangePeriod(StrEnum):
    """What a change is against (its value is what ``--change`` takes)."""

    DAY = "1d"
    """The previous fixing of the same source."""
    WEEK = "1w"
    MONTH = "1m"
    YTD = "ytd"
    """Since the year began."""
    YEAR = "1y"

    @property
    def label(self) -> str:
        """As a column header or the strip says it: ``1D``, ``1M``, ``YTD``."""
        return self.value.upper()

    @property
    def tag(self) -> str:
        """As said beside a change: ``1M``, ``YTD``; nothing for the default ``1d`` (a
        change against the previous fixing, as the strips have always shown it)."""
        return "" if self is ChangePeriod.DAY else self.label

    def following(self) -> ChangePeriod:
        """The next period in the cycle (after ``1y``, back to ``1d``)."""
        periods = list(ChangePeriod)
        return periods[(periods.index(self) + 1) % len(periods)]


def months_before(day: date, months: int) -> date:
    """``day`` so many calendar months earlier; a day the month has not (31 March, one
    month back) is that month's last (28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last = (following - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def period_start(period: ChangePeriod, today: date) -> date | None:
    """The date whose rate in force a change over ``period`` is measured from, on
    ``today`` (the user's date); None for ``1d``, which takes the previous fixing."""
    if period is ChangePeriod.DAY:
        return None
    if period is ChangePeriod.WEEK:
        return today - timedelta(days=7)
    if period is ChangePeriod.MONTH:
        return months_before(today, 1)
    if period is ChangePeriod.YTD:
        return date(today.year, 1, 1)
    return months_before(today, 12)


def parse_period(text: str) -> ChangePeriod | None:
    """``1m``, ``1M``, ``ytd`` ... as a period; None when it is none of them."""
    try:
        return ChangePeriod(text.strip().lower())
    except ValueError:
        return None
