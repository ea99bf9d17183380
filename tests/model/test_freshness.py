"""Freshness against each source's publication calendar, at the awkward hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ticker.model.freshness import freshness

FRI, SAT, SUN, MON, TUE, WED = (date(2026, 11, d) for d in (20, 21, 22, 23, 24, 25))


def local(day: date, hour: int, minute: int = 0, offset: int = 5) -> datetime:
    """``hour:minute`` on ``day`` in a zone ``offset`` hours east of UTC."""
    zone = timezone(timedelta(hours=offset))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


@pytest.mark.parametrize(
    ("provider", "as_of", "now", "stale"),
    [
        ("nbk", FRI, local(SAT, 0, 30), False),
        ("nbk", FRI, local(SUN, 18), False),
        ("nbk", FRI, local(MON, 8), False),  # Monday morning is not stale for Friday's
        ("nbk", FRI, local(TUE, 12), False),  # Monday's is late, within the day's grace
        ("nbk", FRI, local(TUE, 18), True),  # a business day came and went without one
        ("nbk", date(2026, 12, 15), local(date(2026, 12, 16), 18), False),  # a holiday
        ("cbr", SAT, local(MON, 18, offset=3), False),  # Saturday's set covers Monday
        ("cbr", SAT, local(TUE, 12, offset=3), False),
        ("cbr", SAT, local(TUE, 18, offset=3), True),
        ("nbkr", TUE, local(TUE, 12, offset=6), False),
        ("nbkr", WED, local(TUE, 18, offset=6), False),  # next-day stamp
        ("nbkr", TUE, local(WED, 18, offset=6), True),  # Thursday's was due Wednesday 16:00
        ("nbt", FRI, local(SUN, 8), False),
        ("nbt", FRI, local(SUN, 12), True),  # NBT publishes on weekends too
        ("nbt", SAT, local(SUN, 18), False),
        ("cbt", SAT, local(MON, 8), False),  # no file on Sunday
        ("cbt", FRI, local(SUN, 0, 30), True),  # Saturday's was due Friday afternoon
        ("someone-else", FRI, datetime(2026, 11, 23, 12, tzinfo=UTC), False),  # business days
    ],
)
def test_stale_follows_the_publication_calendar(
    provider: str, as_of: date, now: datetime, stale: bool
) -> None:
    assert freshness(provider, as_of, now).stale is stale


def test_label_age_and_the_machines_time_zone_does_not_matter() -> None:
    f = freshness("nbk", date(2026, 11, 18), local(MON, 18))
    assert (f.stale, f.age_days, f.label()) == (True, 5, "stale 5d")
    assert f.missed == 2  # Thursday's and Friday's overdue by more than a day
    # 23:30 UTC on Monday is already Tuesday 04:30 in Almaty: the source's day counts.
    assert freshness("nbk", FRI, datetime(2026, 11, 23, 23, 30, tzinfo=UTC)).age_days == 4
