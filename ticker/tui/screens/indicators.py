"""The economic indicators: first the monetary panel (a row per country: the policy rate
with its last decision, CPI year on year, reserves, remittances, each with a sparkline of
its recent history), then the annual table (indicators down, countries across, each cell
the latest actual value with its year over a ten-year sparkline, forecast years in the
warning colour). The focused table's highlighted cell is charted below: a monetary series
by date (a policy rate as steps), an annual one by year."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ticker.display.indicators import (
    IndicatorColumns,
    annual_empty_note,
    compact,
    indicator_columns,
    indicator_label,
    spark,
    wrap,
)
from ticker.display.monetary_screen import (
    PANEL_TITLE,
    calendar_notes,
    empty_note,
    panel_legend,
)
from ticker.display.names import country_name
from ticker.i18n.words import N_, _
from ticker.model.indicators import COUNTRIES, SPARK_YEARS, IndicatorSeries
from ticker.model.monetary import MonetaryView
from ticker.tui.widgets.footer import KeyFooter
from ticker.tui.widgets.indicator_chart import IndicatorChart
from ticker.tui.widgets.monetary_table import MonetaryTable

if TYPE_CHECKING:
    from ticker.model.release_calendar import DecisionCalendar

#: The chart's rows at the least (the annual table scrolls within what is left).
CHART_MIN = 8


def country_names() -> dict[str, str]:
    """Each country's code and its name in the user's language."""
    return {code: country_name(code) for code in COUNTRIES}


class IndicatorsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,i,q", "app.pop_screen", N_("Back")),
        Binding("e", "app.export_indicators", N_("Export")),
    ]
    DEFAULT_CSS = """
    IndicatorsScreen #table { height: auto; max-height: 60%; scrollbar-size-vertical: 1; }
    IndicatorsScreen #legend, IndicatorsScreen #monetary-legend { height: 1; color: $text-muted; }
    IndicatorsScreen #monetary-notes { color: $text-muted; display: none; }
    """

    def __init__(
        self, now: datetime, colors: dict[str, str], calendar: DecisionCalendar | None = None
    ) -> None:
        super().__init__()
        self.now = now
        """When the screen was opened: its date ends the annual sparklines, and the
        decision calendar's notes are said at it."""
        self.today = now.date()
        self.calendar = calendar
        self.palette = colors
        self.series: dict[tuple[str, str, str], IndicatorSeries] = {}
        self.rows: list[tuple[str, str]] = []
        self.columns: IndicatorColumns | None = None
        """The table's columns as laid out for the screen's width (None until shown)."""
        self.monetary: MonetaryView | None = None
        """The monetary panel's series (None until read)."""
        self._notes_lines = 0
        """The lines under the monetary panel (its notes)."""

    def compose(self) -> ComposeResult:
        yield Static(Text(_(PANEL_TITLE), style="bold"), id="monetary-legend")
        yield MonetaryTable(id="monetary")
        yield Static("", id="monetary-notes")
        first = self.today.year - SPARK_YEARS + 1
        yield Static(
            Text.assemble(
                (_("Indicators"), "bold"),
                "  ",
                _("latest actual (year) · {first}–{last}").format(
                    first=first, last=self.today.year
                ),
                " · ",
                (_("forecast"), self.palette["warn"]),
                " · ",
                _("n/a: not published"),
            ),
            id="legend",
        )
        table: DataTable[Text] = DataTable(id="table", cursor_type="cell", zebra_stripes=True)
        yield table
        yield IndicatorChart(id="indicator-chart")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(MonetaryTable).reading()
        self._set_columns(tuple(country_names().values()))
        self.query_one("#table", DataTable).add_row(Text(_("reading the store…"), style="dim"))
        self._fit_height(self.app.size.height)

    def _set_columns(self, headers: tuple[str, ...]) -> None:
        table = self.query_one("#table", DataTable)
        table.clear(columns=True)
        table.add_column(_("Indicator"), key="indicator")
        for code, header in zip(COUNTRIES, headers, strict=True):
            table.add_column(header, key=code)

    def show(self, series: list[IndicatorSeries], monetary: MonetaryView | None = None) -> None:
        """Fill the tables (called by the app with what its worker loaded)."""
        width = self.size.width or self.app.size.width
        if monetary is not None:
            self.monetary = monetary
            self.query_one(MonetaryTable).show(monetary, width, self.palette["ok"])
            self._monetary_notes(width)
        self.series = {(s.source, s.indicator, s.country): s for s in series}
        self.rows = list(dict.fromkeys((s.source, s.indicator) for s in series))
        self._fill(width)
        self._chart_focused()

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        if self.monetary is not None:
            if self.query_one(MonetaryTable).refit(width):
                self._chart_focused()
            self._monetary_notes(width)
        self._fit_height(event.size.height)
        if self.columns is not None:
            self._fill(width, if_changed=True)

    def _fit_height(self, height: int) -> None:
        """The annual table takes at most half the rows the monetary panel leaves, and
        never the chart's least (it scrolls within them)."""
        above = 3 + self._notes_lines  # the two legends, the footer, and the notes
        rest = height - above - len(COUNTRIES) - 1  # the panel: a header, a row each
        room = min(rest - CHART_MIN, rest // 2)  # the chart has half, or its least
        self.query_one("#table", DataTable).styles.max_height = max(room, 3)

    def _monetary_notes(self, width: int) -> None:
        """The panel's legend at ``width``; under the panel, what it says when nothing is
        stored, and the decision calendar's notes (``next NBK decision 12 Jan``)."""
        assert self.monetary is not None
        layout = self.query_one(MonetaryTable).fitted
        legend = Text.assemble((_(PANEL_TITLE), "bold"), f"  {panel_legend(layout, width)}")
        self.query_one("#monetary-legend", Static).update(legend)
        notes = [
            empty_note(self.monetary),
            *calendar_notes(self.calendar, self.monetary.countries, self.now),
        ]
        said = " · ".join(n for n in notes if n)
        lines = wrap(said, max(width - 2, 20)) if said else []
        widget = self.query_one("#monetary-notes", Static)
        widget.update("\n".join(lines))
        widget.display = bool(lines)
        self._notes_lines = len(lines)
        self._fit_height(self.app.size.height)

    def _fill(self, width: int, if_changed: bool = False) -> None:
        """The table at ``width``: every country's column on the screen, the indicator
        names wrapped into what they leave (at 80 columns too)."""
        table = self.query_one("#table", DataTable)
        if not self._annual_stored():
            # One column for the note (the countries' headers would be pushed off it).
            self.columns = IndicatorColumns((), width)
            table.clear(columns=True)
            table.add_column(_("Indicator"), key="indicator")
            note = annual_empty_note(list(dict.fromkeys(s.source for s in self.series.values())))
            lines = wrap(note, max(width - 4, 20))
            table.add_row(Text("\n".join(lines), style="dim"), height=len(lines))
            return
        cells = {
            (source, code): [self._cell(self.series.get((source, code, c))) for c in COUNTRIES]
            for source, code in self.rows
        }
        cell_width = max(
            [
                SPARK_YEARS,
                *(len(line) for row in cells.values() for t in row for line in t.plain.split("\n")),
            ]
        )
        # The names are model.indicators' (marked there): said in the user's language.
        names = {(s.source, s.indicator): _(s.name) for s in self.series.values()}
        refused = {(s.source, s.indicator) for s in self.series.values() if s.refused}
        refused_word = _("refused")
        needed = max(
            max(
                len(names[key]),
                len(f"{key[0]} {key[1]}") + (len(refused_word) + 1) * (key in refused),
            )
            for key in self.rows
        )
        columns = indicator_columns(width, country_names(), cell_width, needed)
        if if_changed and columns == self.columns:
            return
        keep = table.cursor_coordinate
        if self.columns is None or columns.headers != self.columns.headers:
            self._set_columns(columns.headers)
        else:
            table.clear()
        self.columns = columns
        for source, code in self.rows:
            name, sources = indicator_label(names[source, code], source, code, columns.label_width)
            label = Text("\n".join(name))
            label.append("\n" + "\n".join(sources), style="dim")
            height = len(name) + len(sources)
            if (source, code) in refused:
                fits = len(sources[-1]) + len(refused_word) + 1 <= columns.label_width
                height += not fits
                label.append((" " if fits else "\n") + refused_word, style=self.palette["warn"])
            table.add_row(label, *cells[(source, code)], height=height, key=f"{source}:{code}")
        if keep.row < table.row_count:
            table.cursor_coordinate = keep

    def _cell(self, s: IndicatorSeries | None) -> Text:
        if s is None:
            return Text(_("n/a"), style="dim")
        latest = s.latest
        empty = _("refused") if s.refused else _("n/a")
        text = Text(f"{compact(latest.value)} ’{latest.year % 100:02d}" if latest else empty)
        if latest is None:
            text.stylize(self.palette["warn"] if s.refused else "dim")
        text.append("\n")
        for bar, forecast in spark(s.window(self.today.year)):
            text.append(bar, style=self.palette["warn"] if forecast else "")
        return text

    def _chart_colors(self) -> tuple[str, str]:
        return (self.palette["ok"], self.palette["warn"])

    def _annual_stored(self) -> bool:
        return any(s.years for s in self.series.values())

    def _chart_for(self, row: int, column: int) -> None:
        chart = self.query_one(IndicatorChart)
        if not self.rows or not 0 <= row < len(self.rows) or not self._annual_stored():
            chart.show(None, self._chart_colors())
            return
        source, code = self.rows[row]
        country = list(COUNTRIES)[max(column - 1, 0)]  # the name column charts the first one
        chart.show(self.series.get((source, code, country)), self._chart_colors())

    def _chart_monetary(self, coordinate: Coordinate) -> None:
        series = self.query_one(MonetaryTable).series_at(coordinate)
        self.query_one(IndicatorChart).show_monetary(series, self._chart_colors(), self.today)

    def _chart_focused(self) -> None:
        """The chart shows the focused table's highlighted cell (the monetary panel's
        until the annual table has the focus)."""
        annual = self.query_one("#table", DataTable)
        if self.focused is annual:
            self._chart_for(annual.cursor_coordinate.row, annual.cursor_coordinate.column)
        elif self.monetary is not None:
            self._chart_monetary(self.query_one(MonetaryTable).cursor_coordinate)

    @on(DataTable.CellHighlighted)
    def highlighted(self, event: DataTable.CellHighlighted) -> None:
        if isinstance(event.data_table, MonetaryTable):
            if self.focused is None or self.focused is event.data_table:
                self._chart_monetary(event.coordinate)
        elif self.focused is event.data_table:
            self._chart_for(event.coordinate.row, event.coordinate.column)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._chart_focused()
