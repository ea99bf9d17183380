from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from tests.helpers.factories import obs
from ticker.core.series import chart_series
from ticker.display.sparkline import sparkline
from ticker.model.pairs import Orientation
from ticker.model.series import MAX_POINTS, range_start
from ticker.storage.db import Database
from ticker.storage.repository import Repository


def test_sparkline_scales_to_the_range() -> None:
    assert sparkline([Decimal(v) for v in (1, 2, 3, 4, 5, 6, 7, 8)]) == "▁▂▃▄▅▆▇█"
    assert sparkline([Decimal(5)] * 4) == "▄▄▄▄"
    assert sparkline([]) == ""
    assert len(sparkline([Decimal(i) for i in range(100)], width=30)) == 30
    assert sparkline([Decimal("0.0000820"), Decimal("0.0000821")]) == "▁█"


def test_chart_series_by_range_orientation_and_thinning(database: Database) -> None:
    repo = Repository(database)
    today = date(2026, 11, 22)
    repo.add_observations(
        [obs("KZT", str(400 + i % 50), today - timedelta(days=i), "nbk") for i in range(1000)]
    )
    repo.add_observations([obs("KZT", "480", today, "cbr", derived=True)])
    month = chart_series(repo, "KZT", "1M", Orientation.PER_USD, ["nbk", "cbr", "nbt"])
    assert [s.provider for s in month] == ["nbk", "cbr"]
    assert month[0].dates[0] == range_start("1M", today) and month[0].dates[-1] == today
    assert month[0].values[-1] == Decimal(400)
    flipped = chart_series(repo, "KZT", "1M", Orientation.USD_PER, ["nbk"])
    assert flipped[0].values[-1] == Decimal(1) / Decimal(400)
    everything = chart_series(repo, "KZT", "All", Orientation.PER_USD, ["nbk"])
    assert len(everything[0].dates) == MAX_POINTS and everything[0].dates[-1] == today
    # Thinned to 400 of 1,000 points, the range's low and high are still those of every
    # fixing: 400 and 449 (400 + 49), whichever points were drawn.
    assert (everything[0].lowest, everything[0].highest) == (Decimal(400), Decimal(449))


def test_the_range_ends_at_the_newest_stored_fixing_not_at_today(database: Database) -> None:
    """NBKR dates its fixing the next business day: the newest fixing (dated tomorrow,
    as the table shows it) ends the range, and a month back from it starts it. A source
    that stopped weeks ago still shows its last month."""
    repo = Repository(database)
    tomorrow = date(2026, 12, 2)
    repo.add_observations(
        [obs("KGS", "87.45", tomorrow - timedelta(days=i), "nbkr") for i in range(60)]
    )
    repo.add_observations([obs("KGS", "87.50", tomorrow - timedelta(days=1), "cbr")])
    (nbkr, cbr) = chart_series(repo, "KGS", "1M", Orientation.USD_PER, ["nbkr", "cbr"])
    assert nbkr.dates[-1] == tomorrow and nbkr.dates[0] == date(2026, 11, 1)  # 31 days back
    assert cbr.dates == [date(2026, 12, 1)]
    stopped = date(2026, 9, 30)
    repo.add_observations(
        [obs("TJS", "9.345", stopped - timedelta(days=i), "nbt") for i in range(10)]
    )
    (nbt,) = chart_series(repo, "TJS", "1M", Orientation.USD_PER, ["nbt"])
    assert nbt.dates[0] == date(2026, 9, 21) and nbt.dates[-1] == stopped
    assert chart_series(repo, "UZS", "1M", Orientation.USD_PER, ["cbu"]) == []
