"""National Bank of Tajikistan: the official somoni (TJS).

``{lang}/kurs/export_xml.php?date=YYYY-MM-DD&export=xmlout`` (``export=xmlout`` is
required). ``ValCurs@Date`` is ISO; ``Value`` is somoni per ``Nominal`` units (KGS and
KZT per 10, UZS per 100). Published every day, weekends included, in the Dushanbe
morning. A date not published (yet) answers with the newest snapshot, dated earlier:
for the latest poll that is the newest fixing; for a backfill, a day without one.
Other currencies asked for: ``X/TJS`` from the same table (RUB, EUR, CNY, KGS ...).
"""

from __future__ import annotations

from datetime import date

import httpx

from providers.base import Batch
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_iso_date, text_of
from providers.source import DailyHistoryProvider


class NBT(DailyHistoryProvider, source=SOURCES["nbt"]):
    DECIMALS = 4

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        return await self.fetch_latest(client)

    async def fetch_day(self, client: httpx.AsyncClient, day: date, latest: bool = False) -> Batch:
        params = {"date": day.isoformat(), "export": "xmlout"}
        root, url = await self.get_xml(client, "/en/kurs/export_xml.php", "ValCurs", params)
        with bad_response(self.NAME, url):
            as_of = parse_iso_date(root.attrib["Date"])
            # Valute@ID is unreliable in history; CharCode is the key.
            rows = {
                text_of(v, "CharCode").upper(): (text_of(v, "Value"), text_of(v, "Nominal"))
                for v in root.iter("Valute")
            }
        note = self.dated(as_of, day, url, latest)
        batch = self.from_local_quotes("TJS", rows, as_of)
        batch.extend(self.from_own_table("TJS", rows, as_of))
        return self.noted(self.require_some(batch, url), note)
