"""The economic indicators: indicators down, countries across, each cell the latest actual
value with its year over a ten-year sparkline (forecast years in the warning colour);
the highlighted cell's series is charted below."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ticker.display.indicators import compact, spark
from ticker.model.indicators import COUNTRIES, SPARK_YEARS, IndicatorSeries
from ticker.tui.widgets.footer import KeyFooter
from ticker.tui.widgets.indicator_chart import IndicatorChart

#: Column headers: the countries' names.
SHORT = COUNTRIES


class IndicatorsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,i,q", "app.pop_screen", "Back"),
        Binding("e", "app.export_indicators", "Export"),
    ]
    DEFAULT_CSS = """
    IndicatorsScreen #table { height: auto; max-height: 60%; }
    IndicatorsScreen #legend { height: 1; color: $text-muted; }
    """

    def __init__(self, today: date, colors: dict[str, str]) -> None:
        super().__init__()
        self.today = today
        self.palette = colors
        self.series: dict[tuple[str, str, str], IndicatorSeries] = {}
        self.rows: list[tuple[str, str]] = []

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
        table = self.query_one(DataTable)
        table.add_column("Indicator", key="indicator")
        for code in COUNTRIES:
            table.add_column(SHORT.get(code, code), key=code)
        table.add_row(Text("reading the store…", style="dim"))

    def show(self, series: list[IndicatorSeries]) -> None:
        """Fill the table (called by the app with what its worker loaded)."""
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate
        table.clear()
        self.series = {(s.source, s.indicator, s.country): s for s in series}
        self.rows = list(dict.fromkeys((s.source, s.indicator) for s in series))
        if not any(s.years for s in series):
            table.add_row(
                Text(
                    "No indicators stored yet: the collector fetches them daily "
                    "(or run: ticker poll --provider worldbank --provider imf)",
                    style="dim",
                )
            )
            self.query_one(IndicatorChart).show(None, self._chart_colors())
            return
        for source, code in self.rows:
            name = next(s.name for s in series if (s.source, s.indicator) == (source, code))
            label = Text(name)
            label.append(f"\n{source} {code}", style="dim")
            cells = [self._cell(self.series.get((source, code, c))) for c in COUNTRIES]
            if any(s.refused for s in series if (s.source, s.indicator) == (source, code)):
                label.append(" refused", style=self.palette["warn"])
            table.add_row(label, *cells, height=2, key=f"{source}:{code}")
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
