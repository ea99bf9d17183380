"""What the economic-indicator providers share: the five countries, the configured
indicator codes, and a batch where one indicator's failure is reported for it alone."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable

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

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicator codes to fetch (the program's configuration holds the lists and
        their defaults)."""
        return self.options.indicators

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
