"""The board screen (``m``): for one local currency, foreign currency and channel, every
bank and exchange office quoting it, sorted by the chosen side (the best first, marked),
with its buy, its sell, the distance from the official rate, its city where the source
gives one and the age of its quote (stale ones dimmed and marked); above them the
summary (best buy and sell and who gives them, the median, the spread, ``+0.40% vs NBT``)
and who publishes the board (``nbt-banks · official source``, ``kurs-kz · third party``);
below them the rates reported by hand for the board's pair, as ``reported``, in its terms.
The summary's line names the official rate the distances are from (``official 9.345
(NBT, 23 Nov)``); ``u`` steps through every currency a board of the local one quotes.

It does no I/O: the app's worker reads the market of the local currency (every board
pair and channel at once: switching the side, the channel or the foreign currency reads
nothing) and hands it here; the app asks again when the store has new data, and the
ages are redrawn on the minute. Fitted to its size: names are cut after a word, numbers
never; the table as tall as the lines around it leave (it scrolls, the screen never does).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, cast

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Static

from providers.market_quote import Channel, Side
from ticker.display.market import board_cells, board_headers
from ticker.display.market_board import (
    best_lines,
    board_foreign,
    board_sources,
    empty_reason,
    figures_parts,
    official_text,
    reported_line,
    title_line,
)
from ticker.display.views import relative
from ticker.i18n.words import N_, _, ngettext
from ticker.model.market import CHANNEL_ORDER, BoardLine, board, summarise
from ticker.model.pairs import Pair
from ticker.tui.widgets.footer import KeyFooter
from ticker.tui.widgets.panels import fit_words

if TYPE_CHECKING:
    from ticker.core.market import MarketView
    from ticker.model.market_records import StoredQuote
    from ticker.tui.app import TickerApp
    from ticker.tui.messages import MarketLoaded

#: The side a board opens on: the bank's sell, what a customer buying the foreign pays.
FIRST_SIDE = Side.SELL
#: The channel a board opens on.
FIRST_CHANNEL = Channel.CASH
#: The reported rates listed under the board at most.
REPORTED_SHOWN = 4
#: The institution column's narrowest (below it the city column goes).
NAME_AT_LEAST = 12
#: The cells around a column's text (the table's padding) and the scrollbar's.
PADDING = 2
SCROLLBAR = 1


def wrap_parts(parts: Sequence[str], width: int, between: str = " · ") -> list[str]:
    """``parts`` joined by ``between`` on as few lines of ``width`` cells as they take,
    a part never split across two (a narrow screen moves a figure down, never cuts it)."""
    lines: list[str] = []
    for part in parts:
        longer = f"{lines[-1]}{between}{part}" if lines else part
        if lines and cell_len(longer) <= width:
            lines[-1] = longer
        else:
            lines.append(part)
    return lines


class Layout(NamedTuple):
    """The board's columns at a width: the titles, each one's width (the institution's
    what the others leave), and whether the city has a column."""

    headers: tuple[str, ...]
    widths: tuple[int, ...]
    city: bool


def layout(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> Layout:
    """Columns ``headers`` (institution first, then city, then the rest) for ``rows`` at
    ``width`` cells: every column but the institution's as wide as its widest cell, the
    institution's the rest; the city's column goes when it is empty or would leave the
    names under :data:`NAME_AT_LEAST` (the city is then said after the name)."""

    def need(i: int, keep: Sequence[int]) -> int:
        return max([cell_len(headers[i]), *(cell_len(r[i]) for r in rows)]) if keep else 0

    city = any(r[1] for r in rows)
    for with_city in (True, False) if city else (False,):
        kept = [i for i in range(len(headers)) if i != 0 and (i != 1 or with_city)]
        fixed = {i: need(i, kept) for i in kept}
        room = width - SCROLLBAR - PADDING * (len(kept) + 1) - sum(fixed.values())
        if room >= NAME_AT_LEAST or not with_city:
            names = max([cell_len(headers[0]), *(cell_len(r[0]) for r in rows)])
            widths = (max(min(room, names), 4), *(fixed[i] for i in kept))
            return Layout(tuple(headers[i] for i in (0, *kept)), widths, with_city)
    raise AssertionError("unreachable")  # pragma: no cover


class MarketScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,m", "app.pop_screen", N_("Back")),
        Binding("s", "side", N_("Side")),
        Binding("c", "channel", N_("Channel")),
        Binding("u", "foreign", N_("Currency")),
        Binding("l", "local", N_("Local")),
    ]
    DEFAULT_CSS = """
    MarketScreen #title { height: 1; text-style: bold; }
    MarketScreen #best { height: auto; }
    MarketScreen #figures { height: auto; }
    MarketScreen #board { height: auto; scrollbar-size-vertical: 1; }
    MarketScreen #empty { height: auto; color: $text-muted; padding: 1 0; }
    MarketScreen #reported { height: auto; color: $text-muted; }
    """

    def __init__(self, local: str, foreign: str, locals_: Sequence[str]) -> None:
        super().__init__()
        self.local = local
        self.foreign = foreign
        self.locals = list(locals_) or [local]
        self.channel = FIRST_CHANNEL
        self.side = FIRST_SIDE
        self.view: MarketView | None = None
        """The market of :attr:`local` as last read (None until the first read)."""
        self.lines: list[BoardLine[StoredQuote]] = []
        """The board as drawn, best first."""
        self._ages: Timer | None = None

    @property
    def ticker(self) -> TickerApp:
        return cast("TickerApp", self.app)

    @property
    def pair(self) -> str:
        return f"{self.foreign}/{self.local}"

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(id="best")
        yield Static(id="figures")
        table: DataTable[Text] = DataTable(id="board", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="empty")
        yield Static(id="reported")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#empty", Static).update(_("reading the store…"))
        self.ask()
        self._ages = self.set_interval(60, self.draw)  # the ages, and a quote going stale

    def ask(self) -> None:
        """Ask the app's worker for the market of :attr:`local` (the app also asks again
        while this screen is shown, when the store has new data)."""
        self.ticker.load_market_board(self.local)

    def show_market(self, message: MarketLoaded) -> None:
        """The worker's answer (handed on by the app)."""
        if message.local != self.local:
            return  # an answer for the currency shown before
        self.view = message.view
        self.draw()

    def on_resize(self, event: events.Resize) -> None:
        self.draw(event.size.width, event.size.height)

    # ------------------------------------------------------------------ keys

    def action_side(self) -> None:
        self.side = Side.BUY if self.side is Side.SELL else Side.SELL
        self.draw()

    def action_channel(self) -> None:
        channels = self._channels()
        at = channels.index(self.channel) if self.channel in channels else -1
        self.channel = channels[(at + 1) % len(channels)]
        self.draw()

    def action_foreign(self) -> None:
        view = self.view
        foreign = board_foreign(self.local, view.reported, view.quotes) if view else ["USD"]
        at = foreign.index(self.foreign) if self.foreign in foreign else -1
        self.foreign = foreign[(at + 1) % len(foreign)]
        self.draw()

    def action_local(self) -> None:
        at = self.locals.index(self.local) if self.local in self.locals else -1
        self.local = self.locals[(at + 1) % len(self.locals)]
        self.foreign = board_foreign(self.local)[0]
        self.view = None
        self.draw()
        self.ask()

    def _channels(self) -> list[Channel]:
        """The channels quoted for the pair (cash at least), in the display order."""
        quoted = (
            {q.channel for q in self.view.quotes if q.base == self.foreign} if self.view else set()
        )
        return [c for c in CHANNEL_ORDER if c in quoted or c is FIRST_CHANNEL]

    # ------------------------------------------------------------------ drawing

    def draw(self, width: int | None = None, height: int | None = None) -> None:
        """The board as it stands at the clock's now, at ``width`` (the screen's); the
        table as tall as the ``height`` the lines around it leave (it scrolls inside it:
        the screen never does, so no scrollbar takes the columns' width)."""
        width = width or self.size.width or self.app.size.width
        height = height or self.size.height or self.app.size.height
        view, now = self.view, self.ticker.now()
        digits = self.ticker.settings.display.significant_digits
        quotes = [q for q in view.quotes if q.base == self.foreign] if view else []
        official = view.official.get(self.pair) if view else None
        named = view.official_sources.get(self.pair, "") if view else ""
        self.lines = board(quotes, self.pair, self.channel, self.side, now, official=official)
        summary = next(
            iter(summarise([q for q in quotes if q.channel is self.channel], official, now)), None
        )
        sources = list(summary.sources) if summary else [s.name for s in board_sources(self.local)]
        used = 1  # the footer's row
        used += self._say("#title", title_line(self.pair, self.channel, self.side, sources), width)
        best = best_lines(summary, named, digits, self.side) if summary else []
        used += self._say("#best", "\n".join(best), width)
        figures: list[str] = []
        if summary and view:
            said = official_text(official, named, view.official_dates.get(self.pair), digits)
            figures = wrap_parts([said, *figures_parts(summary, digits)], width)
        used += self._say("#figures", "\n".join(figures), width)
        used += self._reported(now, digits, width)
        table = self.query_one("#board", DataTable)
        table.styles.max_height = max(3, height - used)
        self._fill(now, digits, named, width)
        empty = self.query_one("#empty", Static)
        if view is None:
            empty.update(_("reading the store…"))
        elif not self.lines:
            reason = empty_reason(
                self.local, self.pair, self.channel, self.ticker.settings, bool(view.quotes)
            )
            empty.update(reason)
        empty.display = view is None or not self.lines

    def _say(self, where: str, text: str, width: int) -> int:
        """Show ``text`` at ``where``, each line fitted to ``width``: its rows."""
        widget = self.query_one(where, Static)
        lines = [fit_words(line, width) for line in text.split("\n")] if text else []
        widget.update("\n".join(lines))
        widget.display = bool(lines)
        return len(lines)

    def _fill(self, now: datetime, digits: int, official_source: str, width: int) -> None:
        table: DataTable[Text] = self.query_one("#board", DataTable)
        heads = board_headers(official_source)
        sorted_by = 2 if self.side is Side.BUY else 3
        headers = [
            heads.institution,
            heads.city,
            heads.buy,
            heads.sell,
            heads.vs_official,
            heads.age,
            "",
        ]
        headers[sorted_by] += " ▾"
        rows = []
        for line in self.lines:
            cells = board_cells(line, now, digits)
            age = relative(now - line.age, now)
            mark = cells.best or (_("stale") if line.stale else "")
            rows.append(
                [cells.institution, cells.city, cells.buy, cells.sell, cells.vs_official, age, mark]
            )
        fitted = layout(headers, rows, width)
        keep = table.cursor_row
        table.clear(columns=True)
        table.display = bool(rows)
        if not rows:
            return
        columns = [0, *([1] if fitted.city else []), 2, 3, 4, 5, 6]
        for at, (i, w) in enumerate(zip(columns, fitted.widths, strict=True)):
            label = Text(fitted.headers[at], justify="right" if 2 <= i <= 5 else "left")
            table.add_column(label, width=w, key=str(i))
        for line, row in zip(self.lines, rows, strict=True):
            name = row[0] if fitted.city or not row[1] else f"{row[0]} ({row[1]})"
            style = "dim" if line.stale else ("bold" if line.best else "")
            drawn = [Text(fit_words(name, fitted.widths[0]), style=style)]
            if fitted.city:
                drawn.append(Text(fit_words(row[1], fitted.widths[1]), style=style))
            for i in (2, 3, 4, 5):
                drawn.append(
                    Text(row[i], style=style + (" bold" if i == sorted_by else ""), justify="right")
                )
            mark_style = "bold $success" if line.best else "dim"
            drawn.append(Text(row[6], style=self._color(mark_style)))
            table.add_row(*drawn)
        if 0 <= keep < table.row_count:
            table.move_cursor(row=keep)

    def _color(self, style: str) -> str:
        theme = self.app.current_theme
        return style.replace("$success", theme.success or "green")

    def _reported(self, now: datetime, digits: int, width: int) -> int:
        """The rates reported by hand for the board's pair (either way round, said in its
        terms), the newest first: their rows."""
        said = self.query_one("#reported", Static)
        pair = Pair(self.foreign, self.local)
        reported = [
            r
            for r in (self.view.reported if self.view else [])
            if {r.base, r.quote} == {pair.base, pair.quote}
        ]
        reported.sort(key=lambda r: -r.reported_at.timestamp())
        lines = [
            fit_words(reported_line(r, now, digits, pair), width) for r in reported[:REPORTED_SHOWN]
        ]
        more = len(reported) - REPORTED_SHOWN
        if more > 0:
            lines.append(
                ngettext(
                    "+{n} more reported (ticker market {local})",
                    "+{n} more reported (ticker market {local})",
                    more,
                ).format(n=more, local=self.local)
            )
        said.update(Text("\n".join(lines)))
        said.display = bool(lines)
        return len(lines)
