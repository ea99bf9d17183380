"""The dashboard screen: the strip, the rates, the chart, the alerts and providers panels,
the status line, and the keys that act on them. The app's first screen.

It does no I/O: its keys ask the app's workers (:mod:`ticker.tui.workers`), whose answers
the app hands to it (:class:`ticker.tui.app.TickerApp`: a message posted to the app never
reaches a screen on its own). The first frame waits for nothing: the layout is drawn, the
store is read meanwhile, and what it finds is drawn once that frame is on the screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from time import monotonic
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.timer import Timer
from textual.widgets import DataTable

from ticker.i18n.words import _
from ticker.model.snapshot import group_of
from ticker.tui.keys import MAIN_SCREEN_ONLY, bindings
from ticker.tui.lazy import screens, showing_indicators
from ticker.tui.messages import (
    AlertsFired,
    DetailLoaded,
    LeaseChanged,
    LiveUpdates,
    SnapshotLoaded,
    WorkFailed,
)
from ticker.tui.screens.dashboard_chart import DashboardChart, chart_key
from ticker.tui.status import StatusLine
from ticker.tui.widgets.chart import Chart
from ticker.tui.widgets.footer import KeyFooter
from ticker.tui.widgets.panels import AlertsTable, ProvidersPanel
from ticker.tui.widgets.rates import RatesTable, group_label
from ticker.tui.widgets.readout import Readout
from ticker.tui.widgets.strip import StripTicker
from ticker.tui.words import empty_hint, strip_item

if TYPE_CHECKING:
    from ticker.display.monetary_screen import RecentDecision
    from ticker.model.market_column import ColumnEntry
    from ticker.model.routing import PairView
    from ticker.model.snapshot import Snapshot

#: Seconds after mount at which the first frame counts as shown even if the footer never
#: said so (its keys hidden, say): the data is never held back longer.
FIRST_FRAME_AT_LATEST = 0.5
#: Below this many rows the panels under the chart fold away until focused, so that the
#: chart keeps room for its lines (at 80x24: nine rows of them).
FOLD_BELOW = 30
#: Seconds between asks for the market column while only new fixings come in (nothing of
#: the market moved: the ask is for its re-read when due, every ten minutes).
MARKET_DUE_LOOK = 60.0


class DashboardScreen(DashboardChart):
    BINDINGS = bindings(screen=True)

    def __init__(self, scroll_strip: bool = True) -> None:
        super().__init__()
        self.scroll_strip = scroll_strip
        self.range_index = 0
        self.overlay = False
        self.snapshot: Snapshot | None = None
        """What is on the screen (None until the first read of the store is)."""
        self.event_mark: int | None = None
        """The newest alert event already seen (None until the first snapshot)."""
        self.status = StatusLine()
        """What the status line says (:mod:`ticker.tui.status`): the handlers change it."""
        self._charted: tuple[Any, ...] | None = None
        self._chart_read_at = float("-inf")
        self._chart_timer: Timer | None = None
        self._first_frame_done = False
        self._held_snapshot: SnapshotLoaded | None = None
        self._data_painted = False
        """The first rates are on the screen: the chart waits for that (reading it and
        drawing it would hold up the frame that shows them)."""
        self._chart_waiting = False
        self._tick_timer: Timer | None = None
        self._tick_due = float("inf")
        """When the tick set runs (monotonic seconds)."""
        self._market_asked = float("-inf")
        self._folded: bool | None = None
        """Whether the panels are folded, as last set (None: not yet)."""
        self._strip_made: dict[tuple[object, ...], Text] = {}
        """Each strip item as last made, by what it was made from."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_SCREEN_ONLY and self.app.screen is not self:
            return False  # its footer, behind the screen in front, shows the app's keys
        return super().check_action(action, parameters)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield StripTicker(self.scroll_strip, id="strip")
        with Vertical(id="body"):
            yield RatesTable(id="rates")
            yield Chart(id="chart")
            with Horizontal(id="panels"):
                yield AlertsTable(id="alerts")
                yield ProvidersPanel(id="providers")
        yield Readout(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        # The app starts its work now (the theme, the store's first read, the collector):
        # the store is read while the first frame is drawn, and what it finds is drawn
        # once that frame is on the screen, keys and all (KeyFooter.Shown), so drawing the
        # data never holds it up.
        self.ticker.begin()
        self._fold_panels(self.app.size.height)
        self.query_one(Chart).show("", [], _("reading the store…"))
        self.set_timer(FIRST_FRAME_AT_LATEST, self._first_frame_shown)  # if no key shows
        self._tick()
        if not self.ticker.collect:
            self.status = self.status.not_collecting()

    @on(KeyFooter.Shown)
    def _first_frame_shown(self) -> None:
        if self._first_frame_done:
            return
        self._first_frame_done = True
        if self.ticker.after_first_frame is not None:
            self.ticker.after_first_frame()
        if self._held_snapshot is not None:
            held, self._held_snapshot = self._held_snapshot, None
            self.show_snapshot(held)

    def resized(self, size: Size) -> None:
        """The terminal's new size (the app's: this screen is told even while another
        is in front of it)."""
        if self.is_mounted:
            self._fold_panels(size.height)
            self.render_snapshot(size.width)

    def _fold_panels(self, height: int) -> None:
        """On a short terminal the alerts and providers panels fold away (Tab to the
        alerts unfolds them), so that the chart keeps room for its lines; not while the
        store is empty (the panels then say what is polled). A read that lands while the
        screen's widgets are gone (the app closing) has nothing to fold."""
        empty = self.snapshot is not None and not self.snapshot.views
        fold = height < FOLD_BELOW and not empty
        if fold == self._folded:
            return  # as it is (a refresh does not look for the panels again)
        for body in self.query("#body"):
            body.set_class(fold, "-fold")
            self._folded = fold

    # ------------------------------------------------------------------ what the app hands on

    def theme_colors(self) -> dict[str, str]:
        """Rises, falls and warnings in the theme's colours."""
        theme = self.app.current_theme
        return {
            "up": theme.success or "green",
            "down": theme.error or "red",
            "warn": theme.warning or "yellow",
            "ok": theme.success or "green",
        }

    def show_snapshot(self, message: SnapshotLoaded) -> None:
        if not self._first_frame_done:
            self._held_snapshot = message  # drawn as soon as the first frame is shown
            return
        first = self.snapshot is None
        self.snapshot = message.snapshot
        self._fold_panels(self.app.size.height)
        self._announce_firings(message.snapshot)
        self.render_snapshot(rows_only=message.rows_only and not first)
        if first:
            self.call_after_refresh(self._first_data_painted)
        else:
            self._market_column(message.rows_only)  # read when the store's market moved
            self.ticker.follow_decisions(message.snapshot)  # a monetary source polled

    def _first_data_painted(self) -> None:
        self._data_painted = True
        self._market_column()  # the market column: after the first data
        if self.snapshot is not None:  # the policy rates (a decision today leads the status)
            self.ticker.follow_decisions(self.snapshot)
        if self._chart_waiting:
            self._chart_waiting = False
            self._reload_chart()
        if self.ticker.after_first_data is not None:
            self.ticker.after_first_data()

    def _market_column(self, rows_only: bool = False) -> None:
        """Ask for the market column (its reader reads it when the store's market moved, or
        when it is due). After a read of new fixings alone nothing of the market moved:
        asked then only every :data:`MARKET_DUE_LOOK` seconds, for its due re-read."""
        now = monotonic()
        if rows_only and now - self._market_asked < MARKET_DUE_LOOK:
            return
        self._market_asked = now
        self.ticker.load_market_column()

    def show_market_column(self, entries: list[ColumnEntry]) -> None:
        self.query_one(RatesTable).market = entries
        self.render_snapshot()

    def _announce_firings(self, snapshot: Snapshot) -> None:
        """Firings come from one place, the store's event log: this dashboard's collector's
        and another process's (a headless collector) alike. The app says them."""
        if self.event_mark is not None:
            channels = {r.id: r.rule.channels for r in snapshot.rules}
            others = [e for e in snapshot.events if e.id > self.event_mark]
            toasts = [
                e.message for e in others if "toast" in channels.get(e.rule_id or 0, ("toast",))
            ]
            bell = any("bell" in channels.get(e.rule_id or 0, ("bell",)) for e in others)
            if toasts or bell:
                self.app.post_message(AlertsFired(toasts, bell))
        self.event_mark = max(self.event_mark or 0, snapshot.last_event_id)

    def render_snapshot(self, width: int | None = None, rows_only: bool = False) -> None:
        """Draw what is read. With ``rows_only`` (a read of new fixings alone: the rules,
        the health and the firings are as they were) only what the rows feed is drawn
        again: the table's changed rows, the strip, the chart, the status line's ages."""
        snapshot = self.snapshot
        if snapshot is None:
            return
        store_was_down = self.status.store_down
        self.status = self.status.shown(snapshot)
        if store_was_down:  # it answers again
            self.notify(_("The store answers again."), title=_("Store"), timeout=5)
        digits = self.ticker.settings.display.significant_digits
        colors = self.theme_colors()
        table = self.query_one(RatesTable)
        table.show(snapshot.views, snapshot.sparks, digits, colors, width or self.app.size.width)
        self.query_one(StripTicker).set_items(self._strip_items(snapshot.views, colors))
        if not rows_only:
            alerts = self.query_one(AlertsTable)
            alerts.warn_style = colors["warn"]
            alerts.show(snapshot.rules, self.ticker.now())
            self._render_providers()
        if not snapshot.views:
            self.query_one(Chart).show("", [], self._empty_hint(snapshot))
            self._charted = None
        else:
            selected = table.selected
            key = chart_key(selected) if selected else None
            if key != self._charted:  # the chart is re-read only when what it shows changed
                self._chart_follows(key)
        if rows_only:
            self._tick_status()
        else:
            self._tick(width)

    def _empty_hint(self, snapshot: Snapshot) -> str:
        polling = bool(self.query_one(ProvidersPanel).polling)
        app = self.ticker
        return empty_hint(snapshot, app.settings, app.collect, polling, app.now())

    def _render_providers(self) -> None:
        settings = self.ticker.settings
        names = settings.enabled_providers("rates") + settings.enabled_providers("indicators")
        health = self.snapshot.health if self.snapshot else {}
        now, colors = self.ticker.now(), self.theme_colors()
        self.query_one(ProvidersPanel).show_health(names, health, now, colors)

    def _strip_items(self, views: Iterable[PairView], colors: dict[str, str]) -> list[Text]:
        digits = self.ticker.settings.display.significant_digits
        views = list(views)
        made, self._strip_made = self._strip_made, {}
        items = []
        for v in views:  # an unchanged pair's item as it was made (the language says n/a)
            key = (v, digits, tuple(colors.values()), _("n/a"))
            item = made.get(key) or strip_item(v, digits, colors)
            items.append(item)
            self._strip_made[key] = item
        if len({group_of(v.pair) for v in views}) < 2:
            return items
        for at, v in enumerate(views):  # each group's first pair says the group
            if at == 0 or group_of(views[at - 1].pair) != group_of(v.pair):
                items[at] = Text.assemble((f"{group_label(group_of(v.pair))} ", "dim"), items[at])
        return items

    @on(DataTable.RowSelected, "#rates")
    def row_chosen(self) -> None:
        # Enter on the focused table selects the row: that is the detail key.
        self.action_detail()

    def show_detail(self, message: DetailLoaded) -> None:
        app = self.ticker
        digits = app.settings.display.significant_digits
        detail = screens().DetailScreen(message.detail, app.orientation, digits, message.monetary)
        app.push_screen(detail)

    def polling(self, providers: Iterable[str]) -> None:
        """The collector polls these sources now (the providers panel says so)."""
        self.query_one(ProvidersPanel).polling.update(providers)
        self._render_providers()

    def polled(self, provider: str) -> None:
        """One source's round is over (the store is read again meanwhile)."""
        self.query_one(ProvidersPanel).polling.discard(provider)

    def lease_changed(self, message: LeaseChanged) -> None:
        """Another collector feeds this dashboard (the status line says which), or this
        one's collector took over."""
        self.status = self.status.fed_by(message.fed_by)
        self._tick()

    def store_read_only(self) -> None:
        """The store cannot be written here: shown, never collected into."""
        self.status = self.status.read_only()
        self._tick()

    def decided(self, decisions: tuple[RecentDecision, ...]) -> None:
        """The policy rates were read: a decision taking effect today leads the status."""
        self.status = self.status.decided(decisions)
        self._tick()

    def live_updates(self, message: LiveUpdates) -> None:
        """Said once each way on the status line: the store's announcements lost (the
        listener connects again meanwhile) and back."""
        if message.lost is not None:
            self.status = self.status.live_lost(message.lost)
        else:
            self.status = self.status.live_back()
        self._tick()

    def failed(self, message: WorkFailed) -> None:
        """The status line says what failed, when it is the store or the collector (the app
        notifies of every failure)."""
        said = self.status.failed(message.what, message.message)
        if said is not self.status:
            self.status = said
            self._tick()

    def _tick(self, width: int | None = None) -> None:
        """Redraw what time changes: the ages and the clock (the status line, and the
        providers panel when one of its ages rolls over). It runs again when the next
        shown text can change: in ten seconds while an age under a minute is on screen,
        else at the next minute (an idle dashboard wakes once a minute, not each second).
        ``width``: the terminal's (a resize's new one), else the app's.
        """
        now = self.ticker.now()
        snapshot = self.snapshot
        self._show_status(now, width)
        if snapshot is not None:
            self._render_providers()
            self.query_one(AlertsTable).show(snapshot.rules, now)  # a cooldown's end
        self._schedule_tick(now)

    def _tick_status(self) -> None:
        """After a read of new fixings alone: the status line (its ages follow the rows);
        the next tick comes sooner only when a new row's age now counts in seconds."""
        now = self.ticker.now()
        self._show_status(now)
        self._schedule_tick(now, sooner_only=True)

    def _show_status(self, now: datetime, width: int | None = None) -> None:
        collector = self.ticker.collector
        sources = list(collector.providers) if collector is not None else None
        readout = self.query_one("#status", Readout)
        room = (width or self.app.size.width) - readout.styles.gutter.width
        line = self.status.text(sources, now, room)
        readout.show(Text(line, style="dim"))

    def _schedule_tick(self, now: datetime, sooner_only: bool = False) -> None:
        """The next tick (``sooner_only``: only when it comes before the one set)."""
        delay = self._tick_delay(now)
        due = monotonic() + delay
        if sooner_only and self._tick_timer is not None and self._tick_due <= due:
            return
        if self._tick_timer is not None:
            self._tick_timer.stop()
        self._tick_due = due
        self._tick_timer = self.set_timer(delay, self._tick)

    def _tick_delay(self, now: datetime) -> float:
        times: list[datetime] = []
        if self.snapshot is not None:
            times.extend(v.fetched_at for v in self.snapshot.views)
            for h in self.snapshot.health.values():
                times.extend(t for t in (h.last_success, h.next_run) if t is not None)
        seconds_shown = any(abs((now - t).total_seconds()) < 61 for t in times)
        to_minute = 60 - now.second - now.microsecond / 1e6
        # Ages under a minute go in steps of ten seconds (see views.relative).
        return 10.0 if seconds_shown else max(to_minute, 0.5)

    # ------------------------------------------------------------------ keys that redraw

    def action_flip(self) -> None:
        """The dollar pairs all at once, as ever; a pair beyond the dollar on its own."""
        selected = self.query_one(RatesTable).selected
        if selected is not None and not selected.pair.is_usd:
            self.ticker.flip_pair(selected.pair)
            self._charted = None
            self.ticker.load_snapshot()
            return
        self.ticker.orientation = self.ticker.orientation.flipped()
        self._charted = None
        self.ticker.load_snapshot()

    def action_cycle_change(self) -> None:
        """The changes in the table and the strip: over the next period (1D, 1W, 1M, YTD,
        1Y), read again from the store."""
        session = self.ticker.session
        session.change_period = session.change_period.following()
        self.ticker.load_snapshot()

    def action_indicators(self) -> None:
        if showing_indicators(self.ticker):
            return
        screen = screens().IndicatorsScreen(
            self.ticker.now(), self.theme_colors(), self.ticker.settings.decisions
        )
        self.app.push_screen(screen)
        self.ticker.load_indicators()
