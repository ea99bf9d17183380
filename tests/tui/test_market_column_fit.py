"""The market on the dashboard as a user's eye found it: the rates table's market column
at 100x30 (the inverted numbers and a long state too; it folds at 80x24), the ``m`` key
in the footer where there is room, a reported point on the chart said in the chart's
terms, and the detail's reported rate in the row's terms. The boards are
:mod:`tests.tui.market_seed`'s (a reported USD/TMT 19.5)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest
from textual.widgets import Static

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY, make_app, repo_for, rows, settle
from tests.tui.market_seed import fx_board, nbt_board, store_market
from tests.tui.test_keys import AT_80, footer
from ticker.config import Settings
from ticker.display.columns import MARKET, fit
from ticker.model.pairs import Orientation
from ticker.tui.widgets.chart import Chart
from ticker.tui.widgets.rates import RatesTable

SIZES = [(80, 24), (100, 30)]


@pytest.fixture
def market(seeded: Settings) -> Settings:
    store_market(seeded, nbt_board())
    store_market(seeded, fx_board(), [("TMT", "19.5")])
    return seeded


def _per_usd(settings: Settings) -> Settings:
    display = dataclasses.replace(settings.display, orientation=Orientation.PER_USD)
    return dataclasses.replace(settings, display=display)


def _labels(app: object) -> list[str]:
    return [str(c.label) for c in app.query_one(RatesTable).columns.values()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", SIZES)
async def test_the_market_column_shows_at_100x30(market: Settings, size: tuple[int, int]) -> None:
    """The default way round (``TJS/USD``): the inverted prices are long
    (``0.011416/0.011468*``) and CBT's state is ``▲ last poll failed``; at 100 columns the
    market still shows, the absolute change giving way to it; at 80 it folds."""
    app = make_app(market)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        labels = _labels(app)
        if size == (80, 24):
            assert MARKET not in labels
            assert labels == ["Pair", "Rate", "Chg%", "Fixings", "As of", "Source", "State"]
            return
        assert labels == ["Pair", "Rate", MARKET, "Chg%", "Fixings", "As of", "Source", "State"]
        shown = {r["Pair"]: r[MARKET] for r in rows(app)}
        assert shown["KGS/USD"] == "0.011416/0.011468*"
        assert shown["TMT/USD"] == "reported 0.051282"
        assert rows(app)[4]["State"] == "▲ last poll failed"  # whole, not shortened
        table = app.query_one(RatesTable)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= size[0]


def test_the_market_outranks_the_change_and_long_names_not_the_rest() -> None:
    """The priority: the market before the absolute change and the long source names;
    the sparkline (at its least), the state words in full and the rest before it."""
    full = {"Pair": 7, "Rate": 11, MARKET: 18, "Chg": 11, "Chg%": 6, "Fixings": 7}
    full |= {"As of": 6, "Source": 11, "State": 18}  # FRANKFURTER, a long state
    short = full | {"Source": 6, "State": 8}
    # Every column with the market: 2 cells of padding each.
    everything = sum(full.values()) + 2 * len(full)
    assert fit(everything, full, short, market=True).columns[2] == MARKET
    without_change = fit(everything - 13, full, short, market=True)
    assert MARKET in without_change.columns and "Chg" not in without_change.columns
    assert not without_change.short_sources
    short_names = fit(everything - 13 - 5, full, short, market=True)
    assert MARKET in short_names.columns and short_names.short_sources
    # Narrower: the market goes, before the states are shortened or the sparkline goes.
    narrower = fit(everything - 13 - 5 - 1, full, short, market=True)
    assert MARKET not in narrower.columns and not narrower.short_states
    assert narrower.spark >= 7


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ((80, 24), AT_80),
        ((100, 30), [*AT_80[:-1], "Convert", "Detail", "Help"]),
        ((140, 30), [*AT_80[:-1], "Convert", "Detail", "Market", "Overlay", "Theme", "Help"]),
        ((180, 40), [*AT_80[:-1], "Convert", "Detail", "Market", "Overlay", "Theme", "Help"]),
    ],
)
async def test_m_is_in_the_footer_where_there_is_room(
    seeded: Settings, size: tuple[int, int], shown: list[str]
) -> None:
    """After Detail: at 80 and 100 columns the keys before it take the room (as before);
    from 140 ``m Market`` is there."""
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert footer(app) == shown


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("orientation", "said"),
    [(Orientation.USD_PER, "reported 0.051282 on 23 Nov"), (Orientation.PER_USD, "reported 19.50")],
)
async def test_a_lone_reported_point_is_said_in_the_charts_terms(
    empty: Settings, size: tuple[int, int], orientation: Orientation, said: str
) -> None:
    repo = repo_for(empty)
    fetched = NOW - timedelta(minutes=5)
    repo.add_observations(
        [Observation("cbt", "USD", "TMT", TODAY, Decimal("3.50"), False, fetched)]
    )
    repo.report_rate("USD", "TMT", Decimal("19.5"), "Ashgabat, cash", NOW - timedelta(hours=2))
    repo.close()
    settings = empty if orientation is Orientation.USD_PER else _per_usd(empty)
    app = make_app(settings)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j")  # TMT
        await settle(pilot)
        text = app.query_one(Chart).render().plain
        assert f"only one fixing so far: CBT on 23 Nov, {said}" in text
        assert "REPORTED" not in text


@pytest.mark.parametrize("size", SIZES)
async def test_the_detail_says_a_reported_rate_in_the_rows_terms(
    market: Settings, size: tuple[int, int]
) -> None:
    app = make_app(market)  # the default way round: the row is TMT/USD 0.28571
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "enter")
        await settle(pilot)
        text = str(app.screen.query_one("#market", Static).render())
        assert (
            "reported TMT/USD 0.051282 (given as USD/TMT 19.50) · Ashgabat, cash, heard 23 Nov"
            " · 2026-11-23"
        ) in text
