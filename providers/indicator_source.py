"""What the economic-indicator providers share: the five countries, the configured
indicator codes, a batch where one indicator's failure is reported for it alone, and the
span of a backfill (``ticker backfill --indicators``): a source whose API takes a range
asks for those dates; one that has only a whole file reads it whole (the caller keeps the
values in the span)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Self

import httpx

from providers.base import Batch, IndicatorValue, ProviderResponseError, Rejected
from providers.catalogue import COUNTRIES as CATALOGUE_COUNTRIES
from providers.source import HTTPProvider

#: Kyrgyzstan, Kazakhstan, Tajikistan, Uzbekistan, Turkmenistan (ISO 3166-1 alpha-3).
COUNTRIES: tuple[str, ...] = tuple(CATALOGUE_COUNTRIES)
#: Annual series are fetched this many years back (the dashboard shows ten).
YEARS_BACK = 15


class IndicatorProvider(HTTPProvider):
    """A source of annual economic indicators for :data:`COUNTRIES`."""

    CURRENCIES = frozenset()
    span: tuple[date, date] | None = None
    """A backfill's first and last dates (None: a poll, the source's recent years)."""

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicator codes to fetch (the program's configuration holds the lists and
        their defaults)."""
        return self.options.indicators

    def spanning(self, since: date, until: date) -> Self:
        """This provider as a new instance that asks for ``since`` to ``until`` where its
        API takes a range (a backfill); this one is left as it is."""
        copy = type(self)(self.base_url, self.timeout, self.now, self.options)
        copy.span = (since, until)
        return copy

    def years(self) -> tuple[int, int]:
        """The first and last year to ask an annual API for: the span's, or the
        :data:`YEARS_BACK` years to this one."""
        if self.span is not None:
            return self.span[0].year, self.span[1].year
        year = self.today().year
        return year - YEARS_BACK, year

    def backfill_requests(self) -> int:
        """The requests a backfill of every configured series makes (its estimate): one
        a series, unless the source reads a series a country at a time or one file for
        several series."""
        return len(self.indicators)

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        """Every configured indicator. A source that is down fails the whole fetch (and
        the collector retries it); an indicator the source refuses or has no data for
        is reported as rejected, and the others are kept."""
        return await collect(
            self.NAME, self.base_url, self.indicators, lambda code: self.series(client, code)
        )

    @abstractmethod
    async def series(self, client: httpx.AsyncClient, code: str) -> list[IndicatorValue]:
        """One indicator for every country; ProviderResponseError for this one alone."""


async def collect(
    name: str,
    url: str,
    codes: tuple[str, ...],
    series: Callable[[str], Awaitable[list[IndicatorValue]]],
) -> Batch:
    batch = Batch()
    for code in codes:
        try:
            batch.indicators.extend(await series(code))
        except ProviderResponseError as err:
            batch.rejected.append(Rejected(code, "", err.reason))
    if not batch.indicators:
        reasons = "; ".join(f"{r.pair}: {r.reason}" for r in batch.rejected[:3])
        raise ProviderResponseError(name, url, f"no indicator values ({reasons or 'empty'})")
    return batch
