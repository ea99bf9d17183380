"""The monetary monitor as ``ticker indicators`` prints it: a row per country (the policy
rate with its last decision, inflation year on year, reserves, remittances), the source
that speaks for each series where it is not the same for every country, why a cell is
``n/a``, and the real rate; and the same as JSON records.

The words of each cell are :mod:`ticker.display.monetary`'s; which source speaks is
:mod:`ticker.model.monetary`'s. A cell is never cut: the long forms (``17.00% since 10 Oct
2026, +0.50 pp``) when the table fits the width given, else the short ones (``17.00% 10 Oct
+0.50``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from providers.monetary_records import (
    CPI_YOY,
    POLICY_RATE,
)
from ticker.display.monetary import DECIDED, cell_text, real_rate_text
from ticker.display.names import series_name
from ticker.display.views import text_table, utc_text
from ticker.i18n.words import _
from ticker.model.monetary import (
    MonetaryPoint,
    MonetarySeries,
    MonetaryView,
    RealRate,
    last_decision,
    real_rate,
)
from ticker.model.release_calendar import (
    DecisionCalendar,
    coming_decision,
    local_today,
)


def monitor_table(view: MonetaryView, codes: Collection[str], width: int | None = None) -> str:
    """A row per country, a column per series in ``codes``: the long forms when they fit
    in ``width`` (None: any width), else the short ones."""
    header = (_("Country"), *(_name(c) for c in codes))

    def table(short: bool) -> str:
        rows = [header]
        for country in view.countries:
            rows.append((country, *(cell_text(view.get(country, c), short) for c in codes)))
        return text_table(rows, right=set())

    long = table(short=False)
    if width is None or max(len(line) for line in long.splitlines()) <= width:
        return long
    return table(short=True)


def source_lines(view: MonetaryView, codes: Collection[str]) -> list[str]:
    """For each series, the sources that speak for it: ``CPI y/y: from imf-sdmx`` (one
    for every country), ``Policy rate: KAZ from nbk-data, UZB from cbu-policy, others
    from imf-sdmx``, ``Reserves: KAZ from nbk-data`` (the others have no source)."""
    lines = []
    for code in codes:
        speakers = {
            country: s.source
            for country in view.countries
            if (s := view.get(country, code)).source is not None
        }
        if not speakers:
            continue
        name = _name(code)
        by_source: dict[str, list[str]] = {}
        for country, source in speakers.items():
            by_source.setdefault(source, []).append(country)
        common, most = max(by_source.items(), key=lambda item: len(item[1]))
        if len(speakers) == len(view.countries) and len(by_source) == 1:
            lines.append(_("{series}: from {source}").format(series=name, source=common))
        elif len(speakers) == len(view.countries) and len(most) > 1:
            apart = [_from(c, s) for s, c in by_source.items() if s != common]
            lines.append(
                _("{series}: {groups}, others from {source}").format(
                    series=name, groups=", ".join(apart), source=common
                )
            )
        else:
            groups = [_from(c, s) for s, c in by_source.items()]
            lines.append(f"{name}: {'; '.join(groups)}")
    return lines


def _from(countries: Sequence[str], source: str) -> str:
    """``KAZ, UZB from nbk-data``."""
    return _("{countries} from {source}").format(countries=", ".join(countries), source=source)


def missing_lines(
    view: MonetaryView, codes: Collection[str], held: Collection[tuple[str, str]]
) -> list[str]:
    """Why each ``n/a`` cell is: a series whose sources hold values of it for other
    countries and none for this one (``TKM: no source has published its Policy rate or
    CPI y/y (asked: imf-sdmx)``), or a source nothing is stored from yet (``nbk-data:
    nothing stored yet (ticker poll --provider nbk-data)``). ``held``: the (source,
    series) with any value stored, for any country."""
    unpublished: dict[str, tuple[list[str], list[str]]] = {}
    unpolled: dict[str, list[str]] = {}
    for country in view.countries:
        for code in codes:
            s = view.get(country, code)
            if s.source is None or s.latest is not None:
                continue
            asked = [s.source, *s.others]
            if any((source, code) in held for source in asked):
                names, sources = unpublished.setdefault(country, ([], []))
                names.append(s.series)
                sources.extend(a for a in asked if a not in sources)
                continue
            for source in asked:
                waiting = unpolled.setdefault(source, [])
                if s.series not in waiting:
                    waiting.append(s.series)
    lines = [
        _("{country}: no source has published its {series} (asked: {sources})").format(
            country=country,
            series=_(" or ").join(series_name(n) for n in names),
            sources=", ".join(sources),
        )
        for country, (names, sources) in unpublished.items()
    ]
    lines += [
        _("{source}: nothing stored yet of {series} (ticker poll --provider {source})").format(
            source=source, series=", ".join(series_name(n) for n in names)
        )
        for source, names in unpolled.items()
    ]
    return lines


def real_rates(view: MonetaryView) -> list[tuple[str, RealRate]]:
    """Each country's real rate, where its policy rate and inflation are both there."""
    found = []
    for country in view.countries:
        key_policy, key_prices = (country, POLICY_RATE), (country, CPI_YOY)
        if key_policy not in view.series or key_prices not in view.series:
            continue
        real = real_rate(view.series[key_policy], view.series[key_prices])
        if real is not None:
            found.append((country, real))
    return found


def real_rate_lines(view: MonetaryView) -> list[str]:
    """``KAZ: real rate +4.40% (policy 17.00% minus CPI 12.6% y/y, Oct 2026)``, per
    country that has both."""
    return [f"{country}: {real_rate_text(real)}" for country, real in real_rates(view)]


def monitor_lines(
    view: MonetaryView,
    codes: Collection[str],
    held: Collection[tuple[str, str]],
    width: int | None = None,
    calendar: Sequence[str] = (),
) -> list[str]:
    """The monitor as printed: the table, the sources, why cells are ``n/a`` (unless
    nothing is stored at all: the caller says how to fetch them), the real rates, and
    the decision calendar's notes (``next NBK decision 23 Oct``) when the policy rate
    is shown."""
    return [
        monitor_table(view, codes, width),
        *source_lines(view, codes),
        *(missing_lines(view, codes, held) if held else []),
        *real_rate_lines(view),
        *(calendar if POLICY_RATE in codes else ()),
    ]


def speaking_sources(view: MonetaryView) -> list[str]:
    """The sources that speak, or would, for the view's series: each once, in the order
    met (``ticker poll --provider`` these to fill the monitor)."""
    found: dict[str, None] = {}
    for s in view.series.values():
        if s.source is not None:
            found.update(dict.fromkeys((s.source, *s.others)))
    return list(found)


def _name(code: str) -> str:
    return series_name(code)


def _point(p: MonetaryPoint) -> dict[str, Any]:
    return {
        "period": p.period,
        "value": p.value,
        "released": p.released.isoformat() if p.released else None,
        "previous_value": p.previous_value,
        "revised_at": utc_text(p.revised_at) if p.revised_at else None,
    }


def series_record(s: MonetarySeries) -> dict[str, Any]:
    """One series of one country: its source (None: no source), unit, frequency, latest
    value, last decision (the decided series only), every point in force oldest first,
    and the decisions announced ahead of their day (``announced``)."""
    latest = s.latest
    decision = last_decision(s) if s.series in DECIDED else None
    return {
        "series": s.series,
        "name": s.name,
        "source": s.source,
        "others": list(s.others),
        "unit": s.unit,
        "frequency": s.frequency.value if s.frequency else None,
        "latest": None
        if latest is None
        else {
            "period": latest.period,
            "value": latest.value,
            "released": latest.released.isoformat() if latest.released else None,
        },
        "last_decision": None
        if decision is None
        else {"period": decision.period, "value": decision.value, "change": decision.change},
        "points": [_point(p) for p in s.points],
        "announced": [_point(p) for p in s.announced],
    }


def monetary_records(view: MonetaryView, codes: Collection[str]) -> list[dict[str, Any]]:
    """A record per country: its series (``codes``' order), and its real rate (the
    policy rate minus inflation, with the two values it comes from; None without both)."""
    reals = dict(real_rates(view))
    records = []
    for country in view.countries:
        real = reals.get(country)
        records.append(
            {
                "country": country,
                "series": [series_record(view.get(country, c)) for c in codes],
                "real_rate": None
                if real is None
                else {
                    "value": real.value,
                    "policy": {"period": real.policy.period, "value": real.policy.value},
                    "inflation": {"period": real.inflation.period, "value": real.inflation.value},
                },
            }
        )
    return records


def next_decisions(
    calendar: DecisionCalendar, countries: Sequence[str], now: datetime
) -> dict[str, str | None]:
    """Each country's next policy-rate decision day known to the calendar (ISO date; a
    decision today is today's), or None: the JSON's ``next_decisions``."""
    found: dict[str, str | None] = {}
    for country in countries:
        day = coming_decision(calendar, country, local_today(country, now))
        found[country] = day.isoformat() if day is not None else None
    return found
