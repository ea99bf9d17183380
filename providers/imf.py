"""IMF DataMapper API v1 (World Economic Outlook, including projections; no key).

``/external/datamapper/api/v1/{code}/KGZ/KAZ/TJK/UZB/TKM?periods=2011,...,2031`` answers
``{"values": {code: {ISO3: {"2024": 5.2, ...}}}, "api": {...}}``. Years are string keys; a
missing year is simply absent. Years at or after the current one are WEO projections and
are stored as forecasts. An indicator the IMF does not know comes back without values: it
is reported for that indicator alone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from providers.base import IndicatorValue, ProviderResponseError
from providers.catalogue import SOURCES
from providers.indicator_source import COUNTRIES, IndicatorProvider
from providers.parsing import bad_response

#: Projection years asked for beyond the current one.
YEARS_AHEAD = 5


class IMF(IndicatorProvider, source=SOURCES["imf"]):
    async def series(self, client: httpx.AsyncClient, code: str) -> list[IndicatorValue]:
        year = self.today().year
        first, last = self.years()  # a backfill's span (no projections after it), or a poll's
        last += YEARS_AHEAD if self.span is None else 0
        periods = ",".join(str(y) for y in range(first, last + 1))
        path = f"/external/datamapper/api/v1/{code}/{'/'.join(COUNTRIES)}"
        data, url = await self.get_json(client, path, {"periods": periods})
        with bad_response(self.NAME, url):
            return self._values(data, url, code, year)

    def _values(self, data: Any, url: str, code: str, year: int) -> list[IndicatorValue]:
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        table = data.get("values")
        if table is not None and not isinstance(table, dict):
            raise ValueError("values is not an object")
        series = (table or {}).get(code)
        if not series:
            raise ProviderResponseError(self.NAME, url, "the IMF has no values for this indicator")
        if not isinstance(series, dict):
            raise ValueError(f"values.{code} is not an object")
        fetched = self.now()
        values = []
        for country, years in series.items():
            country = str(country).upper()
            if country not in COUNTRIES:
                continue
            if not isinstance(years, dict):
                raise ValueError(f"values.{code}.{country} is not an object")
            for period, raw in years.items():
                period = str(period)
                if not (len(period) == 4 and period.isascii() and period.isdigit()):
                    raise ValueError(f"expected a year, got {period!r}")
                if raw is not None and not isinstance(raw, Decimal):
                    raise ValueError(f"expected a number, got {raw!r} for {country} {period}")
                forecast = int(period) >= year
                values.append(
                    IndicatorValue(self.NAME, code, country, period, raw, forecast, fetched)
                )
        return values
