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
    month = chart_series(repo, "KZT", "1M", today, Orientation.PER_USD, ["nbk", "cbr", "nbt"])
    assert [s.provider for s in month] == ["nbk", "cbr"]
    assert month[0].dates[0] == range_start("1M", today) and month[0].dates[-1] == today
    assert month[0].values[-1] == Decimal(400)
    flipped = chart_series(repo, "KZT", "1M", today, Orientation.USD_PER, ["nbk"])
    assert flipped[0].values[-1] == Decimal(1) / Decimal(400)
    everything = chart_series(repo, "KZT", "All", today, Orientation.PER_USD, ["nbk"])
    assert len(everything[0].dates) == MAX_POINTS and everything[0].dates[-1] == today
