"""The indicators screen's monetary panel: a row per country, a column per shown series
(the policy rate with its last decision, CPI year on year, reserves, remittances), each
cell the latest value with its date and a sparkline of its recent history. Laid out from
its width (:func:`ticker.display.monetary_screen.panel_layout`): sparklines and the
reserves and remittances columns give way before a number would be cut."""

from __future__ import annotations

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from ticker.display.monetary import cell_text
from ticker.display.monetary_screen import (
    COUNTRY_HEADER,
    PanelLayout,
    is_missing,
    panel_layout,
    spark_text,
)
from ticker.display.names import country_name
from ticker.i18n.words import _
from ticker.model.monetary import MonetarySeries, MonetaryView
from ticker.tui.status import READING


class MonetaryTable(DataTable[Text]):
    DEFAULT_CSS = """
    MonetaryTable { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True)
        self.view: MonetaryView | None = None
        self.fitted: PanelLayout | None = None
        self.spark_style = ""

    def reading(self) -> None:
        """Before the first read: one line says so."""
        self.clear(columns=True)
        self.add_column(_(COUNTRY_HEADER), key="country")
        self.add_row(Text(_(READING), style="dim"))

    def show(self, view: MonetaryView, width: int, spark_style: str = "") -> bool:
        """Fill the panel at ``width``; whether its layout changed."""
        self.view = view
        self.spark_style = spark_style
        layout = panel_layout(width, view)
        changed = layout != self.fitted
        keep = self.cursor_coordinate
        self.fitted = layout
        self.clear(columns=True)
        self.add_column(_(COUNTRY_HEADER), width=layout.widths[0], key="country")
        for code, header, size in zip(
            layout.columns, layout.headers, layout.widths[1:], strict=True
        ):
            self.add_column(header, width=size, key=code)
        for country in view.countries:
            name = country_name(country) if layout.named else country
            cells = [
                self._cell(view.get(country, code), layout, at)
                for at, code in enumerate(layout.columns)
            ]
            self.add_row(Text(name), *cells, key=country)
        if keep.row < self.row_count and keep.column < len(self.columns):
            self.cursor_coordinate = keep
        return changed

    def refit(self, width: int) -> bool:
        """The panel again at a new ``width``, only when its layout changes there."""
        if self.view is None or panel_layout(width, self.view) == self.fitted:
            return False
        return self.show(self.view, width, self.spark_style)

    def _cell(self, series: MonetarySeries, layout: PanelLayout, at: int) -> Text:
        words = cell_text(series, short=True)
        if is_missing(words):
            return Text(words, style="dim")
        text = Text(words)
        if series.series in layout.sparked:
            bars = spark_text(series, layout.spark)
            if bars:
                text.append(" " * (layout.text_widths[at] - len(words) + 1))
                text.append(bars, style=self.spark_style)
        return text

    def series_at(self, coordinate: Coordinate) -> MonetarySeries | None:
        """The series of a cell (a country's name: its policy rate)."""
        if self.view is None or self.fitted is None:
            return None
        countries = self.view.countries
        if not 0 <= coordinate.row < len(countries):
            return None
        column = max(coordinate.column - 1, 0)
        if column >= len(self.fitted.columns):
            return None
        return self.view.get(countries[coordinate.row], self.fitted.columns[column])
