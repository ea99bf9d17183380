"""A backfill's span at each indicators source: an API that takes a range is asked for
it (the World Bank's years, the IMF DataMapper's periods, the IMF SDMX service's time
filter), a poll asks as before; and what a backfill of each costs in requests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from providers.base import ProviderResponseError
from providers.indicator_source import IndicatorProvider
from tests.helpers.scenarios import make, run

NOW = datetime(2026, 9, 5, 9, 0, tzinfo=UTC)
INDICATORS = Path(__file__).resolve().parents[1] / "fixtures" / "indicators"
SINCE, UNTIL = date(2021, 9, 5), date(2026, 9, 5)


def indicators(name: str, *codes: str) -> IndicatorProvider:
    provider = make(name, NOW, indicators=codes)
    assert isinstance(provider, IndicatorProvider)
    return provider


def asked(provider: IndicatorProvider, body: bytes) -> list[httpx.URL]:
    seen: list[httpx.URL] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, content=body)

    try:
        run(provider, reply)
    except ProviderResponseError:  # nothing usable in ``body``: the requests are the point
        pass
    return seen


def test_the_world_bank_is_asked_for_the_spans_years() -> None:
    body = (INDICATORS / "worldbank_cpi_p2.json").read_bytes()
    poll = asked(indicators("worldbank", "FP.CPI.TOTL.ZG"), body)
    spanned = asked(indicators("worldbank", "FP.CPI.TOTL.ZG").spanning(SINCE, UNTIL), body)
    assert poll[0].params["date"] == "2011:2026"  # YEARS_BACK to this year, as before
    assert spanned[0].params["date"] == "2021:2026"


def test_the_imf_datamapper_is_asked_for_the_spans_years_without_projections() -> None:
    body = (INDICATORS / "imf_ngdp_rpch.json").read_bytes()
    poll = asked(indicators("imf", "NGDP_RPCH"), body)
    spanned = asked(indicators("imf", "NGDP_RPCH").spanning(SINCE, date(2024, 12, 31)), body)
    assert poll[0].params["periods"].split(",")[-1] == "2031"  # five projection years
    assert spanned[0].params["periods"] == "2021,2022,2023,2024"


def test_the_imf_sdmx_service_is_asked_with_its_time_filter_only_in_a_backfill() -> None:
    body = b""  # no observations: every country says so; enough to see the requests
    poll = asked(indicators("imf-sdmx", "policy-rate", "cpi-yoy"), body)
    provider = indicators("imf-sdmx", "policy-rate", "cpi-yoy").spanning(SINCE, UNTIL)
    spanned = asked(provider, body)
    assert len(poll) == len(spanned) == 10 == provider.backfill_requests()
    assert all(not url.params for url in poll)
    assert {url.params["c[TIME_PERIOD]"] for url in spanned} == {"ge:2021-09+le:2026-09"}
    # Sent encoded: a bare "+" in a query would be read as a space.
    assert all("c%5BTIME_PERIOD%5D=ge%3A2021-09%2Ble%3A2026-09" in str(url) for url in spanned)


def test_what_a_backfill_of_each_costs_in_requests() -> None:
    costs = {
        name: indicators(name, *codes).backfill_requests()
        for name, codes in {
            "nbk-data": ("policy-rate", "policy-corridor-low", "reserves", "remittances-in"),
            "imf-sdmx": ("policy-rate", "cpi-index", "cpi-yoy"),
            "cbu-policy": ("policy-rate",),
            "siat": ("cpi-mom",),
            "worldbank": ("A", "B", "C"),
            "imf": ("A", "B"),
        }.items()
    }
    # NBK: the base-rate list once for its three series, a form's first page each.
    assert costs == {
        "nbk-data": 3,
        "imf-sdmx": 15,
        "cbu-policy": 1,
        "siat": 1,
        "worldbank": 3,
        "imf": 2,
    }
