"""The monetary monitor as people read it: for each country and series, the source that
speaks for it, its values at their own frequency, the last decision and its change, and
the real rate (the policy rate minus inflation).

Which source speaks for a country's series is said here and nowhere else (:data:`ROUTES`):
the country's own central bank where it publishes the series (NBK's base rate for
Kazakhstan, CBU's for Uzbekistan), else the IMF's monthly series. The first source of the
route with a value stored speaks, whatever the later ones hold: a central bank's decision
is never replaced by the IMF's month-end copy of it.

Missing stays missing: a period the source publishes as missing is ``None``, never 0, and a
country no source covers (Turkmenistan's policy rate in most months) is said as such.
Pure: no I/O, the caller gives the stored points.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from providers.monetary_records import (
    CPI_INDEX,
    CPI_MOM,
    CPI_YOY,
    POLICY_CORRIDOR_HIGH,
    POLICY_CORRIDOR_LOW,
    POLICY_RATE,
    REMITTANCES_IN,
    REMITTANCES_OUT,
    RESERVES,
    SERIES,
)
from providers.records import COUNTRIES, COUNTRY_ALPHA2, COUNTRY_CURRENCY
from ticker.i18n.words import _
from ticker.model.text import Unexpected

if TYPE_CHECKING:
    from ticker.model.records import IndicatorPoint

__all__ = [
    "ALIASES",
    "ROUTES",
    "SERIES_NAMES",
    "SHOWN_SERIES",
    "Decision",
    "Frequency",
    "MonetaryPoint",
    "MonetarySeries",
    "MonetaryView",
    "RealRate",
    "country_of_currency",
    "frequency",
    "last_decision",
    "monetary_view",
    "parse_country",
    "parse_series",
    "period_end",
    "period_start",
    "real_rate",
]

_IMF = "imf-sdmx"
_ALL_IMF = dict.fromkeys(COUNTRIES, (_IMF,))

#: For each series and country, the sources that give it, in order of preference: the
#: first with a value stored speaks (see the module's docstring).
ROUTES: dict[str, dict[str, tuple[str, ...]]] = {
    POLICY_RATE: {
        **_ALL_IMF,
        "KAZ": ("nbk-data", _IMF),
        "UZB": ("cbu-stavka", "cbu-policy", _IMF),
    },
    POLICY_CORRIDOR_LOW: {"KAZ": ("nbk-data",)},
    POLICY_CORRIDOR_HIGH: {"KAZ": ("nbk-data",)},
    CPI_YOY: dict(_ALL_IMF),
    CPI_MOM: {"UZB": ("siat",)},
    CPI_INDEX: dict(_ALL_IMF),
    RESERVES: {"KAZ": ("nbk-data",)},
    REMITTANCES_IN: {"KAZ": ("nbk-data",)},
    REMITTANCES_OUT: {"KAZ": ("nbk-data",)},
}

#: The series the monitor shows for every country, in order (the indicators screen, the
#: CLI's table): the policy rate, inflation, reserves and remittances.
SHOWN_SERIES: tuple[str, ...] = (POLICY_RATE, CPI_YOY, RESERVES, REMITTANCES_IN)

#: Each series' name for people (short: table headers).
SERIES_NAMES: dict[str, str] = {
    POLICY_RATE: "Policy rate",
    POLICY_CORRIDOR_LOW: "Corridor low",
    POLICY_CORRIDOR_HIGH: "Corridor high",
    CPI_YOY: "CPI y/y",
    CPI_MOM: "CPI m/m",
    CPI_INDEX: "CPI index",
    RESERVES: "Reserves",
    REMITTANCES_IN: "Remittances in",
    REMITTANCES_OUT: "Remittances out",
}

#: Words people use for a series, beside its code (``cpi`` is inflation year on year).
ALIASES: dict[str, str] = {
    "cpi": CPI_YOY,
    "inflation": CPI_YOY,
    "policy": POLICY_RATE,
    "rate": POLICY_RATE,
    "base-rate": POLICY_RATE,
}


def parse_series(text: str) -> str:
    """``"cpi"`` -> ``"cpi-yoy"``, ``"policy-rate"`` -> itself; ValueError naming the
    series there are otherwise."""
    word = text.strip().lower()
    code = ALIASES.get(word, word)
    if code not in SERIES:
        known = ", ".join([*SERIES, *ALIASES])
        raise Unexpected(_("a series ({known})").format(known=known), repr(text[:40]))
    return code


def parse_country(text: str) -> str:
    """``"KZ"``, ``"kaz"``, ``"KAZ"`` -> ``"KAZ"``; ValueError naming the five otherwise."""
    word = text.strip().upper()
    if word in COUNTRIES:
        return word
    for country, alpha2 in COUNTRY_ALPHA2.items():
        if word == alpha2:
            return country
    known = ", ".join(f"{code} ({COUNTRY_ALPHA2[code]})" for code in COUNTRIES)
    raise Unexpected(_("a country: {known}").format(known=known), repr(text[:40]))


def country_of_currency(currency: str) -> str | None:
    """``"KZT"`` -> ``"KAZ"``; None for a currency none of the five countries issues."""
    return next((c for c, code in COUNTRY_CURRENCY.items() if code == currency), None)


class Frequency(StrEnum):
    """How often a series has a value: its period's form."""

    DAY = "day"
    """A decision day (``2026-07-12``)."""
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def frequency(period: str) -> Frequency:
    """``"2026-07-12"`` -> DAY, ``"2026-07"`` -> MONTH, ``"2026-Q3"`` -> QUARTER,
    ``"2026"`` -> YEAR; ValueError for any other text."""
    if len(period) == 10:
        date.fromisoformat(period)
        return Frequency.DAY
    if len(period) == 7 and period[5] == "Q" and period[6] in "1234":
        return Frequency.QUARTER
    if (
        len(period) == 7
        and period[4] == "-"
        and period[5:].isdigit()
        and 1 <= int(period[5:]) <= 12
    ):
        return Frequency.MONTH
    if len(period) == 4 and period.isdigit():
        return Frequency.YEAR
    raise ValueError(f"expected a period like 2026, 2026-Q3, 2026-07 or 2026-07-12, got {period!r}")


def period_start(period: str) -> date:
    """The first day a period covers."""
    kind = frequency(period)
    if kind is Frequency.DAY:
        return date.fromisoformat(period)
    year = int(period[:4])
    if kind is Frequency.MONTH:
        return date(year, int(period[5:]), 1)
    if kind is Frequency.QUARTER:
        return date(year, 3 * int(period[6]) - 2, 1)
    return date(year, 1, 1)


def period_end(period: str) -> date:
    """The last day a period covers."""
    kind = frequency(period)
    if kind is Frequency.DAY:
        return date.fromisoformat(period)
    start = period_start(period)
    months = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.YEAR: 12}[kind]
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class MonetaryPoint:
    """One value of a series: its period, the value (None: published as missing), the
    release or effective date the source gave, and its last revision."""

    period: str
    value: Decimal | None
    released: date | None = None
    previous_value: Decimal | None = None
    revised_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """The last change of a series' level: when it took effect (a decision day, or the
    first month a monthly series shows the new level), the level, and the change from the
    level before it (None when nothing earlier is stored; 0 for a decision that held)."""

    period: str
    value: Decimal
    change: Decimal | None


@dataclass(frozen=True, slots=True)
class MonetarySeries:
    """A country's series as the monitor shows it: the source that speaks for it (None:
    no enabled source covers it) and its points, oldest first."""

    country: str
    series: str
    source: str | None
    points: tuple[MonetaryPoint, ...] = ()
    others: tuple[str, ...] = field(default=())
    """The route's other enabled sources (they are stored, and not shown here)."""
    announced: tuple[MonetaryPoint, ...] = ()
    """Decisions published ahead of the day they take effect (NBK's, from the Saturday
    before), oldest first: not in force yet, so not in :attr:`points` (see
    :func:`monetary_view`'s ``today``)."""

    @property
    def covered(self) -> bool:
        """Whether any enabled source gives this series for this country."""
        return self.source is not None

    @property
    def name(self) -> str:
        return SERIES_NAMES.get(self.series, self.series)

    @property
    def unit(self) -> str:
        return SERIES[self.series]

    @property
    def latest(self) -> MonetaryPoint | None:
        """The newest point with a value."""
        return next((p for p in reversed(self.points) if p.value is not None), None)

    @property
    def frequency(self) -> Frequency | None:
        return frequency(self.points[-1].period) if self.points else None

    def recent(self, count: int) -> list[Decimal | None]:
        """The values of the last ``count`` points (fewer when fewer are stored), oldest
        first: a sparkline's data."""
        return [p.value for p in self.points[-count:]] if count > 0 else []


@dataclass(frozen=True, slots=True)
class RealRate:
    """The policy rate minus inflation year on year, with the two values it comes from."""

    value: Decimal
    policy: MonetaryPoint
    inflation: MonetaryPoint


@dataclass(frozen=True, slots=True)
class MonetaryView:
    """Every shown series of every country."""

    countries: tuple[str, ...]
    series: dict[tuple[str, str], MonetarySeries]

    def get(self, country: str, series: str) -> MonetarySeries:
        return self.series.get((country, series)) or MonetarySeries(country, series, None)


def last_decision(series: MonetarySeries) -> Decision | None:
    """The last change of level (see :class:`Decision`). For a series of decision days,
    the newest decision, held or not; for a monthly one, the first month of the newest
    run of equal values."""
    valued = [p for p in series.points if p.value is not None]
    if not valued:
        return None
    newest = valued[-1]
    assert newest.value is not None
    if frequency(newest.period) is Frequency.DAY:
        before = valued[-2].value if len(valued) > 1 else None
        return Decision(newest.period, newest.value, _minus(newest.value, before))
    start = len(valued) - 1
    while start > 0 and valued[start - 1].value == newest.value:
        start -= 1
    before = valued[start - 1].value if start > 0 else None
    return Decision(valued[start].period, newest.value, _minus(newest.value, before))


def real_rate(policy: MonetarySeries, inflation: MonetarySeries) -> RealRate | None:
    """The latest policy rate minus the latest inflation year on year; None without both."""
    rate, prices = policy.latest, inflation.latest
    if rate is None or prices is None or rate.value is None or prices.value is None:
        return None
    return RealRate(rate.value - prices.value, rate, prices)


def monetary_view(
    points: Iterable[IndicatorPoint],
    enabled: Mapping[str, Collection[str]] | Collection[str] | None = None,
    countries: Sequence[str] = tuple(COUNTRIES),
    series: Sequence[str] = SHOWN_SERIES,
    today: date | None = None,
) -> MonetaryView:
    """The series asked for, for every country asked for, from stored ``points`` (any
    sources; forecasts are left out). ``enabled``: the sources the configuration has on,
    each with the series it is asked for (``ticker.config.monetary_asked``: a source
    not asked for a series does not speak for it, so NBK's remittances, not asked by
    default, are "no source" rather than "not stored yet" forever); a plain collection
    of sources asks each for every series; None: every source, every series.

    ``today`` (the caller's date): a decision taking effect after it is not in force yet,
    and goes to :attr:`MonetarySeries.announced` rather than the points (the latest value,
    the last decision and the real rate are the ones in force). None: every point is
    taken as it is (the release alerts: a decision is news the day it is published)."""
    by_key: dict[tuple[str, str, str], list[MonetaryPoint]] = {}
    for p in points:
        if p.is_forecast:
            continue
        by_key.setdefault((p.source, p.indicator, p.country), []).append(
            MonetaryPoint(p.period, p.value, p.released, p.previous_value, p.revised_at)
        )
    shown: dict[tuple[str, str], MonetarySeries] = {}
    for country in countries:
        for code in series:
            route = [s for s in ROUTES.get(code, {}).get(country, ()) if _asks(enabled, s, code)]
            speaker = next((s for s in route if by_key.get((s, code, country))), None)
            if speaker is None and route:
                speaker = route[0]
            found = by_key.get((speaker, code, country), []) if speaker else []
            found.sort(key=_order)
            ahead = [p for p in found if today is not None and _ahead(p.period, today)]
            shown[(country, code)] = MonetarySeries(
                country,
                code,
                speaker,
                tuple(p for p in found if p not in ahead),
                tuple(s for s in route if s != speaker),
                tuple(ahead),
            )
    return MonetaryView(tuple(countries), shown)


def _asks(
    enabled: Mapping[str, Collection[str]] | Collection[str] | None, source: str, code: str
) -> bool:
    if enabled is None:
        return True
    if isinstance(enabled, Mapping):
        return code in enabled.get(source, ())
    return source in enabled


def _ahead(period: str, today: date) -> bool:
    """Whether a decision day is after ``today`` (months are never ahead: a source cannot
    publish a month that has not begun, and a monthly value is the month's)."""
    return frequency(period) is Frequency.DAY and date.fromisoformat(period) > today


def _order(point: MonetaryPoint) -> date:
    return period_start(point.period)


def _minus(value: Decimal, before: Decimal | None) -> Decimal | None:
    return None if before is None else value - before
