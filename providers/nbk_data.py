"""National Bank of Kazakhstan open data (``data.nationalbank.kz/api/v1``; keyless, open
licence with attribution): the base-rate decisions with their corridor, the international
reserves (form 34) and the money transfers sent and received (form 408).

``GET /api/v1/data/base-rate`` answers the whole decision history in one JSON array of
``{"effectiveDate", "rate", "corridorLower", "corridorUpper"}`` (date filters are
ignored): one row per decision day, a held rate included. Each row gives a value of
:data:`POLICY_RATE` and of the corridor's two bounds for that day (period and ``released``
= the effective date; the rows carry no announcement date).

``GET /api/v1/data?formId=N&page=P&pageSize=500`` answers ``{"rows": [...],
"totalRows": T}``, pages from 0. A row's ``report_date`` is the first day of the month
*after* the one it describes (the position on 1 July is June's end; the flow reported on
1 July is June's), so its period is the month before. Form 34's total is the row with
``class_type`` "gross international reserves" and no ``subtype`` (USD millions); form
408's are the ``imts`` "Total" rows, ``money_transfer_sign`` "money transfers received" /
"money transfers sent" (million tenge: see :data:`FORM_UNITS`).

A decision is public from the Saturday before the Monday it takes effect: one dated up
to :data:`ANNOUNCED_AHEAD` after today (Almaty) is an announced decision, kept (period
and ``released`` = its effective date); one dated later, or a month after the current
one, is rejected with its reason and the others kept. Evidence and rules:
``docs/monetary-sources.md``, "nbk-data".
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx

from providers.base import EARLIEST, Batch, IndicatorValue, ProviderResponseError, Rejected
from providers.calendar import ALMATY
from providers.indicator_source import IndicatorProvider, collect
from providers.monetary_records import (
    MONETARY,
    POLICY_CORRIDOR_HIGH,
    POLICY_CORRIDOR_LOW,
    POLICY_RATE,
    REMITTANCES_IN,
    REMITTANCES_OUT,
    RESERVES,
)
from providers.parsing import bad_response, parse_decimal

__all__ = ["ANNOUNCED_AHEAD", "FORM_UNITS", "FORMS", "NBKData"]

COUNTRY = "KAZ"
BASE_RATE_PATH = "/api/v1/data/base-rate"
FORM_PATH = "/api/v1/data"
#: Rows asked for per page of a form (the public client's size).
PAGE_SIZE = 500
#: A form claiming more pages than this (10 000 rows) is not believed.
MAX_PAGES = 20

#: Each policy code and the base-rate row's field that carries it.
POLICY_FIELDS: dict[str, str] = {
    POLICY_RATE: "rate",
    POLICY_CORRIDOR_LOW: "corridorLower",
    POLICY_CORRIDOR_HIGH: "corridorUpper",
}
#: How far ahead of today (Almaty) an announced decision may be dated: the NBK's own
#: widget shows a decision from the Saturday before the Monday it takes effect.
ANNOUNCED_AHEAD = timedelta(days=7)
#: A rate outside this range (per cent a year) is no policy rate.
RATE_RANGE = (Decimal(0), Decimal(100))
#: An amount outside this range (USD millions, or million tenge) is not believed.
AMOUNT_RANGE = (Decimal(0), Decimal(10) ** 9)


@dataclass(frozen=True, slots=True)
class Form:
    """Which rows of an open-data form make one monthly series."""

    form_id: str
    match: tuple[tuple[str, str], ...]
    """(field, value) pairs every row of the series has."""
    without: tuple[str, ...] = ()
    """Fields the series' rows lack (or hold empty): form 34's total has no subtype."""

    def selects(self, row: dict[str, Any]) -> bool:
        return all(row.get(k) == v for k, v in self.match) and not any(
            row.get(k) not in (None, "") for k in self.without
        )


#: The monthly series and the form rows that carry each.
FORMS: dict[str, Form] = {
    RESERVES: Form("34", (("class_type", "gross international reserves"),), ("subtype",)),
    REMITTANCES_IN: Form(
        "408", (("imts", "Total"), ("money_transfer_sign", "money transfers received"))
    ),
    REMITTANCES_OUT: Form(
        "408", (("imts", "Total"), ("money_transfer_sign", "money transfers sent"))
    ),
}

#: Each form's unit, and the factor from it to USD millions (None: not convertible from
#: the form alone). Form 34 is USD millions; form 408 is million tenge, and the form
#: carries no exchange rate, so its series are refused rather than stored in the wrong
#: unit (docs/monetary-sources.md, "nbk-data", units).
FORM_UNITS: dict[str, tuple[str, Decimal | None]] = {
    "34": ("USD millions", Decimal(1)),
    "408": ("million tenge", None),
}

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?")


def _day(raw: object, field: str) -> date:
    """``"2026-07-01"`` or ``"2026-07-01T00:00:00"`` -> the date."""
    if not isinstance(raw, str) or not _DAY.fullmatch(raw.strip()):
        raise ValueError(f"{field} is not a date: {raw!r}")
    return date.fromisoformat(raw.strip()[:10])


def _number(raw: object, field: str) -> Decimal | None:
    """The row's number (a JSON number or a numeric string); None for null."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise ValueError(f"{field} is not a number: {raw!r}")
    return parse_decimal(raw)


def _month_before(day: date) -> str:
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return f"{year:04d}-{month:02d}"


class NBKData(IndicatorProvider, source=MONETARY["nbk-data"]):
    #: What the current fetch read, by path and form (a form serves two series).
    _documents: dict[str, tuple[Any, str] | ProviderResponseError] | None = None
    #: Rows refused during the current fetch, reported beside the values kept.
    _held: list[Rejected] | None = None

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        self._documents, self._held = {}, []
        try:
            batch = await collect(
                self.NAME, self.base_url, self.indicators, lambda c: self.series(client, c)
            )
            batch.rejected.extend(self._held)
            return batch
        finally:
            self._documents = self._held = None

    def backfill_requests(self) -> int:
        """The base-rate list once for the policy series, a form's first page once for
        the series it serves (a form of more than :data:`PAGE_SIZE` rows takes more)."""
        forms = {FORMS[code].form_id for code in self.indicators if code in FORMS}
        return int(any(code in POLICY_FIELDS for code in self.indicators)) + len(forms)

    def almaty_today(self) -> date:
        """Today's date in Kazakhstan (UTC+5), against which decisions are dated."""
        return self.now().astimezone(ALMATY).date()

    async def series(self, client: httpx.AsyncClient, code: str) -> list[IndicatorValue]:
        if code in POLICY_FIELDS:
            data, url = await self._read(client, BASE_RATE_PATH, self._base_rate)
            with bad_response(self.NAME, url):
                return self._decisions(data, code, url)
        form = FORMS.get(code)
        if form is None:
            raise ProviderResponseError(
                self.NAME, self.base_url, f"nbk-data has no series {code!r}"
            )
        rows, url = await self._read(client, f"form {form.form_id}", self._form(form.form_id))
        with bad_response(self.NAME, url):
            return self._monthly(rows, code, form, url)

    async def _read(
        self,
        client: httpx.AsyncClient,
        key: str,
        load: Callable[[httpx.AsyncClient], Awaitable[tuple[Any, str]]],
    ) -> tuple[Any, str]:
        """One answer per fetch, shared by the series it serves (a failure too)."""
        if self._documents is not None and key in self._documents:
            got = self._documents[key]
            if isinstance(got, ProviderResponseError):
                raise got
            return got
        try:
            got = await load(client)
        except ProviderResponseError as err:
            if self._documents is not None:
                self._documents[key] = err
            raise
        if self._documents is not None:
            self._documents[key] = got
        return got

    async def _base_rate(self, client: httpx.AsyncClient) -> tuple[Any, str]:
        return await self.get_json(client, BASE_RATE_PATH)

    def _form(self, form_id: str) -> Callable[[httpx.AsyncClient], Awaitable[tuple[Any, str]]]:
        async def load(client: httpx.AsyncClient) -> tuple[Any, str]:
            return await self._pages(client, form_id)

        return load

    async def _pages(self, client: httpx.AsyncClient, form_id: str) -> tuple[list[Any], str]:
        """Every row of a form, page after page (at most :data:`MAX_PAGES`)."""
        rows: list[Any] = []
        first_url = ""
        for page in range(MAX_PAGES):
            params = {"formId": form_id, "page": str(page), "pageSize": str(PAGE_SIZE)}
            data, url = await self.get_json(client, FORM_PATH, params)
            first_url = first_url or url
            with bad_response(self.NAME, url):
                total, got = self._page(data, url, form_id)
                rows.extend(got)
                if len(rows) >= total:
                    return rows, first_url
                if not got:
                    raise ValueError(f"page {page} is empty after {len(rows)} of {total} rows")
        raise ProviderResponseError(
            self.NAME, first_url, f"form {form_id} runs past {MAX_PAGES} pages"
        )

    def _page(self, data: Any, url: str, form_id: str) -> tuple[int, list[Any]]:
        if isinstance(data, dict) and "rows" not in data:
            self._said(data, url)
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object {rows, totalRows}")
        rows, total = data.get("rows"), data.get("totalRows")
        if not isinstance(rows, list):
            raise ValueError("rows is not an array")
        if not isinstance(total, Decimal) or total != total.to_integral_value():
            raise ValueError(f"totalRows is not a whole number: {total!r}")
        if not 0 <= total <= PAGE_SIZE * MAX_PAGES:
            raise ValueError(f"form {form_id} claims {total} rows")
        return int(total), rows

    def _said(self, data: dict[str, Any], url: str) -> None:
        """An error object in the API's own words, quoted."""
        said = data.get("message") or data.get("error") or data.get("detail")
        if said:
            raise ProviderResponseError(self.NAME, url, f"the source says {str(said)[:200]!r}")

    def _hold(self, code: str, value: str, reason: str) -> None:
        if self._held is not None:
            self._held.append(Rejected(code, value, reason))

    def _decisions(self, data: Any, code: str, url: str) -> list[IndicatorValue]:
        if isinstance(data, dict):
            self._said(data, url)
        if not isinstance(data, list):
            raise ValueError("expected a JSON array of decisions")
        if not data:
            raise ProviderResponseError(self.NAME, url, "no base-rate decisions in the answer")
        field = POLICY_FIELDS[code]
        today = self.almaty_today()
        fetched = self.now()
        by_day: dict[date, Decimal | None] = {}
        for row in data:
            if not isinstance(row, dict):
                raise ValueError(f"a decision is not an object: {row!r:.80}")
            if "effectiveDate" not in row or "rate" not in row:
                raise ValueError("a decision without effectiveDate or rate")
            day = _day(row["effectiveDate"], "effectiveDate")
            if field not in row:
                continue  # a decision without a corridor: none for that day
            value = _number(row[field], field)
            shown = f"{day} {value}"
            if day > today + ANNOUNCED_AHEAD:
                ahead = ANNOUNCED_AHEAD.days
                reason = (
                    f"decision dated {day}, more than {ahead} days after today {today} (Almaty)"
                )
                self._hold(code, shown, reason)
                continue
            if day < EARLIEST:
                self._hold(code, shown, f"decision dated {day}, before {EARLIEST}")
                continue
            if value is not None and not RATE_RANGE[0] <= value <= RATE_RANGE[1]:
                self._hold(code, shown, f"{value} is no policy rate (per cent a year)")
                continue
            if day in by_day and by_day[day] != value:
                raise ValueError(f"two decisions on {day}: {by_day[day]} and {value}")
            by_day[day] = value
        return [
            IndicatorValue(self.NAME, code, COUNTRY, day.isoformat(), value, False, fetched, day)
            for day, value in sorted(by_day.items())
        ]

    def _monthly(
        self, rows: Iterable[Any], code: str, form: Form, url: str
    ) -> list[IndicatorValue]:
        by_month = self.months(rows, code, form)
        if not by_month:
            raise ProviderResponseError(
                self.NAME, url, f"form {form.form_id} has no rows for {code} ({_wanted(form)})"
            )
        unit, factor = FORM_UNITS[form.form_id]
        if factor is None:
            newest = max(by_month)
            raise ProviderResponseError(
                self.NAME,
                url,
                f"form {form.form_id} gives {unit} ({len(by_month)} months to {newest}) and "
                "no exchange rate: not stored as USD millions",
            )
        fetched = self.now()
        return [
            IndicatorValue(
                self.NAME, code, COUNTRY, month, None if v is None else v * factor, False, fetched
            )
            for month, v in sorted(by_month.items())
        ]

    def months(self, rows: Iterable[Any], code: str, form: Form) -> dict[str, Decimal | None]:
        """A form's series in the form's own unit, by month (``report_date`` less a
        month); rows of a month after the current one are held with their reason."""
        current = self.almaty_today().strftime("%Y-%m")
        by_month: dict[str, Decimal | None] = {}
        for row in rows:
            if not isinstance(row, dict):
                raise ValueError(f"a row is not an object: {row!r:.80}")
            if not form.selects(row):
                continue
            reported = _day(row.get("report_date"), "report_date")
            if reported.day != 1:
                raise ValueError(f"report_date {reported} is not the first of a month")
            month = _month_before(reported)
            value = _number(row.get("amount"), "amount")
            shown = f"{month} {value}"
            if month > current:
                self._hold(code, shown, f"month {month} is after the current one {current}")
                continue
            if reported < EARLIEST:
                self._hold(code, shown, f"report_date {reported} before {EARLIEST}")
                continue
            if value is not None and not AMOUNT_RANGE[0] <= value <= AMOUNT_RANGE[1]:
                self._hold(code, shown, f"{value} is not a plausible amount")
                continue
            if month in by_month and by_month[month] != value:
                raise ValueError(f"two values for {month}: {by_month[month]} and {value}")
            by_month[month] = value
        return by_month


def _wanted(form: Form) -> str:
    said = [f"{k}={v!r}" for k, v in form.match] + [f"no {k}" for k in form.without]
    return ", ".join(said)
