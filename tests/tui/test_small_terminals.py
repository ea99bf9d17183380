"""Below 80x24 one message instead of a cut dashboard; at 80x24 the indicators screen shows
every country."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.app import App
from textual.widgets import DataTable

from providers.base import IndicatorValue
from tests.helpers.dashboard import NOW, make_app, repo_for, rows, settle
from ticker.config import Settings
from ticker.model.indicators import COUNTRIES
from ticker.tui.screens.indicators import IndicatorsScreen
from ticker.tui.screens.too_small import TooSmallScreen


def screen_lines(app: App[None]) -> list[str]:
    """What the terminal shows, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_below_80x24_one_message_says_so_until_the_terminal_grows(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        text = " ".join(" ".join(screen_lines(app)).split())
        assert text == (
            "Terminal too small: 40x12. ticker needs at least 80x24. "
            "Enlarge it, or press q to quit."
        )
        await pilot.press("f", "question_mark", "ctrl+p")  # nothing to act on
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not isinstance(app.screen, TooSmallScreen)
        assert rows(app)[0]["Pair"] == "KGS/USD"  # the f above did not flip
        assert any("KGS/USD" in line for line in screen_lines(app))
        await pilot.resize_terminal(79, 30)  # one column short is too small
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert any("Terminal too small: 79x30." in line for line in screen_lines(app))
        await pilot.resize_terminal(100, 23)
        await settle(pilot)
        assert any("Terminal too small: 100x23." in line for line in screen_lines(app))
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert app.screen is app.dashboard
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        await pilot.press("q")  # quits from the message too
        await pilot.pause()
        assert not app.is_running


def _store_every_default_indicator(settings: Settings) -> None:
    """Every default indicator for the five countries, with the longest values the screen
    shows (12,194 ’24), and two of the World Bank's refused (the long codes)."""
    repo = repo_for(settings)
    refused = {"BX.TRF.PWKR.DT.GD.ZS": "archived (error 175)", "PA.NUS.FCRF": "archived"}
    values = [
        IndicatorValue(source, code, country, str(year), Decimal(12194 + i), year >= 2026, NOW)
        for source in ("worldbank", "imf")
        for i, code in enumerate(settings.providers[source].indicators)
        if code not in refused
        for country in COUNTRIES
        for year in range(2017, 2028)
    ]
    repo.store_indicators(values)
    repo.record_refusals("worldbank", refused, NOW)
    repo.db.dispose()


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_indicators_screen_shows_every_country(
    seeded: Settings, size: tuple[int, int]
) -> None:
    _store_every_default_indicator(seeded)
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorsScreen)
        table = screen.query_one("#table", DataTable)
        assert table.row_count == 12
        assert table.max_scroll_x == 0  # nothing off to the right
        assert table.virtual_size.width <= table.scrollable_content_region.width
        # Under the monetary panel (Tab gives the annual table the focus).
        await pilot.press("tab")
        await settle(pilot)
        lines = screen_lines(app)
        header = next(line for line in lines if line.startswith(" Indicator "))
        for name in COUNTRIES.values():
            assert f" {name} " in header, header
        assert sum(line.count("12,194 ’25") for line in lines) >= 5  # the widest value
        # The full name and code of the highlighted one are in the chart's title.
        assert any("Inflation, CPI %: Kyrgyzstan (worldbank, FP.CPI.TOTL.ZG)" in x for x in lines)
        await pilot.press("down", "down")  # the table scrolls to the refused row
        await settle(pilot)
        lines = screen_lines(app)
        assert sum(line.count("refused") for line in lines) >= 5  # a refused row's cells
