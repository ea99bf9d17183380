"""The market beside the official rate on the dashboard: the rates table's market column
(each pair's best cash buy/sell, worked out here by hand from the seeded boards; a
third party's marked; a reported rate; in the row's terms when the row is turned round),
read after the first frame and again when a new board is stored; folded at 80x24; the
pair's detail lines; the reported rates on the chart."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from textual.widgets import Static

import ticker.core.market
from tests.helpers.dashboard import NOW, make_app, repo_for, rows, settle
from tests.tui.market_seed import fx_board, nbt_board, quote, store_market
from ticker.config import Settings
from ticker.display.columns import MARKET
from ticker.display.format import format_rate
from ticker.model.health import HealthState, ProviderHealth
from ticker.model.pairs import Orientation
from ticker.tui.messages import MarketColumnLoaded, SnapshotLoaded
from ticker.tui.widgets.chart import Chart
from ticker.tui.widgets.rates import RatesTable


def _per_usd(settings: Settings) -> Settings:
    """The boards' way round: USD/TJS 9.345, as NBT's bank table publishes it."""
    display = dataclasses.replace(settings.display, orientation=Orientation.PER_USD)
    return dataclasses.replace(settings, display=display)


@pytest.fixture
def market(seeded: Settings) -> Settings:
    """NBT's board (USD/TJS: best cash buy 9.31 Orienbonk, best sell 9.38 Amonatbonk),
    fx.kg's (a third party; USD/KGS: best buy 87.20 Optima, best sell 87.60 Ayil Bank),
    and a reported USD/TMT of 19.5."""
    store_market(seeded, nbt_board())
    store_market(seeded, fx_board(), [("TMT", "19.5")])
    return seeded


def _market(app: Any) -> dict[str, str]:
    return {r["Pair"]: r[MARKET] for r in rows(app) if MARKET in r}


def _inverse(text: str) -> str:
    return format_rate(Decimal(1) / Decimal(text), 5)


async def test_the_column_shows_each_pairs_best_cash_buy_and_sell(market: Settings) -> None:
    app = make_app(_per_usd(market))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert _market(app) == {
            "USD/KGS": "87.20/87.60*",  # fx.kg: a third party's board, marked
            "USD/KZT": "",
            "USD/TJS": "9.31/9.38",  # NBT's own publication: no mark
            "USD/UZS": "",
            "USD/TMT": "reported 19.50",
        }
        labels = [str(c.label) for c in app.query_one(RatesTable).columns.values()]
        assert labels[:3] == ["Pair", "Rate", MARKET]  # beside the official rate


async def test_a_row_turned_round_has_the_prices_in_its_own_terms(market: Settings) -> None:
    # CBT healthy: the states are short, and the default orientation's longer numbers fit.
    repo = repo_for(market)
    repo.save_health(
        ProviderHealth("cbt", HealthState.OK, NOW, NOW, None, 0, NOW + timedelta(hours=1))
    )
    repo.close()
    app = make_app(market)  # the default orientation: TJS/USD, dollars per somoni
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = _market(app)
        # A bank's sell of dollars at 9.38 somoni is its buy of somoni at 1/9.38 dollars,
        # its buy of dollars at 9.31 its sell of somoni at 1/9.31: buy below sell still.
        assert shown["TJS/USD"] == "0.10661/0.10741"
        assert shown["TJS/USD"] == f"{_inverse('9.38')}/{_inverse('9.31')}"
        assert shown["KGS/USD"] == f"{_inverse('87.60')}/{_inverse('87.20')}*"
        assert shown["KGS/USD"] == "0.011416/0.011468*"
        assert shown["TMT/USD"] == "reported 0.051282"
        rate = {r["Pair"]: Decimal(r["Rate"]) for r in rows(app)}["TJS/USD"]
        buy, sell = (Decimal(p) for p in shown["TJS/USD"].split("/"))
        assert buy < rate < sell  # the official rate sits between them, as on the board
        app.dashboard.action_flip()  # the boards' way round again
        await settle(pilot)
        assert _market(app)["USD/TJS"] == "9.31/9.38"


async def test_the_column_folds_first_at_80x24(market: Settings) -> None:
    app = make_app(_per_usd(market))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(RatesTable)
        assert table.market  # read: the column is there to show, and left out for room
        labels = [str(c.label) for c in table.columns.values()]
        assert MARKET not in labels
        # Everything else as without a market: the market is the first to go.
        entries, table.market = table.market, []
        without = table.fit_to(table.views, 5, app.size.width).columns
        assert list(without) == labels
        table.market = entries
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert _market(app)["USD/TJS"] == "9.31/9.38"


async def test_without_a_board_there_is_no_column(seeded: Settings) -> None:
    app = make_app(_per_usd(seeded))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert rows(app) and all(MARKET not in r for r in rows(app))


async def test_the_first_data_is_on_screen_before_the_market_is_read(
    market: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The market is read after the first data is shown: held up, the rates are on the
    screen without it; let go, the column fills."""
    release = threading.Event()
    asked: list[bool] = []
    read = ticker.core.market.MarketColumn.read

    def held(self: Any, reads: Any, now: Any) -> Any:
        asked.append(True)
        assert release.wait(30)  # a hang guard, never a time limit
        return read(self, reads, now)

    monkeypatch.setattr(ticker.core.market.MarketColumn, "read", held)
    seen: list[type] = []
    app = make_app(_per_usd(market))
    async with app.run_test(size=(100, 30), message_hook=lambda m: seen.append(type(m))) as pilot:
        for _ in range(200):
            if asked and rows(app):
                break
            await pilot.pause(0.05)
        assert asked and rows(app)[2]["Pair"] == "USD/TJS"
        assert all(MARKET not in r for r in rows(app))
        assert seen.index(SnapshotLoaded) >= 0 and MarketColumnLoaded not in seen
        release.set()
        await settle(pilot)
        assert seen.index(SnapshotLoaded) < seen.index(MarketColumnLoaded)
        assert _market(app)["USD/TJS"] == "9.31/9.38"


async def test_a_new_board_refreshes_the_column(market: Settings) -> None:
    app = make_app(_per_usd(market))
    app.looks.gap = 0.0  # the look reads at once (the pace: test_look_pace.py)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert _market(app)["USD/TJS"] == "9.31/9.38"
        # Another collector stores a new price: Orienbonk now sells at 9.36.
        store_market(market, [quote("nbt-banks", "Orienbonk", ("USD", "TJS"), "9.32", "9.36")])
        app._reload_if_changed()  # the next look at the store (every second)
        await settle(pilot)
        assert _market(app)["USD/TJS"] == "9.32/9.36"


async def test_the_market_is_not_read_again_when_it_did_not_move(market: Settings) -> None:
    app = make_app(_per_usd(market))
    loaded: list[object] = []
    async with app.run_test(
        size=(100, 30),
        message_hook=lambda m: loaded.append(m) if isinstance(m, MarketColumnLoaded) else None,
    ) as pilot:
        await settle(pilot)
        assert len(loaded) == 1
        app.load_snapshot()  # a read of the store, the market unchanged
        await settle(pilot)
        assert len(loaded) == 1


def _detail_text(app: Any) -> str:
    return str(app.screen.query_one("#market", Static).render())


async def test_the_detail_says_each_channels_best_prices(market: Settings) -> None:
    app = make_app(_per_usd(market))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")  # USD/TJS
        await settle(pilot)
        text = _detail_text(app)
        # NBT's 9.345: 9.38 is (9.38 - 9.345) / 9.345 = +0.3745%, 9.31 is -0.3745%.
        assert "Market USD/TJS, as the boards publish it:" in text
        assert (
            "cash sell 9.38, +0.37% vs NBT (Amonatbonk); buy 9.31, -0.37% vs NBT (Orienbonk)"
            " · 3 institutions · quoted 1h00m ago · official source"
        ) in text
        # Eskhata's card: (9.36 - 9.345) / 9.345 = +0.1605%.
        assert "card sell 9.36, +0.16% vs NBT (Eskhata); buy 9.33, -0.16% vs NBT" in text
        assert "* a third party's board" in text  # the column's mark, said


async def test_the_detail_names_a_third_party_and_a_reported_rate(market: Settings) -> None:
    app = make_app(_per_usd(market))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # USD/KGS
        await settle(pilot)
        text = _detail_text(app)
        # NBKR's 87.45: 87.60 is +0.1715%, 87.20 is -0.2859%.
        assert "cash sell 87.60, +0.17% vs NBKR (Ayil Bank); buy 87.20, -0.29% vs NBKR" in text
        assert text.split("\n")[1].endswith("· third party")
        await pilot.press("escape")
        await pilot.press("j", "j", "j", "j", "enter")  # USD/TMT
        await settle(pilot)
        text = _detail_text(app)
        assert "reported USD/TMT 19.50 · Ashgabat, cash, heard 23 Nov · 2026-11-23" in text
        assert "Market USD/TMT" not in text  # no board: no market line


async def test_the_detail_of_a_pair_without_market_has_no_market_lines(
    seeded: Settings,
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert not app.screen.query("#market")


@pytest.mark.parametrize(
    ("orientation", "peg", "reported"),
    [
        (Orientation.PER_USD, Decimal("3.50"), Decimal("19.5")),
        (Orientation.USD_PER, 1 / Decimal("3.50"), 1 / Decimal("19.5")),
    ],
)
async def test_the_chart_plots_reported_rates_beside_the_peg(
    market: Settings, orientation: Orientation, peg: Decimal, reported: Decimal
) -> None:
    settings = market
    if orientation is Orientation.PER_USD:
        settings = _per_usd(market)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j")  # TMT
        await settle(pilot)
        chart = app.query_one(Chart)
        official, said = chart.series
        assert official.provider == "cbt" and said.provider == "reported"
        assert set(official.values) == {official.values[-1]}  # the flat peg
        assert abs(official.values[-1] - peg) < Decimal("1e-15")
        assert said.dates == [NOW.date()] and abs(said.values[0] - reported) < Decimal("1e-15")
        assert chart.legend().plain == "━━ CBT  ◆ reported"
        assert "◆" in chart.render().plain  # a marked point, not a line


async def test_only_the_pairs_own_reports_are_charted(market: Settings) -> None:
    app = make_app(_per_usd(market))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")  # USD/TJS: its market is a board, no report
        await settle(pilot)
        assert [s.provider for s in app.query_one(Chart).series] == ["nbt"]
