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

from providers.catalogue import COUNTRIES as COUNTRIES
from ticker.i18n.words import N_, _

if TYPE_CHECKING:
    from ticker.model.records import IndicatorPoint, IndicatorRefusal

#: Economic indicators each source knows by name (short, for tables; marked for the
#: catalogue, said through :func:`indicator_label`); any other code the
#: source publishes can be configured too, and is shown by its code.
INDICATOR_NAMES: dict[str, dict[str, str]] = {
    "worldbank": {
        "FP.CPI.TOTL.ZG": N_("Inflation, CPI %"),
        "NY.GDP.MKTP.KD.ZG": N_("GDP growth %"),
        "BX.TRF.PWKR.DT.GD.ZS": N_("Remittances % of GDP"),
        "BN.CAB.XOKA.GD.ZS": N_("Current account % of GDP"),
        "SL.UEM.TOTL.ZS": N_("Unemployment %"),
        "PA.NUS.FCRF": N_("Official rate, LCU per USD"),
        "NY.GDP.PCAP.CD": N_("GDP per capita, US$"),
        "FI.RES.TOTL.CD": N_("Total reserves, US$"),
        "NY.GDP.MKTP.CD": N_("GDP, US$"),
        "BX.TRF.PWKR.CD.DT": N_("Remittances, US$"),
        "DT.DOD.DECT.CD": N_("External debt, US$"),
        "NE.EXP.GNFS.ZS": N_("Exports % of GDP"),
        "NE.IMP.GNFS.ZS": N_("Imports % of GDP"),
        "FR.INR.LEND": N_("Lending rate %"),
        "FR.INR.RINR": N_("Real interest rate %"),
        "NY.GDP.DEFL.KD.ZG": N_("GDP deflator %"),
        "SP.POP.TOTL": N_("Population"),
    },
    "imf": {
        "NGDP_RPCH": N_("Real GDP growth %"),
        "PCPIPCH": N_("Inflation, average %"),
        "PCPIEPCH": N_("Inflation, end of year %"),
        "BCA_NGDPD": N_("Current account % of GDP"),
        "GGXWDG_NGDP": N_("Government debt % of GDP"),
        "LUR": N_("Unemployment %"),
        "NGDPD": N_("GDP, US$ bn"),
        "NGDPDPC": N_("GDP per capita, US$"),
    },
}


def indicator_name(source: str, code: str) -> str:
    """An indicator's short name in English (its code when it has none): a value of the
    exports; a person reads :func:`indicator_label`."""
    return INDICATOR_NAMES.get(source, {}).get(code, code)


def indicator_label(source: str, code: str) -> str:
    """An indicator's short name in the user's language (its code when it has none)."""
    name = INDICATOR_NAMES.get(source, {}).get(code)
    return _(name) if name is not None else code


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
    refused: str | None = None
    """The source's reason when it refused the indicator the last time it was asked
    (World Bank error 175: archived or deleted); None when it serves it."""

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


def build_series(
    points: Iterable[IndicatorPoint],
    wanted: Sequence[tuple[str, str]],
    countries: Sequence[str] = tuple(COUNTRIES),
    refusals: Iterable[IndicatorRefusal] = (),
) -> list[IndicatorSeries]:
    """A series for every wanted (source, indicator) and country, even one with nothing
    stored (all n/a), in the order asked for; an indicator its source refused carries
    the source's reason."""
    refused = {(r.source, r.indicator): r.reason for r in refusals}
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
            refused.get((source, code)),
        )
        for source, code in wanted
        for country in countries
    ]


def _year(y: YearValue) -> int:
    return y.year
