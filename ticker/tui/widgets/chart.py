"""The selected pair's chart: a header (the title, a legend naming each source in its
colour, the readout of the cursor and of the range), then the plot (:mod:`ticker.display.plot`)
sized to what is left, drawn whole each time (the dates along it move with each new one).

Each source takes a colour of the current theme (:mod:`ticker.tui.palette`), so the
lines change with the theme. With the chart focused (Tab), ← → (or h l) move a cursor
along the chart's dates, Home and End go to the first and the last.

Rates reported by hand (the series named ``reported``, USD/TMT's cash rate beside the
3.50 peg) are drawn as marked points, never joined to each other or to a source's line,
and named ``reported`` in the legend.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

from ticker.display.chart import (
    chart_dates,
    cursor_values,
    needs_year,
    range_summary,
)
from ticker.display.columns import source_label
from ticker.display.format import format_rate
from ticker.display.plot import FRAME_ROWS, Trace, plot
from ticker.i18n.dates import day_month, day_month_year, month_year
from ticker.i18n.words import N_, _
from ticker.tui.palette import source_colors
from ticker.tui.widgets.plot_text import plot_text

if TYPE_CHECKING:
    from ticker.model.series import Series

#: Below this many rows for the lines themselves, the chart says so instead of drawing.
MIN_PLOT_ROWS = 2
#: About this many columns per date along the bottom.
COLUMNS_PER_DATE = 16
#: The mark of a reported rate's point, on the chart and in its legend.
REPORTED_MARK = "◆"


class Chart(Widget, can_focus=True):
    DEFAULT_CSS = """
    Chart { height: 1fr; min-height: 6; }
    """
    BINDINGS = [
        Binding("left,h", "cursor(-1)", N_("Earlier"), show=False),
        Binding("right,l", "cursor(1)", N_("Later"), show=False),
        Binding("home", "cursor_to(0)", N_("First"), show=False),
        Binding("end", "cursor_to(-1)", N_("Last"), show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series: list[Series] = []
        self.title = ""
        self.empty_note = _("loading…")
        self.primary = ""
        """The source the table shows: its range's low, high and change are read out."""
        self.digits = 5
        self.dates: list[date] = []
        """Every date on the chart, oldest first: the cursor's stops."""
        self.cursor: date | None = None
        """The date under the cursor (None: no data)."""
        self._palette: tuple[tuple[str, int] | None, list[str]] = (None, [])

    def on_mount(self) -> None:
        # Each source's colour is the theme's: a new theme draws the lines again.
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.refresh()

    def show(
        self,
        title: str,
        series: list[Series],
        empty_note: str = "",
        *,
        primary: str = "",
        digits: int = 5,
    ) -> None:
        """Chart ``series``; drawn again only when something in it changed (drawing
        takes about a millisecond, and a re-read often finds the same data).
        The cursor stays on its date if the new series have it, else goes to the newest."""
        empty_note = empty_note or _("no history in this range")
        shown = (title, series, empty_note, primary, digits)
        if shown == (self.title, self.series, self.empty_note, self.primary, self.digits):
            return
        self.title, self.series, self.empty_note = title, series, empty_note
        self.primary, self.digits = primary, digits
        self.dates = chart_dates(series)
        if self.cursor not in self.dates:
            self.cursor = self.dates[-1] if self.dates else None
        self.refresh()

    # ------------------------------------------------------------------ the cursor

    def action_cursor(self, step: int) -> None:
        if self.cursor is None:
            return
        index = self.dates.index(self.cursor) + step
        self._move_to(min(max(index, 0), len(self.dates) - 1))

    def action_cursor_to(self, index: int) -> None:
        if self.dates:
            self._move_to(index % len(self.dates))

    def _move_to(self, index: int) -> None:
        if self.dates[index] != self.cursor:
            self.cursor = self.dates[index]
            self.refresh()

    def on_focus(self) -> None:
        self.refresh()  # the cursor's line is drawn while the chart has focus

    def on_blur(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------ what it says

    @property
    def line_colors(self) -> dict[str, str]:
        """Each charted source's colour (``#RRGGBB``) in the current theme."""
        key = (self.app.theme, len(self.series))
        if self._palette[0] != key:  # worked out once per theme and count
            self._palette = (key, source_colors(self.app.current_theme, len(self.series)))
        return {s.provider: c for s, c in zip(self.series, self._palette[1], strict=True)}

    def legend(self) -> Text:
        """``━━ NBKR  ━━ CBR``: each source's name after a stroke in its colour; the
        reported rates' ``◆ reported`` after their mark."""
        colors = self.line_colors
        text = Text()
        for s in self.series:
            if text:
                text.append("  ")
            reported = _reported(s)
            text.append(f"{REPORTED_MARK} " if reported else "━━ ", style=colors[s.provider])
            text.append(
                _("reported") if reported else source_label(s.provider, False), style="bold"
            )
        return text

    def readout(self) -> list[Text]:
        """The cursor's date and each source's value on it, then the primary source's
        range: its low, high and change from the range's first fixing to its last."""
        if self.cursor is None or not self.series:
            return []
        colors = self.line_colors
        at = Text(day_label(self.cursor, needs_year(self.dates)), style="bold")
        values = cursor_values(self.cursor, self.series, self.digits)
        for (name, value), s in zip(values, self.series, strict=True):
            at.append("  ")
            if len(self.series) > 1:
                name = _("reported") if _reported(s) else name
                at.append(f"{name} ", style=colors[s.provider])
            at.append(value, style="dim" if value in ("n/a", _("n/a")) else "bold")
        main = next((s for s in self.series if s.provider == self.primary), self.series[0])
        if _reported(main) and len(self.series) > 1:
            main = next(s for s in self.series if not _reported(s))
        summary = range_summary(main, self.digits)
        theme = self.app.current_theme
        trend = {1: theme.success or "green", -1: theme.error or "red"}.get(summary.direction, "")
        span = Text()
        if len(self.series) > 1:
            span.append(f"{summary.provider} ", style=colors[main.provider])
        span.append(_("low") + " ", style="dim")
        span.append(summary.low)
        span.append("  " + _("high") + " ", style="dim")
        span.append(summary.high)
        since = day_label(main.dates[0], needs_year(self.dates))
        span.append("  " + _("since {day}").format(day=since) + " ", style="dim")
        span.append(f"{summary.change} {summary.change_pct}", style=trend)
        return [at, span]

    # ------------------------------------------------------------------ drawing

    def _header(self, width: int) -> list[Text]:
        """The title and the legend, then the readout: each pair on one line when it
        fits the width, else on two."""
        lines: list[Text] = []
        title = Text(self.title, style="bold")
        for left, right in ((title, self.legend()), tuple(self.readout()) or (Text(), Text())):
            if not right:
                lines.append(left)
            elif not left:
                lines.append(right)
            elif left.cell_len + 3 + right.cell_len <= width:
                lines.append(Text.assemble(left, "   ", right))
            else:
                lines.extend((left, right))
        return [line for line in lines if line]

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        if not self.series:
            return Text(f"{self.title}\n{self.empty_note}" if self.title else self.empty_note)
        header = self._header(width)
        rows = height - len(header) - FRAME_ROWS
        if all(len(s.dates) < 2 for s in self.series):  # a line needs two points
            only = ", ".join(self._only_point(s) for s in self.series)
            only = _("only one fixing so far: {fixings}").format(fixings=only)
            return Text("\n").join([*header, Text(only, style="dim")])
        if rows < MIN_PLOT_ROWS or width < 30:
            needed = len(header) + FRAME_ROWS + MIN_PLOT_ROWS
            note = _("(too small to plot: the lines need {needed} rows, {height} here)").format(
                needed=needed, height=height
            )
            return Text("\n").join([*header, Text(note, style="dim")])
        plot = self._plot(width, height - len(header))
        return Text("\n").join([*header, plot])

    def _only_point(self, s: Series) -> str:
        """``NBT on 24 Sep``; a reported rate with its value, in the chart's terms
        (``reported 19.50 on 24 Sep``): it is no source's fixing."""
        day = day_label(s.dates[-1])
        if _reported(s):
            return _("reported {rate} on {day}").format(
                rate=format_rate(s.values[-1], self.digits), day=day
            )
        return _("{source} on {day}").format(source=source_label(s.provider, False), day=day)

    def _plot(self, width: int, height: int) -> Text:
        colors = self.line_colors
        low = min(s.lowest for s in self.series)
        high = max(s.highest for s in self.series)
        traces = [self._trace(s, colors[s.provider]) for s in self.series]
        first, last = self.dates[0].toordinal(), self.dates[-1].toordinal()
        ticks = _spread(first, last, max(2, width // COLUMNS_PER_DATE))
        with_year = (last - first) > 92 or needs_year(self.dates)
        rows = height - FRAME_ROWS
        levels = _levels(low, high, max(2, min(5, rows // 3 + 1)))
        pad = (high - low) / 20 if high > low else abs(low) / 100 or Decimal(1)
        cursor = None
        if self.has_focus and self.cursor is not None:
            cursor = (self.cursor.toordinal(), self.app.current_theme.foreground or "#808080")
        drawn = plot(
            width,
            height,
            traces,
            xticks=[(t, _date_tick(t, with_year)) for t in ticks],
            yticks=[(_float(v), format_rate(v, self.digits)) for v in levels],
            xlim=(first, max(last, first + 1)),
            ylim=(_float(low - pad), _float(high + pad)),
            cursor=cursor,
        )
        return plot_text(drawn)

    def _trace(self, s: Series, color: str) -> Trace:
        """``s`` as the plotter draws it: days as ordinals; reported rates as marked
        points, never joined."""
        reported = _reported(s)
        xs = [d.toordinal() for d in s.dates]
        return Trace(
            xs,
            [_float(v) for v in s.values],
            color,
            mark=REPORTED_MARK if reported else "",
            joined=not reported,
        )


def _reported(series: Series) -> bool:
    """Whether ``series`` is the rates reported by hand (drawn as marked points)."""
    from ticker.model.market_records import REPORTED  # never for the first frame

    return series.provider == REPORTED


def _spread(first: int, last: int, count: int) -> list[int]:
    """About ``count`` whole numbers from ``first`` to ``last``, evenly apart."""
    if last <= first:
        return [first]
    count = min(count, last - first + 1)
    return sorted({first + round((last - first) * i / (count - 1)) for i in range(count)})


def _levels(low: Decimal, high: Decimal, count: int) -> list[Decimal]:
    """``count`` values from ``low`` to ``high``, evenly apart (one if they are equal)."""
    if high <= low:
        return [low]
    return [low + (high - low) * i / (count - 1) for i in range(count)]


def day_label(day: date, with_year: bool = False) -> str:
    """A date as the chart says it, in the user's language: ``24 Nov``, ``24 нояб.``; with
    the year when asked (``24 Nov 2026``)."""
    return day_month_year(day) if with_year else day_month(day)


def _date_tick(ordinal: int, with_year: bool) -> str:
    day = date.fromordinal(ordinal)
    return month_year(day) if with_year else day_label(day)


def _float(value: Decimal) -> float:
    # Plotting only: positions on a character grid; the numbers shown elsewhere stay exact.
    return float(value)
