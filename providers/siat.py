"""Statistics Agency of Uzbekistan (SIAT open data): monthly consumer prices, all items.

``GET /media/uploads/sdmx/sdmx_data_4585.json`` (no key) is, despite its path, not
SDMX-JSON: it answers ``[{"metadata": [...], "data": [...]}]``. ``metadata`` is a list of
facts, each ``{"name_en": ..., "value_en": ..., "name_ru": ...}`` in four languages: the
indicator's code (``1.11.01.0026``), name ("The price index for all goods and services,
compared to last month in the Republic of Uzbekistan"), periodicity ("monthly"), unit
("Percent"), first publication and last modified dates. ``data`` has a row per
classifier item (``Code``, ``Klassifikator_en`` ...) with a key per month, ``"2026-М03"``
(a Cyrillic EM; the sibling files write a Latin M); row ``Code "1"``, "COMPOSITE INDEX",
is all items.

A value is an index against the month before (100.6: prices rose 0.6 %), so the change in
per cent, :data:`~providers.monetary_records.CPI_MOM`, is the index minus 100, exactly. A
``null`` month is missing; ``0.0`` is the file's placeholder for an item without a price
(item rows only in the recording): it would read as -100 % and is rejected as implausible.
The file gives no release date per month (its "Last modified date" is the whole file's),
so ``released`` is None. No SIAT file recorded carries monthly year-on-year CPI: 1292,
"to the corresponding period of the previous year", is annual (each year's average price
level against the year before's), so :data:`~providers.monetary_records.CPI_YOY` is not
given here and Uzbekistan's comes from the IMF.
Evidence: ``docs/monetary-sources.md``, "siat".
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import httpx

from providers.base import Batch, IndicatorValue, ProviderResponseError
from providers.calendar import TASHKENT
from providers.indicator_source import IndicatorProvider
from providers.monetary_periods import MAX_MONTHS, month, screened
from providers.monetary_records import CPI_MOM, MONETARY
from providers.parsing import bad_response

PATH = "/media/uploads/sdmx/sdmx_data_4585.json"
#: The file's own identity: all items, against the month before, Uzbekistan.
IDENTITY = "1.11.01.0026"
#: What a month's change in prices can be, per cent.
PLAUSIBLE = {CPI_MOM: (Decimal(-50), Decimal(100))}
#: The most classifier rows and metadata facts believed (the recording: 540 and 16).
MAX_ROWS = 5000
MAX_FACTS = 200
#: ``2026-М03`` (Cyrillic EM, as in 4585) or ``2026-M03`` (Latin, as in 1286).
_MONTH_KEY = re.compile("([0-9]{4})-[\u041cM]([0-9]{2})")
#: The facts the file must state, as it states them (English, case and spaces ignored).
_FACTS = {
    "Indicator identification number (code)": IDENTITY,
    "Periodicity": "monthly",
    "Unit of measurement": "percent",
}


class SIAT(IndicatorProvider, source=MONETARY["siat"]):
    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        """The composite index's months as changes in per cent, without those after the
        current month in Tashkent or outside -50 to +100 % (each a rejected row)."""
        today = self.now().astimezone(TASHKENT).date()
        try:
            batch = await super().fetch(client)
        except ProviderResponseError as err:  # say the file's URL, the one asked
            raise ProviderResponseError(self.NAME, self.url(PATH), err.reason) from None
        return screened(self.NAME, self.url(PATH), batch, today, PLAUSIBLE)

    async def series(self, client: httpx.AsyncClient, code: str) -> list[IndicatorValue]:
        if code != CPI_MOM:
            raise ProviderResponseError(
                self.NAME, self.url(PATH), f"{code} is not in SIAT's file (it gives {CPI_MOM})"
            )
        data, url = await self.get_json(client, PATH)
        with bad_response(self.NAME, url):
            said = _error(data)
            if said is not None:
                raise ProviderResponseError(self.NAME, url, f"the source says {said!r}")
            metadata, rows = _dataset(data)
            _check_facts(metadata)
            return self._values(_composite(rows))

    def _values(self, row: dict[str, Any]) -> list[IndicatorValue]:
        fetched_at = self.now()
        values: dict[str, IndicatorValue] = {}
        for key, raw in row.items():
            match = _MONTH_KEY.fullmatch(key)
            if match is None:
                if key[:1].isdigit():
                    raise ValueError(f"a column {key[:40]!r} that is not a month")
                continue  # Code, Klassifikator and its translations
            period = month(int(match[1]), int(match[2]))
            if period in values:
                raise ValueError(f"{period} appears twice in the composite row")
            if raw is not None and not isinstance(raw, Decimal):
                raise ValueError(f"expected a number or null for {key}, got {str(raw)[:40]!r}")
            change = None if raw is None else raw - 100
            values[period] = IndicatorValue(
                self.NAME, CPI_MOM, "UZB", period, change, False, fetched_at
            )
        if not values:
            raise ValueError("the composite row has no months")
        return [values[period] for period in sorted(values)]


def _error(data: Any) -> str | None:
    """An error object's own words (``{"detail": "Not found."}``), or None."""
    if isinstance(data, dict):
        for key in ("detail", "message", "error"):
            if isinstance(data.get(key), str):
                return " ".join(data[key].split())[:200]
    return None


def _dataset(data: Any) -> tuple[list[Any], list[Any]]:
    if not (isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict)):
        raise ValueError('expected a JSON array of one {"metadata", "data"} object')
    metadata, rows = data[0].get("metadata"), data[0].get("data")
    if not isinstance(metadata, list) or not isinstance(rows, list):
        raise ValueError('expected "metadata" and "data" arrays')
    if len(metadata) > MAX_FACTS or len(rows) > MAX_ROWS:
        raise ValueError(
            f"{len(metadata)} metadata facts and {len(rows)} rows "
            f"(at most {MAX_FACTS} and {MAX_ROWS})"
        )
    return metadata, rows


def _check_facts(metadata: list[Any]) -> None:
    """Refuse a file that is not all items' monthly index against the month before."""
    facts: dict[str, str] = {}
    for fact in metadata:
        if isinstance(fact, dict) and isinstance(fact.get("name_en"), str):
            facts.setdefault(_plain(fact["name_en"]), _plain(str(fact.get("value_en", ""))))
    for name, expected in _FACTS.items():
        said = facts.get(_plain(name))
        if said != _plain(expected):
            raise ValueError(f"the file's {name} is {said!r}, not {expected!r}")
    title = facts.get(_plain("Indicator name"), "")
    if "compared to last month" not in title:
        raise ValueError(
            f"the file's indicator name {title[:120]!r} is not against the month before"
        )


def _composite(rows: list[Any]) -> dict[str, Any]:
    """Row ``Code "1"``, the composite index (all items)."""
    found = [row for row in rows if isinstance(row, dict) and row.get("Code") == "1"]
    if len(found) != 1:
        raise ValueError(f'{len(found)} rows with Code "1" (expected the one composite index)')
    (row,) = found
    label = _plain(str(row.get("Klassifikator_en", "")))
    if label != "composite index":
        raise ValueError(f'row Code "1" is {label[:60]!r}, not the composite index')
    if len(row) > MAX_MONTHS + 20:
        raise ValueError(f"{len(row)} columns in the composite row (at most {MAX_MONTHS + 20})")
    return row


def _plain(text: str) -> str:
    """Lower case, one space between words."""
    return " ".join(text.split()).lower()
