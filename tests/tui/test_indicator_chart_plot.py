"""An annual indicator's chart drawn by :mod:`ticker.display.plot`: the actual years
a braille line, the forecast marked ``x``, a legend saying which is which in their
colours, the years under the frame and the values up its side."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import App, ComposeResult

from ticker.model.indicators import IndicatorSeries, YearValue
from ticker.tui.widgets.indicator_chart import IndicatorChart

ACTUAL, FORECAST = "#00ff00", "#ffff00"
YEARS = [
    YearValue(2021, Decimal(5), False),
    YearValue(2022, Decimal(6), False),
    YearValue(2023, Decimal(7), False),
    YearValue(2024, Decimal(9), False),
    YearValue(2025, Decimal(8), True),
    YearValue(2026, Decimal(7), True),
]
GROWTH = IndicatorSeries("imf", "NGDP_RPCH", "KGZ", YEARS)


class OneChart(App[None]):
    CSS = "IndicatorChart { width: 60; height: 14; }"

    def compose(self) -> ComposeResult:
        yield IndicatorChart()


def colour_of(rendered: Text, word: str) -> str | None:
    at = rendered.plain.index(word)
    for span in rendered.spans:
        if span.start <= at < span.end and not isinstance(span.style, str):
            color = span.style.color
            return color.triplet.hex.lower() if color is not None and color.triplet else None
    return None


async def test_the_annual_chart_its_legend_and_its_axes() -> None:
    app = OneChart()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(IndicatorChart)
        chart.show(GROWTH, (ACTUAL, FORECAST))
        await pilot.pause()
        rendered = chart.render()
        lines = rendered.plain.splitlines()
        # The title, then 13 rows: the frame's top, 10 of plot, its bottom, the years.
        assert len(lines) == 14 and lines[1].lstrip().startswith("┌")
        assert "━━ actual" in lines[2] and "xx forecast (IMF WEO)" in lines[3]
        assert colour_of(rendered, "━━") == ACTUAL and colour_of(rendered, "xx") == FORECAST
        # 10 rows: four levels from 5 to 9, 4/3 apart (one decimal): 9.0 in the first row,
        # 5.0 in the last.
        assert lines[2].startswith("9.0┤") and lines[11].startswith("5.0┤")
        assert lines[13].split() == ["2021", "2022", "2023", "2024", "2025", "2026"]
        assert "x" in "".join(lines[4:12])  # the forecast's line
