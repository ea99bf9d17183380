"""Where a change over a period starts (issue 27): a calendar month back from the 31st,
the year's start on 1 January, a week back from a weekend."""

from __future__ import annotations

from datetime import date

import pytest

from ticker.model.periods import ChangePeriod, months_before, parse_period, period_start


@pytest.mark.parametrize(
    ("today", "period", "start"),
    [
        (date(2026, 3, 31), ChangePeriod.MONTH, date(2026, 2, 28)),  # February has no 31st
        (date(2024, 3, 31), ChangePeriod.MONTH, date(2024, 2, 29)),  # a leap year's
        (date(2026, 1, 15), ChangePeriod.MONTH, date(2025, 12, 15)),  # across the new year
        (date(2026, 1, 1), ChangePeriod.YTD, date(2026, 1, 1)),
        (date(2026, 12, 31), ChangePeriod.YTD, date(2026, 1, 1)),
        (date(2024, 2, 29), ChangePeriod.YEAR, date(2023, 2, 28)),
        (date(2026, 3, 29), ChangePeriod.WEEK, date(2026, 3, 22)),  # a Sunday: a Sunday
        (date(2026, 3, 29), ChangePeriod.DAY, None),  # the previous fixing, no date
    ],
)
def test_period_start(today: date, period: ChangePeriod, start: date | None) -> None:
    assert period_start(period, today) == start


def test_every_day_of_a_leap_year_has_a_month_and_a_year_back() -> None:
    day = date(2024, 1, 1)
    while day.year == 2024:
        back = months_before(day, 1)
        assert back < day and (back.month % 12) + 1 == day.month
        assert months_before(day, 12).year == 2023
        day = date.fromordinal(day.toordinal() + 1)


def test_the_key_cycles_through_every_period_and_back() -> None:
    period = ChangePeriod.DAY
    seen = []
    for _ in range(5):
        period = period.following()
        seen.append(period.label)
    assert seen == ["1W", "1M", "YTD", "1Y", "1D"]
    assert ChangePeriod.DAY.tag == "" and ChangePeriod.MONTH.tag == "1M"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("1m", ChangePeriod.MONTH),
        (" YTD ", ChangePeriod.YTD),
        ("1D", ChangePeriod.DAY),
        ("2w", None),
        ("", None),
    ],
)
def test_parse_period(text: str, period: ChangePeriod | None) -> None:
    assert parse_period(text) == period
