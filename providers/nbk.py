"""National Bank of Kazakhstan: the official tenge (KZT).

``rss/get_rates.cfm?fdate=DD.MM.YYYY``: the rates effective on that date, ``<date>`` at
the top, one ``<item>`` per currency: ``title`` (ISO code), ``description`` (tenge per
``quant`` units, decimal point). UZS is quoted per 100; quants change over time.
NBK does not publish TMT. No fixings on weekends or holidays; a date without one (or not
yet set) answers an empty list, so the latest poll walks back to the newest fixing.
Other currencies asked for: ``X/KZT`` from the same table (EUR, CNY, RUB, KGS, ...).
"""

from __future__ import annotations

from datetime import date

import httpx

from providers.base import Batch, NoFixing
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_dmy, text_of
from providers.source import DailyHistoryProvider


class NBK(DailyHistoryProvider, source=SOURCES["nbk"]):
    DECIMALS = 2

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        return await self.fetch_latest(client)

    async def fetch_day(self, client: httpx.AsyncClient, day: date, latest: bool = False) -> Batch:
        params = {"fdate": day.strftime("%d.%m.%Y")}
        root, url = await self.get_xml(client, "/rss/get_rates.cfm", "rates", params)
        with bad_response(self.NAME, url):
            # Only <item>s: the channel's own <title>/<description> are not rates.
            rows = {
                text_of(item, "title").upper(): (
                    text_of(item, "description"),
                    text_of(item, "quant"),
                )
                for item in root.iter("item")
            }
        if not rows:
            raise NoFixing(self.NAME, url, f"no rates published for {day}")
        with bad_response(self.NAME, url):
            as_of = parse_dmy(text_of(root, "date"))
        note = self.dated(as_of, day, url, latest)
        batch = self.from_local_quotes("KZT", rows, as_of)
        batch.extend(self.from_own_table("KZT", rows, as_of))
        return self.noted(self.require_some(batch, url), note)
