"""The board screen (``m``): the institutions quoting the selected pair, sorted by the chosen
side with the best marked, ages and stale ones marked at a set clock, who publishes the
board, reported rates, the empty cases in words, its keys, and its refresh when a new
board is stored. At 80x24 and 100x30.

The clock: Tuesday 24 November 2026, 00:10 in Dushanbe (Monday 19:10 UTC), just after
local midnight: Monday evening's quotes are current (until Tuesday's banking day has been
open for its grace), Saturday's are stale.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from providers.calendar import ALMATY, DUSHANBE
from providers.market_quote import Channel, MarketQuote
from tests.helpers.dashboard import repo_for, settle
from ticker.config import Settings
from ticker.tui.app import TickerApp
from ticker.tui.screens.market import MarketScreen

CLOCK = datetime(2026, 11, 24, 0, 10, tzinfo=DUSHANBE)
MONDAY_EVENING = datetime(2026, 11, 23, 18, 0, tzinfo=DUSHANBE)
SATURDAY = datetime(2026, 11, 21, 17, 0, tzinfo=DUSHANBE)
SIZES = [(80, 24), (100, 30)]

#: (institution, buy, sell, quoted at) on NBT's cash board (the official USD/TJS: 9.3450).
TJS_CASH: list[tuple[str, str | None, str, datetime]] = [
    ("Амонатбонк", "9.30", "9.40", MONDAY_EVENING),
    ("Бонки Эсхата", "9.32", "9.38", MONDAY_EVENING - timedelta(hours=1)),
    ("Ориёнбонк ҷ ӯ ҳ қ ғ", "9.31", "9.36", MONDAY_EVENING - timedelta(minutes=30)),
    ("Spitamen Bank", None, "9.37", MONDAY_EVENING),
    ("Тавҳидбонк", "9.35", "9.35", SATURDAY),  # the best prices, but stale
]


def _quote(source: str, name: str, pair: tuple[str, str], channel: Channel, buy: Any,
           sell: Any, at: Any, city: str = "") -> MarketQuote:  # fmt: skip
    return MarketQuote(
        source, name, pair[0], pair[1], channel,
        Decimal(buy) if buy else None, Decimal(sell) if sell else None,
        at, at + timedelta(minutes=5), city=city,
    )  # fmt: skip


def store(settings: Settings, quotes: list[MarketQuote]) -> None:
    repo = repo_for(settings)
    repo.store_quotes(quotes, {}, Decimal(50))


def tjs_board() -> list[MarketQuote]:
    rows = [_quote("nbt-banks", *r[:1], ("USD", "TJS"), Channel.CASH, *r[1:]) for r in TJS_CASH]
    rows.append(_quote("nbt-banks", "Амонатбонк", ("USD", "TJS"), Channel.CARD, "9.28", "9.45",
                       MONDAY_EVENING))  # fmt: skip
    rows.append(_quote("nbt-banks", "Амонатбонк", ("EUR", "TJS"), Channel.CASH, "10.70", "10.95",
                       MONDAY_EVENING))  # fmt: skip
    return rows


def app_for(settings: Settings) -> TickerApp:
    return TickerApp(settings, collect=False, now=lambda: CLOCK.astimezone(UTC), animate=False)


def board_rows(app: TickerApp) -> list[dict[str, str]]:
    table = app.screen.query_one("#board", DataTable)
    labels = [str(c.label).removesuffix(" ▾") or "mark" for c in table.columns.values()]
    return [
        dict(zip(labels, (cell.plain for cell in table.get_row_at(i)), strict=True))
        for i in range(table.row_count)
    ]


def said(app: TickerApp, where: str) -> str:
    widget = app.screen.query_one(where, Static)
    return str(widget.render()) if widget.display else ""


async def open_board(pilot: Any, *keys: str) -> MarketScreen:
    await settle(pilot)
    await pilot.press(*keys, "m")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MarketScreen)
    return pilot.app.screen


@pytest.fixture
def tjs(seeded: Settings) -> Settings:
    store(seeded, tjs_board())
    return seeded


def _select(local: str) -> list[str]:
    """The keys that select ``local``'s dollar row in the rates table (KGS first)."""
    return ["j"] * ["KGS", "KZT", "TJS", "UZS", "TMT"].index(local)


@pytest.mark.parametrize("size", SIZES)
async def test_the_board_is_sorted_by_the_chosen_side_best_marked_stale_last(
    tjs: Settings, size: tuple[int, int]
) -> None:
    app = app_for(tjs)
    async with app.run_test(size=size) as pilot:
        await open_board(pilot, *_select("TJS"))
        rows = board_rows(app)
        # Sell (what a customer buying dollars pays): the lowest first; the stale
        # quote's better price after every current one, not marked best.
        assert [r["Sell"] for r in rows] == ["9.36", "9.37", "9.38", "9.40", "9.35"]
        assert rows[0]["Institution"].startswith("Ориёнбонк ҷ")
        assert [r["mark"] for r in rows] == ["best", "", "", "", "stale"]
        assert rows[0]["vs NBT"] == "+0.16%"
        assert rows[0]["Age"] == "6h40m ago"  # quoted 17:30 Monday, Dushanbe
        assert rows[-1]["Age"] == "2d ago"
        assert "USD/TJS cash" in said(app, "#title")
        assert "nbt-banks · official source" in said(app, "#title")
        best = said(app, "#best").splitlines()
        assert best[0].startswith("best sell 9.36, +0.16% vs NBT: Ориёнбонк")
        assert best[1].startswith("best buy 9.32, -0.27% vs NBT: Бонки Эсхата")
        assert "1 stale left out" in said(app, "#figures")
        await pilot.press("s")  # buy: the highest first; Spitamen buys none: last
        await settle(pilot)
        rows = board_rows(app)
        assert [r["Buy"] for r in rows] == ["9.32", "9.31", "9.30", "9.35", "-"]
        assert rows[0]["Institution"] == "Бонки Эсхата"
        assert [r["mark"] for r in rows] == ["best", "", "", "stale", ""]
        for row in rows:  # every number whole, at either size
            for column in ("Buy", "Sell", "vs NBT"):
                assert row[column] == "-" or row[column].strip("+-%").replace(".", "").isdigit()


@pytest.mark.parametrize("size", SIZES)
async def test_channel_and_currency_keys_switch_the_board(
    tjs: Settings, size: tuple[int, int]
) -> None:
    app = app_for(tjs)
    async with app.run_test(size=size) as pilot:
        await open_board(pilot, *_select("TJS"))
        await pilot.press("c")  # the next channel quoted: card
        await settle(pilot)
        assert "USD/TJS card" in said(app, "#title")
        assert [r["Sell"] for r in board_rows(app)] == ["9.45"]
        await pilot.press("c")  # round again to cash
        await settle(pilot)
        assert "USD/TJS cash" in said(app, "#title")
        await pilot.press("u")  # the euro
        await settle(pilot)
        assert "EUR/TJS cash" in said(app, "#title")
        assert [r["Sell"] for r in board_rows(app)] == ["10.95"]
        await pilot.press("u", "c")  # the rouble: nobody quotes it here
        await settle(pilot)
        assert "RUB/TJS" in said(app, "#title")
        assert board_rows(app) == []
        assert "Nobody quotes RUB/TJS" in said(app, "#empty")
        await pilot.press("l")  # the next local currency: UZS, a third party's, off
        await settle(pilot)
        assert "USD/UZS cash" in said(app, "#title")
        assert "bank-uz · third party" in said(app, "#title")
        assert "bank-uz is off: third party, set [providers.bank-uz] enabled = true" in said(
            app, "#empty"
        )
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MarketScreen)


async def test_a_third_party_board_is_labelled_so(seeded: Settings) -> None:
    kz = [
        _quote("kurs-kz", "Обменник на Абая", ("USD", "KZT"), Channel.CASH, "476", "479",
               datetime(2026, 11, 23, 23, 50, tzinfo=ALMATY), city="Алматы"),
        _quote("kurs-kz", "Миг", ("USD", "KZT"), Channel.CASH, "477.5", "478.6",
               datetime(2026, 11, 23, 23, 0, tzinfo=ALMATY), city="Астана"),
    ]  # fmt: skip
    store(seeded, kz)
    app = app_for(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, *_select("KZT"))
        assert "kurs-kz · third party" in said(app, "#title")
        rows = board_rows(app)
        assert [r["Sell"] for r in rows] == ["478.60", "479.00"]  # five significant digits
        assert [r["City"] for r in rows] == ["Астана", "Алматы"]
        assert rows[0]["vs NBK"] == "-0.04%"  # against NBK's 478.77


async def test_tmt_has_reported_rates_only(seeded: Settings) -> None:
    repo = repo_for(seeded)
    repo.report_rate("USD", "TMT", Decimal("19.5"), "Ashgabat, cash, heard 22 Nov",
                     CLOCK.astimezone(UTC) - timedelta(days=2))  # fmt: skip
    app = app_for(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, *_select("TMT"))
        assert board_rows(app) == []
        empty = said(app, "#empty")
        assert "No market source for TMT" in empty
        assert "report a rate with `ticker market report TMT RATE`" in empty
        assert said(app, "#reported") == (
            "reported USD/TMT 19.50 · Ashgabat, cash, heard 22 Nov · 2d ago"
        )


async def test_no_board_stored_says_so(seeded: Settings) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, *_select("TJS"))
        assert board_rows(app) == []
        assert said(app, "#empty").startswith("No TJS board stored yet: nbt-banks is polled")
        assert said(app, "#reported") == ""


async def test_a_new_board_stored_is_shown(tjs: Settings) -> None:
    """Another process stores a board (the store's commit is seen, the data mark moves):
    the screen reads its market again, with nothing pressed."""
    app = app_for(tjs)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_board(pilot, *_select("TJS"))
        assert len(board_rows(app)) == 5
        later = MONDAY_EVENING + timedelta(hours=5)
        store(tjs, [_quote("nbt-banks", "Коммерсбонк", ("USD", "TJS"), Channel.CASH,
                           "9.33", "9.34", later)])  # fmt: skip
        await _until(pilot, lambda: len(board_rows(app)) == 6)
        rows = board_rows(app)
        assert rows[0]["Institution"] == "Коммерсбонк" and rows[0]["mark"] == "best"


async def _until(pilot: Any, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30  # a hang guard, never a time limit
    while not done():
        assert time.monotonic() < deadline, "never shown"
        await pilot.pause(0.1)


def test_names_are_cut_at_a_word_never_a_number() -> None:
    from ticker.tui.screens.market import layout

    heads = ["Institution", "City", "Buy", "Sell ▾", "vs NBT", "Age", ""]
    row = ["Бонки миллии Тоҷикистон филиали Хуҷанд", "Хуҷанд", "12194.21", "12250", "+0.40%",
           "10h05m ago", "best"]  # fmt: skip
    wide = layout(heads, [row], 100)
    assert wide.city and wide.widths[0] >= 12
    narrow = layout(heads, [row], 60)
    assert not narrow.city  # the city goes before the names get too narrow
    assert narrow.widths[1:] == (8, 6, 6, 10, 4)


def _third_party_on(settings: Settings) -> Settings:
    providers = dict(settings.providers)
    providers["kurs-kz"] = dataclasses.replace(providers["kurs-kz"], enabled=True)
    return dataclasses.replace(settings, providers=providers)


async def test_a_third_party_source_on_with_nothing_stored_yet(seeded: Settings) -> None:
    app = app_for(_third_party_on(seeded))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, *_select("KZT"))
        assert said(app, "#empty").startswith("No KZT board stored yet: kurs-kz is polled")


def test_the_board_at_100x30(snap_compare: Any, tjs: Settings) -> None:
    async def run_before(pilot: Any) -> None:
        await open_board(pilot, *_select("TJS"))

    assert snap_compare(app_for(tjs), terminal_size=(100, 30), run_before=run_before)
