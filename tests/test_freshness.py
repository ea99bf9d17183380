from __future__ import annotations

from datetime import date

import pytest

from ticker.freshness import freshness

FRI, SAT, SUN, MON, TUE, WED = (date(2026, 11, d) for d in (20, 21, 22, 23, 24, 25))


@pytest.mark.parametrize(
    ("provider", "as_of", "today", "stale"),
    [
        ("nbk", FRI, SAT, False),
        ("nbk", FRI, SUN, False),
        ("nbk", FRI, MON, False),  # Monday morning is not stale for a Friday fixing
        ("nbk", FRI, TUE, True),  # a business day came and went without a new fixing
        ("cbr", SAT, MON, False),  # CBR's Saturday set covers Sat-Mon
        ("cbr", SAT, TUE, True),
        ("nbkr", TUE, TUE, False),
        ("nbkr", WED, TUE, False),  # next-day stamp
        ("nbt", FRI, SUN, True),  # NBT publishes on weekends too
        ("nbt", SAT, SUN, False),
        ("cbt", SAT, MON, False),  # no file on Sunday
        ("cbt", FRI, SUN, False),
        ("cbt", FRI, MON, True),
        ("someone-else", FRI, MON, False),  # unknown providers: business days
    ],
)
def test_stale_follows_the_publication_rhythm(
    provider: str, as_of: date, today: date, stale: bool
) -> None:
    assert freshness(provider, as_of, today).stale is stale


def test_label_and_age() -> None:
    f = freshness("nbk", date(2026, 11, 18), date(2026, 11, 23))
    assert (f.stale, f.age_days, f.label()) == (True, 5, "stale 5d")
    assert freshness("nbk", FRI, MON).label() == "ok"
