"""Issue 29's budget: a board of 40 institutions renders within the dashboard's refresh
budget. Measured headless (Textual's test driver, 100x30) in one run, interleaved: the board
screen drawing its 40 lines from the market it was handed (the board and its summary
computed, fitted to the width, the table rebuilt, and the frame painted), against a
minimal Textual DataTable of the same 40 rows and 7 columns rebuilt and painted. Reading
the store is not in it (a worker does that, off the loop, bounded)."""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from benchmarks.harness import Figure

#: The board screen may take this many times the plain table's rebuild and paint.
GOAL = 2.0
INSTITUTIONS = 40
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _view(count: int) -> Any:
    from providers.market_quote import Channel
    from ticker.core.market import MarketView
    from ticker.model.market_records import StoredQuote

    quotes: list[StoredQuote] = []
    for i in range(count):
        for channel in (Channel.CASH, Channel.CARD):
            at = NOW - timedelta(minutes=7 * i)
            buy, sell = (
                Decimal("9.30") + Decimal(i % 9) / 100,
                Decimal("9.40") + Decimal(i % 7) / 100,
            )
            name, city = f"Бонки тиҷоратии №{i} ҷ ӯ ҳ қ ғ", "Душанбе" if i % 3 else ""
            quotes.append(StoredQuote(
                len(quotes) + 1, "nbt-banks", name, city, "USD", "TJS", channel, buy, sell,
                at, at, at, at,
            ))  # fmt: skip
    official = {"USD/TJS": Decimal("9.3450")}
    return MarketView(quotes, [], official, {"USD/TJS": "nbt"}, [])


class _Board(App[None]):
    """Just enough of the dashboard's app for the board screen: a clock, the settings,
    and a worker that reads nothing."""

    def __init__(self) -> None:
        from ticker.config import Settings

        super().__init__()
        self.settings = Settings()

    def now(self) -> datetime:
        return NOW

    def load_market_board(self, local: str) -> None:
        pass


class _Plain(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


async def _board_times(rounds: int) -> list[float]:
    from ticker.tui.messages import MarketLoaded
    from ticker.tui.screens.market import MarketScreen

    app, view = _Board(), _view(INSTITUTIONS)
    times = []
    async with app.run_test(size=(100, 30)) as pilot:
        screen = MarketScreen("TJS", "USD", ["TJS"])
        await app.push_screen(screen)
        await pilot.pause()
        for _ in range(rounds):
            started = time.perf_counter()
            screen.show_market(MarketLoaded("TJS", view))
            await pilot.pause()
            times.append(time.perf_counter() - started)
        assert screen.query_one("#board", DataTable).row_count == INSTITUTIONS
    return times


async def _plain_times(rounds: int) -> list[float]:
    from rich.text import Text

    app = _Plain()
    rows = [
        [Text(f"Бонки тиҷоратии №{i}"), Text("Душанбе"), Text("9.31", justify="right"),
         Text("9.41", justify="right"), Text("+0.70%", justify="right"),
         Text(f"{i}m ago", justify="right"), Text("")]
        for i in range(INSTITUTIONS)
    ]  # fmt: skip
    times = []
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(DataTable)
        await pilot.pause()
        for _ in range(rounds):
            started = time.perf_counter()
            table.clear(columns=True)
            for name in ("Institution", "City", "Buy", "Sell", "vs NBT", "Age", ""):
                table.add_column(name)
            for row in rows:
                table.add_row(*row)
            await pilot.pause()
            times.append(time.perf_counter() - started)
    return times


def figures(rounds: int) -> list[Figure]:
    board: list[float] = []
    plain: list[float] = []
    for i in range(3):  # interleaved: noise hits both alike
        for ours in (True, False) if i % 2 == 0 else (False, True):
            if ours:
                board += asyncio.run(_board_times(rounds))
            else:
                plain += asyncio.run(_plain_times(rounds))
    b, p = statistics.median(board), statistics.median(plain)
    ratio = b / p
    return [
        Figure(
            f"market board of {INSTITUTIONS} institutions drawn, vs a plain DataTable of "
            f"{INSTITUTIONS} rows",
            f"{ratio:.2f}x ({b * 1000:.1f} vs {p * 1000:.1f} ms)",
            f"<= {GOAL:g}x",
            ratio <= GOAL,
        )
    ]


if __name__ == "__main__":
    for figure in figures(30):
        print(figure.line(), flush=True)  # noqa: T201 - a bench prints its figures
