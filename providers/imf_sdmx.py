"""IMF SDMX 3.0 service: monthly policy rates and consumer prices, as SDMX-CSV.

``GET {base}/external/sdmx/3.0/data/dataflow/{agency}/{flow}/{version}/{key}`` with
``Accept: application/vnd.sdmx.data+csv`` answers SDMX-CSV 2.0: a header
``STRUCTURE[;],STRUCTURE_ID,ACTION,<the key's dimensions>,TIME_PERIOD,OBS_VALUE,<attributes>``
and a row per observation (``dataflow,IMF.STA:CPI(5.0.0),R,CHN,CPI,_T,YOY_PCH_PA_PT,M,
1994-M01,21.10001081822177,...``). A month is ``YYYY-Mmm``; the value is the source's
digits, kept exact. The key is fully specified, one country a request (the five are asked
one by one: see docs/monetary-sources.md, "imf-sdmx", for why). A key the IMF holds no
observations for answers with nothing (an empty body, a header alone, a header and one row
of blank dimensions, 204 or 404): that country has no data, which is said in a note and is
not a failure; an indicator no country has data for is refused for itself alone.

The series (:data:`KEYS`): the monetary-policy-related rate (``IMF.STA/MFS_IR``, latest
version ``+``), the consumer price index and its own year-on-year change
(``IMF.STA/CPI/5.0.0``, all items): the y/y series is the IMF's published one, not derived
here. Evidence and rules: docs/monetary-sources.md.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import httpx

from providers.base import EARLIEST, Batch, IndicatorValue, ProviderResponseError, Rejected
from providers.http import Fetched
from providers.indicator_source import COUNTRIES, IndicatorProvider
from providers.monetary_records import CPI_INDEX, CPI_YOY, MONETARY, POLICY_RATE
from providers.parsing import bad_response, markup_message, parse_decimal

#: The data path of the SDMX 3.0 service under the base URL.
API = "/external/sdmx/3.0/data/dataflow"
#: What is asked for: SDMX-CSV (the service's default answer is SDMX-ML).
ACCEPT = "application/vnd.sdmx.data+csv"
#: The SDMX 3.0 time filter a backfill sends (``ge:2021-09+le:2026-09``): the 2.1
#: ``startPeriod``/``endPeriod`` became this component filter (docs/monetary-sources.md).
TIME_FILTER = "c[TIME_PERIOD]"

#: The longest physical line read (a real row is under 200 characters).
MAX_LINE = 16 * 1024
#: The most rows read from one answer (a monthly series since 1950 has under 1,000).
MAX_ROWS = 5_000
#: The most columns a header may have (the real ones have 15 to 26).
MAX_COLUMNS = 64


@dataclass(frozen=True, slots=True)
class Key:
    """One IMF series for any of the five: where it is and what its rows must say."""

    flow: str
    """``agency/flow/version`` as in the path (``+``: the latest version)."""
    structure: str
    """What ``STRUCTURE_ID`` begins with (``IMF.STA:MFS_IR``, then ``(9.0.0)``)."""
    dimensions: tuple[str, ...]
    """The key's dimensions in order, COUNTRY first."""
    codes: tuple[str, ...]
    """The key's codes after the country."""
    positive: bool = False
    """Whether a value must be above zero (an index)."""

    def key(self, country: str) -> str:
        return ".".join((country, *self.codes))

    def path(self, country: str) -> str:
        return f"{API}/{self.flow}/{self.key(country)}"


_CPI = ("COUNTRY", "INDEX_TYPE", "COICOP_1999", "TYPE_OF_TRANSFORMATION", "FREQUENCY")

#: The series this source gives, by series code.
KEYS: dict[str, Key] = {
    POLICY_RATE: Key(
        "IMF.STA/MFS_IR/+",
        "IMF.STA:MFS_IR",
        ("COUNTRY", "INDICATOR", "FREQUENCY"),
        ("MFS166_RT_PT_A_PT", "M"),
    ),
    CPI_INDEX: Key("IMF.STA/CPI/5.0.0", "IMF.STA:CPI", _CPI, ("CPI", "_T", "IX", "M"), True),
    CPI_YOY: Key("IMF.STA/CPI/5.0.0", "IMF.STA:CPI", _CPI, ("CPI", "_T", "YOY_PCH_PA_PT", "M")),
}

_MONTH = re.compile(r"([0-9]{4})-M?([0-9]{2})")
_SUFFIX = re.compile(r"\[.*\]$")  # STRUCTURE[;]: SDMX-CSV 2.0 names its sub-value separator
#: OBS_VALUE texts that mean "published as missing".
_MISSING = frozenset({"", "NaN", "NA"})


def read_csv(body: bytes, series: Key, country: str) -> list[tuple[str, str]]:
    """The ``(TIME_PERIOD, OBS_VALUE)`` texts of an SDMX-CSV answer for ``series`` in
    ``country``, in the answer's order; empty when the IMF has no observations.

    Raises ``ValueError`` naming what is wrong: not SDMX-CSV (with the source's words when
    it answered markup or JSON), a header without the expected columns, a row of another
    dataflow or series than asked, a line or a row count over the bounds.
    """
    if not body.strip():
        return []
    said = markup_message(body)
    if said is not None:
        raise ValueError(said.replace("JSON", "SDMX-CSV"))
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the answer is not UTF-8 text") from None
    if text.lstrip().startswith(("{", "[")):
        raise ValueError(f"JSON where SDMX-CSV was expected: {_short(text)!r}")
    longest = max(len(line) for line in text.split("\n"))
    if longest > MAX_LINE:
        raise ValueError(f"a line of {longest} characters (at most {MAX_LINE})")
    reader = csv.reader(io.StringIO(text, newline=""))
    first = next(reader, None)
    if first is None:  # a byte-order mark alone
        return []
    header = [_SUFFIX.sub("", name.strip()) for name in first]
    if len(header) > MAX_COLUMNS:
        raise ValueError(f"a header of {len(header)} columns (at most {MAX_COLUMNS})")
    where = _columns(header, series)
    rows: list[tuple[str, str]] = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS} rows")
        if not row:
            continue
        if len(row) != len(header):
            raise ValueError(f"row {number} has {len(row)} fields, the header {len(header)}")
        dims = tuple(row[i].strip() for i in where[1:-2])
        period, value = row[where[-2]].strip(), row[where[-1]].strip()
        if not any(dims) and not period:  # the one blank row of an empty match
            continue
        structure = row[where[0]].strip()
        if not structure.startswith(series.structure + "("):
            raise ValueError(f"row {number} is of {structure[:60]!r}, not {series.structure}")
        asked = (country, *series.codes)
        if dims != asked:
            got = ".".join(dims)[:80]
            raise ValueError(f"asked for {'.'.join(asked)}, row {number} is of {got!r}")
        rows.append((period, value))
    return rows


def _columns(header: list[str], series: Key) -> list[int]:
    """Where the structure id, the dimensions, TIME_PERIOD and OBS_VALUE are."""
    ident = "STRUCTURE_ID" if "STRUCTURE_ID" in header else "DATAFLOW"
    wanted = [ident, *series.dimensions, "TIME_PERIOD", "OBS_VALUE"]
    missing = [name for name in wanted if name not in header]
    if missing:
        expected = ", ".join(["STRUCTURE_ID (or DATAFLOW)", *wanted[1:]])
        shown = _short(",".join(header))
        raise ValueError(
            f"expected SDMX-CSV columns {expected}; the header lacks {', '.join(missing)} "
            f"(it is {shown!r})"
        )
    return [header.index(name) for name in wanted]


def month_of(period: str) -> str:
    """``"2026-M07"`` (or ``"2026-07"``) -> ``"2026-07"``; ValueError otherwise."""
    match = _MONTH.fullmatch(period)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"expected a month such as 2026-M07, got {_short(period)!r}")
    return f"{match.group(1)}-{match.group(2)}"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class IMFSDMX(IndicatorProvider, source=MONETARY["imf-sdmx"]):
    """Monthly policy rates and consumer prices of the five from the IMF's SDMX 3.0
    service (series codes of :mod:`providers.monetary_records`; see :data:`KEYS`)."""

    def request_headers(self) -> dict[str, str]:
        return {"Accept": ACCEPT}

    def time_filter(self) -> dict[str, str] | None:
        """A backfill's months as the service's time filter (None: a poll asks for the
        whole series): ``{"c[TIME_PERIOD]": "ge:2021-09+le:2026-09"}``."""
        if self.span is None:
            return None
        since, until = self.span
        return {TIME_FILTER: f"ge:{since:%Y-%m}+le:{until:%Y-%m}"}

    def backfill_requests(self) -> int:
        """One request a series a country."""
        return len(self.indicators) * len(COUNTRIES)

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        """Every configured series for the five. A source that is down (a reset, a 5xx)
        fails the whole fetch; a series refused or empty everywhere is rejected for
        itself; a country without data and a row that cannot be used are said."""
        batch = Batch()
        for code in self.indicators:
            try:
                batch.extend(await self.read(client, code))
            except ProviderResponseError as err:
                batch.rejected.append(Rejected(code, "", err.reason))
        if not batch.indicators:
            reasons = "; ".join(f"{r.pair}: {r.reason}" for r in batch.rejected[:3])
            raise ProviderResponseError(
                self.NAME, self.base_url, f"no indicator values ({reasons or 'empty'})"
            )
        return batch

    async def series(self, client: httpx.AsyncClient, code: str) -> list[IndicatorValue]:
        return (await self.read(client, code)).indicators

    async def read(self, client: httpx.AsyncClient, code: str) -> Batch:
        """One series for the five: its values, the rows rejected (with their reasons)
        and a note for each country the IMF has no observations for."""
        series = KEYS.get(code)
        if series is None:
            known = ", ".join(KEYS)
            reason = f"no IMF SDMX series for {code!r} (this source gives {known})"
            raise ProviderResponseError(self.NAME, self.base_url, reason)
        today = self.today()
        batch = Batch()
        empty: list[str] = []
        url = self.url(series.path(COUNTRIES[0]))
        for country in COUNTRIES:
            fetched = await self._answer(client, series.path(country))
            if fetched is None:
                empty.append(country)
                continue
            url = fetched.url
            with bad_response(self.NAME, fetched.url):
                rows = await self.parsed(fetched, read_csv, fetched.body, series, country)
                if not rows:
                    empty.append(country)
                    continue
                self._add(batch, code, series, country, rows, today)
        if not batch.indicators:
            said = "; ".join(f"{r.pair}: {r.reason}" for r in batch.rejected[:2])
            reason = f"the IMF has no usable observations of {series.key('*')} for any of the five"
            raise ProviderResponseError(self.NAME, url, reason + (f" ({said})" if said else ""))
        for country in empty:
            batch.notes.append(
                f"{self.NAME}: no {code} for {country}: the IMF has no observations of "
                f"{series.key(country)} (said as missing, not a failure)"
            )
        return batch

    async def _answer(self, client: httpx.AsyncClient, path: str) -> Fetched | None:
        """The answer for one key, or None when the IMF says it has nothing (204, 404)."""
        try:
            fetched = await self.get(client, path, self.time_filter())
        except ProviderResponseError as err:
            if err.reason.startswith("HTTP 404"):
                return None
            raise
        return None if fetched.status == 204 else fetched

    def _add(
        self,
        batch: Batch,
        code: str,
        series: Key,
        country: str,
        rows: list[tuple[str, str]],
        today: date,
    ) -> None:
        """The values of one country's rows into ``batch``; a row dated after the current
        month or before 1992, or whose value is not a usable number, is rejected with its
        reason. A period given twice refuses the answer."""
        current = f"{today.year:04d}-{today.month:02d}"
        first = f"{EARLIEST.year:04d}-{EARLIEST.month:02d}"
        fetched = self.now()
        seen: set[str] = set()
        for raw_period, raw in rows:
            period = month_of(raw_period)
            if period in seen:
                raise ValueError(f"{country} {raw_period} is given twice")
            seen.add(period)
            where = f"{code} {country}"
            if period > current:
                reason = f"{raw_period} is after the current month ({current})"
                batch.rejected.append(Rejected(where, raw, reason))
                continue
            if period < first:
                reason = f"{raw_period} is before {first}, when the five's series begin"
                batch.rejected.append(Rejected(where, raw, reason))
                continue
            value: Decimal | None = None
            if raw not in _MISSING:
                try:
                    value = parse_decimal(raw)
                except ValueError as err:
                    batch.rejected.append(Rejected(where, _short(raw, 40), f"{raw_period}: {err}"))
                    continue
                if series.positive and value <= 0:
                    reason = f"{raw_period}: an index must be above zero"
                    batch.rejected.append(Rejected(where, raw, reason))
                    continue
            batch.indicators.append(
                IndicatorValue(self.NAME, code, country, period, value, False, fetched)
            )
