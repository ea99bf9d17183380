"""Frankfurter v2: a blend of central-bank rates (TMT from the peg), with history.

``v2/rates?base=USD&quotes=KGS,KZT,TJS,UZS,TMT[&from=&to=]`` -> a JSON array of
``{"date", "base", "quote", "rate"}``. Its quotes are the aggregator's own, not crosses
we compute, so they are stored as direct.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from providers.base import Batch
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_iso_date
from providers.source import USD, HTTPProvider, add_direct

QUOTES = "KGS,KZT,TJS,UZS,TMT"


class Frankfurter(HTTPProvider, source=SOURCES["frankfurter"]):
    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        data, url = await self.get_json(client, "/v2/rates", {"base": USD, "quotes": QUOTES})
        return self.require_some(self._parse(data, url), url)

    async def fetch_history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        params = {"base": USD, "quotes": QUOTES, "from": start.isoformat(), "to": end.isoformat()}
        data, url = await self.get_json(client, "/v2/rates", params)
        return self._parse(data, url)

    def _parse(self, data: Any, url: str) -> Batch:
        batch = Batch()
        with bad_response(self.NAME, url):
            if not isinstance(data, list):
                raise ValueError(f"expected a JSON array, got {type(data).__name__}")
            for row in data:
                quote = str(row["quote"]).upper()
                if str(row["base"]).upper() != USD or quote not in self.CURRENCIES:
                    continue
                as_of = parse_iso_date(str(row["date"]))
                add_direct(self, batch, quote, row["rate"], as_of)
        return batch
