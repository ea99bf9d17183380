"""The store's news handed to the dashboard: what the workers read and the collector did,
posted to the app (:mod:`ticker.tui.messages`), goes on to the screen that shows it (the
dashboard, the indicators screen, the market board, the converter). A message posted to
the app never reaches a screen by itself (the app: :class:`ticker.tui.app.TickerApp`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec

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

_P = ParamSpec("_P")


def _while_running(
    handler: Callable[Concatenate[DashboardNews, _P], None],
) -> Callable[Concatenate[DashboardNews, _P], None]:
    """The handler, but news that lands once the app is shutting down (its screens'
    widgets being removed: Textual's test harness shuts it down from another task) is
    dropped: there is nothing left to show it on."""

    @functools.wraps(handler)  # its signature too: Textual passes the message if it takes one
    def guarded(self: DashboardNews, /, *args: _P.args, **kwargs: _P.kwargs) -> None:
        if self.is_running:
            handler(self, *args, **kwargs)

    return guarded


class DashboardNews(DashboardBackfill):
    """The handlers of the store's news (the app: :class:`ticker.tui.app.TickerApp`),
    each :func:`_while_running` (a conversion asked for only starts a worker)."""

    @on(SnapshotLoaded)
    @_while_running
    def show_snapshot(self, message: SnapshotLoaded) -> None:
        self.dashboard.show_snapshot(message)

    @on(MarketColumnLoaded)
    @_while_running
    def show_market_column(self, message: MarketColumnLoaded) -> None:
        self.dashboard.show_market_column(message.entries)

    @on(ChartLoaded)
    @_while_running
    def show_chart(self, message: ChartLoaded) -> None:
        self.dashboard.show_chart(message)

    @on(DetailLoaded)
    @_while_running
    def show_detail(self, message: DetailLoaded) -> None:
        self.dashboard.show_detail(message)

    @on(PollingStarted)
    @_while_running
    def polling(self, message: PollingStarted) -> None:
        self.dashboard.polling(message.providers)

    @on(LeaseChanged)
    @_while_running
    def lease_changed(self, message: LeaseChanged) -> None:
        self.dashboard.lease_changed(message)

    @on(LiveUpdates)
    @_while_running
    def live_updates(self, message: LiveUpdates) -> None:
        self.dashboard.live_updates(message)

    @on(StoreReadOnly)
    @_while_running
    def store_read_only(self, message: StoreReadOnly) -> None:
        if self.read_only is None:
            self.read_only = message.reason
            self.dashboard.store_read_only()

    @on(RoundFinished)
    @_while_running
    def round_finished(self, message: RoundFinished) -> None:
        self.dashboard.polled(message.provider)
        self.load_snapshot()  # new rates, and the provider's health, within one poll
        if showing_indicators(self) and message.provider in self.settings.enabled_providers(
            "indicators"
        ):  # the annual and the monetary sources
            self.load_indicators()

    @on(IndicatorsLoaded)
    @_while_running
    def indicators_loaded(self, message: IndicatorsLoaded) -> None:
        if showing_indicators(self):
            self.screen.show(message.series, message.monetary)  # type: ignore[attr-defined]

    @on(DecisionsLoaded)
    @_while_running
    def decisions_loaded(self, message: DecisionsLoaded) -> None:
        self.dashboard.decided(message.decisions)

    @on(MarketLoaded)
    @_while_running
    def market_loaded(self, message: MarketLoaded) -> None:
        if showing_market(self):
            self.screen.show_market(message)  # type: ignore[attr-defined]

    @on(SnapshotLoaded)
    @_while_running
    def market_follows(self) -> None:
        """The store has new data (a board stored, announced or counted, moves the data
        mark the snapshot is read after): the board screen reads its market again."""
        if showing_market(self):
            self.screen.ask()  # type: ignore[attr-defined]

    @on(ConversionWanted)
    def conversion_wanted(self, message: ConversionWanted) -> None:
        self.load_conversion(message.amount, message.source, message.target)

    @on(ConversionDone)
    @_while_running
    def conversion_done(self, message: ConversionDone) -> None:
        show = getattr(self.screen, "show_conversion", None)
        if show is not None:
            show(message.request, message.text, message.ok)
