"""Central Bank of Uzbekistan: the policy rate on each day it took effect, from the CBU's
"Policy rate dynamics" workbook (``asosiy_stavka.xlsx``).

The workbook is linked from the CBU's policy-rate page, ``GET
/en/monetary-policy/refinancing-rate/``, as ``<a href="/upload/medialibrary/479/<hash>/
asosiy_stavka.xlsx">``: a path that changes with each upload, so the page is read first
and its one link to the file followed (on the configured host only). The workbook has the
same table in four sheets, one per language; the English one, ``policy rate``, has the
header ``Expire date | %`` and a row per period in which a rate was in force, newest
first: ``24.03.2025 — ...`` (still in force) 14, ``26.07.2024 — 23.03.2025`` 13.5, ...
back to ``02.05.1994 — 30.09.1994`` 150. The dates are text (``dd.mm.yyyy``, an em dash
between), not Excel serial numbers; the rates are numbers, per cent a year (the
refinancing rate before 2020, the policy rate since, one series in the CBU's file).

Each row gives one value of :data:`~providers.monetary_records.POLICY_RATE` for Uzbekistan
whose period and ``released`` are the day the rate took effect (``"2025-03-24"``): the
file carries no announcement date (the Board decides a few days before), and a decision
that kept the rate is no row (the next change is). Rows are checked to form ranges that
neither overlap nor leave an open range before the newest. A rate taking effect after
today in Tashkent is rejected with its reason, as is one outside 0 to 1,000 % (300 % in
1995 is real) or before the five currencies' history; the others are kept. The workbook
is read with :func:`providers.xlsx.read_sheet` (a zip bounded before it is opened).
Evidence: ``docs/monetary-sources.md``, "cbu-stavka".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import httpx

from providers.base import Batch, IndicatorValue, ProviderResponseError, Rejected
from providers.calendar import TASHKENT
from providers.indicator_source import IndicatorProvider
from providers.monetary_periods import screened
from providers.monetary_records import MONETARY, POLICY_RATE
from providers.parsing import bad_response, parse_decimal, parse_dmy
from providers.xlsx import Cell, Sheet, read_sheet

__all__ = ["HEADER", "PAGE_PATH", "SHEET", "CBUStavka"]

COUNTRY = "UZB"
#: The CBU's policy-rate page, which links the workbook.
PAGE_PATH = "/en/monetary-policy/refinancing-rate/"
#: The workbook's English sheet and the header it starts with.
SHEET = "policy rate"
HEADER = ("Expire date", "%")
#: What a policy (or refinancing) rate can be, per cent a year: 300 in 1995, 14 in 2025.
PLAUSIBLE = {POLICY_RATE: (Decimal(0), Decimal(1000))}
#: The most ranges believed (the recording has 34 since 1994).
MAX_RANGES = 1000

#: The page's link to the workbook: a path on the same site under /upload/.
_LINK = re.compile(rb'href\s*=\s*"(/upload/[A-Za-z0-9_./-]{0,200}/asosiy_stavka\.xlsx)"')
#: ``24.03.2025 — ...`` or ``26.07.2024 — 23.03.2025`` (an em dash, an en dash or a hyphen).
_RANGE = re.compile(
    r"([0-9]{2}\.[0-9]{2}\.[0-9]{4})\s*[\u2014\u2013-]\s*([0-9.]{10}|\.\.\.|\u2026)"
)


@dataclass(frozen=True, slots=True)
class Range:
    """One row: the rate in force from ``start`` to ``end`` (None: still in force)."""

    row: int
    start: date
    end: date | None
    rate: Decimal


class CBUStavka(IndicatorProvider, source=MONETARY["cbu-stavka"]):
    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        """Every rate's effective day, without those after today in Tashkent, before the
        five currencies' history or outside 0 to 1,000 % (each a rejected row)."""
        today = self.now().astimezone(TASHKENT).date()
        batch = await super().fetch(client)
        kept: list[IndicatorValue] = []
        for value in batch.indicators:
            if value.period > today.isoformat():
                reason = f"{COUNTRY} {value.period}: takes effect after today ({today} in Tashkent)"
                batch.rejected.append(Rejected(value.indicator, str(value.value), reason))
            else:
                kept.append(value)
        if not kept:
            raise ProviderResponseError(
                self.NAME, self.url(PAGE_PATH), f"no rate in force yet: {batch.rejected[-1].reason}"
            )
        batch.indicators = kept
        return screened(self.NAME, self.url(PAGE_PATH), batch, today, PLAUSIBLE)

    def backfill_requests(self) -> int:
        """The page, then the workbook it links: two requests for the policy rate."""
        return 2 * int(POLICY_RATE in self.indicators)

    async def series(self, client: httpx.AsyncClient, code: str) -> list[IndicatorValue]:
        if code != POLICY_RATE:
            raise ProviderResponseError(
                self.NAME,
                self.url(PAGE_PATH),
                f"{code} is not in the CBU's policy-rate file (it gives {POLICY_RATE})",
            )
        page = await self.get(client, PAGE_PATH)
        with bad_response(self.NAME, page.url):
            path = workbook_link(page.body)
        fetched = await self.get(client, path)
        with bad_response(self.NAME, fetched.url):
            sheet = await self.parsed(fetched, read_sheet, fetched.body, SHEET)
            fetched_at = self.now()
            return [
                IndicatorValue(
                    self.NAME,
                    POLICY_RATE,
                    COUNTRY,
                    r.start.isoformat(),
                    r.rate,
                    False,
                    fetched_at,
                    r.start,
                )
                for r in ranges(sheet)
            ]


def workbook_link(page: bytes) -> str:
    """The path of the page's one link to ``asosiy_stavka.xlsx``."""
    links: set[str] = {bytes(m).decode("ascii") for m in _LINK.findall(page)}
    if not links:
        if b"asosiy_stavka" in page:
            raise ValueError(
                "the policy-rate page names asosiy_stavka but links it nowhere under /upload/ "
                "on this site"
            )
        raise ValueError("the policy-rate page links no asosiy_stavka.xlsx")
    if len(links) > 1:
        raise ValueError(f"the policy-rate page links {len(links)} different asosiy_stavka.xlsx")
    (link,) = links
    if ".." in link.split("/") or "//" in link:
        raise ValueError(f"the policy-rate page links {link[:120]!r}")
    return link


def ranges(sheet: Sheet) -> list[Range]:
    """The sheet's rows after its header, oldest first, checked to follow one another."""
    header = tuple(_text(sheet.cell(1, column)) for column in "AB")
    if header != HEADER or set(sheet.rows.get(1, {})) - {"A", "B"}:
        raise ValueError(f"sheet {sheet.name!r} starts {header!r}, not the header {HEADER!r}")
    found: list[Range] = []
    for number in sorted(sheet.rows):
        if number == 1:
            continue
        if len(found) >= MAX_RANGES:
            raise ValueError(f"more than {MAX_RANGES} rows in sheet {sheet.name!r}")
        found.append(_range(number, sheet.rows[number]))
    if not found:
        raise ValueError(f"sheet {sheet.name!r} has a header and no rates")
    found.sort(key=lambda r: r.start)
    for before, after in zip(found, found[1:], strict=False):
        if before.end is None:
            raise ValueError(
                f"row {before.row}: a rate still in force from {before.start} "
                f"while row {after.row}'s starts {after.start}"
            )
        if before.end >= after.start:
            raise ValueError(
                f"rows {before.row} and {after.row} overlap "
                f"({before.start} to {before.end}, then from {after.start})"
            )
    return found


def _range(number: int, cells: dict[str, Cell]) -> Range:
    extra = sorted(set(cells) - {"A", "B"})
    if extra:
        raise ValueError(f"row {number}: a column {extra[0]} where the file has two (A, B)")
    period, rate = cells.get("A"), cells.get("B")
    if not isinstance(period, str):
        said = "nothing" if period is None else f"{period!r:.40} (a number: an Excel date?)"
        raise ValueError(f"row {number}: {said} where a period 'dd.mm.yyyy — dd.mm.yyyy' goes")
    match = _RANGE.fullmatch(period.strip())
    if match is None:
        raise ValueError(f"row {number}: {period[:60]!r} is not a period 'dd.mm.yyyy — dd.mm.yyyy'")
    if rate is None or isinstance(rate, bool) or not isinstance(rate, (str, Decimal)):
        raise ValueError(f"row {number}: no rate for {period[:60]!r}")
    try:
        start = parse_dmy(match[1])
        end = None if match[2] in ("...", "\u2026") else parse_dmy(match[2])
    except ValueError:
        raise ValueError(f"row {number}: {period[:60]!r} has no such date") from None
    try:
        value = parse_decimal(rate)
    except ValueError as err:
        raise ValueError(f"row {number}: {err}") from None
    if end is not None and end < start:
        raise ValueError(f"row {number}: the period ends {end}, before it starts {start}")
    return Range(number, start, end, value)


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""
