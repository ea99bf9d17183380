"""The indicators screen: countries across, indicators down, n/a for missing values,
forecast years marked, and a chart of the highlighted series."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.helpers.dashboard import make_app, settle
from ticker.config import Settings
from ticker.tui.screens.forms import ExportForm
from ticker.tui.screens.indicators import IndicatorsScreen
from ticker.tui.widgets.indicator_chart import IndicatorChart


async def test_i_opens_the_table_and_a_cell_charts_its_series(with_indicators: Settings) -> None:
    app = make_app(with_indicators)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorsScreen)
        table = screen.query_one("#table", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Indicator", "Kyrgyzstan", "Kazakhstan", "Tajikistan", "Uzbekistan", "Turkmenistan",
        ]  # fmt: skip
        cpi = [cell.plain for cell in table.get_row_at(0)]
        assert cpi[0] == "Inflation, CPI %\nworldbank FP.CPI.TOTL.ZG"
        assert cpi[1].startswith("5.0 ’24\n") and cpi[2].startswith("8.7 ’24\n")
        assert cpi[4].startswith("n/a") and cpi[5].startswith("n/a")  # UZB absent, TKM null
        growth = table.get_row_at(1)
        # IMF: the latest actual year is the one before the clock's (2026); 2026 is a forecast.
        assert growth[1].plain.startswith("6.8 ’25\n")
        bars = growth[1].plain.split("\n")[1]
        assert len(bars) == 10 and bars[-1] != " "  # 2017..2026, the last one forecast
        # Only the forecast bar (2026, the last) carries the warning colour.
        cell = growth[1]
        last_bar = len(cell.plain) - 1
        warn = screen.palette["warn"]
        styled = {
            i for span in cell.spans if str(span.style) == warn for i in range(span.start, span.end)
        }
        assert styled == {last_bar}
        # The highlighted cell's series is charted (Tab: from the monetary panel to the table).
        await pilot.press("tab", "down", "right")
        await settle(pilot)
        chart = screen.query_one(IndicatorChart)
        assert chart.series is not None
        assert (chart.series.indicator, chart.series.country) == ("NGDP_RPCH", "KGZ")
        assert [y.year for y in chart.series.years if y.forecast] == [2026, 2027, 2028]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, IndicatorsScreen)


async def test_without_indicators_the_screen_says_how_to_get_them(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        table = app.screen.query_one("#table", DataTable)
        assert "No indicators stored yet" in table.get_row_at(0)[0].plain


async def test_with_the_annual_sources_off_the_screen_says_so(seeded: Settings) -> None:
    off = {
        name: dataclasses.replace(conf, enabled=False) if name in ("worldbank", "imf") else conf
        for name, conf in seeded.providers.items()
    }
    app = make_app(dataclasses.replace(seeded, providers=off))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        table = app.screen.query_one("#table", DataTable)
        assert table.get_row_at(0)[0].plain.replace("\n", " ") == (
            "Annual indicators: worldbank and imf are off "
            "(enabled = true in [providers.worldbank] or [providers.imf])"
        )


def test_indicators_screen_snapshot(snap_compare, with_indicators: Settings) -> None:
    async def open_indicators(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("tab", "down", "right")
        await settle(pilot)

    assert snap_compare(
        make_app(with_indicators), terminal_size=(100, 34), run_before=open_indicators
    )


async def test_the_chart_keeps_the_latest_revision_visible(with_indicators: Settings) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from providers.base import IndicatorValue
    from tests.helpers.dashboard import NOW, repo_for

    repo = repo_for(with_indicators)
    try:
        revised = IndicatorValue(
            "imf", "NGDP_RPCH", "KGZ", "2024", Decimal("9.4"), False, NOW + timedelta(hours=1)
        )
        assert repo.store_indicators([revised]) == (0, 1)
    finally:
        repo.db.dispose()
    app = make_app(with_indicators)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("tab", "down", "right")
        await settle(pilot)
        chart = app.screen.query_one(IndicatorChart)
        assert "revised 23 Nov 2026: 2024 9.0 → 9.4" in chart.render().plain


async def test_the_screens_own_keys_and_none_of_the_dashboards(
    with_indicators: Settings, tmp_path: Path
) -> None:
    """On the indicators screen, e exports the indicators; c, f, a, d, o and enter do
    nothing to the dashboard behind it."""
    app = make_app(with_indicators)
    target = tmp_path / "indicators.csv"
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        before = (app.dashboard.range_index, app.orientation, app.dashboard.overlay)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("c", "f", "o", "a", "d", "x", "enter")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorsScreen)  # no form, no question opened
        assert (app.dashboard.range_index, app.orientation, app.dashboard.overlay) == before
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExportForm) and form.indicators
        assert "indicator" in str(form.query_one(".title", Static).render())
        assert not form.query("#shape") and not form.query("#only")  # rates-only fields
        assert form.query_one("#path", Input).value.endswith("ticker-indicators-2026-11-23.csv")
        form.query_one("#path", Input).value = str(target)
        await pilot.click("#export")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorsScreen)  # back where it was
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Flip" not in commands and "Add alert" not in commands
        assert "Refresh" in commands
    header, *lines = target.read_text().splitlines()
    assert header.startswith("source,indicator,country")
    # The two fetched series: World Bank CPI and IMF growth, every country's years.
    assert {tuple(line.split(",")[:2]) for line in lines} == {
        ("worldbank", "FP.CPI.TOTL.ZG"),
        ("imf", "NGDP_RPCH"),
    }
    assert any(line.startswith("worldbank,FP.CPI.TOTL.ZG,KGZ,2024,") for line in lines)


async def test_an_indicator_the_source_refused_says_so_and_why(with_indicators: Settings) -> None:
    import dataclasses

    import httpx

    from providers.base import ProviderOptions
    from providers.worldbank import WorldBank
    from tests.helpers.dashboard import NOW, repo_for
    from tests.helpers.paths import FIXTURES
    from ticker.config import SanitySettings
    from ticker.core.ingest import ingest

    codes = ("FP.CPI.TOTL.ZG", "FI.RES.GOLD.CD")

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/FI.RES.GOLD.CD"):  # archived: error 175
            return httpx.Response(
                200, content=(FIXTURES / "indicators/worldbank_error_175.json").read_bytes()
            )
        page = request.url.params["page"]
        body = (FIXTURES / f"indicators/worldbank_cpi_p{page}.json").read_bytes()
        return httpx.Response(200, content=body)

    async def poll() -> None:
        source = WorldBank(
            "https://wb.test", now=lambda: NOW, options=ProviderOptions(indicators=codes)
        )
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            batch = await source.fetch(client)
        repo = repo_for(with_indicators)
        try:
            ingest(repo, batch, SanitySettings())  # as the collector stores a poll
        finally:
            repo.db.dispose()

    await poll()
    providers = dict(with_indicators.providers)
    providers["worldbank"] = dataclasses.replace(providers["worldbank"], indicators=codes)
    app = make_app(dataclasses.replace(with_indicators, providers=providers))
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorsScreen)
        table = screen.query_one("#table", DataTable)
        gold = [cell.plain for cell in table.get_row_at(1)]
        assert gold[0] == "FI.RES.GOLD.CD\nworldbank FI.RES.GOLD.CD refused"
        assert all(cell.startswith("refused\n") for cell in gold[1:])  # not "n/a"
        assert not any("refused" in cell.plain for cell in table.get_row_at(0))
        await pilot.press("tab", "down")
        await settle(pilot)
        chart = screen.query_one(IndicatorChart).render().plain
        assert (
            "refused by worldbank: archived or deleted at the source (World Bank error 175: "
            "The indicator was not found. It may have been deleted or archived.)"
        ) in chart
