"""The dashboard's workers: each asks the store session (headless, :mod:`ticker.core.
session`) or starts the collector (:mod:`ticker.core.polling`) off the UI loop, then posts
what it found or heard as a message to the app. No widget is touched here: the app's
handlers say it, or hand it to the dashboard screen, which draws."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from textual import on, work

from ticker.config import Settings
from ticker.core.session import StoreSession
from ticker.errors import TickerError
from ticker.i18n.words import _
from ticker.model.pairs import Orientation
from ticker.tui.lazy import load_store_modules
from ticker.tui.look_pace import LookPace
from ticker.tui.messages import (
    AlertDeleted,
    ChartLoaded,
    ConversionDone,
    DetailLoaded,
    ExportFinished,
    LeaseChanged,
    LiveUpdates,
    MarketColumnLoaded,
    MarketLoaded,
    PollAsked,
    PollingStarted,
    RoundFinished,
    RuleChanged,
    SnapshotLoaded,
    StoreAnnounced,
    StoreReadOnly,
    WorkFailed,
)
from ticker.tui.monetary_workers import MonetaryWorkers
from ticker.tui.snapshot_reader import SnapshotReader
from ticker.tui.status import bug_words

if TYPE_CHECKING:
    import httpx
    from textual.message import Message

    from ticker.core.collector import Collector, RoundDone
    from ticker.core.market import MarketColumn
    from ticker.core.polling import LeasedCollector
    from ticker.model.collectors import CollectorRecord
    from ticker.model.routing import PairView
    from ticker.model.snapshot import Snapshot
    from ticker.tui.screens.dashboard import DashboardScreen
    from ticker.tui.screens.forms import ExportRequest


class DashboardWorkers(MonetaryWorkers):
    """The dashboard's data side (the app itself: :class:`ticker.tui.app.TickerApp`; what
    it reads is shown by its :attr:`dashboard` screen)."""

    settings: Settings
    now: Callable[[], datetime]
    session: StoreSession
    orientation: Orientation
    leased_collector: LeasedCollector | None
    transport: httpx.AsyncBaseTransport | None
    dashboard: DashboardScreen
    looks: LookPace
    snapshot_reader: SnapshotReader
    read_only: str | None = None
    market_column: MarketColumn | None = None
    """The rates table's market column's reader (made at its first read)."""
    """Why this process cannot write the store (a read-only file or mount), once known:
    then nothing is collected here, and the keys that write say this."""

    @property
    def snapshot(self) -> Snapshot | None:
        """What the dashboard shows (None until the first read of the store is shown)."""
        return self.dashboard.snapshot

    def _reload_if_changed(self) -> None:
        # On the loop, no thread: SQLite's commit counter is one cheap read; a look that
        # finds nothing starts no worker (the idle dashboard's CPU). Under a stream of
        # commits the reads are paced (:mod:`ticker.tui.look_pace`): one waits for its time.
        wait = self.looks.look(lambda: self.session.worth_a_look(self.snapshot))
        if wait == 0.0:
            self.load_snapshot(if_changed=True)
        elif wait is not None:
            self.set_timer(wait, self._paced_look)

    def _paced_look(self) -> None:
        self.looks.due()
        self._reload_if_changed()

    # The store's listener reports from its own thread: it only posts (thread-safe).

    def _store_heard(self) -> None:
        self.post_message(StoreAnnounced())

    def _store_said(self, lost: str | None) -> None:
        self.post_message(LiveUpdates(lost))

    @on(StoreAnnounced)
    def store_announced(self) -> None:
        self._reload_if_changed()  # at once, not at the next look

    # Workers: each asks the session (headless, tested on its own) and posts the answer.

    def load_snapshot(self, if_changed: bool = False) -> None:
        """Read what the main screen shows, on the reader's thread (one for the app's
        life: :mod:`ticker.tui.snapshot_reader`). With ``if_changed``, only when someone
        wrote to the store since the last read, or it is old (``core.session.STATE_REREAD``)."""
        self.snapshot_reader.ask(if_changed)

    def _read_snapshot(self, if_changed: bool) -> None:
        """The reader thread's read: the snapshot posted, or why the store refused."""
        load_store_modules()  # in the thread: after the first frame
        started = self.looks.started()
        try:
            snapshot = self.session.snapshot(
                self.orientation, self.dashboard.event_mark, self.snapshot, if_changed
            )
        except TickerError as err:
            self._post_read(WorkFailed("store", str(err)))
            return
        if snapshot is not None:
            self.looks.refreshed(started)
            self._post_read(SnapshotLoaded(snapshot, self.session.rows_only))
        if not self.snapshot_reader.stopped:
            self._said_if_read_only()

    def _post_read(self, message: Message) -> None:
        if not self.snapshot_reader.stopped:  # the app unmounts: nothing left to show it
            self.post_message(message)

    def bug_said(self, what: str, err: BaseException | None) -> WorkFailed:
        """A bug in ``what``'s work, as the app says it (the traceback logged with
        ``TICKER_DEBUG=1``)."""
        if os.environ.get("TICKER_DEBUG") and err is not None:
            self.log.error("".join(traceback.format_exception(err)))
        reason = f"{type(err).__name__}: {err}" if err is not None else _("stopped")
        return WorkFailed(what, bug_words(reason))

    def _snapshot_bug(self, err: BaseException) -> None:
        """A read that raised what nobody expected (a bug) is named, as a worker's is."""
        self._post_read(self.bug_said("snapshot", err))

    def _said_if_read_only(self) -> bool:
        """Whether the store cannot be written here (posted once it is first seen)."""
        refused = self.session.reads.writes_refused
        if refused is not None and self.read_only is None:
            self.post_message(StoreReadOnly(refused))
        return refused is not None

    @work(thread=True, exclusive=True, group="market-column", exit_on_error=False)
    def load_market_column(self) -> None:
        """The rates table's market column: asked once the first data is on the screen and
        after each read of the store shown since, read only when the store's market moved
        (:class:`ticker.core.market.MarketColumn`, bounded queries)."""
        load_store_modules(market=True)  # in the worker: after the first frame
        from ticker.core.market import MarketColumn

        if self.market_column is None:
            self.market_column = MarketColumn()
        try:
            entries = self.market_column.read(self.session.reads, self.now())
        except TickerError as err:
            self.post_message(WorkFailed("market", str(err)))
            return
        if entries is not None:
            self.post_message(MarketColumnLoaded(entries))

    @work(thread=True, exclusive=True, group="chart", exit_on_error=False)
    def load_chart(self, local: str, range_name: str, providers: list[str]) -> None:
        load_store_modules()
        try:
            series = self.session.chart(local, range_name, self.orientation, providers)
        except TickerError as err:
            self.post_message(WorkFailed("chart", str(err)))
            return
        self.post_message(ChartLoaded(local, range_name, series))

    @work(thread=True, exclusive=True, group="chart", exit_on_error=False)
    def load_pair_chart(self, view: PairView, range_name: str, overlay: bool) -> None:
        """The chart of a pair beyond the dollar (its row key names it)."""
        from ticker.model.snapshot import row_key

        load_store_modules()
        try:
            series = self.session.pair_chart(view, range_name, overlay)
        except TickerError as err:
            self.post_message(WorkFailed("chart", str(err)))
            return
        self.post_message(ChartLoaded(row_key(view), range_name, series))

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def load_pair_detail(self, view: PairView) -> None:
        load_store_modules(monetary=True)
        try:
            detail = self.session.pair_detail(view)
        except TickerError as err:
            self.post_message(WorkFailed("detail", str(err)))
            return
        self.post_message(DetailLoaded(detail, self._local_monetary(view.pair.local)))

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def load_detail(self, local: str, routed: str) -> None:
        load_store_modules(monetary=True)
        try:
            detail = self.session.detail(local, self.orientation, routed)
        except TickerError as err:
            self.post_message(WorkFailed("detail", str(err)))
            return
        self.post_message(DetailLoaded(detail, self._local_monetary(local)))

    @work(thread=True, exclusive=True, group="convert", exit_on_error=False)
    def load_conversion(self, amount: Decimal, source: str, target: str) -> None:
        """The converter's line, worded as ``ticker convert`` words it."""
        from ticker.display.conversion import amount_text, conversion_line

        load_store_modules()
        request = (amount_text(amount), source, target)
        try:
            done = self.session.convert(amount, source, target)
        except TickerError as err:
            said = _("{what}: {detail}").format(what=_("store"), detail=err)
            self.post_message(ConversionDone(request, said, False))
            return
        if done.conversion is None:
            missing = _(" or ").join(done.missing)
            text = _("no {pairs} rate stored yet (r polls every source)").format(pairs=missing)
            self.post_message(ConversionDone(request, text, False))
            return
        digits = self.settings.display.significant_digits
        line = conversion_line(done.conversion, done.legs, digits)
        self.post_message(ConversionDone(request, line, True))

    @work(thread=True, exclusive=True, group="market-board", exit_on_error=False)
    def load_market_board(self, local: str) -> None:
        """The board screen's market (``m``): every board pair of ``local``, every channel,
        and the rates reported for it (bounded: :func:`ticker.core.market.market_view`)."""
        from ticker.core.market import market_view
        from ticker.display.market_board import board_pairs

        load_store_modules()
        try:
            view = market_view(self.session.reads, self.now(), pairs=board_pairs(local))
        except TickerError as err:
            self.post_message(WorkFailed("market", str(err)))
            return
        self.post_message(MarketLoaded(local, view))

    @property
    def collector(self) -> Collector | None:
        """This dashboard's collector while it polls (None: it stands by, or collects
        nothing)."""
        return self.leased_collector.collector if self.leased_collector is not None else None

    @work(exclusive=True, group="collector", exit_on_error=False)
    async def start_collector(self) -> None:
        """Collect while this dashboard holds the store's lease; while another collector
        holds it, stand by (and say which one feeds this dashboard), taking over when it
        dies (:mod:`ticker.core.polling`). Runs until the dashboard closes; here, only
        until the first try of the lease is answered."""
        import asyncio

        await asyncio.to_thread(load_store_modules)  # the read side's, under their lock
        try:  # a store this process cannot write is shown, and never collected into
            if await asyncio.to_thread(self._said_if_read_only):
                return
        except TickerError:  # the store does not open: the first read says so, and the
            pass  # collector's start below says what it meets
        # Heavy imports wait until the first frame is on screen, and load off the UI loop.
        await asyncio.to_thread(load_store_modules, True)
        from ticker.core.polling import LeasedCollector

        try:
            repo = await asyncio.to_thread(lambda: self.session.repo)
            self.leased_collector = LeasedCollector(
                self.settings,
                repo,
                self.now,
                transport=self.transport,
                started=self._collector_started,
                polling=self._polling_started,
                standby=self._standing_by,
                failed=self._collector_failed,
                ended=self._lease_ended,
            )
        except TickerError as err:  # never a dashboard that silently collects nothing
            self.post_message(WorkFailed("collector", str(err)))
            return
        await self.leased_collector.start()  # the collector started, or standing by

    # The collector's callbacks (on the loop): each only posts what it heard.

    def _collector_started(self, collector: Collector) -> None:
        def heard(event: RoundDone) -> None:  # firings are announced from the store's log
            outcome = event.outcome
            reason = outcome.error.reason if outcome.error is not None else ""
            self.post_message(RoundFinished(outcome.provider, outcome.ok, reason))

        collector.subscribe(heard)
        self.post_message(LeaseChanged(""))

    def _polling_started(self, names: list[str]) -> None:
        self.post_message(PollingStarted(names))

    def _standing_by(self, holder: CollectorRecord | None) -> None:
        from ticker.display.collectors import fed_by

        self.post_message(LeaseChanged(fed_by(holder)))

    def _collector_failed(self, err: TickerError) -> None:
        self.post_message(WorkFailed("collector", str(err)))

    def _lease_ended(self, err: BaseException | None) -> None:
        if err is not None:
            self.post_message(WorkFailed("collector", str(err)))

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def poll_now(self) -> None:
        collector = self.collector
        if collector is None:
            return
        self.post_message(PollingStarted(list(collector.providers)))
        await collector.poll_all()

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def ask_for_poll(self) -> None:
        """``r`` on a dashboard that does not poll (it stands by, or ``--no-collect``):
        ask the collector holding the store's lease to poll now, through the store
        (:func:`ticker.core.polling.ask_for_poll`), or learn that none does."""
        load_store_modules(collector=True)  # the write side
        try:
            holder, asked = self.session.ask_for_poll()
        except TickerError as err:
            self.post_message(WorkFailed("refresh", str(err)))
            return
        self.post_message(PollAsked(holder, asked))

    @work(thread=True, exclusive=True, group="alerts", exit_on_error=False)
    def store_rule(self, rule: Any) -> None:
        """Store a new rule and judge it at once against the stored rates: this
        dashboard's collector fires it now if it holds (else it says it would)."""
        from ticker.core.alerts.reach import first_look, nowhere_words
        from ticker.core.alerts.releases import unsourced_words
        from ticker.display.rules import condition_text

        load_store_modules(collector=True)  # the write side
        collector = self.collector
        try:
            rule_id = self.session.add_rule(rule)
            look = first_look(
                self.session.repo, self.settings, rule_id, self.now(), collector is not None
            )
        except TickerError as err:
            self.post_message(WorkFailed("alert", str(err)))
            return
        if look.firings and collector is not None:
            self.call_from_thread(collector.alerts.deliver, list(look.firings))
        if look.holds:
            said = look.words(_("the collector fires it at its next poll"))
        elif collector is not None:
            said = _("watched from the next poll")
        else:
            said = _("watched by whichever collector runs ('ticker collect', a dashboard)")
        words = _("Alert #{id} stored: {subject} {condition}; {said}.").format(
            id=rule_id, subject=rule.subject, condition=condition_text(rule), said=said
        )
        nowhere = nowhere_words(rule, self.settings)
        if nowhere:
            words += "\n" + _("Warning: {warning}.").format(warning=nowhere)
        unsourced = unsourced_words(rule, self.settings)  # stored: the config may change
        if unsourced:
            words += "\n" + _("Warning: {warning}.").format(warning=unsourced)
        nowhere = nowhere or unsourced
        self.post_message(RuleChanged(rule_id, words, "warning" if nowhere else "information"))
        self.load_snapshot()

    @work(thread=True, exclusive=True, group="alerts", exit_on_error=False)
    def change_rule(self, rule_id: int, change: str, value: Any, done: str) -> None:
        """``change`` one of ``edit`` (value: the rule), ``enable`` (value: True/False) or
        ``snooze`` (value: a length, or None to end it); ``done`` is said once stored."""
        load_store_modules(collector=True)  # the write side
        try:
            if change == "edit":
                self.session.edit_rule(rule_id, value)
            elif change == "enable":
                self.session.set_rule_enabled(rule_id, value)
            else:
                self.session.snooze_rule(rule_id, value)
        except TickerError as err:
            self.post_message(WorkFailed("alert", str(err)))
            return
        self.post_message(RuleChanged(rule_id, done))
        self.load_snapshot()

    @work(thread=True, exclusive=True, group="alerts", exit_on_error=False)
    def remove_rule(self, rule_id: int) -> None:
        load_store_modules(collector=True)  # the write side
        try:
            removed = self.session.delete_rule(rule_id)
        except TickerError as err:
            self.post_message(WorkFailed("alert", str(err)))
            return
        self.post_message(AlertDeleted(rule_id, removed))
        self.load_snapshot()

    @work(thread=True, exclusive=True, group="preferences", exit_on_error=False)
    def keep_theme(self, theme: str) -> None:
        from ticker.core.preferences import remember_theme

        try:
            remember_theme(theme, self.settings.display.theme)
        except OSError as err:  # said once, never in the way
            reason = err.strerror or err
            self.post_message(
                WorkFailed("theme", _("not remembered: {reason}").format(reason=reason))
            )

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, request: ExportRequest, orientation: Orientation) -> None:
        load_store_modules(collector=True)
        r = request
        try:
            count = self.session.export(
                r.path, r.local, r.shape, orientation, r.force, r.indicators
            )
        except (TickerError, OSError) as err:
            self.post_message(WorkFailed("export", str(err)))
            return
        self.post_message(ExportFinished(str(request.path), count))
