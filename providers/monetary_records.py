"""The monetary indicators' sources, as records (no HTTP code), and the series they give:
policy-rate decisions, monthly inflation, reserves and remittances, at their own pace.

A value of a monetary series is an :class:`~providers.base.IndicatorValue` whose
``indicator`` is one of the series codes below, whose ``period`` is at the series' own
frequency (``"2026-07-12"`` for a decision day, ``"2026-07"`` for a month) and whose
``released`` is the effective or publication date the source gives. Each record's
evidence (the public clients and recordings it was settled from) is in
``docs/monetary-sources.md``. The records join :data:`providers.catalogue.SOURCES` once
the program stores and shows these series (issue 30).

Standard library only.
"""

from __future__ import annotations

from datetime import timedelta

from providers.records import Kind, Source

__all__ = [
    "CPI_INDEX",
    "CPI_MOM",
    "CPI_YOY",
    "MONETARY",
    "MONETARY_SOURCES",
    "POLICY_CORRIDOR_HIGH",
    "POLICY_CORRIDOR_LOW",
    "POLICY_RATE",
    "REMITTANCES_IN",
    "REMITTANCES_OUT",
    "RESERVES",
    "SERIES",
]

#: The central bank's policy rate, per cent a year, as decided (a value per decision day,
#: or per month where the source gives only a monthly series).
POLICY_RATE = "policy-rate"
#: The lower and upper bounds of the policy-rate corridor, per cent a year (NBK).
POLICY_CORRIDOR_LOW = "policy-corridor-low"
POLICY_CORRIDOR_HIGH = "policy-corridor-high"
#: Consumer prices, per cent against the same month a year before.
CPI_YOY = "cpi-yoy"
#: Consumer prices, per cent against the month before.
CPI_MOM = "cpi-mom"
#: Consumer prices, an index (the source's base period), monthly.
CPI_INDEX = "cpi-index"
#: International reserves at the end of the month, millions of US dollars.
RESERVES = "reserves"
#: Money transfers received from abroad / sent abroad in the month, millions of US dollars.
REMITTANCES_IN = "remittances-in"
REMITTANCES_OUT = "remittances-out"

#: Every monetary series code, with its unit for people.
SERIES: dict[str, str] = {
    POLICY_RATE: "% a year",
    POLICY_CORRIDOR_LOW: "% a year",
    POLICY_CORRIDOR_HIGH: "% a year",
    CPI_YOY: "% y/y",
    CPI_MOM: "% m/m",
    CPI_INDEX: "index",
    RESERVES: "USD m",
    REMITTANCES_IN: "USD m",
    REMITTANCES_OUT: "USD m",
}

MONETARY_SOURCES: tuple[Source, ...] = (
    Source(
        "nbk-data",
        title="National Bank of Kazakhstan open data",
        kind=Kind.MONETARY,
        base_url="https://data.nationalbank.kz",
        interval=timedelta(hours=6),
        timeout=timedelta(seconds=60),
        # REMITTANCES_IN/OUT (form 408) are in million tenge with no rate to convert
        # them: asked for only when configured, and refused (docs/monetary-sources.md).
        indicators=(
            POLICY_RATE,
            POLICY_CORRIDOR_LOW,
            POLICY_CORRIDOR_HIGH,
            RESERVES,
        ),  # fmt: skip
        terms="open licence with attribution (data.nationalbank.kz)",
    ),
    Source(
        "imf-sdmx",
        title="IMF SDMX 3.0 (IFS monetary and CPI data)",
        kind=Kind.MONETARY,
        base_url="https://api.imf.org",
        interval=timedelta(hours=12),
        timeout=timedelta(seconds=60),
        indicators=(POLICY_RATE, CPI_INDEX, CPI_YOY),
        terms="IMF terms of use; keyless",
    ),
    Source(
        "cbu-stavka",
        title="Central Bank of Uzbekistan, policy-rate changes (asosiy stavka)",
        kind=Kind.MONETARY,
        base_url="https://cbu.uz",
        interval=timedelta(hours=12),
        timeout=timedelta(seconds=60),
        indicators=(POLICY_RATE,),
        terms="the central bank's own publication",
    ),
    Source(
        "cbu-policy",
        title="Central Bank of Uzbekistan, policy rate",
        kind=Kind.MONETARY,
        base_url="https://cbu.uz",
        interval=timedelta(hours=12),
        timeout=timedelta(seconds=60),
        indicators=(POLICY_RATE,),
        terms="the central bank's own publication",
    ),
    Source(
        "siat",
        title="Statistics Agency of Uzbekistan (SIAT), monthly CPI",
        kind=Kind.MONETARY,
        base_url="https://api.siat.stat.uz",
        interval=timedelta(hours=12),
        timeout=timedelta(seconds=60),
        indicators=(CPI_MOM,),
        terms="official statistics",
    ),
)

#: The monetary records by name.
MONETARY: dict[str, Source] = {source.name: source for source in MONETARY_SOURCES}
