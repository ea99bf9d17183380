"""One indicator series as a chart (:mod:`ticker.display.plot`): an annual one's actual
years and forecast years distinguished; a monetary one by date, a policy rate as steps
(each level held from its decision to the next)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widget import Widget

from providers.monetary_records import POLICY_RATE
from ticker.display.indicators import compact
from ticker.display.monetary import (
    NO_SOURCE,
    decision_text,
    latest_text,
    period_text,
    value_text,
)
from ticker.display.names import country_name
from ticker.display.plot import FRAME_ROWS, Trace, plot
from ticker.i18n.dates import day_month, day_month_year, month_year
from ticker.i18n.numbers import localised
from ticker.i18n.words import _
from ticker.i18n.zone import in_zone
from ticker.model.indicators import IndicatorSeries
from ticker.model.monetary import MonetarySeries, period_start
from ticker.tui.widgets.plot_text import plot_text


class IndicatorChart(Widget):
    DEFAULT_CSS = """
    IndicatorChart { height: 1fr; min-height: 8; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series: IndicatorSeries | None = None
        self.monetary: MonetarySeries | None = None
        """A monetary series shown instead (its chart is by date)."""
        self.today: date | None = None
        self.palette = ("cyan", "yellow")

    def show(self, series: IndicatorSeries | None, colors: tuple[str, str]) -> None:
        self.series, self.monetary = series, None
        self.palette = colors
        self.refresh()

    def show_monetary(
        self, series: MonetarySeries | None, colors: tuple[str, str], today: date
    ) -> None:
        """Chart a monetary series by date (a policy rate as steps) up to ``today``."""
        self.series, self.monetary, self.today = None, series, today
        self.palette = colors
        self.refresh()

    def render(self) -> Text:
        if self.monetary is not None and self.today is not None:
            size = (self.size.width, self.size.height)
            return monetary_chart(self.monetary, self.today, size, self.palette[0])
        s = self.series
        if s is None:
            return Text(_("Select a cell for its chart."), style="dim")
        title = f"{_name(s.name)}: {country_name(s.country)} ({s.source}, {s.indicator})"
        actual = [(y.year, y.value) for y in s.years if not y.forecast and y.value is not None]
        forecast = [(y.year, y.value) for y in s.years if y.forecast and y.value is not None]
        missing = [y.year for y in s.years if y.value is None]
        notes = ""
        if missing:
            years_missing = ", ".join(map(str, missing))
            notes = "  " + _("n/a: {years}").format(years=years_missing)
        if s.refused:  # the source's own words
            refused = _("refused by {source}: {reason}").format(source=s.source, reason=s.refused)
            notes = f"  {refused}{notes}"
        revised = [y for y in s.years if y.revised_at is not None]
        if revised:  # the latest revision stays visible: what the value was, and when
            last = max(revised, key=lambda y: (y.revised_at, y.year))
            assert last.revised_at is not None
            notes += "  " + _("revised {day}: {period} {before} → {after}").format(
                day=day_month_year(in_zone(last.revised_at).date()),
                period=last.year,
                before=compact(last.previous_value),
                after=compact(last.value),
            )
        width, height = self.size.width, self.size.height
        if len(actual) + len(forecast) < 2 or width < 30 or height < 6:
            values = ", ".join(f"{year} {compact(v)}" for year, v in actual + forecast)
            values = _("values: {values}").format(values=values or _("none"))
            return Text(f"{title}\n{values}{notes}")
        header = Text(title, style="bold")
        if notes:
            header.append("\n" + notes.strip(), style="dim")
        traces = []
        if actual:
            actual_xs = [year for year, _v in actual]
            actual_ys = [float(v) for _year, v in actual]
            traces.append(Trace(actual_xs, actual_ys, self.palette[0], label=_("actual")))
        if forecast:
            # The forecast line starts from the last actual year, so the two join.
            joined = (
                actual[-1:] + forecast if actual and actual[-1][0] < forecast[0][0] else forecast
            )
            traces.append(
                Trace(
                    [year for year, _v in joined],
                    [float(v) for _year, v in joined],
                    self.palette[1],
                    mark="x",
                    label=_("forecast (IMF WEO)"),
                )
            )
        years = sorted({y for y, _v in actual + forecast})
        step = max(1, len(years) // max(1, width // 8))  # whole years, never 2014.2
        height -= len(header.plain.splitlines())
        plotted = [float(v) for _y, v in actual + forecast]
        levels, labels = value_ticks(plotted, height - FRAME_ROWS)
        drawn = plot(
            width,
            height,
            traces,
            xticks=[(year, str(year)) for year in years[::step]],
            yticks=list(zip(levels, labels, strict=True)),
        )
        return Text.assemble(header, "\n", plot_text(drawn))


#: A monetary chart's values listed when it is too small to draw (the newest).
LISTED = 8


def monetary_chart(s: MonetarySeries, today: date, size: tuple[int, int], color: str) -> Text:
    """A monetary series by date within ``size`` (columns, rows): its title, what the
    panel says of it in full, a revision kept, and the chart (a policy rate as steps up
    to ``today``); its newest values in words when too few or too small to draw."""
    country = country_name(s.country)
    if not s.covered:
        said = _("{series}: {country}: {missing} (no enabled source gives it)").format(
            series=_name(s.name), country=country, missing=_(NO_SOURCE)
        )
        return Text(said, style="dim")
    title = f"{_name(s.name)}: {country} ({s.source}, {s.series})"
    said = decision_text(s) if s.series == POLICY_RATE else latest_text(s)
    notes = [said]
    if s.others:
        notes.append(_("other sources: {sources}").format(sources=", ".join(s.others)))
    revised = [p for p in s.points if p.revised_at is not None]
    if revised:  # the latest revision stays visible: what the value was, and when
        last = max(revised, key=lambda p: (p.revised_at, p.period))
        assert last.revised_at is not None
        notes.append(
            _("revised {day}: {period} {before} → {after}").format(
                day=day_month_year(in_zone(last.revised_at).date()),
                period=period_text(last.period),
                before=value_text(s.series, s.unit, last.previous_value),
                after=value_text(s.series, s.unit, last.value),
            )
        )
    valued = [(period_start(p.period), p.value) for p in s.points if p.value is not None]
    width, height = size
    header = Text(title, style="bold")
    header.append("\n" + " · ".join(notes), style="dim")
    if len(valued) < 2 or width < 30 or height < 6:
        listed = ", ".join(
            f"{period_text(p.period, True)} {value_text(s.series, s.unit, p.value)}"
            for p in s.points[-LISTED:]
        )
        values = _("values: {values}").format(values=listed or _("none"))
        return Text.assemble(header, f"\n{values}")
    xs, ys = chart_points(s, today)
    height -= len(header.plain.splitlines())
    ticks, labels = date_ticks(xs[0], xs[-1], max(2, min(width // 12, 8)))
    levels, level_labels = value_ticks(ys, height - FRAME_ROWS)
    drawn = plot(
        width,
        height,
        [Trace(xs, ys, color)],
        xticks=list(zip(ticks, labels, strict=True)),
        yticks=list(zip(levels, level_labels, strict=True)),
    )
    return Text.assemble(header, "\n", plot_text(drawn))


def chart_points(s: MonetarySeries, today: date) -> tuple[list[int], list[float]]:
    """The chart's points (days as ordinals; a missing value left out): a policy rate as
    steps, each level held from its decision (or first month) to the next and the last
    one to ``today``; any other series a line through its periods' first days."""
    valued = [(period_start(p.period), p.value) for p in s.points if p.value is not None]
    xs: list[int] = []
    ys: list[float] = []
    steps = s.series == POLICY_RATE
    for at, (day, value) in enumerate(valued):
        if steps and at:  # the level before holds until this decision
            xs.append(day.toordinal())
            ys.append(ys[-1])
        xs.append(day.toordinal())
        ys.append(float(value))
    if steps and valued and today > valued[-1][0]:  # and the last one until today
        xs.append(today.toordinal())
        ys.append(ys[-1])
    return xs, ys


def date_ticks(first: int, end: int, count: int) -> tuple[list[int], list[str]]:
    """About ``count`` dates from ``first`` to ``end`` (ordinals) under a chart, each
    said once: by day (``23 Oct``) over half a year at most, else by month (``Oct 26``)."""
    by_day = end - first <= 183
    ticks: list[int] = []
    labels: list[str] = []
    for at in range(count):
        tick = first + (end - first) * at // (count - 1)
        day = date.fromordinal(tick)
        label = day_month(day) if by_day else month_year(day, short=True)
        if label not in labels:
            ticks.append(tick)
            labels.append(label)
    return ticks, labels


def _name(name: str) -> str:
    """A series' name in the user's words (its catalogue entry where one is marked)."""
    return _(name) if name else name


def value_ticks(values: list[float], rows: int) -> tuple[list[float], list[str]]:
    """Ticks along a chart's value axis for ``rows`` rows of plot: two to five levels from
    the lowest value to the highest, written the user's way (``9,4`` in Russian), with as
    many decimals as their spacing needs."""
    low, high = min(values), max(values)
    count = max(2, min(5, rows // 3 + 1))
    step = (high - low) / (count - 1)
    decimals = 0 if step >= 5 else 1 if step >= 0.5 else 2 if step >= 0.05 else 3
    levels = [low + step * i for i in range(count)] if high > low else [low]
    return levels, [localised(f"{v:,.{decimals}f}") for v in levels]
