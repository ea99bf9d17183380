"""National Bank of Tajikistan: the official somoni (TJS).

The latest rates: ``{lang}/kurs/export_xml.php?date=YYYY-MM-DD&export=xmlout``
(``export=xmlout`` is required). ``ValCurs@Date`` is ISO; ``Value`` is somoni per
``Nominal`` units (KGS and KZT per 10, UZS per 100). Published every day, weekends
included, in the Dushanbe morning. A date not published (yet) answers with the newest
snapshot, dated earlier: for the latest poll that is the newest fixing; for a dated
request, a day without one. Other currencies asked for: ``X/TJS`` from the same table
(RUB, EUR, CNY, KGS ...).

History: the range export, one currency per request,
``en/kurs/export_xml_dynamic.php?d1=YYYY-MM-DD&d2=YYYY-MM-DD&cs=CODE&export=xml``. What
it is, from the evidence (no machine here reaches nbt.tj):

* **Shape** (the one recording, ``Mahmud0547/kursi-tojik`` ``api/test/fixtures/history-kzt.xml``
  at commit a74b20321e28a65448ee5b0ad3b82b1c676637b9, our
  ``tests/fixtures/providers/nbt/export_xml_dynamic_KZT_2026-09-20_2026-10-01.xml``):
  windows-1251 declared, root ``<ValCurs ID="398" DateRange1="20/09/2026"
  DateRange2="01/10/2026" Name="...">``, one ``<Record Date="dd.mm.yyyy" Id="398">`` per
  day with ``CharCode``, ``Nominal`` and ``Value`` (decimal point, 4 decimals), oldest
  first.
* **A record's Date is the day the rate applies, as the snapshot's ``ValCurs@Date``**: the
  same project's snapshot of 2026-10-01 (``api/test/fixtures/daily-2026-10-01.xml``) has
  KZT 0.2091 per 10, the record dated 01.10.2026 too. So a day's range rows are exactly
  that day's snapshot rows, and the observations are built from them the same way
  (``USD/TJS`` from the USD series, ``USD/KGS``, ``USD/KZT``, ``USD/UZS``, ``USD/TMT`` as
  crosses, ``X/TJS`` for the others asked).
* **Weekends are dated** (Sun 20, Sat 26 and Sun 27 Sep 2026 are in the recording;
  Saturday's 0.2092 is carried to Tuesday), as in the snapshots: every day has a record.
* **Nominal** is given per record (10 for KZT, as in the snapshot); divided, never
  assumed.
* **``export=xml``, not ``xmlout``**: every public client of the range export asks
  ``export=xml`` (kursi-tojik ``api/src/nbt.ts``, whose answer is the recording; a Django
  client asking 2005 to today; a Next.js route, 2022 to today; a Node client, ten years; an
  Android app's Retrofit interface passes it as a parameter) and none ``xmlout``;
  ``xmlout`` is the snapshot's (Frankfurter issue #390). The open question of
  ``sources.md`` section 12 is settled that way, from code, not live.
* **Span**: no limit is documented or seen; clients ask ten years and more in one request.
  One request covers 400 days (the catalogue's ``history_step_days``; kursi-tojik's own
  backfill asks 401), so a year, leap day or not, is one request per currency.
* **Out of range**: not recorded. A record dated outside the window asked, of another
  currency than asked, or twice on one day, refuses the whole answer (the snapshot's
  out-of-range answer is today's file, and this one may be too); an empty answer is a
  window without a fixing.
"""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element

import httpx

from providers.base import Batch
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_dmy, parse_iso_date, text_of
from providers.per_currency import PerCurrencyHistory
from providers.source import DatedProvider


class NBT(DatedProvider, PerCurrencyHistory, source=SOURCES["nbt"]):
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
        return self.noted(self.require_some(self.from_table(rows, as_of), url), note)

    def from_table(
        self,
        rows: dict[str, tuple[str, str]],
        as_of: date,
        dollars: frozenset[str] | None = None,
        others: list[str] | None = None,
    ) -> Batch:
        """One day's observations from its ``code -> (value, nominal)`` rows: the same
        for a snapshot and for a day of the range export (``dollars``, ``others``: only
        these ``USD/X`` and ``X/TJS``; None: all five, every currency asked)."""
        batch = self.from_local_quotes("TJS", rows, as_of, dollars)
        batch.extend(self.from_own_table("TJS", rows, as_of, others))
        return batch

    def history_codes(self) -> list[str]:
        """The currencies a history span asks for, one request each: ``USD`` (USD/TJS,
        and the numerator of every cross), each other local currency whose cross is asked
        (KGS, KZT, UZS, TMT: ``USD/KGS`` = TJS per USD / TJS per KGS), and each other
        currency asked (``RUB``, ``EUR`` ...: ``RUB/TJS``). Narrowed (a backfill of some
        pairs), only those the pairs need: ``USD/TJS`` alone is one request a span."""
        return sorted(self.history_currencies("TJS"))

    def history_requests(self) -> int:
        return len(self.history_codes())

    async def fetch_history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        series: dict[str, dict[date, tuple[str, str]]] = {}
        url = ""
        for code in self.history_codes():
            params = {
                "d1": start.isoformat(),
                "d2": end.isoformat(),
                "cs": code,
                "export": "xml",
            }
            root, url = await self.get_xml(
                client, "/en/kurs/export_xml_dynamic.php", "ValCurs", params
            )
            with bad_response(self.NAME, url):
                series[code] = parse_range(root, code, start, end)
        self.require_anchor(series, url, start, end)
        dollars, others = self.history_locals(), self.history_table("TJS")
        batch = Batch()
        for day in sorted(set().union(*series.values())):
            rows = {c: s[day] for c, s in series.items() if day in s}
            batch.extend(self.from_table(rows, day, dollars, others))
        return self.require_some(batch, url)


def parse_range(root: Element, code: str, start: date, end: date) -> dict[date, tuple[str, str]]:
    """The ``day -> (value, nominal)`` texts of one currency's range export, checked
    against what was asked: ``code``, from ``start`` to ``end``. Raises ``ValueError``
    naming the first record that contradicts the request."""
    rows: dict[date, tuple[str, str]] = {}
    for record in root.iter("Record"):
        day = parse_dmy(record.attrib["Date"])
        charcode = text_of(record, "CharCode").upper()
        if charcode != code:
            raise ValueError(f"asked for {code}, a record dated {day} is of {charcode}")
        if not start <= day <= end:
            raise ValueError(f"asked for {start} to {end}, a record is dated {day}")
        if day in rows:
            raise ValueError(f"two {code} records dated {day}")
        rows[day] = (text_of(record, "Value"), text_of(record, "Nominal"))
    return rows
