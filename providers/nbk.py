"""National Bank of Kazakhstan: the official tenge (KZT).

``rss/get_rates.cfm?fdate=DD.MM.YYYY``: the rates effective on that date, ``<date>`` at
the top, one ``<item>`` per currency: ``title`` (ISO code), ``description`` (tenge per
``quant`` units, decimal point). UZS is quoted per 100; quants change over time.
NBK does not publish TMT. No fixings on weekends or holidays; a date without one (or not
yet set) answers an empty list, so the latest poll walks back to the newest fixing.
Other currencies asked for: ``X/KZT`` from the same table (EUR, CNY, RUB, KGS, ...).

History: one ``get_rates.cfm`` per day (issue 32 looked for a range, December 2026). The
only one public code uses is the website's HTML report,
``{lang}/exchangerates/ezhednevnye-oficialnye-rynochnye-kursy-valyut/report?rates[]=ID&
beginDate=DD.MM.YYYY&endDate=DD.MM.YYYY`` (Jsoup and pandas ``read_html`` scrapers ask
it for years, several ``rates[]`` at once; ``5`` is the dollar in all of them). No
recording of it exists, the ``rates[]`` ids of KGS, TJS and UZS are nowhere, nor how its
columns give the quant (UZS per 100, changing over time): without its real shape it is not
adopted, and NBK stays a request a day. The data portal (``data.nationalbank.kz``,
Frankfurter #288) serves the base rate and reserves here, no exchange rates seen.
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
