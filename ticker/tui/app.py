"""The live dashboard.

Threading rule: workers call the core and post messages (``ticker/tui/messages.py``);
only ``on_*`` handlers touch widgets. The first frame waits for nothing: the layout is
drawn, the store is read in a worker (bounded queries), and only then are httpx and
APScheduler imported and the collector started.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from time import monotonic
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from ticker.config import Settings
from ticker.core.preferences import remembered_theme
from ticker.core.session import StoreSession
from ticker.model.series import RANGES
from ticker.tui.actions import DashboardActions
from ticker.tui.lazy import screens, showing_indicators
from ticker.tui.messages import (
    AlertsFired,
    ChartLoaded,
    DetailLoaded,
    ExportFinished,
    IndicatorsLoaded,
    LeaseChanged,
    LiveUpdates,
    PollingStarted,
    RoundFinished,
    SnapshotLoaded,
    WorkFailed,
)
from ticker.tui.status import StatusLine
from ticker.tui.widgets.chart import Chart
from ticker.tui.widgets.footer import KeyFooter
from ticker.tui.widgets.panels import AlertsTable, ProvidersPanel
from ticker.tui.widgets.rates import RatesTable
from ticker.tui.widgets.readout import Readout
from ticker.tui.widgets.strip import StripTicker
from ticker.tui.words import empty_hint, strip_item

if TYPE_CHECKING:
    import httpx

    from ticker.core.polling import LeasedCollector
    from ticker.model.routing import PairView
    from ticker.model.snapshot import Snapshot

THEME_CYCLE = ("textual-dark", "textual-light", "nord", "gruvbox", "tokyo-night", "solarized-light")
#: Seconds after mount at which the first frame counts as shown even if the footer never
#: said so (its keys hidden, say): the data is never held back longer.
FIRST_FRAME_AT_LATEST = 0.5
#: Every dashboard looks at the store this often for another process's commits (a rule
#: added from the shell, a headless collector's round): SQLite's commit counter costs
#: nothing to read, and after a commit one small statement (the data mark) tells whether
#: to read the screen again. (On PostgreSQL the look only checks whether an announcement
#: was heard; the listener starts a look itself as soon as one is.)
STORE_LOOK = 1.0
#: New data for the charted pair redraws the chart at most this often (seconds): a chart
#: of a month is no less right for following a round a few seconds late, and drawing it
#: is the dearest part of a refresh.
CHART_FOLLOWS_EVERY = 5.0
#: Below this many rows the panels under the chart fold away until focused, so that the
#: chart keeps room for its lines (at 80x24: nine rows of them).
FOLD_BELOW = 30


def _binding(action: str, key: str, description: str, show: bool = True) -> Binding:
    return Binding(key, action, description, show=show, id=action)


class TickerApp(DashboardActions):
    CSS_PATH = "ticker.tcss"
    TITLE = "ticker"
    BINDINGS = [
        _binding("quit", "q", "Quit"),
        _binding("add_alert", "a", "Alert"),
        _binding("export", "e", "Export"),
        _binding("flip", "f", "Flip"),
        _binding("refresh", "r", "Refresh"),
        _binding("cycle_range", "c", "Range"),
        _binding("indicators", "i", "Indicators"),
        _binding("convert", "x", "Convert", show=False),
        _binding("overlay", "o", "Overlay", show=False),
        _binding("detail", "enter", "Detail", show=False),
        _binding("delete_alert", "d", "Delete alert", show=False),
        _binding("edit_alert", "E", "Edit alert", show=False),
        _binding("toggle_alert", "p", "Pause alert", show=False),
        _binding("snooze_alert", "z", "Snooze alert", show=False),
        _binding("theme", "t", "Theme", show=False),
        _binding("help", "question_mark", "Help"),
        _binding("down", "j", "Down", show=False),
        _binding("up", "k", "Up", show=False),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        collect: bool = True,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        animate: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
        after_first_frame: Callable[[], None] | None = None,
        after_first_data: Callable[[], None] | None = None,
    ) -> None:
        """``after_first_frame`` runs once the first frame is on the screen, and
        ``after_first_data`` once the first read of the store is (the command line tunes
        the cycle collector with them)."""
        super().__init__()
        self.after_first_frame = after_first_frame
        self.after_first_data = after_first_data
        self.settings = settings
        self.collect = collect
        self.now = now
        self.scroll_strip = animate
        self.transport = transport
        self.orientation = settings.display.orientation
        self.range_index = 0
        self.overlay = False
        self.snapshot: Snapshot | None = None
        self.collecting_since: datetime | None = None
        self.leased_collector: LeasedCollector | None = None
        """The collector, running only while this dashboard holds the store's lease
        (:mod:`ticker.core.polling`)."""
        self.session = StoreSession(settings, now, self._store_heard, self._store_said)
        """The store, as the workers ask it (headless: :mod:`ticker.core.session`)."""
        self.status = StatusLine()
        """What the status line says (:mod:`ticker.tui.status`): the handlers change it."""
        self._charted: tuple[Any, ...] | None = None
        self._chart_read_at = float("-inf")
        self._chart_timer: Timer | None = None
        self._theme_loaded = False
        """The start's theme is set: a theme set after that is the user's, and kept."""
        self._first_frame_done = False
        self._held_snapshot: SnapshotLoaded | None = None
        self._data_painted = False
        """The first rates are on the screen: the chart waits for that (reading it and
        drawing it would hold up the frame that shows them)."""
        self._chart_waiting = False
        self._tick_timer: Timer | None = None
        self._event_mark: int | None = None
        """The newest alert event already seen (None until the first snapshot)."""
        self.set_keymap(dict(settings.keys))

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
        configured = self.settings.display.theme
        theme = remembered_theme(configured) or configured
        if theme != self.theme and theme in self.available_themes:
            self.theme = theme  # a theme change restyles every widget: only when needed
        self._theme_loaded = True
        self.query_one(Chart).show("", [], "reading the store…")
        # The store is read while the first frame is drawn (the read side loads no ORM:
        # the worker's imports are short); what it finds is drawn once that frame is on
        # the screen, keys and all (KeyFooter.Shown), so drawing the data never holds it up.
        self.load_snapshot()
        self.set_timer(FIRST_FRAME_AT_LATEST, self._first_frame_shown)  # if no key shows
        self._tick()
        if self.collect:
            self.call_after_refresh(self.start_collector)
        else:
            self.status = self.status.not_collecting()
        self.set_interval(STORE_LOOK, self._reload_if_changed)

    @on(KeyFooter.Shown)
    def _first_frame_shown(self) -> None:
        if self._first_frame_done:
            return
        self._first_frame_done = True
        if self.after_first_frame is not None:
            self.after_first_frame()
        if self._held_snapshot is not None:
            held, self._held_snapshot = self._held_snapshot, None
            self.show_snapshot(held)

    def on_resize(self, event: events.Resize) -> None:
        # This handler runs before App's own, which is what updates ``self.size``: the
        # event's size is the new one.
        self._fold_panels(event.size.height)
        self._render_snapshot(event.size.width)

    def _fold_panels(self, height: int) -> None:
        """On a short terminal the alerts and providers panels fold away (Tab to the
        alerts unfolds them), so that the chart keeps room for its lines; not while the
        store is empty (the panels then say what is polled)."""
        empty = self.snapshot is not None and not self.snapshot.views
        self.query_one("#body").set_class(height < FOLD_BELOW and not empty, "-fold")

    async def on_unmount(self) -> None:
        if self.leased_collector is not None:
            await self.leased_collector.close(grace=2.0, hook_grace=2.0)
        self.session.close()

    # ------------------------------------------------------------------ handlers (widgets here)

    def _colors(self) -> dict[str, str]:
        theme = self.current_theme
        return {
            "up": theme.success or "green",
            "down": theme.error or "red",
            "warn": theme.warning or "yellow",
            "ok": theme.success or "green",
        }

    @on(SnapshotLoaded)
    def show_snapshot(self, message: SnapshotLoaded) -> None:
        if not self._first_frame_done:
            self._held_snapshot = message  # drawn as soon as the first frame is shown
            return
        first = self.snapshot is None
        self.snapshot = message.snapshot
        self._fold_panels(self.size.height)
        self._announce_firings(message.snapshot)
        self._render_snapshot()
        if first:
            self.call_after_refresh(self._first_data_painted)

    def _first_data_painted(self) -> None:
        self._data_painted = True
        if self._chart_waiting:
            self._chart_waiting = False
            self._reload_chart()
        if self.after_first_data is not None:
            self.after_first_data()

    def _announce_firings(self, snapshot: Snapshot) -> None:
        """Firings come from one place, the store's event log: this dashboard's collector's
        and another process's (a headless collector) alike."""
        if self._event_mark is not None:
            channels = {r.id: r.rule.channels for r in snapshot.rules}
            others = [e for e in snapshot.events if e.id > self._event_mark]
            toasts = [
                e.message for e in others if "toast" in channels.get(e.rule_id or 0, ("toast",))
            ]
            bell = any("bell" in channels.get(e.rule_id or 0, ("bell",)) for e in others)
            if toasts or bell:
                self.post_message(AlertsFired(toasts, bell))
        self._event_mark = max(self._event_mark or 0, snapshot.last_event_id)

    @on(AlertsFired)
    def alerts_fired(self, message: AlertsFired) -> None:
        for text in message.messages:
            self.notify(text, title="Alert", severity="warning", timeout=20)
        if message.bell:
            self.bell()

    def _render_snapshot(self, width: int | None = None) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        store_was_down = self.status.store_down
        self.status = self.status.shown(snapshot)
        if store_was_down:  # it answers again
            self.notify("The store answers again.", title="Store", timeout=5)
        digits = self.settings.display.significant_digits
        colors = self._colors()
        table = self.query_one(RatesTable)
        table.show(snapshot.views, snapshot.sparks, digits, colors, width or self.size.width)
        self.query_one(StripTicker).set_items(self._strip_items(snapshot.views, colors))
        alerts = self.query_one(AlertsTable)
        alerts.warn_style = colors["warn"]
        alerts.show(snapshot.rules, self.now())
        self._render_providers()
        if not snapshot.views:
            self.query_one(Chart).show("", [], self._empty_hint(snapshot))
            self._charted = None
        else:
            selected = table.selected
            key = (
                (selected.local, selected.as_of, selected.rate, selected.provider)
                if selected
                else None
            )
            if key != self._charted:  # the chart is re-read only when what it shows changed
                self._chart_follows(key)
        self._tick()

    def _empty_hint(self, snapshot: Snapshot) -> str:
        polling = bool(self.query_one(ProvidersPanel).polling)
        return empty_hint(snapshot, self.settings, self.collect, polling, self.now())

    def _render_providers(self) -> None:
        names = self.settings.enabled_providers("rates") + self.settings.enabled_providers(
            "indicators"
        )
        health = self.snapshot.health if self.snapshot else {}
        self.query_one(ProvidersPanel).show_health(names, health, self.now(), self._colors())

    def _strip_items(self, views: Iterable[PairView], colors: dict[str, str]) -> list[Text]:
        digits = self.settings.display.significant_digits
        return [strip_item(v, digits, colors) for v in views]

    def _chart_follows(self, key: tuple[Any, ...] | None) -> None:
        """New data for the pair on the chart redraws it at most every
        :data:`CHART_FOLLOWS_EVERY` seconds (the table shows it at once); another pair,
        range or overlay redraws it now."""
        same_pair = key is not None and self._charted is not None and key[0] == self._charted[0]
        wait = self._chart_read_at + CHART_FOLLOWS_EVERY - monotonic()
        if not same_pair or wait <= 0:
            self._reload_chart()
        elif self._chart_timer is None:
            self._chart_timer = self.set_timer(wait, self._chart_due)

    def _chart_due(self) -> None:
        self._chart_timer = None
        selected = self.query_one(RatesTable).selected
        if selected is not None and self._charted != (
            selected.local,
            selected.as_of,
            selected.rate,
            selected.provider,
        ):
            self._reload_chart()

    def _reload_chart(self) -> None:
        if self._chart_timer is not None:
            self._chart_timer.stop()
            self._chart_timer = None
        if not self._data_painted:
            self._chart_waiting = True
            return
        selected = self.query_one(RatesTable).selected
        if selected is None:
            return
        self._charted = (selected.local, selected.as_of, selected.rate, selected.provider)
        self._chart_read_at = monotonic()
        range_name = RANGES[self.range_index]
        providers = (
            list(self.settings.routing[selected.local]) if self.overlay else [selected.provider]
        )
        self.load_chart(selected.local, range_name, providers)

    @on(ChartLoaded)
    def show_chart(self, message: ChartLoaded) -> None:
        selected = self.query_one(RatesTable).selected
        if selected is None or selected.local != message.local:
            return
        ranges = "  ".join(f"[{r}]" if r == message.range_name else r for r in RANGES)
        who = "  every source:" if self.overlay else ""  # the legend names them
        digits = self.settings.display.significant_digits
        self.query_one(Chart).show(
            f"{selected.pair}  {ranges}{who}",
            message.series,
            primary=selected.provider,
            digits=digits,
        )

    @on(DataTable.RowHighlighted, "#rates")
    def selection_moved(self) -> None:
        # Also sent when the table is rebuilt with the same pair selected: that pair's new
        # data follows the chart's pace; another pair is charted at once.
        selected = self.query_one(RatesTable).selected
        if selected is None:
            return
        key = (selected.local, selected.as_of, selected.rate, selected.provider)
        if key != self._charted:
            self._chart_follows(key)

    @on(DataTable.RowSelected, "#rates")
    def row_chosen(self) -> None:
        # Enter on the focused table selects the row: that is the detail key.
        self.action_detail()

    @on(DetailLoaded)
    def show_detail(self, message: DetailLoaded) -> None:
        self.push_screen(
            screens().DetailScreen(
                message.detail, self.orientation, self.settings.display.significant_digits
            )
        )

    @on(PollingStarted)
    def polling(self, message: PollingStarted) -> None:
        self.collecting_since = self.collecting_since or self.now()
        self.query_one(ProvidersPanel).polling.update(message.providers)
        self._render_providers()

    @on(LeaseChanged)
    def lease_changed(self, message: LeaseChanged) -> None:
        """Another collector feeds this dashboard (the status line says which), or this
        one's collector took over."""
        self.status = self.status.fed_by(message.fed_by)
        self._tick()

    @on(RoundFinished)
    def round_finished(self, message: RoundFinished) -> None:
        self.query_one(ProvidersPanel).polling.discard(message.provider)
        self.load_snapshot()  # new rates, and the provider's health, within one poll
        if showing_indicators(self) and message.provider in ("worldbank", "imf"):
            self.load_indicators()

    @on(IndicatorsLoaded)
    def indicators_loaded(self, message: IndicatorsLoaded) -> None:
        if showing_indicators(self):
            self.screen.show(message.series)  # type: ignore[attr-defined]

    @on(ExportFinished)
    def exported(self, message: ExportFinished) -> None:
        self.notify(f"Wrote {message.rows} rows to {message.path}", title="Export")

    @on(LiveUpdates)
    def live_updates(self, message: LiveUpdates) -> None:
        """Said once each way on the status line: the store's announcements lost (the
        listener connects again meanwhile) and back."""
        if message.lost is not None:
            self.status = self.status.live_lost(message.lost)
        else:
            self.status = self.status.live_back()
        self._tick()

    @on(WorkFailed)
    def failed(self, message: WorkFailed) -> None:
        self.notify(message.message, title=message.what.capitalize(), severity="error", timeout=10)
        said = self.status.failed(message.what, message.message)
        if said is not self.status:
            self.status = said
            self._tick()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that ended in an error nobody expected (a bug) is never silent: it
        is named in a notification and on the status line (the traceback is logged with
        ``TICKER_DEBUG=1``)."""
        if event.state is not WorkerState.ERROR:
            return
        worker = event.worker
        err = worker.error
        what = worker.group if worker.group and worker.group != "default" else worker.name
        if os.environ.get("TICKER_DEBUG") and err is not None:
            self.log.error("".join(traceback.format_exception(err)))
        reason = f"{type(err).__name__}: {err}" if err is not None else "stopped"
        self.post_message(WorkFailed(what or "worker", f"internal error: {reason}"))

    def _tick(self) -> None:
        """Redraw what time changes: the ages and the clock (the status line, and the
        providers panel when one of its ages rolls over). It runs again when the next
        shown text can change: in ten seconds while an age under a minute is on screen,
        else at the next minute (an idle dashboard wakes once a minute, not each second).
        """
        now = self.now()
        snapshot = self.snapshot
        sources = list(self.collector.providers) if self.collector is not None else None
        line = self.status.text(sources, now)
        self.query_one("#status", Readout).show(Text(line, style="dim"))
        if snapshot is not None:
            self._render_providers()
            self.query_one(AlertsTable).show(snapshot.rules, now)  # a cooldown's end
        self._schedule_tick(now)

    def _schedule_tick(self, now: datetime) -> None:
        if self._tick_timer is not None:
            self._tick_timer.stop()
        times: list[datetime] = []
        if self.snapshot is not None:
            times.extend(v.fetched_at for v in self.snapshot.views)
            for h in self.snapshot.health.values():
                times.extend(t for t in (h.last_success, h.next_run) if t is not None)
        seconds_shown = any(abs((now - t).total_seconds()) < 61 for t in times)
        to_minute = 60 - now.second - now.microsecond / 1e6
        # Ages under a minute go in steps of ten seconds (see views.relative).
        delay = 10.0 if seconds_shown else max(to_minute, 0.5)
        self._tick_timer = self.set_timer(delay, self._tick)

    # ------------------------------------------------------------------ actions

    def action_flip(self) -> None:
        self.orientation = self.orientation.flipped()
        self._charted = None
        self.load_snapshot()

    def action_cycle_range(self) -> None:
        self.range_index = (self.range_index + 1) % len(RANGES)
        self._reload_chart()
        self._tick()

    def action_overlay(self) -> None:
        self.overlay = not self.overlay
        self._reload_chart()

    def watch_theme(self, theme: str) -> None:
        """A theme chosen here (``t``, the palette's picker) is remembered for the next
        start (:mod:`ticker.core.preferences`)."""
        if self._theme_loaded:
            self.keep_theme(theme)

    def action_theme(self) -> None:
        current = self.theme if self.theme in THEME_CYCLE else THEME_CYCLE[-1]
        self.theme = THEME_CYCLE[(THEME_CYCLE.index(current) + 1) % len(THEME_CYCLE)]
        self.notify(f"Theme: {self.theme}")
        self._render_snapshot()  # rises and falls take the new theme's colours

    def action_indicators(self) -> None:
        if showing_indicators(self):
            return
        self.push_screen(screens().IndicatorsScreen(self.now().date(), self._colors()))
        self.load_indicators()
