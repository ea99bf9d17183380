"""World Bank Indicators API v2 (World Development Indicators; no key, CC BY 4.0).

``/v2/country/KGZ;KAZ;TJK;UZB;TKM/indicator/{code}?format=json&date=Y0:Y1&per_page=N&page=P``
answers ``[header, rows]``: the header says ``page`` and ``pages`` (sometimes as strings),
rows carry ``countryiso3code``, ``date`` (a year, as a string) and ``value`` (a number, or
``null`` for a missing year: kept as missing, never 0). An error is a one-element array
``[{"message": [{"id": "175", ...}]}]``; 175 means the indicator was archived or deleted,
which is reported for that indicator alone. Annual data, one to two years behind.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from providers.base import IndicatorValue, ProviderResponseError
from providers.catalogue import SOURCES
from providers.indicator_source import COUNTRIES, IndicatorProvider
from providers.parsing import bad_response

#: Rows per page asked for (the API allows far more; paging is followed regardless).
PER_PAGE = 500
#: A response claiming more pages than this is not believed.
MAX_PAGES = 50


class WorldBank(IndicatorProvider, source=SOURCES["worldbank"]):
    async def series(self, client: httpx.AsyncClient, code: str) -> list[IndicatorValue]:
        first, last = self.years()  # a backfill's span, or YEARS_BACK to this year
        path = f"/v2/country/{';'.join(COUNTRIES)}/indicator/{code}"
        values: list[IndicatorValue] = []
        page = pages = 1
        while page <= pages:
            params = {
                "format": "json",
                "date": f"{first}:{last}",
                "per_page": str(PER_PAGE),
                "page": str(page),
            }
            data, url = await self.get_json(client, path, params)
            with bad_response(self.NAME, url):
                pages, rows = self._page(data, url, code)
                values.extend(self._values(rows, code))
            page += 1
        return values

    def _page(self, data: Any, url: str, code: str) -> tuple[int, list[Any]]:
        if not isinstance(data, list) or not data:
            raise ValueError("expected a JSON array [header, rows]")
        header = data[0]
        if isinstance(header, dict) and "message" in header:  # the World Bank's own words
            raise ProviderResponseError(self.NAME, url, _error(header["message"]))
        if len(data) != 2 or not isinstance(header, dict):
            raise ValueError("expected a JSON array [header, rows]")
        pages = int(header["pages"])  # a number or a string, depending on the day
        if not 0 <= pages <= MAX_PAGES:
            raise ValueError(f"implausible page count {pages}")
        rows = data[1] if data[1] is not None else []  # null: no rows at all
        if not isinstance(rows, list):
            raise ValueError("rows are not an array")
        return pages, rows

    def _values(self, rows: list[Any], code: str) -> list[IndicatorValue]:
        fetched = self.now()
        values = []
        for row in rows:
            country = str(row["countryiso3code"]).upper()
            if country not in COUNTRIES:
                continue  # an aggregate or a country not asked for
            period = str(row["date"])
            if not (len(period) == 4 and period.isascii() and period.isdigit()):
                raise ValueError(f"expected a year, got date {period!r}")
            raw = row["value"]
            if raw is not None and not isinstance(raw, Decimal):
                raise ValueError(f"expected a number or null, got value {raw!r}")
            values.append(IndicatorValue(self.NAME, code, country, period, raw, False, fetched))
        return values


def _error(messages: Any) -> str:
    """``World Bank error 175: The indicator was not found. ...``"""
    first = messages[0] if isinstance(messages, list) and messages else {}
    if not isinstance(first, dict):
        return "the source reports an error"
    number = str(first.get("id", "?"))
    text = str(first.get("value") or first.get("key") or "unknown error").strip()
    if number == "175":
        return f"archived or deleted at the source (World Bank error 175: {text})"
    return f"World Bank error {number}: {text}"
