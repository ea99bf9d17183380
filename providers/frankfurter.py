"""Frankfurter v2: a blend of central-bank rates (TMT from the peg), with history.

``v2/rates?base=USD&quotes=KGS,KZT,TJS,UZS,TMT[&from=&to=]`` -> a JSON array of
``{"date", "base", "quote", "rate"}``. Its quotes are the aggregator's own, not crosses
we compute, so they are stored as direct. Other currencies asked for (EUR, RUB, CNY ...)
are added to ``quotes`` and given as ``USD/X`` the same way.
History: ``from=&to=`` with the same ``quotes``, the five (and the others asked) in one
request, up to five years of them (the catalogue's ``history_step_days``): v2 takes a
range of any length, but refuses a daily one over five years with 422 when ``providers=``
is pinned (``sources.md`` section 7.1); five years keeps clear of it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from providers.base import Batch, Rejected
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_iso_date
from providers.source import USD, HTTPProvider, add_direct

QUOTES = "KGS,KZT,TJS,UZS,TMT"


class Frankfurter(HTTPProvider, source=SOURCES["frankfurter"]):
    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        data, url = await self.get_json(client, "/v2/rates", {"base": USD, "quotes": self.quotes})
        batch = self._parse(data, url)
        found = {o.quote for o in batch.observations} | {r.pair[4:] for r in batch.rejected}
        for code in self.others:
            if code not in found:  # asked, and not in the answer: say so, never invent it
                batch.rejected.append(Rejected(f"USD/{code}", "", "missing from the response"))
        return self.require_some(batch, url)

    async def fetch_history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        params = {
            "base": USD,
            "quotes": self.quotes,
            "from": start.isoformat(),
            "to": end.isoformat(),
        }
        data, url = await self.get_json(client, "/v2/rates", params)
        return self._parse(data, url)

    @property
    def others(self) -> list[str]:
        """The other currencies asked for, besides the five."""
        return sorted(self.extra - self.CURRENCIES - {USD})

    @property
    def quotes(self) -> str:
        """The ``quotes`` parameter: the five, then the others asked for."""
        return ",".join([QUOTES, *self.others])

    def _parse(self, data: Any, url: str) -> Batch:
        batch = Batch()
        with bad_response(self.NAME, url):
            if not isinstance(data, list):
                raise ValueError(f"expected a JSON array, got {type(data).__name__}")
            for row in data:
                quote = str(row["quote"]).upper()
                wanted = quote in self.CURRENCIES or quote in self.extra
                if str(row["base"]).upper() != USD or not wanted:
                    continue
                as_of = parse_iso_date(str(row["date"]))
                add_direct(self, batch, quote, row["rate"], as_of)
        return batch
