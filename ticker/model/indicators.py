"""Economic indicators as people read them: one series per source, indicator and country,
one value per year (an actual value where there is one, else the forecast), the latest
actual value, and compact numbers.

Missing years stay missing (``None``, shown as ``n/a`` or a gap), never 0. Forecasts (IMF
WEO years from the current one on) are kept apart from actual values everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ticker.config import COUNTRIES, Settings, indicator_name
from ticker.display.sparkline import BARS

if TYPE_CHECKING:
    from ticker.model.records import IndicatorPoint

#: Years in a table's sparkline, ending with the current year.
SPARK_YEARS = 10


@dataclass(frozen=True, slots=True)
class YearValue:
    year: int
    value: Decimal | None
    forecast: bool
    previous_value: Decimal | None = None
    revised_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IndicatorSeries:
    source: str
    indicator: str
    country: str
    years: list[YearValue]
    """One per year, oldest first: the actual value where the source has one."""

    @property
    def name(self) -> str:
        return indicator_name(self.source, self.indicator)

    @property
    def latest(self) -> YearValue | None:
        """The newest actual (not forecast) year with a value."""
        return next(
            (y for y in reversed(self.years) if not y.forecast and y.value is not None), None
        )

    def window(self, last_year: int, count: int = SPARK_YEARS) -> list[YearValue | None]:
        """``count`` years ending with ``last_year``; None where nothing is stored."""
        by_year = {y.year: y for y in self.years}
        return [by_year.get(year) for year in range(last_year - count + 1, last_year + 1)]


def configured(settings: Settings) -> list[tuple[str, str]]:
    """(source, indicator) of every enabled indicators source, in configuration order."""
    return [
        (source, code)
        for source in settings.enabled_providers("indicators")
        for code in settings.providers[source].indicators
    ]


def build_series(
    points: Iterable[IndicatorPoint],
    wanted: Sequence[tuple[str, str]],
    countries: Sequence[str] = tuple(COUNTRIES),
) -> list[IndicatorSeries]:
    """A series for every wanted (source, indicator) and country, even one with nothing
    stored (all n/a), in the order asked for."""
    years: dict[tuple[str, str, str], dict[int, YearValue]] = {}
    for p in points:
        year = int(p.period)
        slot = years.setdefault((p.source, p.indicator, p.country), {})
        current = slot.get(year)
        if current is None or (current.forecast and not p.is_forecast):  # actual wins
            slot[year] = YearValue(year, p.value, p.is_forecast, p.previous_value, p.revised_at)
    return [
        IndicatorSeries(
            source,
            code,
            country,
            sorted(years.get((source, code, country), {}).values(), key=_year),
        )
        for source, code in wanted
        for country in countries
    ]


def _year(y: YearValue) -> int:
    return y.year


def compact(value: Decimal | None) -> str:
    """``5.0``, ``-3.2``, ``87.5``, ``12,194``, ``1.23M``, ``4.56B``; ``n/a`` for None."""
    if value is None:
        return "n/a"
    number = float(value)  # display only: the store, CSV and JSON keep the exact value
    size = abs(number)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if size >= limit:
            return f"{number / limit:.3g}{suffix}"
    if size >= 1000:
        return f"{number:,.0f}"
    if size >= 100:
        return f"{number:.0f}"
    return f"{number:.1f}"


def spark(window: Sequence[YearValue | None]) -> list[tuple[str, bool]]:
    """One bar per year (a space where nothing is stored), each with whether it is a
    forecast; scaled to the window's range."""
    values = [y.value for y in window if y is not None and y.value is not None]
    if not values:
        return [(" ", False) for _ in window]
    low, high = min(values), max(values)
    top = len(BARS) - 1
    bars = []
    for y in window:
        if y is None or y.value is None:
            bars.append((" ", False))
            continue
        level = (
            top // 2 if high == low else int((y.value - low) / (high - low) * top + Decimal("0.5"))
        )
        bars.append((BARS[level], y.forecast))
    return bars


def indicators_table(series: Sequence[IndicatorSeries], countries: Sequence[str]) -> str:
    """Rows of indicators, a column per country: the latest actual value and its year."""
    from ticker.display.views import text_table

    rows = [("Indicator", "Source", *countries)]
    by_key: dict[tuple[str, str], dict[str, IndicatorSeries]] = {}
    for s in series:
        by_key.setdefault((s.source, s.indicator), {})[s.country] = s
    for (source, code), per_country in by_key.items():
        cells = []
        for country in countries:
            latest = per_country[country].latest if country in per_country else None
            cells.append(f"{compact(latest.value)} ({latest.year})" if latest else "n/a")
        rows.append((indicator_name(source, code), source, *cells))
    return text_table(rows, right=set(range(2, 2 + len(countries))))


def indicators_json(series: Sequence[IndicatorSeries]) -> str:
    """Every series with all its years; numbers with their exact digits."""
    from ticker.display.views import exact_json, utc_text

    records = []
    for s in series:
        latest = s.latest
        records.append(
            {
                "source": s.source,
                "indicator": s.indicator,
                "name": s.name,
                "country": s.country,
                "latest": None if latest is None else {"year": latest.year, "value": latest.value},
                "years": [
                    {
                        "year": y.year,
                        "value": y.value,
                        "forecast": y.forecast,
                        "previous_value": y.previous_value,
                        "revised_at": utc_text(y.revised_at) if y.revised_at else None,
                    }
                    for y in s.years
                ],
            }
        )
    return exact_json(records)
