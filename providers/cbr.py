"""Central Bank of Russia: all five through the rouble (crosses, marked derived).

``scripts/XML_daily.asp``: ``ValCurs@Date`` (the effective date), one ``<Valute>`` per
currency with ``Value`` = roubles per ``Nominal`` units, decimal comma, windows-1251.
History: ``scripts/XML_dynamic.asp`` per currency id, listing only the days a new rate
took effect.
"""

from __future__ import annotations

from datetime import date

import httpx

from providers.base import Batch
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_dmy, text_of
from providers.source import USD, HTTPProvider

CBR_IDS = {
    "USD": "R01235",
    "KZT": "R01335",
    "KGS": "R01370",
    "TJS": "R01670",
    "TMT": "R01710A",
    "UZS": "R01717",
}


class CBR(HTTPProvider, source=SOURCES["cbr"]):
    DECIMALS = 4

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        root, url = await self.get_xml(client, "/scripts/XML_daily.asp", "ValCurs")
        with bad_response(self.NAME, url):
            as_of = parse_dmy(root.attrib["Date"])
            rows = {
                text_of(v, "CharCode").upper(): (text_of(v, "Value"), text_of(v, "Nominal"))
                for v in root.iter("Valute")
            }
        return self.require_some(self.from_local_quotes(None, rows, as_of), url)

    async def fetch_history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        series: dict[str, dict[date, tuple[str, str]]] = {}
        url = ""
        for code, cbr_id in CBR_IDS.items():
            params = {
                "date_req1": start.strftime("%d/%m/%Y"),
                "date_req2": end.strftime("%d/%m/%Y"),
                "VAL_NM_RQ": cbr_id,
            }
            root, url = await self.get_xml(client, "/scripts/XML_dynamic.asp", "ValCurs", params)
            with bad_response(self.NAME, url):
                series[code] = {
                    parse_dmy(r.attrib["Date"]): (text_of(r, "Value"), text_of(r, "Nominal"))
                    for r in root.iter("Record")
                }
        batch = Batch()
        for day in sorted(series[USD]):
            rows = {c: s[day] for c, s in series.items() if day in s}
            wanted = frozenset(c for c in rows if c != USD)
            if start <= day <= end and wanted:
                batch.extend(self.from_local_quotes(None, rows, day, wanted))
        return batch if not series[USD] else self.require_some(batch, url)
