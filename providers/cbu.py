"""Central Bank of Uzbekistan: the official sum (UZS).

``{lang}/arkhiv-kursov-valyut/json/`` (current) and ``.../json/all/YYYY-MM-DD/``: a JSON
array with one object per currency; every number is a string. ``Rate`` is sum per
``Nominal`` units; ``Date`` (dd.mm.yyyy) is the date the rate applies from.
Other currencies asked for: ``X/UZS`` from the same array, each under its own ``Date``.

History: ``json/all/DATE/`` a day at a time. The JSON service has no range (issue 32
looked, December 2026): the forms public clients use are ``json/``, ``json/all/DATE/``,
``json/CODE/`` and ``json/CODE/DATE/``, each one date, and one client's notes quote the
bank's own page with those examples and plan a loop over the days; Frankfurter's adapter
(#287) asks a date per request too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from providers.base import Batch, NoFixing, Rejected
from providers.catalogue import SOURCES
from providers.parsing import bad_response, parse_dmy
from providers.source import USD, DailyHistoryProvider


class CBU(DailyHistoryProvider, source=SOURCES["cbu"]):
    DECIMALS = 2

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        data, url = await self.get_json(client, "/en/arkhiv-kursov-valyut/json/")
        return self._parse(data, url, None)

    async def fetch_day(self, client: httpx.AsyncClient, day: date, latest: bool = False) -> Batch:
        data, url = await self.get_json(
            client, f"/en/arkhiv-kursov-valyut/json/all/{day.isoformat()}/"
        )
        return self._parse(data, url, day, latest)

    def _parse(self, data: Any, url: str, day: date | None, latest: bool = False) -> Batch:
        with bad_response(self.NAME, url):
            if not isinstance(data, list):
                raise ValueError(f"expected a JSON array, got {type(data).__name__}")
            if not data:
                if day is not None:
                    raise NoFixing(self.NAME, url, f"no rates published for {day}")
                raise ValueError("empty rate list")
            rows: dict[str, tuple[str, str]] = {}
            dates: dict[str, date] = {}
            for row in data:
                code = str(row["Ccy"]).upper()
                rows[code] = (_text(row["Rate"]), _text(row["Nominal"]))
                dates[code] = parse_dmy(str(row["Date"]))
            if USD not in dates:
                raise ValueError("no USD row")
            as_of = dates[USD]
            # ``Date`` is the day a rate is in force from: a date asked for without a
            # rate of its own (2020's weekly fixings) answers with the one in force then.
            note = self.dated(as_of, day, url, latest) if day is not None else None
        # A cross is only exact between rates in effect on the same date.
        same_day = {c: r for c, r in rows.items() if dates.get(c) == as_of}
        batch = self.from_local_quotes("UZS", same_day, as_of)
        # Another currency's own rate is kept under its own Date (the day it is in force
        # from), which is the USD row's in every recorded file.
        for code in self.table_codes("UZS"):
            when = dates.get(code, as_of)
            if when > as_of:
                reason = f"dated {when}, after the USD row's {as_of}"
                batch.rejected.append(Rejected(f"{code}/UZS", rows[code][0], reason))
            else:
                batch.extend(self.from_own_table("UZS", rows, when, [code]))
        return self.noted(self.require_some(batch, url), note)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) or value.__class__.__name__ == "Decimal":
        return str(value)
    raise ValueError(f"not a number: {value!r}")
