"""Central Bank of Turkmenistan: the official manat (TMT), pegged at 3.50 per USD.

``kurs/YYYY/DDMMYYYY.xml``: ``<date>`` (dd.mm.yyyy, or ISO in 2020-2023 files), one
``<rate code=...>`` per currency with ``rate_tmt`` = manat per ``multiplier`` units.
(``rate_usd`` is in market convention and can go either way, so it is not used.)
Needs a browser-like User-Agent; Sundays are 404; often unreachable from abroad.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone

import httpx

from providers.base import Batch, NoFixing, ProviderResponseError
from providers.http import BROWSER_USER_AGENT
from providers.parsing import bad_response, parse_any_date, text_of
from providers.source import DailyHistoryProvider


class CBT(DailyHistoryProvider):
    NAME = "cbt"
    TITLE = "Central Bank of Turkmenistan"
    CURRENCIES = frozenset({"TMT", "KGS", "KZT", "TJS", "UZS"})
    TZ = timezone(timedelta(hours=5), "Asia/Ashgabat")
    HISTORY_START = date(2020, 4, 17)
    USER_AGENT = BROWSER_USER_AGENT

    def publishes_on(self, day: date) -> bool:
        return day.weekday() != 6  # no file on Sundays

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        day = self.today()
        if not self.publishes_on(day):
            day -= timedelta(days=1)  # Saturday's file covers Sunday
        return await self._fetch_date(client, day, latest=True)

    async def fetch_day(self, client: httpx.AsyncClient, day: date) -> Batch:
        return await self._fetch_date(client, day, latest=False)

    async def _fetch_date(self, client: httpx.AsyncClient, day: date, latest: bool) -> Batch:
        path = f"/kurs/{day.year}/{day.strftime('%d%m%Y')}.xml"
        try:
            root, url = await self.get_xml(client, path, "cbt_currency_rate")
        except ProviderResponseError as err:
            if not latest and "HTTP 404" in err.reason:
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
        if as_of != day:
            raise ProviderResponseError(
                self.NAME, url, f"response is dated {as_of}, not the {day} requested"
            )
        return self.require_some(self.from_local_quotes("TMT", rows, as_of), url)
