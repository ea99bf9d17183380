"""The dashboard's chart under Pilot: a colour of the theme per source and a legend, the
range ending at the newest fixing (a day-ahead one included), room to draw at 80x24, and
a cursor reading out dates and values; every expected number is worked out here from the
seeded fixings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from rich.text import Text
from textual.color import Color

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY, make_app, rows, settle
from tests.helpers.seeded import seed, settings_for
from ticker.config import Settings
from ticker.display.format import format_percent, format_rate, format_rate_change
from ticker.storage.db import open_database
from ticker.storage.repository import Repository
from ticker.tui.screens.help import HelpScreen
from ticker.tui.widgets.chart import Chart

TOMORROW = TODAY + timedelta(days=1)  # Tuesday 24 November 2026
#: NBKR's day-ahead fixing, published today and dated tomorrow (som per dollar).
DAY_AHEAD = "87.61"


def nbkr_rate(day: date) -> Decimal:
    """The seeded NBKR fixing of ``day`` (tests/helpers/seeded.py: a weekly wave of
    ±0.3% around 87.45 over the 40 days up to today), or the day-ahead one."""
    if day == TOMORROW:
        return Decimal(DAY_AHEAD)
    back = (TODAY - day).days
    step = Decimal(back % 7 - 3) / 1000 if back else Decimal(0)
    return (Decimal("87.45") * (1 + step)).quantize(Decimal("87.45"))


@pytest.fixture
def day_ahead(tmp_path: Path) -> Iterator[Settings]:
    """The seeded store, plus NBKR's fixing dated tomorrow and a month of NBT's USD/KGS
    (three sources for the KGS overlay: NBKR, NBT, CBR)."""
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    repo = Repository(database)
    seed(repo)
    fetched = NOW - timedelta(minutes=5)
    extra = [Observation("nbkr", "USD", "KGS", TOMORROW, Decimal(DAY_AHEAD), False, fetched)]
    extra += [
        Observation(
            "nbt", "USD", "KGS", TODAY - timedelta(days=b), Decimal("87.30") + b % 5, False, fetched
        )
        for b in range(30)
    ]
    repo.add_observations(extra)
    database.dispose()
    yield settings_for(db)


def plot_rows(chart: Chart) -> list[str]:
    """The rows between the plot's frame (┌ … └), as drawn now."""
    lines = chart.render().plain.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[top + 1 : bottom]


def drawn_colors(chart: Chart) -> set[str]:
    """Every foreground colour the chart's text uses, as ``#rrggbb``."""
    rendered: Text = chart.render()
    found = set()
    for span in rendered.spans:
        style = span.style
        if not isinstance(style, str) and style.color is not None and style.color.triplet:
            found.add(style.color.triplet.hex.lower())
    return found


def braille(text: str) -> bool:
    return any("\u2800" < ch <= "\u28ff" for ch in text)


async def test_the_overlay_has_a_legend_and_a_colour_of_the_theme_per_source(
    day_ahead: Settings,
) -> None:
    app = make_app(day_ahead)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chart = app.query_one(Chart)
        assert chart.legend().plain == "━━ NBKR"  # one source: its name and colour
        await pilot.press("o")
        await settle(pilot)
        assert [s.provider for s in chart.series] == ["nbkr", "nbt", "cbr"]
        assert chart.legend().plain == "━━ NBKR  ━━ NBT  ━━ CBR"
        assert "━━ NBKR  ━━ NBT  ━━ CBR" in chart.render().plain
        colors = chart.line_colors
        assert len(set(colors.values())) == 3  # three sources, three colours
        theme = app.get_theme("textual-dark")
        assert theme is not None and app.theme == "textual-dark"
        # The shown source takes the theme's primary colour; every line is drawn in its own.
        assert colors["nbkr"] == Color.parse(theme.primary).hex
        assert {c.lower() for c in colors.values()} <= drawn_colors(chart)

        await pilot.press("t")  # the next theme
        await settle(pilot)
        assert app.theme == "textual-light"
        light = app.get_theme("textual-light")
        assert light is not None
        after = chart.line_colors
        assert after["nbkr"] == Color.parse(light.primary).hex
        assert after != colors and len(set(after.values())) == 3
        drawn = drawn_colors(chart)
        new = {c.lower() for c in after.values()}
        assert new <= drawn
        gone = {c.lower() for c in colors.values()} - new  # the dark theme's own
        assert gone and not gone & drawn


async def test_a_fixing_dated_tomorrow_ends_the_range_and_is_read_out(day_ahead: Settings) -> None:
    app = make_app(day_ahead)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert rows(app)[0]["As of"] == "24 Nov"  # the table shows the day-ahead fixing
        chart = app.query_one(Chart)
        assert chart.dates[-1] == TOMORROW and chart.cursor == TOMORROW
        # A month back from tomorrow: 31 days, to 24 October.
        assert chart.dates[0] == TOMORROW - timedelta(days=31) == date(2026, 10, 24)
        # 1 / 87.61 = 0.0114142... som: 0.011414 to five significant digits.
        assert chart.readout()[0].plain == "24 Nov  0.011414"
        assert "24 Nov" in chart.render().plain.splitlines()[-1]  # the last date below
        await pilot.press("f")
        await settle(pilot)
        assert chart.readout()[0].plain == "24 Nov  87.61"


async def test_at_80x24_the_chart_has_room_and_shows_data(day_ahead: Settings) -> None:
    app = make_app(day_ahead)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        chart = app.query_one(Chart)
        assert chart.size.height >= 8
        lines = plot_rows(chart)
        assert len(lines) >= 8 and braille("".join(lines))
        assert "no history" not in chart.render().plain
        await pilot.press("o")  # three sources: the header takes a line more
        await settle(pilot)
        assert len(plot_rows(chart)) >= 8
        # The panels fold away on a short terminal, and come back while focused.
        panels = app.query_one("#panels")
        assert panels.size.height == 0
        await pilot.press("tab", "tab")  # rates → chart → alerts
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "alerts"
        assert panels.size.height > 0
        await pilot.press("tab")
        await settle(pilot)
        assert panels.size.height == 0 and "no history" not in chart.render().plain


async def test_the_panels_stay_on_a_tall_terminal_and_with_an_empty_store(
    day_ahead: Settings, empty: Settings
) -> None:
    app = make_app(day_ahead)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.query_one("#panels").size.height > 0
        assert len(plot_rows(app.query_one(Chart))) >= 8
    app = make_app(empty)  # nothing to chart: the panels say what is polled
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.query_one("#panels").size.height > 0


async def test_the_cursor_moves_along_the_dates_and_reads_out_the_range(
    day_ahead: Settings,
) -> None:
    app = make_app(day_ahead)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chart = app.query_one(Chart)
        await pilot.press("tab")
        assert app.focused is chart
        await pilot.press("left", "left", "left")
        await pilot.pause()
        day = TOMORROW - timedelta(days=3)  # NBKR fixes every day
        assert chart.cursor == day == date(2026, 11, 21)
        # 21 Nov is two days back from the 23rd: 87.45 * (1 - 0.001) = 87.36 som, and
        # 1 / 87.36 = 0.0114468... som per dollar in KGS/USD.
        assert nbkr_rate(day) == Decimal("87.36")
        assert chart.readout()[0].plain == "21 Nov  0.011447"
        assert "│" in "".join(plot_rows(chart))  # the cursor's line, drawn while focused

        # The range: every NBKR fixing from 24 Oct to 24 Nov, in KGS/USD.
        days = [date(2026, 10, 24) + timedelta(days=i) for i in range(32)]
        values = [Decimal(1) / nbkr_rate(d) for d in days]
        low, high = min(values), max(values)
        change = values[-1] - values[0]
        pct = change / values[0] * 100
        expected = (
            f"low {format_rate(low)}  high {format_rate(high)}  "
            f"since 24 Oct {format_rate_change(change, values[-1], 5, values[0])} "
            f"{format_percent(pct)}"
        )
        assert chart.readout()[1].plain == expected

        await pilot.press("h", "l", "l")
        await pilot.pause()
        assert chart.cursor == date(2026, 11, 22)
        await pilot.press("home")
        await pilot.pause()
        assert chart.cursor == date(2026, 10, 24)
        assert chart.readout()[0].plain.startswith("24 Oct  ")
        await pilot.press("left")  # nothing before the first date
        await pilot.pause()
        assert chart.cursor == date(2026, 10, 24)
        await pilot.press("end")
        await pilot.pause()
        assert chart.cursor == TOMORROW

        # Overlay: each source's value on the cursor's date (CBR has today's only).
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("left")
        await pilot.pause()
        # NBT on 23 Nov (b = 0): 87.30 som; 1 / 87.30 = 0.0114547...; CBR's cross of
        # today equals NBKR's seeded 87.45: 0.0114351...
        assert chart.readout()[0].plain == "23 Nov  NBKR 0.011435  NBT 0.011455  CBR 0.011435"
        assert chart.readout()[1].plain == "NBKR " + expected


async def test_help_lists_the_chart_keys(day_ahead: Settings) -> None:
    app = make_app(day_ahead)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        import io

        from rich.console import Console
        from textual.widgets import Static

        out = io.StringIO()
        Console(file=out, width=72).print(app.screen.query_one(Static).content)
        text = " ".join(line.strip() for line in out.getvalue().splitlines())
        assert "← → h l  chart cursor: the date before / after" in text
        assert "Home End  chart cursor: the first / the last date" in text


async def test_new_data_for_the_charted_pair_redraws_the_chart_at_most_every_few_seconds(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round a second (a live store) redraws the table each time but the chart once per
    CHART_FOLLOWS_EVERY; another pair is charted at once."""
    import ticker.tui.screens.dashboard_chart as dashboard_module
    from tests.helpers.dashboard import repo_for

    monkeypatch.setattr(dashboard_module, "CHART_FOLLOWS_EVERY", 60.0)  # no test takes that long
    app = make_app(seeded)
    reads: list[str] = []
    load_chart = app.load_chart

    def counted(local: str, *args: object) -> object:
        reads.append(local)
        return load_chart(local, *args)

    monkeypatch.setattr(app, "load_chart", counted)
    repo = repo_for(seeded)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert reads == ["KGS"]
            for day in (1, 2):  # two rounds in quick succession, each a newer KGS fixing
                repo.add_observations(
                    [Observation("nbkr", "USD", "KGS", NOW.date() + timedelta(days=day),
                                 Decimal("87.5") + day, False, NOW)]
                )  # fmt: skip
                app.load_snapshot()
                await settle(pilot)
                assert rows(app)[0]["As of"] == f"{23 + day} Nov"  # the table at once
            assert reads == ["KGS"]  # the chart waits
            timer = app.dashboard._chart_timer
            assert timer is not None
            app.dashboard._chart_due()  # the wait is over (as its timer would say, 60 s on)
            await settle(pilot)
            assert reads == ["KGS", "KGS"]  # once, with the newest
            assert app.query_one(Chart).dates[-1] == NOW.date() + timedelta(days=2)
            await pilot.press("down")  # another pair: at once
            await settle(pilot)
            assert reads == ["KGS", "KGS", "KZT"]
    finally:
        repo.db.dispose()
