"""The monetary monitor on the dashboard: the indicators screen's panel (every country's
policy rate and inflation whole at 80x24, with the longest realistic values), its chart
by date, the pair detail's policy rate, inflation and real rate, and the status line's
lead on the day a decision takes effect (and not the day after). Nothing monetary is
read before the first frame."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Static

from providers.base import IndicatorValue
from tests.helpers.dashboard import NOW, TODAY, make_app, repo_for, settle
from ticker.config import Settings
from ticker.model.indicators import COUNTRIES
from ticker.tui.app import TickerApp
from ticker.tui.screens.detail import DetailScreen
from ticker.tui.screens.indicators import IndicatorsScreen
from ticker.tui.widgets.indicator_chart import IndicatorChart, chart_points
from ticker.tui.widgets.monetary_table import MonetaryTable

#: The longest realistic words of each country's policy rate and inflation.
POLICY = {
    "KGZ": "11.25% Oct 26 +0.50",
    "KAZ": "13.50% 23 Oct 26 -0.50",
    "TJK": "10.50% Oct 26 -0.50",
    "UZB": "13.50% Oct 26 -0.50",
    "TKM": "12.75% Oct 26 -0.50",
}
CPI = {"KGZ": "11.9% Oct 26", "KAZ": "12.6% Oct 26", "TJK": "10.4% Oct 26", "UZB": "13.8% Oct 26"}
CPI["TKM"] = "15.2% Oct 26"


def screen_lines(app: App[None]) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def months(last: str, count: int) -> list[str]:
    year, month = int(last[:4]), int(last[5:])
    found = []
    for _ in range(count):
        found.append(f"{year}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found[::-1]


def value(
    source: str, code: str, country: str, period: str, number: str, released: date | None = None
) -> IndicatorValue:
    return IndicatorValue(source, code, country, period, Decimal(number), False, NOW, released)


def store(settings: Settings, values: Sequence[IndicatorValue]) -> None:
    repo = repo_for(settings)
    try:
        repo.store_indicators(list(values))
    finally:
        repo.db.dispose()


def longest_values(decision_day: str = "2026-10-23") -> list[IndicatorValue]:
    """Two years of every country's policy rate and inflation (their longest words),
    Kazakhstan's decisions by day with its reserves and remittances."""
    day = date.fromisoformat(decision_day)
    values = [
        value("nbk-data", "policy-rate", "KAZ", "2026-07-10", "14.00", date(2026, 7, 10)),
        value("nbk-data", "policy-rate", "KAZ", decision_day, "13.50", day),
    ]
    for country, source in (("UZB", "cbu-policy"), ("KGZ", "imf-sdmx"), ("TJK", "imf-sdmx")):
        *_, last = POLICY[country].split(" ")
        now = POLICY[country].split("%")[0]
        before = str(Decimal(now) - Decimal(last))
        for at, period in enumerate(months("2026-10", 24)):
            values.append(
                value(source, "policy-rate", country, period, now if at == 23 else before)
            )
    for at, period in enumerate(months("2026-10", 24)):
        values.append(
            value("imf-sdmx", "policy-rate", "TKM", period, "12.75" if at == 23 else "13.25")
        )
        for country, words in CPI.items():
            latest = words.split("%")[0]
            values.append(
                value("imf-sdmx", "cpi-yoy", country, period, latest if at == 23 else f"{at % 9}.1")
            )
        values.append(value("nbk-data", "reserves", "KAZ", period, str(43200 + 100 * at)))
        values.append(value("nbk-data", "remittances-in", "KAZ", period, str(289 + at)))
    return values


@pytest.fixture
def monetary(seeded: Settings) -> Settings:
    """The longest values stored, and NBK asked for its remittances too (not asked by
    default: form 408 is in tenge; a user who converts them asks for them)."""
    store(seeded, longest_values())
    nbk = seeded.providers["nbk-data"]
    asked = dataclasses.replace(nbk, indicators=(*nbk.indicators, "remittances-in"))
    return dataclasses.replace(seeded, providers={**seeded.providers, "nbk-data": asked})


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_every_countrys_policy_rate_and_inflation_are_whole(
    monetary: Settings, size: tuple[int, int]
) -> None:
    app = make_app(monetary)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorsScreen)
        panel = screen.query_one(MonetaryTable)
        assert panel.max_scroll_x == 0  # nothing off to the right
        assert panel.virtual_size.width <= panel.scrollable_content_region.width
        lines = screen_lines(app)
        assert lines[0].startswith("Monetary  policy rate: last decision, change in pp")
        for code, name in COUNTRIES.items():
            row = next(line for line in lines if line.startswith(f" {name} "))
            assert POLICY[code] in row and CPI[code] in row, row
        kazakhstan = next(line for line in lines if line.startswith(" Kazakhstan "))
        assert "$45.5bn Oct 26" in kazakhstan  # reserves: at 80 columns too
        uzbekistan = next(line for line in lines if line.startswith(" Uzbekistan "))
        assert "no source" in uzbekistan  # no source gives its reserves
        if size[0] >= 100:  # remittances and the sparklines
            assert "$312m Oct 26" in kazakhstan
            assert any(bar in kazakhstan for bar in "▁▂▃▄▅▆▇█")
        else:
            assert "Remittances" not in lines[1]
            assert lines[0].rstrip().endswith("· wider: remittances in")
        # the annual table is below it, and the chart's rows are kept
        assert any(line.startswith("Indicators  latest actual") for line in lines)
        assert screen.query_one(IndicatorChart).size.height >= 8


async def test_a_cell_charts_its_series_by_date_and_a_policy_rate_as_steps(
    monetary: Settings,
) -> None:
    app = make_app(monetary)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        chart = app.screen.query_one(IndicatorChart)
        # The panel has the focus: its first row's name charts that country's policy rate.
        assert chart.monetary is not None
        assert (chart.monetary.country, chart.monetary.series) == ("KGZ", "policy-rate")
        await pilot.press("down")
        await settle(pilot)
        assert chart.monetary is not None and chart.monetary.country == "KAZ"
        text = chart.render().plain
        assert "Policy rate: Kazakhstan (nbk-data, policy-rate)" in text
        assert "13.50% since 23 Oct 2026, -0.50 pp" in text
        assert "10 Jul" in text and "23 Nov" in text  # dates under it (a span of months: days)
        # steps: 14.00 from 10 Jul until 23 Oct, then 13.50 until today
        xs, ys = chart_points(chart.monetary, TODAY)
        days = [date.fromordinal(x) for x in xs]
        assert list(zip(days, ys, strict=True)) == [
            (date(2026, 7, 10), 14.0),
            (date(2026, 10, 23), 14.0),
            (date(2026, 10, 23), 13.5),
            (TODAY, 13.5),
        ]
        await pilot.press("right", "right")  # CPI y/y
        await settle(pilot)
        assert chart.monetary is not None and chart.monetary.series == "cpi-yoy"
        assert "CPI y/y: Kazakhstan (imf-sdmx, cpi-yoy)" in chart.render().plain


async def test_without_monetary_values_the_panel_says_so(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        notes = app.screen.query_one("#monetary-notes", Static)
        assert notes.display
        assert "No monetary series stored yet" in str(notes.render())
        lines = screen_lines(app)
        row = next(line for line in lines if line.startswith(" Kazakhstan "))
        # NBK's remittances are not asked for by default: no source gives them
        assert row.split()[1:] == ["n/a", "n/a", "n/a", "no", "source"]
        row = next(line for line in lines if line.startswith(" Uzbekistan "))
        assert row.split()[1:] == ["n/a", "n/a", "no", "source", "no", "source"]


async def test_the_pair_detail_says_the_local_policy_rate_inflation_and_real_rate(
    monetary: Settings,
) -> None:
    app = make_app(monetary)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # KZT
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        text = str(screen.query_one("#monetary", Static).render())
        assert text.splitlines() == [
            "Kazakhstan (NBK):",
            "  policy rate 13.50% since 23 Oct 2026, -0.50 pp (nbk-data)",
            "  inflation (CPI y/y) 12.6% Oct 2026 (imf-sdmx)",
            "  real rate +0.90% (policy 13.50% minus CPI 12.6% y/y, Oct 2026)",
        ]


def _clocked(settings: Settings, clock: list[datetime], **options: Any) -> TickerApp:
    return TickerApp(settings, collect=False, now=lambda: clock[0], animate=False, **options)


def status_line(app: App[None]) -> str:
    return screen_lines(app)[-2]


async def test_a_decision_leads_the_status_line_on_its_day_only(seeded: Settings) -> None:
    store(seeded, longest_values(decision_day=TODAY.isoformat()))
    clock = [NOW]
    app = _clocked(seeded, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = status_line(app)
        assert line.startswith(" NBK rate 13.50% from today, -0.50 pp  ·  "), line
        assert len(line.rstrip()) <= 80
        clock[0] = NOW + timedelta(days=1)  # the next day: gone at the next tick
        app.dashboard._tick()
        await pilot.pause()
        assert "NBK" not in status_line(app)


async def test_yesterdays_decision_does_not_lead(seeded: Settings) -> None:
    yesterday = TODAY - timedelta(days=1)
    store(seeded, longest_values(decision_day=yesterday.isoformat()))
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.decisions_mark is not None  # the policy rates were read
        assert "decision" not in status_line(app)


async def test_nothing_monetary_is_read_before_the_first_frame(monetary: Settings) -> None:
    read: list[str] = []
    at_first_frame: list[list[str]] = []
    clock = [NOW]
    app = _clocked(monetary, clock, after_first_frame=lambda: at_first_frame.append(list(read)))
    original = app.session.monetary

    def monetary_read(*args: Any, **kwargs: Any) -> Any:
        read.append("monetary")
        return original(*args, **kwargs)

    app.session.monetary = monetary_read  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert at_first_frame == [[]]
        assert read == ["monetary"]  # after the first data: the status line's decisions
