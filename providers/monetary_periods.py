"""What the monthly monetary clients share: a month's period text, and the screening of
values no source can have published yet or that no such series can hold.

A monthly value's period is ``"YYYY-MM"`` (:class:`~providers.base.IndicatorValue`). A
month after the current one in the source's own time zone cannot have been published (a
source that dates one is wrong about the date, not early), and a number outside a
series' plausible range (a policy rate of 10^30 per cent) is not believed: each such
value becomes a rejected row with its reason, and the others are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from providers.base import EARLIEST, Batch, IndicatorValue, ProviderResponseError, Rejected

#: The longest series read from one file: a century of months.
MAX_MONTHS = 1200


def month(year: int, number: int) -> str:
    """``2026, 3`` -> ``"2026-03"``; ValueError for a month that does not exist."""
    if not 1 <= number <= 12 or not 1000 <= year <= 9999:
        raise ValueError(f"no such month: {year}-{number:02d}")
    return f"{year:04d}-{number:02d}"


def parse_month(text: str) -> str:
    """``"2025-12"`` -> ``"2025-12"``, checked; ValueError for anything else."""
    year, sep, number = text.partition("-")
    if not (sep and len(year) == 4 and len(number) == 2 and (year + number).isdigit()):
        raise ValueError(f"expected a month YYYY-MM, got {text[:40]!r}")
    return month(int(year), int(number))


def screened(
    name: str,
    url: str,
    batch: Batch,
    today: date,
    plausible: Mapping[str, tuple[Decimal, Decimal]],
) -> Batch:
    """``batch`` without the values dated after ``today``'s month (or before
    :data:`~providers.base.EARLIEST`) or outside ``plausible[indicator]`` (inclusive):
    each becomes a rejected row saying why. Refused when none is left."""
    if not batch.indicators:
        return batch
    kept: list[IndicatorValue] = []
    for value in batch.indicators:
        reason = _implausible(value, today, plausible)
        if reason is None:
            kept.append(value)
        else:
            batch.rejected.append(Rejected(value.indicator, str(value.value), reason))
    if not kept:
        raise ProviderResponseError(
            name, url, f"no value with a possible month: {batch.rejected[-1].reason}"
        )
    batch.indicators = kept
    return batch


def _implausible(
    value: IndicatorValue, today: date, plausible: Mapping[str, tuple[Decimal, Decimal]]
) -> str | None:
    current = month(today.year, today.month)
    first = month(EARLIEST.year, EARLIEST.month)
    where = f"{value.country} {value.period}"
    if value.period[:7] > current:
        return f"{where}: a month after the current one ({current} in the source's zone)"
    if value.period[:7] < first:
        return f"{where}: before {first}, when the five currencies' history begins"
    low, high = plausible[value.indicator]
    if value.value is not None and not low <= value.value <= high:
        return f"{where}: {value.value} is outside the plausible range {low} to {high}"
    return None
