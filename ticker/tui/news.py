"""The store's news handed to the dashboard: what the workers read and the collector did,
posted to the app (:mod:`ticker.tui.messages`), goes on to the screen that shows it (the
dashboard, the indicators screen, the market board, the converter). A message posted to
the app never reaches a screen by itself (the app: :class:`ticker.tui.app.TickerApp`)."""

from __future__ import annotations

from textual import on

from ticker.tui.backfilling import DashboardBackfill
from ticker.tui.lazy import showing_indicators, showing_market
from ticker.tui.messages import (
    ChartLoaded,
    ConversionDone,
    ConversionWanted,
    DecisionsLoaded,
    DetailLoaded,
    IndicatorsLoaded,
    LeaseChanged,
    LiveUpdates,
    MarketColumnLoaded,
    MarketLoaded,
    PollingStarted,
    RoundFinished,
    SnapshotLoaded,
    StoreReadOnly,
)


class DashboardNews(DashboardBackfill):
    """The handlers of the store's news (the app: :class:`ticker.tui.app.TickerApp`)."""

    # A read or a round that lands once the app is shutting down (its screens' widgets
    # being removed: Textual's test harness shuts it down from another task) is dropped:
    # there is nothing left to show it on.

    @on(SnapshotLoaded)
    def show_snapshot(self, message: SnapshotLoaded) -> None:
        if not self.is_running:
            return
        self.dashboard.show_snapshot(message)

    @on(MarketColumnLoaded)
    def show_market_column(self, message: MarketColumnLoaded) -> None:
        if not self.is_running:
            return
        self.dashboard.show_market_column(message.entries)

    @on(ChartLoaded)
    def show_chart(self, message: ChartLoaded) -> None:
        if not self.is_running:
            return
        self.dashboard.show_chart(message)

    @on(DetailLoaded)
    def show_detail(self, message: DetailLoaded) -> None:
        if not self.is_running:
            return
        self.dashboard.show_detail(message)

    @on(PollingStarted)
    def polling(self, message: PollingStarted) -> None:
        if not self.is_running:
            return
        self.dashboard.polling(message.providers)

    @on(LeaseChanged)
    def lease_changed(self, message: LeaseChanged) -> None:
        if not self.is_running:
            return
        self.dashboard.lease_changed(message)

    @on(LiveUpdates)
    def live_updates(self, message: LiveUpdates) -> None:
        if not self.is_running:
            return
        self.dashboard.live_updates(message)

    @on(StoreReadOnly)
    def store_read_only(self, message: StoreReadOnly) -> None:
        if not self.is_running:
            return
        if self.read_only is None:
            self.read_only = message.reason
            self.dashboard.store_read_only()

    @on(RoundFinished)
    def round_finished(self, message: RoundFinished) -> None:
        if not self.is_running:
            return
        self.dashboard.polled(message.provider)
        self.load_snapshot()  # new rates, and the provider's health, within one poll
        if showing_indicators(self) and message.provider in self.settings.enabled_providers(
            "indicators"
        ):  # the annual and the monetary sources
            self.load_indicators()

    @on(IndicatorsLoaded)
    def indicators_loaded(self, message: IndicatorsLoaded) -> None:
        if not self.is_running:
            return
        if showing_indicators(self):
            self.screen.show(message.series, message.monetary)  # type: ignore[attr-defined]

    @on(DecisionsLoaded)
    def decisions_loaded(self, message: DecisionsLoaded) -> None:
        if not self.is_running:
            return
        self.dashboard.decided(message.decisions)

    @on(MarketLoaded)
    def market_loaded(self, message: MarketLoaded) -> None:
        if not self.is_running:
            return
        if showing_market(self):
            self.screen.show_market(message)  # type: ignore[attr-defined]

    @on(SnapshotLoaded)
    def market_follows(self) -> None:
        """The store has new data (a board stored, announced or counted, moves the data
        mark the snapshot is read after): the board screen reads its market again."""
        if not self.is_running:
            return
        if showing_market(self):
            self.screen.ask()  # type: ignore[attr-defined]

    @on(ConversionWanted)
    def conversion_wanted(self, message: ConversionWanted) -> None:
        self.load_conversion(message.amount, message.source, message.target)

    @on(ConversionDone)
    def conversion_done(self, message: ConversionDone) -> None:
        if not self.is_running:
            return
        show = getattr(self.screen, "show_conversion", None)
        if show is not None:
            show(message.request, message.text, message.ok)
