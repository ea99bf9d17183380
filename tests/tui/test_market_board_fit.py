"""The board screen (``m``) as a user's eye found it: a long board fits the terminal
(no scrollbar of the screen, none sideways, the best marker whole), only the board pair's
reported rates are listed, every currency a board of the local currency quotes is
reached with ``u``, and the header names the official rate the distances are from. At
80x24 and 100x30; the clock and the boards are :mod:`tests.tui.test_market_board`'s.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from textual.widgets import DataTable

from providers.calendar import BISHKEK
from providers.market_quote import Channel, MarketQuote
from tests.helpers.dashboard import repo_for, settle
from tests.tui.test_market_board import (
    CLOCK,
    MONDAY_EVENING,
    SIZES,
    _quote,
    _select,
    app_for,
    board_rows,
    open_board,
    said,
    store,
    tjs_board,
)
from ticker.config import Settings
from ticker.tui.screens.market import MarketScreen

#: Forty institutions (the board size the issue budgets for; NBT's recorded table has
#: 22), some with long names, two sharing the best sell.
NAMES = [
    "Бонки сармоягузорӣ ва қарзии Тоҷикистон",
    "Бонки байналмилалии Тоҷикистон",
    *(f"Бонки рақами {i}" for i in range(38)),
]


def long_board() -> list[MarketQuote]:
    sells = ["9.26", "9.26", *(f"9.{27 + i % 3}" for i in range(38))]
    return [
        _quote("nbt-banks", n, ("USD", "TJS"), Channel.CASH, "9.18", s, MONDAY_EVENING)
        for n, s in zip(NAMES, sells, strict=True)
    ]


@pytest.fixture
def tjs(seeded: Settings) -> Settings:
    store(seeded, tjs_board())
    return seeded


def screen_lines(app: Any) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_board_fits_the_terminal(seeded: Settings, size: tuple[int, int]) -> None:
    store(seeded, long_board())
    app = app_for(seeded)
    async with app.run_test(size=size) as pilot:
        screen = await open_board(pilot, *_select("TJS"))
        table = screen.query_one("#board", DataTable)
        # The screen never scrolls (its scrollbar would take two columns from the
        # board): the table scrolls inside the rows left to it.
        assert not screen.show_vertical_scrollbar and not screen.show_horizontal_scrollbar
        assert table.region.width == size[0]
        assert not table.show_horizontal_scrollbar
        assert table.show_vertical_scrollbar  # 40 lines: more than the rows left
        widths = sum(c.get_render_width(table) for c in table.columns.values())
        assert widths + 1 <= size[0]  # every column and the table's own scrollbar
        lines = screen_lines(app)
        assert lines[-1].lstrip().startswith("esc Back")  # the footer, on the last row
        shown = [line for line in lines if line.lstrip().startswith("Бонки сармоягузорӣ")]
        assert len(shown) == 1 and shown[0].rstrip().endswith("best")  # whole, not `bes`
        assert [r["mark"] for r in board_rows(app)[:3]] == ["best", "best", ""]
        assert not any("▁▁" in line or "▃▃" in line for line in lines)


@pytest.mark.parametrize("size", SIZES)
async def test_only_the_board_pairs_reported_rates(tjs: Settings, size: tuple[int, int]) -> None:
    repo = repo_for(tjs)
    when = CLOCK.astimezone(UTC) - timedelta(days=1)
    repo.report_rate("USD", "TJS", Decimal("9.20"), "Khujand, cash", when)
    repo.report_rate("TJS", "EUR", Decimal("0.0925"), "the other way round", when)
    app = app_for(tjs)
    async with app.run_test(size=size) as pilot:
        await open_board(pilot, *_select("TJS"))
        assert said(app, "#reported") == "reported USD/TJS 9.20 · Khujand, cash · 1d ago"
        await pilot.press("u")  # EUR/TJS: the dollar's report is not this board's
        await settle(pilot)
        assert "EUR/TJS cash" in said(app, "#title")
        text = said(app, "#reported")
        assert "USD/TJS" not in text
        # Reported as TJS/EUR, said in the board's terms first.
        assert text.startswith("reported EUR/TJS 10.811 (given as TJS/EUR 0.0925)")


@pytest.mark.parametrize("size", SIZES)
async def test_u_reaches_every_currency_a_board_quotes(
    seeded: Settings, size: tuple[int, int]
) -> None:
    at = datetime(2026, 11, 23, 23, 0, tzinfo=BISHKEK)
    store(
        seeded,
        [
            _quote("fx-kg", "Optima", ("USD", "KGS"), Channel.CASH, "87.20", "87.70", at),
            _quote("fx-kg", "Optima", ("KZT", "KGS"), Channel.CASH, "0.1650", "0.1850", at),
            # A currency the record does not name: found in the stored quotes.
            _quote("fx-kg", "Optima", ("CNY", "KGS"), Channel.CASH, "11.90", "12.40", at),
        ],
    )
    app = app_for(seeded)
    async with app.run_test(size=size) as pilot:
        screen = await open_board(pilot, *_select("KGS"))
        seen = [screen.pair]
        for _ in range(5):
            await pilot.press("u")
            await settle(pilot)
            seen.append(screen.pair)
        assert seen == ["USD/KGS", "EUR/KGS", "RUB/KGS", "CNY/KGS", "KZT/KGS", "USD/KGS"]
        for _ in range(4):
            await pilot.press("u")
            await settle(pilot)
        assert screen.pair == "KZT/KGS"
        assert [r["Sell"] for r in board_rows(app)] == ["0.185"]
        assert "KZT/KGS cash · fx-kg · third party" in said(app, "#title")


@pytest.mark.parametrize("size", SIZES)
async def test_the_header_names_the_official_rate(tjs: Settings, size: tuple[int, int]) -> None:
    app = app_for(tjs)
    async with app.run_test(size=size) as pilot:
        await open_board(pilot, *_select("TJS"))
        figures = said(app, "#figures")
        # NBT's 9.3450 of Monday 23 November (the seeded fixing), once, first.
        assert figures.startswith("official 9.345 (NBT, 23 Nov) · median 9.31 / 9.375")
        assert figures.count("official") == 1
        assert "1 stale left out" in figures  # the figures wrap at 80, never cut
        assert all(len(line) <= size[0] for line in figures.splitlines())
        await pilot.press("u")  # EUR/TJS: no official euro rate is stored
        await settle(pilot)
        assert said(app, "#figures").startswith("no official rate stored · median 10.70")


async def test_a_board_without_a_summary_says_no_official_line(tjs: Settings) -> None:
    app = app_for(tjs)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot, *_select("TJS"))
        await pilot.press("u", "u")  # RUB/TJS: nobody quotes it
        await settle(pilot)
        assert isinstance(screen, MarketScreen) and board_rows(app) == []
        assert said(app, "#figures") == ""
