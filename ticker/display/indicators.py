"""Indicators for people: compact numbers, yearly sparklines, the table and the JSON."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from providers.catalogue import SOURCES, Kind
from ticker.display.sparkline import BARS
from ticker.display.views import exact_json, text_table, utc_text
from ticker.i18n.numbers import localised
from ticker.i18n.words import N_, _, ngettext
from ticker.model.indicators import IndicatorSeries, YearValue
from ticker.model.indicators import indicator_label as indicator_said

#: The built-in annual indicator sources (the World Bank's and the IMF's), in order.
ANNUAL_SOURCES = tuple(name for name, source in SOURCES.items() if source.kind is Kind.ANNUAL)


def annual_off() -> str:
    """Why there are no annual indicators when no annual source is enabled: ``worldbank
    and imf are off (enabled = true in [providers.worldbank] or [providers.imf])``."""
    sections = _(" or ").join(f"[providers.{name}]" for name in ANNUAL_SOURCES)
    return ngettext(
        "{sources} is off (enabled = true in {sections})",
        "{sources} are off (enabled = true in {sections})",
        len(ANNUAL_SOURCES),
    ).format(sources=_(" and ").join(ANNUAL_SOURCES), sections=sections)


def annual_empty_note(enabled: Sequence[str]) -> str:
    """What the dashboard's annual table says when nothing annual is stored: how to fetch
    it from the ``enabled`` annual sources, or that none is enabled."""
    if not enabled:
        return _("Annual indicators: {why}").format(why=annual_off())
    polls = " ".join(f"--provider {name}" for name in enabled)
    return _(
        "No indicators stored yet: the collector fetches them daily (or run: ticker poll {options})"
    ).format(options=polls)


def compact(value: Decimal | None) -> str:
    """``5.0``, ``-3.2``, ``87.5``, ``12,194``, ``1.23M``, ``4.56B``; ``n/a`` for None."""
    if value is None:
        return _("n/a")
    number = float(value)  # display only: the store, CSV and JSON keep the exact value
    size = abs(number)
    for limit, suffix in ((1e12, N_("{n}T")), (1e9, N_("{n}B")), (1e6, N_("{n}M"))):
        if size >= limit:
            return _(suffix).format(n=localised(f"{number / limit:.3g}"))
    if size >= 1000:
        return localised(f"{number:,.0f}")
    if size >= 100:
        return localised(f"{number:.0f}")
    return localised(f"{number:.1f}")


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


#: Cells on either side of a screen table's column, and the vertical scrollbar's width.
CELL_PADDING = 1
SCROLLBAR = 1
#: The indicator column is never narrower than this: below it the countries take their
#: codes (``KGZ``) as headers instead of their names.
LABEL_MIN = 12


@dataclass(frozen=True, slots=True)
class IndicatorColumns:
    """The indicators screen's columns at one width: every country's header, and the
    width the indicator column's text may take."""

    headers: tuple[str, ...]
    label_width: int


def indicator_columns(
    width: int, countries: Mapping[str, str], cell_width: int, label_width: int
) -> IndicatorColumns:
    """Every country in ``width`` cells: named, or by its code when the names leave the
    indicator column less than :data:`LABEL_MIN`; the indicator column takes what the
    countries leave (``label_width`` at most: what its widest text needs)."""
    pad = 2 * CELL_PADDING

    def left(headers: Sequence[str]) -> int:
        used = sum(max(len(h), cell_width) + pad for h in headers)
        return width - used - pad - SCROLLBAR

    headers: tuple[str, ...] = tuple(countries.values())
    if left(headers) < LABEL_MIN:
        headers = tuple(countries)
    return IndicatorColumns(headers, max(min(left(headers), label_width), LABEL_MIN))


def wrap(text: str, width: int) -> list[str]:
    """``text`` on lines of ``width``: between words, and a word longer than that (an
    indicator's code) after one of its dots."""
    lines: list[str] = []
    wrapped = textwrap.wrap(text, width, break_long_words=False) or [""]
    if len(wrapped) > 1 and len(wrapped[-1]) <= 2 and " " in wrapped[-2]:
        # Not a lone sign on the last line ("%"): the word before it goes with it.
        head, word = wrapped[-2].rsplit(" ", 1)
        wrapped[-2:] = [head, f"{word} {wrapped[-1]}"]
    for line in wrapped:
        while len(line) > width:
            cut = line.rfind(".", 0, width) + 1 or width
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def indicator_label(name: str, source: str, code: str, width: int) -> tuple[list[str], list[str]]:
    """The indicator column's text for one indicator within ``width`` cells: the lines of
    its name (wrapped where it needs), and its source with its code, or (when the two do
    not fit on one line) its source alone: the chart's title under the table names the
    highlighted one's code."""
    full = f"{source} {code}"
    return wrap(name, width), [full] if len(full) <= width else wrap(source, width)


def indicators_table(series: Sequence[IndicatorSeries], countries: Sequence[str]) -> str:
    """Rows of indicators, a column per country: the latest actual value and its year
    (``refused`` where the source refused the indicator and nothing is stored); then one
    line per refused indicator with the source's reason."""
    rows = [(_("Indicator"), _("Source"), *countries)]
    by_key: dict[tuple[str, str], dict[str, IndicatorSeries]] = {}
    refused: dict[tuple[str, str], str] = {}
    for s in series:
        by_key.setdefault((s.source, s.indicator), {})[s.country] = s
        if s.refused is not None:
            refused[(s.source, s.indicator)] = s.refused
    for (source, code), per_country in by_key.items():
        cells = []
        empty = _("refused") if (source, code) in refused else _("n/a")
        for country in countries:
            latest = per_country[country].latest if country in per_country else None
            cells.append(f"{compact(latest.value)} ({latest.year})" if latest else empty)
        rows.append((indicator_said(source, code), source, *cells))
    table = text_table(rows, right=set(range(2, 2 + len(countries))))
    notes = [
        _("{code} refused by {source}: {why}").format(code=code, source=source, why=why)
        for (source, code), why in refused.items()
    ]
    return "\n".join([table, *notes])


def indicators_json(series: Sequence[IndicatorSeries]) -> str:
    """Every series with all its years; numbers with their exact digits."""
    records = []
    for s in series:
        latest = s.latest
        records.append(
            {
                "source": s.source,
                "indicator": s.indicator,
                "name": s.name,
                "country": s.country,
                "refused": s.refused,
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
