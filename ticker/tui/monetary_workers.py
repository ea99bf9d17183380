"""The dashboard's workers of the monetary monitor: the indicators screen's read, the
policy rates the status line leads with on a decision day, and the pair detail's local
policy rate and inflation. Each asks the store session (:meth:`ticker.core.session.
StoreSession.monetary`: one bounded read) off the UI loop and posts what it found."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App

from ticker.config import Settings
from ticker.core.session import StoreSession
from ticker.errors import TickerError
from ticker.tui.lazy import load_store_modules
from ticker.tui.messages import DecisionsLoaded, IndicatorsLoaded, WorkFailed

if TYPE_CHECKING:
    from ticker.model.monetary import MonetaryView
    from ticker.model.snapshot import Snapshot


class MonetaryWorkers(App[None]):
    """The monetary monitor's reads (a part of :class:`ticker.tui.workers.DashboardWorkers`)."""

    settings: Settings
    session: StoreSession
    decisions_mark: tuple[Any, ...] | None = None
    """The monetary sources' polls when the policy rates were last read for the status
    line (:meth:`follow_decisions`)."""

    @work(thread=True, exclusive=True, group="indicators", exit_on_error=False)
    def load_indicators(self) -> None:
        """The indicators screen's: the monetary monitor (one bounded read) and the
        annual indicators."""
        load_store_modules(monetary=True)
        try:
            monetary = self.session.monetary()
            self.post_message(IndicatorsLoaded(self.session.indicators(), monetary))
        except TickerError as err:
            self.post_message(WorkFailed("indicators", str(err)))

    def follow_decisions(self, snapshot: Snapshot) -> None:
        """After a read of the store is on the screen: the policy rates are read again
        (:meth:`load_decisions`) the first time, and when a monetary source has been
        polled since (by this dashboard's collector or another's): never before the
        first data, never on a read that brought nothing of theirs."""
        from ticker.config import monetary_sources

        health = snapshot.health
        mark = tuple(
            (name, h.last_attempt, h.last_success) if h is not None else (name,)
            for name in monetary_sources(self.settings)
            for h in (health.get(name),)
        )
        if mark != self.decisions_mark:
            self.decisions_mark = mark
            self.load_decisions()

    @work(thread=True, exclusive=True, group="decisions", exit_on_error=False)
    def load_decisions(self) -> None:
        """Each country's newest policy rate, for the status line's lead on a decision
        day (one bounded read)."""
        load_store_modules(monetary=True)  # under the lock, before the imports below
        from providers.monetary_records import POLICY_RATE
        from ticker.display.monetary_screen import recent_decisions

        try:
            view = self.session.monetary(series=(POLICY_RATE,))
        except TickerError as err:
            self.decisions_mark = None  # read again at the next look
            self.post_message(WorkFailed("decisions", str(err)))
            return
        self.post_message(DecisionsLoaded(recent_decisions(view, self.settings.decisions)))

    def _local_monetary(self, currency: str) -> MonetaryView | None:
        """The pair detail's policy rate and inflation of the country of the pair's local
        ``currency`` (None: it is none of the five's, or the store did not answer: the
        detail shows without them)."""
        from providers.monetary_records import CPI_YOY, POLICY_RATE
        from ticker.model.monetary import country_of_currency

        country = country_of_currency(currency)
        if country is None:
            return None
        try:
            return self.session.monetary(series=(POLICY_RATE, CPI_YOY), countries=[country])
        except TickerError:
            return None
