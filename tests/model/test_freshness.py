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
        # NBK dates every day (a weekend's file carries the rate set on Friday), the next
        # day's out from 16:00 Almaty.
        ("nbk", FRI, local(SAT, 0, 30), False),
        ("nbk", FRI, local(SAT, 12), False),  # Saturday's is late, within the day's grace
        ("nbk", FRI, local(SAT, 18), True),  # Saturday's was due Friday 16:00
        ("nbk", SAT, local(SUN, 12), False),
        ("nbk", SAT, local(SUN, 18), False),  # Sunday's file repeats Saturday's rate
        ("nbk", SAT, local(MON, 18), False),  # and so does Monday's
        ("nbk", SAT, local(TUE, 18), True),  # Tuesday's new rate was due Monday 16:00
        ("nbk", SUN, local(MON, 8), False),
        ("nbk", MON, local(TUE, 12), False),  # Tuesday's is late, within the day's grace
        ("nbk", MON, local(TUE, 18), True),  # a day came and went without one
        ("nbk", date(2026, 12, 16), local(date(2026, 12, 16), 18), False),  # a holiday has one
        # CBU: Monday's rate is set on Friday; a weekend is never stale for Friday's.
        ("cbu", FRI, local(SAT, 18), False),
        ("cbu", FRI, local(SUN, 18), False),
        ("cbu", MON, local(MON, 8), False),  # Monday's, out since Friday evening
        ("cbu", FRI, local(MON, 12), False),  # Monday's overdue, within the grace
        ("cbu", FRI, local(MON, 18), True),
        ("cbu", TUE, local(TUE, 17), False),  # Wednesday's comes at about 17:30
        ("cbu", TUE, local(WED, 17), False),
        ("cbu", TUE, local(WED, 18), True),  # Wednesday's was due Tuesday 17:30
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
    assert f.missed == 3  # Thursday's, Friday's and Saturday's overdue by more than a day
    # 23:30 UTC on Monday is already Tuesday 04:30 in Almaty: the source's day counts.
    assert freshness("nbk", FRI, datetime(2026, 11, 23, 23, 30, tzinfo=UTC)).age_days == 4


def test_is_current_says_what_freshness_says_without_counting() -> None:
    """Routing's question (:func:`is_current`) stops at the first overdue fixing; its
    answer is :func:`freshness`'s, for every source's calendar, at every hour of a
    fortnight after fixings of every weekday, with the calendar's grace and a shorter one."""
    from providers.catalogue import CALENDARS
    from ticker.model.freshness import is_current

    checked = 0
    for provider in CALENDARS:
        for as_of in (date(2026, 11, 23) + timedelta(days=d) for d in range(7)):
            for hours in range(0, 14 * 24, 5):
                now = datetime(2026, 11, 23, tzinfo=UTC) + timedelta(hours=hours)
                for grace in (None, timedelta(hours=2)):
                    said = is_current(provider, as_of, now, grace)
                    assert said is not freshness(provider, as_of, now, grace).stale
                    checked += 1
    assert checked > 10_000
