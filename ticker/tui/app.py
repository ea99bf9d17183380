"""The live dashboard: the application around its screens.

The app holds what is the application's: the store session, the collector while this
dashboard holds the store's lease, the theme, the notifications, the keys that work on
every screen, and the workers (``ticker/tui/workers.py``). What the dashboard shows, and
its own keys, are its first screen's (:mod:`ticker.tui.screens.dashboard`).

Threading rule: workers, and the snapshot's reader thread
(:mod:`ticker.tui.snapshot_reader`), call the core and post messages
(``ticker/tui/messages.py``) to the app; only handlers touch widgets. A message posted
to the app never reaches a screen: the app hands the dashboard's to it
(:mod:`ticker.tui.news`). The first frame waits for nothing: the layout is drawn, the
store is read off the loop (bounded queries), and only then are httpx and APScheduler
imported and the collector started.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import constants, events, on, work
from textual.app import SystemCommand
from textual.driver import Driver
from textual.geometry import Size
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ticker.config import Settings
from ticker.core.preferences import remembered, remembered_theme
from ticker.core.session import StoreSession
from ticker.i18n.choice import use
from ticker.i18n.words import N_, _
from ticker.model.pairs import Orientation, Pair
from ticker.tui.keys import (
    DESCRIPTIONS,
    MAIN_SCREEN_ONLY,
    NOT_IN_PALETTE,
    WORDS,
    bindings,
    key_text,
)
from ticker.tui.lazy import screens
from ticker.tui.look_pace import LookPace
from ticker.tui.messages import (
    AlertDeleted,
    AlertsFired,
    ExportFinished,
    PollAsked,
    RuleChanged,
    WorkFailed,
)
from ticker.tui.news import DashboardNews
from ticker.tui.screens.dashboard import DashboardScreen
from ticker.tui.screens.help import HelpScreen
from ticker.tui.screens.too_small import TooSmallScreen, fits
from ticker.tui.snapshot_reader import SnapshotReader
from ticker.tui.status import poll_asked_words
from ticker.tui.words import work_word

if TYPE_CHECKING:
    import httpx

    from ticker.core.polling import LeasedCollector
    from ticker.tui.screens.forms import ExportRequest

THEME_CYCLE = ("textual-dark", "textual-light", "nord", "gruvbox", "tokyo-night", "solarized-light")
#: Every dashboard looks at the store this often for another process's commits (a rule
#: added from the shell, a headless collector's round): SQLite's commit counter costs
#: nothing to read, and after a commit one small statement (the data mark) tells whether
#: to read the screen again. (On PostgreSQL the look only checks whether an announcement
#: was heard; the listener starts a look itself as soon as one is.) Under a steady stream
#: of commits the reads are coalesced (:mod:`ticker.tui.look_pace`): after a read that found
#: something new the next one starts no sooner than ``REFRESH_GAP`` (2 s) after it, and
#: reads all that came meanwhile at once; so a commit is on screen within 2 s, and the
#: first commit after a quiet spell at the next look, as ever.
STORE_LOOK = 1.0
#: Textual's driver for Linux and macOS, which ours takes the place of.
LINUX_DRIVER = "textual.drivers.linux_driver"
#: Textual's own commands the palette lists, in the user's words: title, what it does.
TEXTUAL_COMMANDS: dict[str, tuple[str, str]] = {
    "Theme": (N_("Pick theme"), N_("choose among every theme")),
    "Maximize": (N_("Maximize"), N_("maximize the focused panel")),
    "Minimize": (N_("Minimize"), N_("restore the panel to its size")),
    "Screenshot": (N_("Screenshot"), N_("save an SVG screenshot of the screen")),
}


class TickerApp(DashboardNews):
    CSS_PATH = "ticker.tcss"
    TITLE = "ticker"
    BINDINGS = bindings(screen=False)

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
        use(settings.display.language or None, os.environ, settings.display.timezone)
        super().__init__()
        self.after_first_frame = after_first_frame
        self.after_first_data = after_first_data
        self.settings = settings
        self.collect = collect
        self.now = now
        self.transport = transport
        self._orientation = settings.display.orientation
        self.leased_collector: LeasedCollector | None = None
        """The collector, running only while this dashboard holds the store's lease
        (:mod:`ticker.core.polling`)."""
        self.looks = LookPace(monotonic)
        """When a look at the store reads it (reads paced under a stream of commits)."""
        self.session = StoreSession(settings, now, self._store_heard, self._store_said)
        self.snapshot_reader = SnapshotReader(self._read_snapshot, self._snapshot_bug)
        """The thread that reads what the dashboard shows (stopped on unmount)."""
        """The store, as the workers ask it (headless: :mod:`ticker.core.session`)."""
        self.dashboard = DashboardScreen(scroll_strip=animate)
        """The first screen: the rates, the chart, the panels and the status line."""
        self._theme_loaded = False
        """The start's theme and orientation are set: one set after that is the user's
        choice, and kept."""
        self.set_keymap(dict(settings.keys))

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal; on Linux and macOS, the one whose keyboard
        thread sleeps while there is no input (:mod:`ticker.tui.driver`). A driver named
        in ``TEXTUAL_DRIVER`` is kept."""
        chosen = super().get_driver_class()
        if constants.DRIVER is None and chosen.__module__ == LINUX_DRIVER:
            from ticker.tui.driver import QuietLinuxDriver

            return QuietLinuxDriver
        return chosen

    def get_default_screen(self) -> Screen[Any]:
        return self.dashboard

    def begin(self) -> None:
        """The dashboard screen is mounted (its widgets are there to draw on): the start's
        theme, the first read of the store, the collector, the look at the store."""
        configured = self.settings.display.theme
        theme = remembered_theme(configured) or configured
        if theme != self.theme and theme in self.available_themes:
            self.theme = theme  # a theme change restyles every widget: only when needed
        way = remembered("orientation", self.settings.display.orientation.value)
        if way in {o.value for o in Orientation}:
            self._orientation = Orientation(way)
        if self.settings.pairs.others:
            from ticker.core.preferences import flipped_pairs

            self.session.flipped = frozenset(flipped_pairs(self.settings.pairs.others))
        self._theme_loaded = True
        if not fits(self.size):
            self.call_after_refresh(self._fit, self.size)
        # The store is read while the first frame is drawn (the read side loads no ORM:
        # the worker's imports are short); the dashboard draws it once that frame is on
        # the screen.
        self.load_snapshot()
        if self.collect:
            self.call_after_refresh(self.start_collector)
        self.set_interval(STORE_LOOK, self._reload_if_changed)

    def on_resize(self, event: events.Resize) -> None:
        # This handler runs before App's own, which is what updates ``self.size``: the
        # event's size is the new one.
        self.dashboard.resized(event.size)
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        """Below 80x24 one message says so, in front of everything (the dashboard would
        be cut); it goes when the terminal is large enough again."""
        if isinstance(self.screen, TooSmallScreen):
            self.screen.resized(size)
        elif not fits(size) and not any(isinstance(s, TooSmallScreen) for s in self.screen_stack):
            self.push_screen(TooSmallScreen(size))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, TooSmallScreen) and action != "quit":
            return False  # nothing to act on is on the screen (not even the palette)
        return super().check_action(action, parameters)

    async def on_unmount(self) -> None:
        import asyncio

        await asyncio.to_thread(self.snapshot_reader.stop)  # before the store closes
        if self.leased_collector is not None:
            await self.leased_collector.close(grace=2.0, hook_grace=2.0)
        self.session.close()

    # ------------------------------------------------------------------ notifications

    @on(AlertsFired)
    def alerts_fired(self, message: AlertsFired) -> None:
        for text in message.messages:
            self.notify(text, title=_("Alert"), severity="warning", timeout=20)
        if message.bell:
            self.bell()

    @on(RuleChanged)
    def rule_changed(self, message: RuleChanged) -> None:
        self.notify(message.words, title=_("Alert"), severity=message.severity)

    @on(AlertDeleted)
    def alert_deleted(self, message: AlertDeleted) -> None:
        if message.removed:
            self.notify(_("Deleted alert #{id}").format(id=message.rule_id), title=_("Alert"))

    @on(ExportFinished)
    def exported(self, message: ExportFinished) -> None:
        from ticker.i18n.numbers import localised
        from ticker.i18n.words import ngettext

        rows = message.rows
        self.notify(
            ngettext("Wrote {rows} row to {path}", "Wrote {rows} rows to {path}", rows).format(
                rows=localised(f"{rows:,}"), path=message.path
            ),
            title=_("Export"),
        )

    @on(WorkFailed)
    def failed(self, message: WorkFailed) -> None:
        if not self.is_running:
            return
        title = work_word(message.what).capitalize()
        self.notify(message.message, title=title, severity="error", timeout=10)
        self.dashboard.failed(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that ended in an error nobody expected (a bug) is never silent: it
        is named in a notification and on the status line (the traceback is logged with
        ``TICKER_DEBUG=1``)."""
        if event.state is not WorkerState.ERROR:
            return
        worker = event.worker
        err = worker.error
        what = worker.group if worker.group and worker.group != "default" else worker.name
        self.post_message(self.bug_said(what or "worker", err))

    # ------------------------------------------------------------------ the theme, the orientation

    def watch_theme(self, theme: str) -> None:
        """A theme chosen here (``t``, the palette's picker) is remembered for the next
        start (:mod:`ticker.core.preferences`)."""
        if self._theme_loaded:
            self.keep_theme(theme)

    @property
    def orientation(self) -> Orientation:
        """Which way every rate is read and shown: ``[display] orientation`` until ``f``
        flips it; a flip is remembered for the next start, as the theme is."""
        return self._orientation

    @orientation.setter
    def orientation(self, orientation: Orientation) -> None:
        changed = orientation is not self._orientation
        self._orientation = orientation
        if changed and self._theme_loaded:
            self.keep_orientation()

    @work(thread=True, group="orientation", exit_on_error=False)
    def keep_orientation(self) -> None:
        from ticker.core.preferences import remember

        try:  # the orientation of now: of two quick flips, the last is kept
            remember("orientation", self.orientation.value, self.settings.display.orientation.value)
        except OSError as err:
            self.post_message(
                WorkFailed(
                    "orientation",
                    _("not remembered: {reason}").format(reason=err.strerror or err),
                )
            )

    def flip_pair(self, shown: Pair) -> None:
        """Turn one watched pair beyond the dollar round (``f`` on it), remembered for the
        next start while ``[pairs] watch`` writes it the same way."""
        flipped = set(self.session.flipped) ^ {shown.key}
        self.session.flipped = frozenset(flipped)
        written = next((p for p in self.settings.pairs.others if p.key == shown.key), None)
        if written is not None:
            self.keep_flip(written, written.key in flipped)

    @work(thread=True, group="orientation", exit_on_error=False)
    def keep_flip(self, written: Pair, flipped: bool) -> None:
        from ticker.core.preferences import remember_flip

        try:
            remember_flip(written, flipped)
        except OSError as err:
            self.post_message(
                WorkFailed(
                    "orientation",
                    _("not remembered: {reason}").format(reason=err.strerror or err),
                )
            )

    def action_theme(self) -> None:
        current = self.theme if self.theme in THEME_CYCLE else THEME_CYCLE[-1]
        self.theme = THEME_CYCLE[(THEME_CYCLE.index(current) + 1) % len(THEME_CYCLE)]
        self.notify(_("Theme: {theme}").format(theme=self.theme))
        self.dashboard.render_snapshot()  # rises and falls take the new theme's colours

    # ------------------------------------------------------------------ keys on every screen

    def action_refresh(self) -> None:
        """Poll every source now: this dashboard's collector, or (standing by, or with
        ``--no-collect``) the collector holding the store's lease, asked through the
        store; on a store this process cannot write, say why nothing is polled."""
        if self.read_only is not None:
            self.notify(
                _("Nothing is polled here: {reason}.").format(reason=self.read_only),
                title=_("Read-only store"),
                severity="warning",
                timeout=10,
            )
            return
        if self.collector is None:
            self.ask_for_poll()
            self.load_snapshot()
            return
        self.poll_now()

    @on(PollAsked)
    def poll_asked(self, message: PollAsked) -> None:
        words = poll_asked_words(
            message.holder, message.asked, self.collect, self.snapshot, self.now()
        )
        self.notify(
            words, title=_("Refresh"), severity="information" if message.asked else "warning"
        )

    def action_help_quit(self) -> None:
        """Textual's answer to ctrl+c (which no longer quits), in the user's words."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    _("Press [b]{key}[/b] to quit the app").format(key=key),
                    title=_("Do you want to quit?"),
                )
                return

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.settings.keys))

    def action_export_indicators(self) -> None:
        """The indicators screen's ``e``: every stored indicator value to CSV."""
        today = self.now().date().isoformat()
        self.ask_export(None, Path.home() / f"ticker-indicators-{today}.csv", indicators=True)

    def ask_export(self, local: str | None, default: Path, indicators: bool = False) -> None:
        """The export form (the dashboard's ``e``: a pair's rates or every pair's; with
        ``indicators``, the indicators'); the export runs in a worker."""
        orientation = self.orientation

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.export(request, orientation)

        from ticker.core.export.target import check_target

        form = screens().ExportForm(local, default, orientation, check_target, indicators)
        self.push_screen(form, chosen)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key's command, titled with its word (what the palette searches) and its
        key said first in its line (:mod:`ticker.tui.keys`); the dashboard's own only on
        it (elsewhere they would act on the screen behind). Then Textual's own that no key
        has (its theme picker, maximize, screenshot), not its "Keys" panel (the help)."""
        main = screen is self.screen_stack[0]
        for action, description in DESCRIPTIONS.items():
            if action in NOT_IN_PALETTE or (action in MAIN_SCREEN_ONLY and not main):
                continue
            where = self.dashboard if action in MAIN_SCREEN_ONLY else self
            yield SystemCommand(
                _(WORDS[action]),
                f"{key_text(self.settings.keys.get(action, '?'))} · {_(description)}",
                lambda action=action, where=where: self.run_action(action, where),
            )
        for command in super().get_system_commands(screen):
            if command.title in TEXTUAL_COMMANDS:
                title, help = TEXTUAL_COMMANDS[command.title]
                yield command._replace(title=_(title), help=_(help))
            elif command.title not in ("Keys", "Quit"):
                yield command

    def action_command_palette(self) -> None:
        """Textual's command palette, its search field's words in the user's language."""
        from ticker.tui.command_palette import TranslatedPalette

        is_open = TranslatedPalette.is_open(self)  # type: ignore[arg-type]
        if self.use_command_palette and not is_open:
            self.push_screen(TranslatedPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """Textual's theme picker (the palette's "Pick theme"), in the user's words."""
        from textual.theme import ThemeProvider

        from ticker.tui.command_palette import TranslatedPalette

        self.push_screen(
            TranslatedPalette(providers=[ThemeProvider], placeholder=_("Search for themes…"))
        )
