"""One contract, every provider: request shape, error mapping, and fuzzed parsers."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from providers.base import (
    Observation,
    ProviderAuthError,
    ProviderError,
    ProviderResponseError,
    ProviderUnavailable,
    StaleSource,
)
from providers.http import MAX_BYTES, retry_after_seconds
from tests.helpers.scenarios import BASE, LATEST, Recorder, fixture, make, run, serve
from ticker.config import PROVIDERS, RATE_PROVIDERS
from ticker.core.registry import provider_names

ALL = sorted(LATEST)
XML_PROVIDERS = {"nbkr", "nbk", "nbt", "cbt", "cbr"}

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<lolz>&lol9;</lolz>"""


def test_every_configured_provider_is_registered_and_every_rate_provider_has_a_scenario() -> None:
    assert sorted(provider_names()) == sorted(PROVIDERS)
    assert sorted(RATE_PROVIDERS) == ALL  # the indicator sources: test_indicators.py


@pytest.mark.parametrize("name", ALL)
def test_latest_returns_valid_observations(name: str) -> None:
    scenario = LATEST[name]
    recorder = serve(scenario)
    provider = make(name, scenario.now)
    batch = run(provider, recorder)
    assert batch.observations
    for o in batch.observations:
        assert isinstance(o, Observation)
        assert o.provider == name and o.base == "USD" and o.quote in provider.CURRENCIES
        assert o.rate.is_finite() and o.rate > 0
        assert o.fetched_at == scenario.now and o.fetched_at.tzinfo is not None
    assert {o.quote for o in batch.observations} == set(provider.CURRENCIES)
    # Every request went where the scenario says, under the configured base URL.
    assert {r.url.path for r in recorder.requests} == set(scenario.routes)
    assert all(str(r.url).startswith(BASE + "/") for r in recorder.requests)


def _fails_with(name: str, response: httpx.Response | Exception) -> ProviderError:
    scenario = LATEST[name]

    def reply(request: httpx.Request) -> httpx.Response:
        if isinstance(response, Exception):
            raise response
        return response

    with pytest.raises(ProviderError) as info:
        run(make(name, scenario.now), Recorder(reply))
    err = info.value
    assert err.provider == name and err.url.startswith(BASE + "/") and err.reason
    return err


@pytest.mark.parametrize("name", ALL)
def test_http_errors_map_to_the_error_tree(name: str) -> None:
    # A missing day's file (CBT) is "not published": walked back to no file at all.
    expected = StaleSource if name == "cbt" else ProviderResponseError
    assert type(_fails_with(name, httpx.Response(404))) is expected
    assert type(_fails_with(name, httpx.Response(500))) is ProviderUnavailable
    assert type(_fails_with(name, httpx.Response(503))) is ProviderUnavailable
    assert type(_fails_with(name, httpx.Response(403))) is ProviderAuthError
    assert type(_fails_with(name, httpx.Response(401))) is ProviderAuthError
    limited = _fails_with(name, httpx.Response(429, headers={"Retry-After": "120"}))
    assert isinstance(limited, ProviderUnavailable) and limited.retry_after == 120
    assert "HTTP 429" in limited.reason


@pytest.mark.parametrize("name", ALL)
def test_transport_failures_are_unavailable(name: str) -> None:
    timeout = _fails_with(name, httpx.ReadTimeout("slow"))
    assert isinstance(timeout, ProviderUnavailable)
    assert timeout.reason == "timed out after 5 s reaching feeds.example"
    refused = _fails_with(name, httpx.ConnectError("[Errno 111] Connection refused"))
    assert isinstance(refused, ProviderUnavailable)
    assert refused.reason == "connection refused by feeds.example"


def _valid_body(name: str) -> bytes:
    scenario = LATEST[name]
    first = sorted(scenario.routes)[0]
    recorded = scenario.routes[first][1]
    assert recorded is not None, f"{name}: the first route is a recorded answer"
    return fixture(recorded)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(
            b"<html><body><h1>Service temporarily unavailable</h1></body></html>", id="html-200"
        ),
        pytest.param(b'<?xml version="1.0"?><wrong><Valute/></wrong>', id="wrong-root"),
        pytest.param(b'{"unexpected": "shape"}', id="wrong-json"),
        pytest.param(b"[]", id="empty-array"),
        pytest.param(BOMB, id="entity-bomb"),
        pytest.param(None, id="truncated"),
    ],
)
def test_bad_bodies_are_bad_responses(name: str, body: bytes | None) -> None:
    if body is None:
        valid = _valid_body(name)
        body = valid[: len(valid) // 2]
    err = _fails_with(name, httpx.Response(200, content=body))
    assert isinstance(err, ProviderResponseError), (type(err), err)
    if body is BOMB and name in XML_PROVIDERS:
        # Refused at the DTD, before any entity could expand.
        assert "unsafe XML refused" in err.reason


@pytest.mark.parametrize("name", ALL)
def test_oversized_responses_are_refused(name: str) -> None:
    huge = httpx.Response(200, content=b" " * (MAX_BYTES + 1))
    err = _fails_with(name, huge)
    assert isinstance(err, ProviderResponseError) and "larger than 5 MB" in err.reason


def test_retry_after_as_http_date() -> None:
    now = datetime(2026, 5, 23, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Sat, 23 May 2026 12:20:00 GMT", now) == 1200
    assert retry_after_seconds("90") == 90
    assert retry_after_seconds("soon") is None


def _mutations(body: bytes) -> st.SearchStrategy[bytes]:
    """Random damage to a real body: cuts, insertions, replaced bytes, or pure noise."""
    size = len(body)
    cut = st.tuples(st.integers(0, size), st.integers(0, size)).map(
        lambda ab: body[: min(ab)] + body[max(ab) :]
    )
    insert = st.tuples(st.integers(0, size), st.binary(min_size=1, max_size=40)).map(
        lambda t: body[: t[0]] + t[1] + body[t[0] :]
    )
    replace = st.tuples(st.integers(0, max(size - 1, 0)), st.binary(min_size=1, max_size=8)).map(
        lambda t: body[: t[0]] + t[1] + body[t[0] + len(t[1]) :]
    )
    return st.one_of(cut, insert, replace, st.binary(max_size=300))


@pytest.mark.parametrize("name", ALL)
def test_fuzzed_responses_only_ever_raise_the_bad_response_error(name: str) -> None:
    scenario = LATEST[name]
    valid = _valid_body(name)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_mutations(valid))
    def check(body: bytes) -> None:
        provider = make(name, scenario.now)

        def reply(request: httpx.Request) -> httpx.Response:
            path = request.url.path
            if path == sorted(scenario.routes)[0] or path not in scenario.routes:
                return httpx.Response(200, content=body)  # also a fallback mirror's answer
            recorded = scenario.routes[path][1]
            if recorded is None:
                return httpx.Response(404)
            return httpx.Response(200, content=fixture(recorded))

        async def go() -> None:
            async with httpx.AsyncClient(transport=httpx.MockTransport(reply)) as client:
                try:
                    batch = await provider.fetch(client)
                except ProviderResponseError:
                    return
                for o in batch.observations:  # whatever survives is a valid observation
                    assert o.rate > 0 and o.rate.is_finite()

        asyncio.run(go())

    check()


HISTORY_BODIES = {
    "nbkr": "nbkr/index1.jsp_item1562_valuta15_USD_2005-06.html",
    "nbk": "nbk/get_rates.cfm_fdate_01.04.2026.xml",
    "nbt": "nbt/export_xml_2026-05-18.xml",
    "cbu": "cbu/json_all_2026-04-01.json",
    "cbt": "cbt/kurs_2026_20052026.xml",
    "cbr": "cbr/XML_dynamic_R01717_UZS_2026-03-01_05.xml",
    "frankfurter": "frankfurter/rates_range_2026-03-02_03.json",
    "currencyapi": "currencyapi/usd_2024-03-02.json",
}


@pytest.mark.parametrize("name", sorted(HISTORY_BODIES))
def test_fuzzed_history_responses_only_ever_raise_the_bad_response_error(name: str) -> None:
    valid = fixture(HISTORY_BODIES[name])

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_mutations(valid))
    def check(body: bytes) -> None:
        provider = make(name, datetime(2026, 6, 1, tzinfo=UTC))

        async def go() -> None:
            handler = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
            async with httpx.AsyncClient(transport=handler) as client:
                day = {"nbkr": (2005, 6, 1), "currencyapi": (2024, 3, 2)}.get(name, (2026, 4, 1))
                start = date(*day)
                try:
                    batch = await provider.fetch_history(client, start, start)
                except ProviderResponseError:
                    return
                for o in batch.observations:
                    assert o.rate > 0 and o.rate.is_finite()

        asyncio.run(go())

    check()
