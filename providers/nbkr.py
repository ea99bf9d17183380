"""National Bank of the Kyrgyz Republic: the official som (KGS).

``XML/daily.xml`` (USD, KZT, ...) and ``XML/weekly.xml`` (TJS, UZS, TMT, valid for 7 days),
windows-1251, decimal commas, values in som per ``Nominal`` units. ``Date`` is the
effective date (usually tomorrow; re-stamped every day, weekends included).
History: the ``index1.jsp`` page, one currency per request, up to a year.
(Its limit: Frankfurter #387 "1 year/query", its adapter's ``backfill_range = 365`` in
PR #464; 366 days here, as the catalogue says. So a year is a page per currency, and a
year back over a 29 February, 367 days, two.)
Other currencies, when asked: ``X/KGS`` from the daily file (EUR, CNY, KZT, RUB) or the
weekly one (TJS, UZS, TMT, GBP, JPY per 10, ...), and from the history page for those
with a known ``valuta_id`` (one more request each).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from xml.etree.ElementTree import Element

import httpx

from providers.base import Batch, ProviderError, Rejected
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_decimal, parse_dmy, text_of
from providers.per_currency import PerCurrencyHistory
from providers.source import USD

# valuta_id of the history page's <select name="valuta_id"> for each currency we need.
VALUTA_IDS = {"USD": 15, "KZT": 40, "TJS": 45, "UZS": 46, "TMT": 108}
# ... and of the other currencies asked for (Frankfurter's ``nbkr.rb``, from the same
# <select>). The page carries no nominal: it is 1 for each of these, as in daily.xml.
OTHER_VALUTA_IDS = {"EUR": 20, "CNY": 24, "RUB": 44}
WEEKLY = frozenset({"TJS", "UZS", "TMT"})
_HISTORY_ROW = re.compile(
    r"<!--date-->\s*(\d{2}\.\d{2}\.\d{4})\s*<!--date-->.*?<!--value-->\s*([^<]*?)\s*<!--value-->",
    re.S,
)


class NBKR(PerCurrencyHistory, source=SOURCES["nbkr"]):
    DECIMALS = 4

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        daily, daily_url = await self.get_xml(client, "/XML/daily.xml", "CurrencyRates")
        with bad_response(self.NAME, daily_url):
            as_of = parse_dmy(daily.attrib["Date"])
            rows = _rows(daily)
        batch = self.from_local_quotes("KGS", rows, as_of, frozenset({"KGS", "KZT"}))
        codes = self.table_codes("KGS")
        batch.extend(self.from_own_table("KGS", rows, as_of, [c for c in codes if c in rows]))
        weekly_codes = [c for c in codes if c not in rows]
        try:
            weekly_batch = await self._weekly(client, rows, as_of, weekly_codes)
        except ProviderError as err:
            # The official som rate stands on its own; only the weekly crosses are lost.
            for code in sorted(WEEKLY):
                batch.rejected.append(Rejected(f"USD/{code}", "", f"weekly.xml: {err.reason}"))
            for code in weekly_codes:
                batch.rejected.append(Rejected(f"{code}/KGS", "", f"weekly.xml: {err.reason}"))
        else:
            batch.extend(weekly_batch)
        return self.require_some(batch, daily_url)

    async def _weekly(
        self,
        client: httpx.AsyncClient,
        daily_rows: dict[str, tuple[str, str]],
        as_of: date,
        codes: list[str],
    ) -> Batch:
        weekly, weekly_url = await self.get_xml(client, "/XML/weekly.xml", "CurrencyRates")
        with bad_response(self.NAME, weekly_url):
            week_start = parse_dmy(weekly.attrib["Date"])
            weekly_rows = _rows(weekly)
            valid_for = {
                c.attrib.get("ISOCode", ""): int(text_of(c, "ValidFor"))
                for c in weekly.iter("Currency")
                if c.find("ValidFor") is not None
            }
        # A weekly rate is in effect from its Date for ValidFor days; a cross with the
        # daily dollar is exact only on a day both are in effect: the daily's date.
        in_effect = {
            code
            for code in WEEKLY
            if week_start <= as_of < week_start + timedelta(days=valid_for.get(code, 7))
        }
        combined = {**daily_rows, **{c: weekly_rows[c] for c in in_effect if c in weekly_rows}}
        batch = self.from_local_quotes("KGS", combined, as_of, frozenset(in_effect))
        for code in sorted(WEEKLY - in_effect):
            batch.rejected.append(
                Rejected(
                    f"USD/{code}",
                    weekly_rows.get(code, ("", ""))[0],
                    f"weekly rate of {week_start} is not in effect on {as_of}",
                )
            )
        # A weekly rate of another currency is kept under the date it is in force from.
        batch.extend(self.from_own_table("KGS", weekly_rows, week_start, codes))
        return batch

    def history_ids(self) -> dict[str, int]:
        """The history pages a span asks for, one request each, by currency: ``USD``
        (USD/KGS, and the numerator of every cross), each other local currency whose cross
        is asked (KZT, TJS, UZS, TMT: ``USD/KZT`` = som per USD / som per KZT), and each
        other currency asked whose ``valuta_id`` is known (``RUB``: ``RUB/KGS``). Narrowed
        (a backfill of some pairs), only those the pairs need: ``USD/KGS`` alone is one
        page a span."""
        codes = self.history_currencies("KGS")
        known = {**VALUTA_IDS, **{c: OTHER_VALUTA_IDS[c] for c in sorted(OTHER_VALUTA_IDS)}}
        return {code: valuta_id for code, valuta_id in known.items() if code in codes}

    def history_requests(self) -> int:
        return len(self.history_ids())

    async def fetch_history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        series: dict[str, dict[date, str]] = {}
        last_url = ""
        ids = self.history_ids()
        for code, valuta_id in ids.items():
            params = {
                "item": "1562",
                "lang": "ENG",
                "valuta_id": str(valuta_id),
                "beg_day": f"{start.day:02d}",
                "beg_month": f"{start.month:02d}",
                "beg_year": str(start.year),
                "end_day": f"{end.day:02d}",
                "end_month": f"{end.month:02d}",
                "end_year": str(end.year),
            }
            fetched = await self.get(client, "/index1.jsp", params)
            last_url = fetched.url
            with bad_response(self.NAME, fetched.url):
                series[code] = parse_history_page(fetched.body)
        self.require_anchor(series, last_url, start, end)
        batch = Batch()
        dollars = self.history_locals()
        for day in sorted(series.get(USD, {})):
            if not start <= day <= end:
                continue
            # The page carries no nominal: it is 1 for all five of our currencies.
            rows = {c: (s[day], "1") for c, s in series.items() if day in s}
            wanted = frozenset(c for c in dollars if c == "KGS" or c in rows)
            batch.extend(self.from_local_quotes("KGS", rows, day, wanted))
        for code in self.history_table("KGS"):  # each its own dates (EUR was weekly in 2005)
            if code not in ids:
                reason = f"no history page valuta_id known for {code}"
                batch.rejected.append(Rejected(f"{code}/KGS", "", reason))
                continue
            for day, value in sorted(series[code].items()):
                if start <= day <= end:
                    batch.extend(self.from_own_table("KGS", {code: (value, "1")}, day, [code]))
        return self.require_some(batch, last_url)


def _rows(root: Element) -> dict[str, tuple[str, str]]:
    rows = {}
    for currency in root.iter("Currency"):
        code = currency.attrib.get("ISOCode", "")
        if len(code) == 3 and code.isalpha():
            rows[code.upper()] = (text_of(currency, "Value"), text_of(currency, "Nominal"))
    return rows


def parse_history_page(body: bytes) -> dict[date, str]:
    """``<!--date-->25.06.2005<!--date-->...<!--value-->40,9614<!--value-->`` rows."""
    text = body.decode("utf-8", errors="replace")
    rows = {parse_dmy(d): v for d, v in _HISTORY_ROW.findall(text)}
    if not rows and "<!--date-->" not in text and "<table" not in text.lower():
        raise ValueError("not the NBKR history page (no rate table)")
    for value in rows.values():
        parse_decimal(value)  # fail on a malformed number rather than store it
    return rows
