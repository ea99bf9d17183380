"""fawazahmed0 currency-api on jsDelivr, with the Cloudflare Pages fallback.

``npm/@fawazahmed0/currency-api@{latest|YYYY-MM-DD}/v1/currencies/usd.json`` ->
``{"date": "YYYY-MM-DD", "usd": {"kgs": ..., ...}}`` (lower-case keys, units per USD).
If jsDelivr fails, the same file is read from the ``fallback_url`` option (the program
passes ``https://{date}.currency-api.pages.dev`` unless ``base_url`` points elsewhere), as
the project's README asks; without the option there is no fallback. History from
2024-03-02, one file per day.
Other currencies asked for (EUR, RUB, CNY ...): ``USD/X`` from the same file.

No range: the files are static, one per date (CDN packages); asking for a time series is
the open issue fawazahmed0/exchange-api #91, and #136 ("retrieve data for a range") was
closed without one. So a backfill asks a file a day (issue 32 looked, December 2026).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from providers.base import Batch, NoFixing, ProviderError, ProviderUnavailable, Rejected
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_iso_date
from providers.source import DailyHistoryProvider, add_direct, add_extras

FILE = "/v1/currencies/usd.json"


class CurrencyAPI(DailyHistoryProvider, source=SOURCES["currencyapi"]):
    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        return await self._fetch_tag(client, "latest", None)

    async def fetch_day(self, client: httpx.AsyncClient, day: date, latest: bool = False) -> Batch:
        return await self._fetch_tag(client, day.isoformat(), day)

    async def _fetch_tag(self, client: httpx.AsyncClient, tag: str, day: date | None) -> Batch:
        primary = f"/npm/@fawazahmed0/currency-api@{tag}{FILE}"
        try:
            data, url = await self.get_json(client, primary)
        except ProviderError as first:
            fallback = self.options.fallback_url.rstrip("/")
            if not fallback:
                raise
            try:
                data, url = await self.get_json(
                    client, FILE, url=fallback.replace("{date}", tag) + FILE
                )
            except ProviderError as second:
                if day is not None and "HTTP 404" in first.reason and "HTTP 404" in second.reason:
                    raise NoFixing(self.NAME, first.url, f"no file for {day}") from second
                reason = f"{first.reason}; fallback: {second.reason}"
                if isinstance(first, ProviderUnavailable):
                    raise ProviderUnavailable(
                        self.NAME, first.url, reason, first.retry_after
                    ) from second
                raise type(first)(self.NAME, first.url, reason) from second
        return self.require_some(self._parse(data, url, day), url)

    def _parse(self, data: Any, url: str, day: date | None) -> Batch:
        batch = Batch()
        with bad_response(self.NAME, url):
            if not isinstance(data, dict):
                raise ValueError(f"expected a JSON object, got {type(data).__name__}")
            as_of = parse_iso_date(str(data["date"]))
            rates = data["usd"]
            if not isinstance(rates, dict):
                raise ValueError("usd is not an object")
            if day is not None:  # an earlier date: no file of its own for that day
                batch.notes.extend(filter(None, [self.dated(as_of, day, url, latest=False)]))
            for local in sorted(self.CURRENCIES):
                key = local.lower()
                if key not in rates:
                    batch.rejected.append(Rejected(f"USD/{local}", "", "missing from the response"))
                else:
                    add_direct(self, batch, local, rates[key], as_of)
            add_extras(self, batch, rates, as_of, lower=True)
        return batch
