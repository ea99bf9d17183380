"""cbu-policy: Uzbekistan's policy rate from the CBU's SDMX 2.1 interest-rate file.

The recording is real (tests/fixtures/providers/monetary/cbu-policy/README.md); the
expected values are read by hand from its ``INDICATOR="FPOLM_PA"`` series. The failure
cases edit that recording, except the SDMX error message, which is built from the SDMX 2.1
standard's ``<message:Error>`` shape (no recorded CBU error answer exists).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from providers.base import Batch, ProviderOptions, ProviderResponseError, ProviderUnavailable
from providers.cbu_policy import CBUPolicy
from providers.monetary_records import CPI_YOY, MONETARY, POLICY_RATE

RECORDING = (
    Path(__file__).resolve().parents[1]
    / "fixtures/providers/monetary/cbu-policy/INR_Uzbekistan_Online_STA.xml"
).read_bytes()
#: The day the recording was downloaded (docs/overview/phase3-source-discovery.md).
NOW = datetime(2026, 4, 29, 9, 0, tzinfo=UTC)
LAST = b'<Obs TIME_PERIOD="2025-12" OBS_VALUE="14"/></Series>'
POLICY = b'INDICATOR="FPOLM_PA"'


def fetch(
    body: bytes | Callable[[httpx.Request], httpx.Response],
    *codes: str,
    now: datetime = NOW,
) -> Batch:
    provider = CBUPolicy(
        "https://cbu.test",
        now=lambda: now,
        options=ProviderOptions(indicators=codes or (POLICY_RATE,)),
    )

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/sdmx/INR_Uzbekistan_Online_STA.xml"
        return httpx.Response(200, content=body) if isinstance(body, bytes) else body(request)

    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            return await provider.fetch(client)

    return asyncio.run(go())


def with_last_month(extra: bytes) -> bytes:
    """The recording with ``extra`` observations after 2025-12 in the FPOLM_PA series."""
    assert RECORDING.count(LAST) == 1
    return RECORDING.replace(LAST, LAST.replace(b"</Series>", extra + b"</Series>"))


def refused(body: bytes | Callable[[httpx.Request], httpx.Response]) -> str:
    with pytest.raises(ProviderResponseError) as info:
        fetch(body)
    assert info.value.provider == "cbu-policy"
    return info.value.reason


def test_the_record_names_the_class() -> None:
    assert CBUPolicy.NAME == "cbu-policy" and CBUPolicy.SOURCE is MONETARY["cbu-policy"]


def test_the_recorded_file_gives_the_policy_rate_month_by_month() -> None:
    batch = fetch(RECORDING)
    got = {v.period: v.value for v in batch.indicators}
    # FPOLM_PA's Obs, by hand: 2013-01 "12" (the first), 2017-05 "9" then 2017-06 "14",
    # 2024-06 "14" then 2024-07 "13.5" (effective 26.07.2024), 2025-02 "13.5" then
    # 2025-03 "14" (effective 24.03.2025), 2025-12 "14" (the last).
    assert len(got) == 156 and min(got) == "2013-01" and max(got) == "2025-12"
    assert got["2013-01"] == Decimal("12")
    assert (got["2017-05"], got["2017-06"]) == (Decimal("9"), Decimal("14"))
    assert (got["2024-06"], got["2024-07"]) == (Decimal("14"), Decimal("13.5"))
    assert (got["2025-02"], got["2025-03"]) == (Decimal("13.5"), Decimal("14"))
    assert got["2025-12"] == Decimal("14")
    assert str(got["2024-07"]) == "13.5"  # the published digits
    for v in batch.indicators:
        assert (v.source, v.indicator, v.country) == ("cbu-policy", POLICY_RATE, "UZB")
        assert v.released is None and not v.is_forecast and v.fetched_at == NOW
    assert batch.rejected == [] and batch.observations == []


def test_a_month_after_the_current_one_is_rejected_with_its_reason() -> None:
    late = with_last_month(
        b'<Obs TIME_PERIOD="2026-04" OBS_VALUE="14"/><Obs TIME_PERIOD="2026-05" OBS_VALUE="15"/>'
    )
    batch = fetch(late)
    assert max(v.period for v in batch.indicators) == "2026-04"  # the current month is kept
    (rejected,) = batch.rejected
    assert rejected.pair == POLICY_RATE and rejected.value == "15"
    assert rejected.reason == (
        "UZB 2026-05: a month after the current one (2026-04 in the source's zone)"
    )
    assert len(batch.indicators) == 157


def test_the_current_month_is_tashkents() -> None:
    body = with_last_month(b'<Obs TIME_PERIOD="2026-05" OBS_VALUE="14"/>')
    # 30 April 20:00 UTC is 1 May 01:00 in Tashkent (UTC+5): May has begun there.
    batch = fetch(body, now=datetime(2026, 4, 30, 20, 0, tzinfo=UTC))
    assert batch.rejected == [] and max(v.period for v in batch.indicators) == "2026-05"
    batch = fetch(body, now=datetime(2026, 4, 30, 18, 59, tzinfo=UTC))
    assert [r.reason[:8] for r in batch.rejected] == ["UZB 2026"]


def test_nan_is_missing_and_an_implausible_rate_is_rejected() -> None:
    body = with_last_month(
        b'<Obs TIME_PERIOD="2026-01" OBS_VALUE="NaN"/><Obs TIME_PERIOD="2026-02"/>'
        b'<Obs TIME_PERIOD="2026-03" OBS_VALUE="1E+30"/>'
    )
    batch = fetch(body)
    got = {v.period: v.value for v in batch.indicators}
    assert got["2026-01"] is None and got["2026-02"] is None  # missing, never 0
    assert "2026-03" not in got
    (rejected,) = batch.rejected
    assert rejected.reason == "UZB 2026-03: 1E+30 is outside the plausible range 0 to 100"


def test_every_month_in_the_future_refuses_the_file() -> None:
    body = RECORDING.replace(b'TIME_PERIOD="20', b'TIME_PERIOD="30')
    reason = refused(body)
    assert reason.startswith("no value with a possible month: UZB 3025-12: a month after")


def test_a_source_that_is_down_fails_the_fetch() -> None:
    with pytest.raises(ProviderUnavailable, match="HTTP 503"):
        fetch(lambda request: httpx.Response(503))


def test_a_missing_file_is_said() -> None:
    reason = refused(lambda request: httpx.Response(404, content=b"<html>Not found</html>"))
    assert reason == "no indicator values (policy-rate: HTTP 404 Not Found)"
    with pytest.raises(ProviderResponseError) as info:  # the URL asked, as the poll line says
        fetch(lambda request: httpx.Response(404))
    assert info.value.url == "https://cbu.test/sdmx/INR_Uzbekistan_Online_STA.xml"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"", "empty response"),
        (b"   \n", "empty response"),
        (b"<html><head><title>Maintenance</title></head></html>", "expected XML root"),
        (b"<!DOCTYPE html><html><body>hi<br></body></html>", "unsafe XML refused"),
        (RECORDING[: len(RECORDING) // 2], "not well-formed XML"),
        (RECORDING.replace(POLICY, b'INDICATOR="FPOLM_XX"'), "no FPOLM_PA series among the"),
        (RECORDING.replace(b"message:DataSet", b"message:Data"), "no <message:DataSet>"),
    ],
)
def test_a_changed_or_empty_answer_is_refused_in_words(body: bytes, said: str) -> None:
    reason = refused(body)
    assert reason.startswith("no indicator values (policy-rate: ") and said in reason


def test_the_series_key_is_checked() -> None:
    scaled = RECORDING.replace(
        POLICY + b' COUNTERPART_AREA="_Z" FREQ="M" UNIT_MULT="0"',
        POLICY + b' COUNTERPART_AREA="_Z" FREQ="M" UNIT_MULT="3"',
    )
    assert scaled != RECORDING
    assert "not Uzbekistan's, monthly, unscaled (REF_AREA=UZ FREQ=M UNIT_MULT=3)" in refused(scaled)
    quarterly = RECORDING.replace(
        POLICY + b' COUNTERPART_AREA="_Z" FREQ="M"', POLICY + b' COUNTERPART_AREA="_Z" FREQ="Q"'
    )
    assert "FREQ=Q" in refused(quarterly)
    twice = with_last_month(b"</Series><Series " + POLICY + b' REF_AREA="UZ" FREQ="M">')
    assert "2 FPOLM_PA series in the file (expected one)" in refused(twice)


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (b'<Obs TIME_PERIOD="2025-13" OBS_VALUE="14"/>', "no such month: 2025-13"),
        (b'<Obs TIME_PERIOD="2025-Q4" OBS_VALUE="14"/>', "expected a month YYYY-MM"),
        (b'<Obs TIME_PERIOD="2025-12-01" OBS_VALUE="14"/>', "expected a month YYYY-MM"),
        (b'<Obs OBS_VALUE="14"/>', "expected a month YYYY-MM, got ''"),
        (b'<Obs TIME_PERIOD="2025-12" OBS_VALUE="14"/>', "2025-12 appears twice"),
        (b'<Obs TIME_PERIOD="2026-01" OBS_VALUE="14,5%"/>', "not a number"),
        (b'<Obs TIME_PERIOD="2026-01" OBS_VALUE="1E+99"/>', "not a plausible rate"),
        (b'<Obs TIME_PERIOD="2026-01" OBS_VALUE="' + b"9" * 100 + b'"/>', "100 characters"),
    ],
)
def test_a_bad_observation_refuses_the_series(extra: bytes, said: str) -> None:
    assert said in refused(with_last_month(extra))


def test_an_sdmx_error_message_is_said_in_the_sources_words() -> None:
    # Built from the SDMX 2.1 standard's error message (no recorded CBU error exists).
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
        b' xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">'
        b'<message:ErrorMessage code="100"><common:Text xml:lang="en">No results found'
        b"</common:Text></message:ErrorMessage></message:Error>"
    )
    assert "the source says 'No results found' instead of data" in refused(body)


def test_hostile_xml_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<lolz>&lol2;</lolz>"
    )
    assert "unsafe XML refused" in refused(bomb)
    deep = with_last_month(b"<a>" * 40 + b"</a>" * 40)
    assert "XML nested more than 32 levels deep" in refused(deep)
    many = with_last_month(b'<Obs TIME_PERIOD="2026-01" OBS_VALUE="14"/>' * 1100)
    assert "1256 observations in one series (at most 1200)" in refused(many)


def test_an_oversized_answer_is_refused_before_it_is_read() -> None:
    huge = b"<x>" + b" " * (6 * 1024 * 1024) + b"</x>"
    assert "larger than 5 MB" in refused(huge)


def test_an_indicator_the_file_lacks_is_rejected_alone() -> None:
    batch = fetch(RECORDING, CPI_YOY, POLICY_RATE)
    assert len(batch.indicators) == 156
    (rejected,) = batch.rejected
    assert rejected.pair == CPI_YOY
    assert rejected.reason == "cpi-yoy is not in the CBU's file (it gives policy-rate)"
