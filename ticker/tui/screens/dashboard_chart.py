"""The dashboard's chart: which pair, range and overlay it shows, when it is read again
(new data for the charted pair at most every :data:`CHART_FOLLOWS_EVERY` seconds, another
pair at once), and the keys that change it (range, overlay). A part of the dashboard
screen (:class:`ticker.tui.screens.dashboard.DashboardScreen`); it does no I/O: the app's
workers read the chart's series."""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import on
from textual.widgets import DataTable

from ticker.i18n.words import _, pgettext
from ticker.model.series import RANGES
from ticker.model.snapshot import CROSS_SERIES, row_key
from ticker.tui.screens.dashboard_actions import DashboardActions
from ticker.tui.widgets.chart import Chart
from ticker.tui.widgets.rates import RatesTable

if TYPE_CHECKING:
    from textual.timer import Timer

    from ticker.model.routing import PairView
    from ticker.tui.messages import ChartLoaded

#: New data for the charted pair redraws the chart at most this often (seconds): a chart
#: of a month is no less right for following a round a few seconds late, and drawing it
#: is the dearest part of a refresh (its read, its plot and a frame of its whole area:
#: at one new point a second, every 10 s rather than 5 s saved ~0.07% of a core).
CHART_FOLLOWS_EVERY = 10.0


def range_word(name: str) -> str:
    """A chart range (:data:`ticker.model.series.RANGES`) as the chart's title says it
    in the user's language: ``1Y`` is ``1Г``, ``All`` ``Всё``."""
    words = {
        "1M": pgettext("chart range", "1M"),
        "3M": pgettext("chart range", "3M"),
        "1Y": pgettext("chart range", "1Y"),
        "5Y": pgettext("chart range", "5Y"),
        "All": pgettext("chart range", "All"),
    }
    return words.get(name, name)


def chart_key(view: PairView) -> tuple[Any, ...]:
    """What the chart shows of the selected pair: it is read again when this changes."""
    return (row_key(view), view.pair, view.as_of, view.rate, view.provider)


class DashboardChart(DashboardActions):
    """The chart's part of the dashboard screen (its state is set in the screen's
    ``__init__``)."""

    range_index: int
    overlay: bool
    _charted: tuple[Any, ...] | None
    _chart_read_at: float
    _chart_timer: Timer | None
    _data_painted: bool
    _chart_waiting: bool

    if TYPE_CHECKING:

        def _tick(self, width: int | None = None) -> None:
            """The status line's and the panels' redraw (the screen's)."""

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
        if selected is not None and self._charted != chart_key(selected):
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
        self._charted = chart_key(selected)
        self._chart_read_at = monotonic()
        range_name = RANGES[self.range_index]
        if not selected.pair.is_usd:
            self.ticker.load_pair_chart(selected, range_name, self.overlay)
            return
        routing = self.ticker.settings.routing
        providers = list(routing[selected.local]) if self.overlay else [selected.provider]
        self.ticker.load_chart(selected.local, range_name, providers)

    def show_chart(self, message: ChartLoaded) -> None:
        selected = self.query_one(RatesTable).selected
        if selected is None or row_key(selected) != message.local:
            return
        ranges = "  ".join(
            f"[{range_word(r)}]" if r == message.range_name else range_word(r) for r in RANGES
        )
        who = "  " + _("every source:") if self.overlay else ""  # the legend names them
        digits = self.ticker.settings.display.significant_digits
        self.query_one(Chart).show(
            f"{selected.pair}  {ranges}{who}",
            message.series,
            primary=CROSS_SERIES if selected.is_cross else selected.provider,
            digits=digits,
        )

    @on(DataTable.RowHighlighted, "#rates")
    def selection_moved(self) -> None:
        # Also sent when the table is rebuilt with the same pair selected: that pair's new
        # data follows the chart's pace; another pair is charted at once.
        selected = self.query_one(RatesTable).selected
        if selected is None:
            return
        key = chart_key(selected)
        if key != self._charted:
            self._chart_follows(key)

    def action_cycle_range(self) -> None:
        self.range_index = (self.range_index + 1) % len(RANGES)
        self._reload_chart()
        self._tick()

    def action_overlay(self) -> None:
        self.overlay = not self.overlay
        self._reload_chart()
