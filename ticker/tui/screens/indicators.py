"""The economic indicators: indicators down, countries across, each cell the latest actual
value with its year over a ten-year sparkline (forecast years in the warning colour);
the highlighted cell's series is charted below."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ticker.display.indicators import (
    IndicatorColumns,
    compact,
    indicator_columns,
    indicator_label,
    spark,
    wrap,
)
from ticker.model.indicators import COUNTRIES, SPARK_YEARS, IndicatorSeries
from ticker.tui.widgets.footer import KeyFooter
from ticker.tui.widgets.indicator_chart import IndicatorChart


class IndicatorsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,i,q", "app.pop_screen", "Back"),
        Binding("e", "app.export_indicators", "Export"),
    ]
    DEFAULT_CSS = """
    IndicatorsScreen #table { height: auto; max-height: 60%; scrollbar-size-vertical: 1; }
    IndicatorsScreen #legend { height: 1; color: $text-muted; }
    """

    def __init__(self, today: date, colors: dict[str, str]) -> None:
        super().__init__()
        self.today = today
        self.palette = colors
        self.series: dict[tuple[str, str, str], IndicatorSeries] = {}
        self.rows: list[tuple[str, str]] = []
        self.columns: IndicatorColumns | None = None
        """The table's columns as laid out for the screen's width (None until shown)."""

    def compose(self) -> ComposeResult:
        first = self.today.year - SPARK_YEARS + 1
        yield Static(
            Text.assemble(
                ("Indicators", "bold"),
                f"  latest actual (year) · {first}–{self.today.year} · ",
                ("forecast", self.palette["warn"]),
                " · n/a: not published",
            ),
            id="legend",
        )
        table: DataTable[Text] = DataTable(id="table", cursor_type="cell", zebra_stripes=True)
        yield table
        yield IndicatorChart(id="indicator-chart")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._set_columns(tuple(COUNTRIES.values()))
        self.query_one(DataTable).add_row(Text("reading the store…", style="dim"))

    def _set_columns(self, headers: tuple[str, ...]) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("Indicator", key="indicator")
        for code, header in zip(COUNTRIES, headers, strict=True):
            table.add_column(header, key=code)

    def show(self, series: list[IndicatorSeries]) -> None:
        """Fill the table (called by the app with what its worker loaded)."""
        self.series = {(s.source, s.indicator, s.country): s for s in series}
        self.rows = list(dict.fromkeys((s.source, s.indicator) for s in series))
        self._fill(self.size.width or self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        if self.columns is not None:
            self._fill(event.size.width, if_changed=True)

    def _fill(self, width: int, if_changed: bool = False) -> None:
        """The table at ``width``: every country's column on the screen, the indicator
        names wrapped into what they leave (at 80 columns too)."""
        table = self.query_one(DataTable)
        if not any(s.years for s in self.series.values()):
            self.columns = IndicatorColumns(tuple(COUNTRIES.values()), width)
            table.clear()
            note = (
                "No indicators stored yet: the collector fetches them daily "
                "(or run: ticker poll --provider worldbank --provider imf)"
            )
            lines = wrap(note, max(width - 4, 20))
            table.add_row(Text("\n".join(lines), style="dim"), height=len(lines))
            self.query_one(IndicatorChart).show(None, self._chart_colors())
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
        names = {(s.source, s.indicator): s.name for s in self.series.values()}
        refused = {(s.source, s.indicator) for s in self.series.values() if s.refused}
        needed = max(
            max(len(names[key]), len(f"{key[0]} {key[1]}") + 8 * (key in refused))
            for key in self.rows
        )
        columns = indicator_columns(width, COUNTRIES, cell_width, needed)
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
                fits = len(sources[-1]) + 8 <= columns.label_width
                height += not fits
                label.append(" refused" if fits else "\nrefused", style=self.palette["warn"])
            table.add_row(label, *cells[(source, code)], height=height, key=f"{source}:{code}")
        if keep.row < table.row_count:
            table.cursor_coordinate = keep
        self._chart_for(table.cursor_coordinate.row, table.cursor_coordinate.column)

    def _cell(self, s: IndicatorSeries | None) -> Text:
        if s is None:
            return Text("n/a", style="dim")
        latest = s.latest
        empty = "refused" if s.refused else "n/a"
        text = Text(f"{compact(latest.value)} ’{latest.year % 100:02d}" if latest else empty)
        if latest is None:
            text.stylize(self.palette["warn"] if s.refused else "dim")
        text.append("\n")
        for bar, forecast in spark(s.window(self.today.year)):
            text.append(bar, style=self.palette["warn"] if forecast else "")
        return text

    def _chart_colors(self) -> tuple[str, str]:
        return (self.palette["ok"], self.palette["warn"])

    def _chart_for(self, row: int, column: int) -> None:
        chart = self.query_one(IndicatorChart)
        if not self.rows or not 0 <= row < len(self.rows):
            chart.show(None, self._chart_colors())
            return
        source, code = self.rows[row]
        country = list(COUNTRIES)[max(column - 1, 0)]  # the name column charts the first one
        chart.show(self.series.get((source, code, country)), self._chart_colors())

    @on(DataTable.CellHighlighted)
    def highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._chart_for(event.coordinate.row, event.coordinate.column)
