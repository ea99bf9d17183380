"""Changes over a period (issue 27): against the rate in force at the period's start (the
routed source's newest fixing on or before that date, from stored history), ``n/a`` when
the history is shorter, all pairs in one statement, and nothing more read for ``1d``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from tests.core.test_snapshot_reads import checkouts
from tests.helpers.dashboard import repo_for
from tests.helpers.seeded import settings_for
from ticker.config import Settings
from ticker.core.rates import current_rates
from ticker.core.snapshot import load_snapshot
from ticker.model.pairs import Orientation
from ticker.model.periods import ChangePeriod
from ticker.model.routing import PairView
from ticker.storage.repository import Repository

ALMATY = timezone(timedelta(hours=5))
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def nbk_rate(day: date) -> Decimal:
    """A different rate for every day: 450 tenge plus a hundredth per day since 2025."""
    return Decimal(450) + Decimal((day - date(2025, 1, 1)).days) / 100


def weekdays(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def store(tmp_path: Path, last: date) -> tuple[Settings, Repository]:
    """NBK's tenge on every weekday from 2025-01-01 to ``last``; NBKR's som only from
    2026-03-10 (too short for a month)."""
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    rows = [
        Observation("nbk", "USD", "KZT", d, nbk_rate(d), False, FETCHED)
        for d in weekdays(date(2025, 1, 1), last)
    ]
    rows += [
        Observation("nbkr", "USD", "KGS", d, Decimal("87.45") + (d.day - 10) / Decimal(100),
                    False, FETCHED)
        for d in weekdays(date(2026, 3, 10), last)
    ]  # fmt: skip
    repo.add_observations(rows)
    return settings, repo


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[Settings, Repository]]:
    """The history up to Tuesday 31 March 2026."""
    settings, repo = store(tmp_path, date(2026, 3, 31))
    try:
        yield settings, repo
    finally:
        repo.db.dispose()


def views(
    repo: Repository, settings: Settings, now: datetime, period: ChangePeriod, zone=ALMATY
) -> dict[str, PairView]:
    found = current_rates(repo, settings, now, Orientation.PER_USD, period=period, zone=zone)
    return {v.local: v for v in found}


def test_one_month_back_from_march_31_is_the_rate_in_force_on_february_28(stored) -> None:
    settings, repo = stored
    now = datetime(2026, 3, 31, 12, tzinfo=ALMATY)  # a Tuesday
    kzt = views(repo, settings, now, ChangePeriod.MONTH)["KZT"]
    # February has no 31st: the month starts on the 28th, a Saturday, when Friday the
    # 27th's fixing was in force.
    assert kzt.change_from == date(2026, 2, 27)
    assert kzt.change_from_rate == nbk_rate(date(2026, 2, 27))
    assert kzt.change == nbk_rate(date(2026, 3, 31)) - nbk_rate(date(2026, 2, 27))
    assert kzt.change_pct == (kzt.change / nbk_rate(date(2026, 2, 27))) * 100
    assert kzt.change_period is ChangePeriod.MONTH


def test_a_week_back_from_a_sunday_is_the_friday_before(tmp_path: Path) -> None:
    settings, repo = store(tmp_path, date(2026, 3, 27))
    now = datetime(2026, 3, 29, 10, tzinfo=ALMATY)  # a Sunday
    kzt = views(repo, settings, now, ChangePeriod.WEEK)["KZT"]
    assert kzt.as_of == date(2026, 3, 27)  # the rate shown: Friday's
    assert kzt.change_from == date(2026, 3, 20)  # Sunday the 22nd: Friday the 20th's
    repo.db.dispose()


def test_ytd_just_after_local_midnight_on_january_1_is_the_new_year(tmp_path: Path) -> None:
    settings, repo = store(tmp_path, date(2025, 12, 31))
    # 00:05 on 1 January 2026 in Almaty is still 31 December in UTC.
    now = datetime(2026, 1, 1, 0, 5, tzinfo=ALMATY)
    kzt = views(repo, settings, now, ChangePeriod.YTD)["KZT"]
    # The year began a few minutes ago: the rate in force then is the one shown.
    assert kzt.as_of == kzt.change_from == date(2025, 12, 31)
    assert kzt.change == 0 and kzt.change_pct == 0
    # By UTC's date, 2025's change would have been shown instead.
    utc = views(repo, settings, now, ChangePeriod.YTD, zone=UTC)["KZT"]
    assert utc.change_from == date(2025, 1, 1)
    repo.db.dispose()


def test_a_year_back_and_a_history_too_short_for_the_period(stored) -> None:
    settings, repo = stored
    now = datetime(2026, 3, 31, 12, tzinfo=ALMATY)
    year = views(repo, settings, now, ChangePeriod.YEAR)
    assert year["KZT"].change_from == date(2025, 3, 31)
    # NBKR's history starts on 10 March: no rate in force a month (or a year) ago.
    for period in (ChangePeriod.MONTH, ChangePeriod.YEAR, ChangePeriod.YTD):
        kgs = views(repo, settings, now, period)["KGS"]
        assert (kgs.change, kgs.change_pct, kgs.change_from) == (None, None, None)
    # ... but a week it has.
    assert views(repo, settings, now, ChangePeriod.WEEK)["KGS"].change_from == date(2026, 3, 24)


def test_the_default_is_the_previous_fixing(stored) -> None:
    settings, repo = stored
    now = datetime(2026, 3, 31, 12, tzinfo=ALMATY)
    kzt = views(repo, settings, now, ChangePeriod.DAY)["KZT"]
    assert kzt.change_period is ChangePeriod.DAY
    assert kzt.change_from == date(2026, 3, 30)
    assert kzt.change == Decimal("0.01")


def test_a_period_costs_one_statement_for_every_pair_and_the_default_none(stored) -> None:
    settings, repo = stored
    now = datetime(2026, 3, 31, 12, tzinfo=ALMATY)
    with checkouts(repo) as default:
        current_rates(repo, settings, now)
    for period in (ChangePeriod.WEEK, ChangePeriod.MONTH, ChangePeriod.YTD, ChangePeriod.YEAR):
        with checkouts(repo) as counts:
            found = current_rates(repo, settings, now, period=period)
        assert len(found) == 2
        assert counts == [1, default[1] + 1]  # one connection, one statement more
    with checkouts(repo) as plain:
        load_snapshot(repo, settings, Orientation.PER_USD, now, 0)
    with checkouts(repo) as snapshot:
        shown = load_snapshot(repo, settings, Orientation.PER_USD, now, 0, ChangePeriod.MONTH)
    assert snapshot[1] == plain[1] + 1
    assert {v.local: v.change_period for v in shown.views} == {
        "KZT": ChangePeriod.MONTH,
        "KGS": ChangePeriod.MONTH,
    }
