"""One indicator series as a plotext chart: actual years and forecast years distinguished."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ticker.display.indicators import compact
from ticker.model.indicators import COUNTRIES, IndicatorSeries


class IndicatorChart(Widget):
    DEFAULT_CSS = """
    IndicatorChart { height: 1fr; min-height: 8; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series: IndicatorSeries | None = None
        self.palette = ("cyan", "yellow")

    def show(self, series: IndicatorSeries | None, colors: tuple[str, str]) -> None:
        self.series = series
        self.palette = colors
        self.refresh()

    def render(self) -> Text:
        s = self.series
        if s is None:
            return Text("Select a cell for its chart.", style="dim")
        title = f"{s.name}: {COUNTRIES.get(s.country, s.country)} ({s.source}, {s.indicator})"
        actual = [(y.year, y.value) for y in s.years if not y.forecast and y.value is not None]
        forecast = [(y.year, y.value) for y in s.years if y.forecast and y.value is not None]
        missing = [y.year for y in s.years if y.value is None]
        notes = f"  n/a: {', '.join(map(str, missing))}" if missing else ""
        if s.refused:  # the source's own words
            notes = f"  refused by {s.source}: {s.refused}" + notes
        revised = [y for y in s.years if y.revised_at is not None]
        if revised:  # the latest revision stays visible: what the value was, and when
            last = max(revised, key=lambda y: (y.revised_at, y.year))
            assert last.revised_at is not None
            notes += (
                f"  revised {last.revised_at:%Y-%m-%d}: {last.year} "
                f"{compact(last.previous_value)} → {compact(last.value)}"
            )
        width, height = self.size.width, self.size.height
        if len(actual) + len(forecast) < 2 or width < 30 or height < 6:
            values = ", ".join(f"{year} {compact(v)}" for year, v in actual + forecast) or "none"
            return Text(f"{title}\nvalues: {values}{notes}")
        import plotext as plt  # not on the start-up path

        header = Text(title, style="bold")
        if notes:
            header.append("\n" + notes.strip(), style="dim")
        plt.clf()
        plt.limit_size(False, False)  # the widget's size, not the process's terminal's
        plt.plotsize(width, height - len(header.plain.splitlines()))
        plt.theme("clear")
        if actual:
            plt.plot(
                [y for y, _ in actual], [float(v) for _, v in actual],
                label="actual", marker="braille", color=self.palette[0],
            )  # fmt: skip
        if forecast:
            # The forecast line starts from the last actual year, so the two join.
            joined = (
                actual[-1:] + forecast if actual and actual[-1][0] < forecast[0][0] else forecast
            )
            plt.plot(
                [y for y, _ in joined], [float(v) for _, v in joined],
                label="forecast (IMF WEO)", marker="x", color=self.palette[1],
            )  # fmt: skip
        years = sorted({y for y, _ in actual + forecast})
        step = max(1, len(years) // max(1, width // 8))  # whole years, never 2014.2
        plt.xticks(years[::step])
        text = Text.from_ansi(plt.build())
        plt.clf()
        return Text.assemble(header, "\n", text)
