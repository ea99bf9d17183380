"""World Bank and IMF: paging, missing values, archived indicators, forecasts.

The fixtures are built from the documented response shapes (tests/fixtures/indicators/
README.md); the expected numbers below are the fixtures' own digits.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from providers.base import Batch, ProviderOptions, ProviderResponseError, ProviderUnavailable
from providers.imf import IMF
from providers.worldbank import WorldBank

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "indicators"
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fetch(provider: WorldBank | IMF, handler: Callable[[httpx.Request], httpx.Response]) -> Batch:
    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await provider.fetch(client)

    return asyncio.run(go())


def worldbank(*codes: str) -> WorldBank:
    return WorldBank(
        "https://wb.test", now=lambda: NOW, options=ProviderOptions(indicators=tuple(codes))
    )


def imf(*codes: str) -> IMF:
    return IMF(
        "https://imf.test", now=lambda: NOW, options=ProviderOptions(indicators=tuple(codes))
    )


def test_worldbank_follows_every_page_and_keeps_nulls_as_missing() -> None:
    requests: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request.url)
        assert request.url.path == "/v2/country/KGZ;KAZ;TJK;UZB;TKM/indicator/FP.CPI.TOTL.ZG"
        assert request.url.params["format"] == "json"
        assert request.url.params["date"] == "2011:2026"
        page = request.url.params["page"]
        return httpx.Response(200, content=body(f"worldbank_cpi_p{page}.json"))

    batch = fetch(worldbank("FP.CPI.TOTL.ZG"), handler)
    assert [u.params["page"] for u in requests] == ["1", "2"]
    got = {(v.country, v.period): v.value for v in batch.indicators}
    expected = {}
    for page in ("p1", "p2"):
        for row in json.loads(body(f"worldbank_cpi_{page}.json"))[1]:
            value = row["value"]
            expected[(row["countryiso3code"], row["date"])] = (
                None if value is None else Decimal(str(value))
            )
    assert got == expected and len(got) == 12
    assert got[("TKM", "2024")] is None  # missing, never 0
    assert got[("KGZ", "2024")] == Decimal("5.0")
    assert all(not v.is_forecast and v.source == "worldbank" for v in batch.indicators)
    assert all(v.fetched_at == NOW for v in batch.indicators)


def test_worldbank_archived_indicator_is_reported_for_itself_alone() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "FI.RES.GOLD.CD" in request.url.path:
            return httpx.Response(200, content=body("worldbank_error_175.json"))
        return httpx.Response(
            200, content=body(f"worldbank_cpi_p{request.url.params['page']}.json")
        )

    batch = fetch(worldbank("FI.RES.GOLD.CD", "FP.CPI.TOTL.ZG"), handler)
    assert len(batch.indicators) == 12
    (rejected,) = batch.rejected
    assert rejected.pair == "FI.RES.GOLD.CD"
    assert rejected.reason == (
        "archived or deleted at the source (World Bank error 175: The indicator was not found. "
        "It may have been deleted or archived.)"
    )


def test_worldbank_fails_when_no_indicator_yields_anything() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "EMPTY" in request.url.path:
            return httpx.Response(200, content=body("worldbank_empty.json"))
        return httpx.Response(200, content=body("worldbank_error_175.json"))

    with pytest.raises(ProviderResponseError, match="no indicator values") as info:
        fetch(worldbank("FI.RES.GOLD.CD", "EMPTY"), handler)
    assert "FI.RES.GOLD.CD: archived or deleted" in str(info.value)


def test_a_source_that_is_down_fails_the_whole_fetch() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    with pytest.raises(ProviderUnavailable):
        fetch(worldbank("FP.CPI.TOTL.ZG"), handler)


@pytest.mark.parametrize(
    "payload",
    [
        b"{}",
        b"[]",
        b'[{"page": 1, "pages": 1}, [{"countryiso3code": "KGZ", "date": "20x4", "value": 1}]]',
        b'[{"page": 1, "pages": 1}, [{"countryiso3code": "KGZ", "date": "2024", "value": "5"}]]',
        b'[{"page": 1, "pages": 9999}, []]',
        b"not json",
    ],
)
def test_worldbank_malformed_responses_are_reported_per_indicator(payload: bytes) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "BAD" in request.url.path:
            return httpx.Response(200, content=payload)
        return httpx.Response(
            200, content=body(f"worldbank_cpi_p{request.url.params['page']}.json")
        )

    batch = fetch(worldbank("BAD", "FP.CPI.TOTL.ZG"), handler)
    assert [r.pair for r in batch.rejected] == ["BAD"] and len(batch.indicators) == 12


def test_imf_marks_the_current_year_and_after_as_forecasts() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/external/datamapper/api/v1/NGDP_RPCH/KGZ/KAZ/TJK/UZB/TKM"
        periods = request.url.params["periods"].split(",")
        assert periods[0] == "2011" and periods[-1] == "2031"
        return httpx.Response(200, content=body("imf_ngdp_rpch.json"))

    batch = fetch(imf("NGDP_RPCH"), handler)
    raw = json.loads(body("imf_ngdp_rpch.json"))["values"]["NGDP_RPCH"]
    expected = {
        (country, year): Decimal(str(value))
        for country, years in raw.items()
        for year, value in years.items()
    }
    assert {(v.country, v.period): v.value for v in batch.indicators} == expected
    forecasts = {(v.country, v.period) for v in batch.indicators if v.is_forecast}
    assert forecasts == {key for key in expected if int(key[1]) >= 2026}
    assert ("TKM", "2022") not in expected  # a missing year is absent, not zero


def test_imf_unknown_indicator_is_reported_for_itself_alone() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        name = "imf_unknown.json" if "NOPE" in request.url.path else "imf_ngdp_rpch.json"
        return httpx.Response(200, content=body(name))

    batch = fetch(imf("NOPE", "NGDP_RPCH"), handler)
    (rejected,) = batch.rejected
    assert (rejected.pair, rejected.reason) == ("NOPE", "the IMF has no values for this indicator")
    assert batch.indicators
