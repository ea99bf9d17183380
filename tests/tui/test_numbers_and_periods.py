"""The dashboard's numbers agree with each other (issue 27, item 9), and its changes cycle
over periods with a key (item 10), at 80x24 and 100x30."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY, make_app, repo_for, rows, settle
from tests.helpers.factories import obs
from tests.helpers.seeded import settings_for
from ticker.config import Settings
from ticker.display.chart import cursor_values, range_summary
from ticker.model.pairs import Orientation
from ticker.model.series import Series
from ticker.tui.widgets.chart import Chart
from ticker.tui.widgets.strip import StripTicker

SIZES = [(80, 24), (100, 30)]


def per_usd(settings: Settings) -> Settings:
    display = dataclasses.replace(settings.display, orientation=Orientation.PER_USD)
    return dataclasses.replace(settings, display=display)


def test_the_chart_readout_says_one_number_one_way() -> None:
    days = [date(2026, 11, 19), date(2026, 11, 20)]
    cbt = Series("cbt", days, [Decimal("3.50"), Decimal("3.50")])  # as CBT writes it
    nbt = Series("nbt", days, [Decimal("3.5000"), Decimal("3.5000")])  # as NBT does
    # It read "CBT 3.50  NBT 3.5000": the same peg, as if two numbers.
    assert cursor_values(days[-1], [cbt, nbt], 5) == [("CBT", "3.50"), ("NBT", "3.50")]
    summary = range_summary(nbt, 5)
    assert (summary.low, summary.high, summary.change) == ("3.50", "3.50", "0.00")


@pytest.mark.parametrize("size", SIZES)
async def test_the_overlaid_chart_reads_the_peg_once(
    seeded: Settings, size: tuple[int, int]
) -> None:
    settings = per_usd(seeded)
    repo = repo_for(settings)
    repo.add_observations(
        [
            Observation(
                "nbt", "USD", "TMT", TODAY - timedelta(days=b), Decimal("3.5000"), False, NOW
            )
            for b in range(10)
        ]
    )
    repo.db.dispose()
    app = make_app(settings)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "o")  # USD/TMT, every source on the chart
        await settle(pilot)
        chart = app.query_one(Chart)
        assert "USD/TMT" in chart.title
        at = chart.readout()[0].plain
        assert "CBT 3.50" in at and "NBT 3.50" in at and "3.5000" not in at


@pytest.mark.parametrize("size", SIZES + [(160, 45)])
async def test_the_change_column_keeps_the_rates_decimals(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    settings = per_usd(settings_for(tmp_path / "t.db"))
    repo = repo_for(settings)
    repo.add_observations(
        [obs("KZT", "464.53", TODAY - timedelta(days=3)), obs("KZT", "478.77", TODAY)]
    )
    repo.db.dispose()
    app = make_app(settings)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        (kzt,) = rows(app)
        assert kzt["Rate"] == "478.77" and kzt["Chg%"] == "+3.07%"
        if "Chg" in kzt:  # the absolute change, where the width has room for it
            assert kzt["Chg"] == "+14.24"  # it said +14
        assert size != (160, 45) or "Chg" in kzt


@pytest.mark.parametrize("size", SIZES)
async def test_the_change_key_cycles_the_period_of_the_table_and_the_strip(
    seeded: Settings, size: tuple[int, int]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert "Chg%" in rows(app)[0]
        expected = {"1W": True, "1M": True, "YTD": False, "1Y": False}  # 41 days stored
        for tag, known in expected.items():
            await pilot.press("w")
            await settle(pilot)
            table = rows(app)
            label = f"Chg% {tag}"
            assert label in table[0], table[0].keys()
            strip = app.query_one(StripTicker)
            items = [item.plain for item in strip._items]
            assert all(f" {tag} " in item for item in items)
            if known:
                assert all(r[label].endswith("%") for r in table)
                assert all("n/a" not in item for item in items)
            else:
                assert all(r[label] == "n/a" for r in table)
                assert all(f"n/a {tag}" in item for item in items)
        await pilot.press("w")  # back to the previous fixing
        await settle(pilot)
        assert "Chg%" in rows(app)[0]
        assert not any(" 1Y " in item.plain for item in app.query_one(StripTicker)._items)
