"""Central Bank of Uzbekistan: the policy rate, from its SDMX 2.1 interest-rate file.

``GET /sdmx/INR_Uzbekistan_Online_STA.xml`` (the file the CBU publishes for the IMF's
National Summary Data Page; no key) answers an SDMX 2.1 structure-specific message,
``<message:StructureSpecificData>`` (DSD ``IMF:ECOFIN_DSD(1.0)``), whose ``DataSet``
holds one ``Series`` per interest rate, keyed by attributes (``DATA_DOMAIN="INR"
REF_AREA="UZ" INDICATOR="FPOLM_PA" FREQ="M" UNIT_MULT="0"``), each with
``<Obs TIME_PERIOD="2025-12" OBS_VALUE="14"/>``.

The policy rate is ``INDICATOR="FPOLM_PA"``, per cent a year, one value per month: the
rate in force at the end of the month (the 13.5 % effective 26 July 2024 is July 2024's
value; the 14 % effective 24 March 2025 is March 2025's, as the CBU's own
``asosiy_stavka.xlsx`` of effective-date ranges shows). The file carries no decision or
effective dates and no release date per value (only the message's ``Prepared`` time), so
a value's period is its month and ``released`` is None. It lags: prepared 2026-01-29 and
still ending at 2025-12 three months later. ``OBS_VALUE="NaN"`` or no ``OBS_VALUE`` is a
missing month, kept as missing. Evidence: ``docs/monetary-sources.md``, "cbu-policy".
"""

from __future__ import annotations

from decimal import Decimal
from xml.etree.ElementTree import Element

import httpx

from providers.base import Batch, IndicatorValue, ProviderResponseError
from providers.calendar import TASHKENT
from providers.indicator_source import IndicatorProvider
from providers.monetary_periods import MAX_MONTHS, parse_month, screened
from providers.monetary_records import MONETARY, POLICY_RATE
from providers.parsing import bad_response, parse_decimal, parse_xml

PATH = "/sdmx/INR_Uzbekistan_Online_STA.xml"
MESSAGE = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"
#: The SDMX series code of each indicator this source gives.
SDMX_CODES: dict[str, str] = {POLICY_RATE: "FPOLM_PA"}
#: What Uzbekistan's policy rate can be, per cent a year (it has been 9 to 17 since 2013).
PLAUSIBLE = {POLICY_RATE: (Decimal(0), Decimal(100))}
#: The most series a file may hold (the recorded one has 34).
MAX_SERIES = 500


class CBUPolicy(IndicatorProvider, source=MONETARY["cbu-policy"]):
    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        """The policy rate's months, without those after the current month in Tashkent
        or outside 0 to 100 % (each a rejected row with its reason)."""
        today = self.now().astimezone(TASHKENT).date()
        try:
            batch = await super().fetch(client)
        except ProviderResponseError as err:  # say the file's URL, the one asked
            raise ProviderResponseError(self.NAME, self.url(PATH), err.reason) from None
        return screened(self.NAME, self.url(PATH), batch, today, PLAUSIBLE)

    async def series(self, client: httpx.AsyncClient, code: str) -> list[IndicatorValue]:
        if code not in SDMX_CODES:
            known = ", ".join(SDMX_CODES)
            raise ProviderResponseError(
                self.NAME, self.url(PATH), f"{code} is not in the CBU's file (it gives {known})"
            )
        fetched = await self.get(client, PATH)
        with bad_response(self.NAME, fetched.url):
            message = await self.parsed(fetched, _message, fetched.body)
            return self._values(_series(message, SDMX_CODES[code]), code)

    def _values(self, series: Element, code: str) -> list[IndicatorValue]:
        observations = [child for child in series if _local(child.tag) == "Obs"]
        if len(observations) > MAX_MONTHS:
            raise ValueError(
                f"{len(observations)} observations in one series (at most {MAX_MONTHS})"
            )
        fetched_at = self.now()
        values: dict[str, IndicatorValue] = {}
        for obs in observations:
            period = parse_month(obs.get("TIME_PERIOD", ""))
            if period in values:
                raise ValueError(f"{period} appears twice in the series")
            raw = obs.get("OBS_VALUE")
            value = None if raw is None or raw.strip() == "NaN" else parse_decimal(raw)
            values[period] = IndicatorValue(
                self.NAME, code, "UZB", period, value, False, fetched_at
            )
        if not values:
            raise ValueError(f"the {series.get('INDICATOR')} series has no observations")
        return list(values.values())


def _message(body: bytes) -> Element:
    """The SDMX message; an SDMX error message is refused in the source's own words."""
    if b"ErrorMessage" in body[:4096]:
        error = parse_xml(body, MESSAGE + "Error")
        said = " ".join(" ".join(error.itertext()).split())[:200]
        raise ValueError(f"the source says {said!r} instead of data")
    return parse_xml(body, MESSAGE + "StructureSpecificData")


def _series(message: Element, indicator: str) -> Element:
    """The one monthly series of ``indicator`` for Uzbekistan, its values unscaled."""
    dataset = message.find(MESSAGE + "DataSet")
    if dataset is None:
        raise ValueError("no <message:DataSet> in the SDMX message")
    found = [child for child in dataset if _local(child.tag) == "Series"]
    if len(found) > MAX_SERIES:
        raise ValueError(f"{len(found)} series in the file (at most {MAX_SERIES})")
    matches = [s for s in found if s.get("INDICATOR") == indicator]
    if not matches:
        raise ValueError(f"no {indicator} series among the file's {len(found)}")
    if len(matches) > 1:
        raise ValueError(f"{len(matches)} {indicator} series in the file (expected one)")
    (series,) = matches
    key = {name: series.get(name) for name in ("REF_AREA", "FREQ", "UNIT_MULT")}
    if key != {"REF_AREA": "UZ", "FREQ": "M", "UNIT_MULT": "0"}:
        said = " ".join(f"{name}={value}" for name, value in key.items())
        raise ValueError(f"the {indicator} series is not Uzbekistan's, monthly, unscaled ({said})")
    return series


def _local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]
