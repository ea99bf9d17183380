"""Central Bank of Turkmenistan: the official manat (TMT), pegged at 3.50 per USD.

``kurs/YYYY/DDMMYYYY.xml``: ``<date>`` (dd.mm.yyyy, or ISO in 2020-2023 files), one
``<rate code=...>`` per currency with ``rate_tmt`` = manat per ``multiplier`` units.
(``rate_usd`` is in market convention and can go either way, so it is not used.)
Day D's file appears on D-1. Needs a browser-like User-Agent; a day without a file
(Sundays, holidays, not yet published) is 404; often unreachable from abroad.
Other currencies asked for: ``X/TMT`` from the same file (RUB per 100, UZS per 1000 ...).

History: a file per day; no range is known (issue 32 looked, December 2026): Frankfurter's
adapter (#392, PR #484) reads the same per-day files, and the rest of cbt.tm's archive is
HTML pages per year back to 2009 with no machine-readable span.
"""

from __future__ import annotations

from datetime import date

import httpx

from providers.base import Batch, NoFixing, ProviderResponseError
from providers.catalogue import SOURCES
from providers.http import BROWSER_USER_AGENT
from providers.parsing import bad_response, parse_any_date, text_of
from providers.source import DailyHistoryProvider


class CBT(DailyHistoryProvider, source=SOURCES["cbt"]):
    USER_AGENT = BROWSER_USER_AGENT
    DECIMALS = 4

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        return await self.fetch_latest(client)

    async def fetch_day(self, client: httpx.AsyncClient, day: date, latest: bool = False) -> Batch:
        path = f"/kurs/{day.year}/{day.strftime('%d%m%Y')}.xml"
        try:
            root, url = await self.get_xml(client, path, "cbt_currency_rate")
        except ProviderResponseError as err:
            if "HTTP 404" in err.reason:
                raise NoFixing(self.NAME, err.url, f"no file for {day}") from err
            raise
        with bad_response(self.NAME, url):
            as_of = parse_any_date(text_of(root, "date"))
            rows = {
                rate.attrib["code"].upper(): (
                    text_of(rate, "rate_tmt"),
                    text_of(rate, "multiplier"),
                )
                for rate in root.iter("rate")
                if "code" in rate.attrib
            }
        note = self.dated(as_of, day, url, latest)
        batch = self.from_local_quotes("TMT", rows, as_of)
        batch.extend(self.from_own_table("TMT", rows, as_of))
        return self.noted(self.require_some(batch, url), note)
