"""The chart's words: the dates along it, the value(s) under its cursor, and the range's
low, high and change, by the rates table's rules (:mod:`ticker.display.format`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ticker.display.format import format_percent, format_rate, format_rate_change
from ticker.display.names import bank_word
from ticker.i18n.dates import day_month, day_month_year
from ticker.i18n.words import _
from ticker.model.pairs import percent_change
from ticker.model.series import Series


def chart_dates(series: Sequence[Series]) -> list[date]:
    """Every date any of ``series`` has a point on, oldest first (the cursor's stops)."""
    return sorted({d for s in series for d in s.dates})


def day_label(day: date, with_year: bool = False) -> str:
    """A date as the table shows it (``24 Nov``), with the year when asked (``24 Nov 2026``)."""
    return day_month_year(day) if with_year else day_month(day)


def needs_year(dates: Sequence[date]) -> bool:
    """Whether dates along the chart need their year to be told apart: the range crosses
    the new year."""
    return bool(dates) and dates[0].year != dates[-1].year


def cursor_values(day: date, series: Sequence[Series], digits: int) -> list[tuple[str, str]]:
    """(SOURCE, its fixing dated ``day``) for each series; ``n/a`` where it has none."""
    found = ((bank_word(s.provider.upper()), s.value_on(day)) for s in series)
    return [(name, _("n/a") if v is None else format_rate(v, digits)) for name, v in found]


@dataclass(frozen=True, slots=True)
class RangeSummary:
    """One source's range: its lowest and highest fixing, and its change from the first
    fixing of the range to the last, formatted as in the table."""

    provider: str
    low: str
    high: str
    change: str
    change_pct: str
    direction: int
    """+1 up, -1 down, 0 unchanged (the table's colours)."""


def range_summary(series: Series, digits: int) -> RangeSummary:
    first, last = series.values[0], series.values[-1]
    delta: Decimal = last - first
    return RangeSummary(
        bank_word(series.provider.upper()),
        format_rate(series.lowest, digits),
        format_rate(series.highest, digits),
        format_rate_change(delta, last, digits, first),
        format_percent(percent_change(first, last)),
        (delta > 0) - (delta < 0),
    )
