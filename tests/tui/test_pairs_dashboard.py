"""The dashboard with pairs beyond the dollar watched (issue 28): every watched pair in
the table and the strip, grouped by its foreign currency; the chart, the detail and the
converter of such a pair; ``f`` on one turns that pair alone, remembered. At 80x24 with
20 pairs and at 100x30."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select, Static

from tests.helpers.dashboard import make_app, rows, settle
from tests.tui.pairs_seed import OWN_ROWS, WATCH, pairs_settings
from ticker.core.preferences import flipped_pairs, remember_flip
from ticker.model.pairs import Pair, parse_pair
from ticker.model.snapshot import CROSS_SERIES
from ticker.tui.app import TickerApp
from ticker.tui.screens.converter import ConverterScreen
from ticker.tui.screens.detail import DetailScreen
from ticker.tui.widgets.chart import Chart
from ticker.tui.widgets.rates import RatesTable
from ticker.tui.widgets.strip import StripTicker

#: The rows the table shows, labels and pairs, in order ([display]'s orientation: KGS/USD).
SHOWN = [
    "─ USD", "KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD",
    "─ RUB", "RUB/TJS", "RUB/KGS", "RUB/UZS", "RUB/KZT", "RUB/TMT",
    "─ EUR", "EUR/KGS", "EUR/KZT", "EUR/TJS", "EUR/UZS",
    "─ CNY", "CNY/KGS", "CNY/KZT",
    "─ local", "KZT/KGS", "UZS/TJS", "TJS/KGS", "TMT/UZS",
]  # fmt: skip


def selected(app: TickerApp) -> str:
    view = app.query_one(RatesTable).selected
    assert view is not None
    return str(view.pair)


async def select(pilot: Pilot[None], pair: str) -> None:
    """Move the cursor to ``pair`` from the top, as a user would."""
    app: TickerApp = pilot.app  # type: ignore[assignment]
    app.query_one(RatesTable).move_cursor(row=1)
    await settle(pilot)
    for _ in range(len(SHOWN)):
        if selected(app) == pair:
            return
        await pilot.press("j")
        await settle(pilot)
    raise AssertionError(f"{pair} never selected")


async def test_twenty_pairs_at_80x24_grouped_scrolling_the_chart_keeps_its_rows(
    tmp_path: Path, seeded
) -> None:
    """Every watched pair has its row, under its group's label; the table scrolls (at
    most its nine rows tall) and the chart is as tall as with the five dollar pairs."""
    default = make_app(seeded)
    async with default.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        default_chart = default.query_one(Chart).region.height
        default_table = default.query_one(RatesTable).region.height
    app = make_app(pairs_settings(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(RatesTable)
        assert [r["Pair"] for r in rows(app)] == SHOWN
        assert len(WATCH) == 20 and table.row_count == len(SHOWN)
        assert table.region.height == default_table  # it scrolls, not grows
        assert app.query_one(Chart).region.height == default_chart >= 9
        assert selected(app) == "KGS/USD"  # not the label above it
        assert table.max_scroll_y > 0
        # The columns fit beside the scrollbar: the state words are whole.
        shown = {r["Pair"]: r for r in rows(app)}
        assert shown["RUB/TJS"]["Rate"] == "0.1149" and shown["RUB/TJS"]["Source"] == "NBT"
        assert shown["KZT/KGS"]["Source"] == "NBKR"  # NBKR publishes the tenge: direct
        assert shown["UZS/TJS"]["Source"].endswith("×")  # a cross says it is one
        assert all(shown[p]["Fixings"] for p in SHOWN if not p.startswith("─"))
        # The cursor steps over the labels, both ways, and the chart follows.
        await select(pilot, "TMT/USD")
        await pilot.press("j")
        await settle(pilot)
        assert selected(app) == "RUB/TJS" and table.cursor_row == SHOWN.index("RUB/TJS")
        assert app.query_one(Chart).title.startswith("RUB/TJS")
        series = app.query_one(Chart).series
        assert [s.provider for s in series] == ["nbt"] and len(series[0].values) > 20
        assert series[0].values[-1] == Decimal(OWN_ROWS[("nbt", "RUB/TJS")])
        await pilot.press("k")
        await settle(pilot)
        assert selected(app) == "TMT/USD"
        await select(pilot, "TMT/UZS")  # the last row: scrolled into sight
        assert table.scroll_y > 0
        strip = app.query_one(StripTicker)
        texts = [t.plain for t in strip._items]
        assert len(texts) == 20 and texts[5].startswith("─ RUB RUB/TJS 0.1149")


async def test_a_cross_at_100x30_chart_detail_and_converter(tmp_path: Path) -> None:
    app = make_app(pairs_settings(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select(pilot, "TJS/KGS")  # no bank publishes it here: a cross via USD
        chart = app.query_one(Chart)
        assert [s.provider for s in chart.series] == [CROSS_SERIES]
        view = app.query_one(RatesTable).selected
        assert view is not None and view.is_cross
        assert chart.series[0].values[-1] == view.rate
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        said = str(app.screen.query_one("#crosses", Static).render())
        assert said.startswith("Shown via USD (a cross): ")
        assert "NBT USD/TJS 9.345 23 Nov" in said and "NBKR USD/KGS 87.45 23 Nov" in said
        await pilot.press("escape")
        await select(pilot, "RUB/KGS")
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen) and str(detail.pair) == "RUB/KGS"
        assert [(r.provider, r.rate, r.routed) for r in detail.detail.rows] == [
            ("nbkr", Decimal("1.1234"), True)
        ]
        await pilot.press("escape")
        await pilot.press("x")
        await settle(pilot)
        converter = app.screen
        assert isinstance(converter, ConverterScreen)
        assert converter.query_one("#from", Select).value == "RUB"
        assert converter.query_one("#to", Select).value == "KGS"
        assert {"EUR", "RUB", "CNY"} <= set(converter.currencies)
        line = str(converter.query_one("#result", Static).render())
        assert line == "100 RUB = 112.34 KGS: NBKR RUB/KGS 23 Nov, direct"


async def test_f_turns_one_pair_beyond_the_dollar_and_is_remembered(tmp_path: Path) -> None:
    settings = pairs_settings(tmp_path)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select(pilot, "RUB/KGS")
        await pilot.press("f")
        await settle(pilot)
        shown = [r["Pair"] for r in rows(app)]
        assert "KGS/RUB" in shown and "RUB/KGS" not in shown
        assert "KGS/USD" in shown and "RUB/TJS" in shown  # the others as they were
        assert selected(app) == "KGS/RUB"
        kgs_rub = next(r for r in rows(app) if r["Pair"] == "KGS/RUB")
        assert kgs_rub["Rate"] == "0.89015"  # 1 / 1.1234
        assert app.query_one(Chart).title.startswith("KGS/RUB")
    assert flipped_pairs(settings.pairs.others) == {"RUB/KGS"}
    again = make_app(settings)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = [r["Pair"] for r in rows(again)]
        assert "KGS/RUB" in shown and shown[1] == "KGS/USD"
        await select(pilot, "KGS/RUB")
        await pilot.press("f")
        await settle(pilot)
        assert "RUB/KGS" in [r["Pair"] for r in rows(again)]
        await select(pilot, "KGS/USD")  # a dollar pair: every dollar pair, as ever
        await pilot.press("f")
        await settle(pilot)
        shown = [r["Pair"] for r in rows(again)]
        assert shown[1:6] == ["USD/KGS", "USD/KZT", "USD/TJS", "USD/UZS", "USD/TMT"]
        assert "RUB/KGS" in shown and "RUB/TJS" in shown
    assert flipped_pairs(settings.pairs.others) == set()


def test_a_flip_is_kept_per_pair_as_written(tmp_path: Path) -> None:
    path = tmp_path / "dashboard.json"
    rub_kgs, eur_kzt = Pair("RUB", "KGS"), Pair("EUR", "KZT")
    remember_flip(rub_kgs, True, path)
    remember_flip(eur_kzt, True, path)
    remember_flip(eur_kzt, False, path)
    assert flipped_pairs([rub_kgs, eur_kzt], path) == {"RUB/KGS"}
    # Written the other way round since: shown as written, the old flip forgotten.
    assert flipped_pairs([rub_kgs.inverse], path) == set()
    assert parse_pair("KGS/RUB", any_pair=True).key == "RUB/KGS"


async def test_e_on_a_pair_beyond_the_dollar_exports_that_pair(tmp_path: Path) -> None:
    """``e`` on RUB/TJS offers that pair alone, as written, and writes NBT's rouble rows
    (40 days of them in the seed), not every pair's."""
    from textual.widgets import Input

    from ticker.tui.screens.forms import ExportForm

    app = make_app(pairs_settings(tmp_path))
    target = tmp_path / "rub-tjs.csv"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select(pilot, "RUB/TJS")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExportForm)
        title = str(form.query_one(".title", Static).render())
        assert "as RUB/TJS" in title
        assert form.query_one("#path", Input).value.endswith("ticker-RUB-TJS-2026-11-23.csv")
        form.query_one("#path", Input).value = str(target)
        await pilot.click("#export")
        await settle(pilot)
    lines = target.read_text().splitlines()
    pairs = {tuple(line.split(",")[1:3]) for line in lines[1:]}
    assert pairs == {("RUB", "TJS")}, pairs
    assert {line.split(",")[4] for line in lines[1:]} == {"nbt"}
    assert any(line.split(",")[3] == OWN_ROWS[("nbt", "RUB/TJS")] for line in lines[1:])
