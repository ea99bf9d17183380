"""Central Bank of Russia: all five through the rouble (crosses, marked derived), and,
when asked, its own ``X/RUB`` rates (``EUR/RUB``, ``KGS/RUB``; ``USD/RUB`` when RUB is asked).

``scripts/XML_daily.asp``: ``ValCurs@Date`` (the effective date), one ``<Valute>`` per
currency with ``Value`` = roubles per ``Nominal`` units, decimal comma, windows-1251.
History: ``scripts/XML_dynamic.asp`` per currency id, listing only the days a new rate
took effect.
One request covers up to ten years (the catalogue's ``history_step_days``): no span
limit is documented, and public code asks several years in one (a data project's manifest
records USD from 01/01/2009 to 31/12/2024 in one file; clients ask from 2019 or 2021 to
today).
"""

from __future__ import annotations

from datetime import date

import httpx

from providers.base import Batch, Rejected
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_dmy, text_of
from providers.per_currency import PerCurrencyHistory
from providers.source import USD

CBR_IDS = {
    "USD": "R01235",
    "KZT": "R01335",
    "KGS": "R01370",
    "TJS": "R01670",
    "TMT": "R01710A",
    "UZS": "R01717",
}
#: XML_dynamic ids of other currencies asked for (``XML_daily.asp``'s ``Valute@ID``, as in
#: the recorded file of 25.04.2026); each costs one more request per history span.
OTHER_IDS = {
    "EUR": "R01239",
    "CNY": "R01375",
    "GBP": "R01035",
    "JPY": "R01820",
    "CHF": "R01775",
    "TRY": "R01700J",
    "AED": "R01230",
    "BYN": "R01090B",
    "AMD": "R01060",
    "AZN": "R01020A",
    "GEL": "R01210",
    "UAH": "R01720",
    "INR": "R01270",
}


RUB = "RUB"


class CBR(PerCurrencyHistory, source=SOURCES["cbr"]):
    DECIMALS = 4

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        root, url = await self.get_xml(client, "/scripts/XML_daily.asp", "ValCurs")
        with bad_response(self.NAME, url):
            as_of = parse_dmy(root.attrib["Date"])
            rows = {
                text_of(v, "CharCode").upper(): (text_of(v, "Value"), text_of(v, "Nominal"))
                for v in root.iter("Valute")
            }
        batch = self.from_local_quotes(None, rows, as_of)
        batch.extend(self.from_own_table(RUB, rows, as_of))
        return self.require_some(batch, url)

    def history_ids(self) -> dict[str, str]:
        """The ``XML_dynamic`` files a span asks for, one request each, by currency:
        ``USD`` (the numerator of every cross through the rouble, and ``USD/RUB`` when
        asked), each of the five whose cross ``USD/X`` is asked (``KGS``: roubles per USD /
        roubles per som) or whose ``X/RUB`` is, and each other currency asked whose id is
        known (``EUR``: ``EUR/RUB``). Narrowed (a backfill of some pairs), only those the
        pairs need: ``USD/KGS`` is two files a span, ``EUR/RUB`` alone one."""
        codes = self.history_currencies(RUB)
        known = {**CBR_IDS, **{c: OTHER_IDS[c] for c in sorted(OTHER_IDS)}}
        return {code: cbr_id for code, cbr_id in known.items() if code in codes}

    def history_requests(self) -> int:
        return len(self.history_ids())

    async def fetch_history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        series: dict[str, dict[date, tuple[str, str]]] = {}
        url = ""
        asked = self.history_table(RUB)
        ids = self.history_ids()
        unknown = [c for c in asked if c not in ids]
        for code, cbr_id in ids.items():
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
        dollars = self.history_locals()
        for day in sorted(series.get(USD, {})):
            rows = {c: s[day] for c, s in series.items() if day in s}
            wanted = frozenset(c for c in rows if c in dollars)
            if start <= day <= end and wanted:
                batch.extend(self.from_local_quotes(None, rows, day, wanted))
        # XML_dynamic lists only the days a new rate took effect, each currency its own.
        for code in asked:
            for day, row in sorted(series.get(code, {}).items()):
                if start <= day <= end:
                    batch.extend(self.from_own_table(RUB, {code: row}, day, [code]))
        for code in unknown:
            reason = f"no XML_dynamic id known for {code} (the daily table has its rate)"
            batch.rejected.append(Rejected(f"{code}/{RUB}", "", reason))
        return batch if not series.get(USD) else self.require_some(batch, url)
