"""National Bank of Tajikistan: the official somoni (TJS).

``{lang}/kurs/export_xml.php?date=YYYY-MM-DD&export=xmlout`` (``export=xmlout`` is
required). ``ValCurs@Date`` is ISO; ``Value`` is somoni per ``Nominal`` units (KGS and
KZT per 10, UZS per 100). Published every day, weekends included. A date out of range
silently returns today's snapshot, so a response dated otherwise than asked is rejected.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone

import httpx

from providers.base import Batch, ProviderResponseError
from providers.parsing import bad_response, parse_iso_date, text_of
from providers.source import DailyHistoryProvider


class NBT(DailyHistoryProvider):
    NAME = "nbt"
    TITLE = "National Bank of Tajikistan"
    CURRENCIES = frozenset({"TJS", "KGS", "KZT", "UZS", "TMT"})
    TZ = timezone(timedelta(hours=5), "Asia/Dushanbe")
    HISTORY_START = date(2001, 1, 1)

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        return await self.fetch_day(client, self.today())

    async def fetch_day(self, client: httpx.AsyncClient, day: date) -> Batch:
        params = {"date": day.isoformat(), "export": "xmlout"}
        root, url = await self.get_xml(client, "/en/kurs/export_xml.php", "ValCurs", params)
        with bad_response(self.NAME, url):
            as_of = parse_iso_date(root.attrib["Date"])
            # Valute@ID is unreliable in history; CharCode is the key.
            rows = {
                text_of(v, "CharCode").upper(): (text_of(v, "Value"), text_of(v, "Nominal"))
                for v in root.iter("Valute")
            }
        if as_of != day:
            raise ProviderResponseError(
                self.NAME, url, f"response is dated {as_of}, not the {day} requested"
            )
        return self.require_some(self.from_local_quotes("TJS", rows, as_of), url)
