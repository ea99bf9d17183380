"""siat: Uzbekistan's monthly CPI (all items, against the month before) from SIAT's file 4585.

The recordings are real (tests/fixtures/providers/monetary/siat/README.md); the expected
values are read by hand from 4585's row ``Code "1"`` "COMPOSITE INDEX" (an index against
the month before: 100.64 is +0.64 %). The failure cases edit that recording or serve the
sibling file 1286 in its place; the ``{"detail": ...}`` error object is built from Django
REST framework's documented error shape (no recorded SIAT error answer exists).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from providers.base import Batch, ProviderOptions, ProviderResponseError, ProviderUnavailable
from providers.monetary_records import CPI_MOM, CPI_YOY, MONETARY
from providers.siat import SIAT

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/providers/monetary/siat"
RECORDING = (FIXTURES / "sdmx_data_4585.json").read_bytes()
SIBLING = (FIXTURES / "sdmx_data_1286.json").read_bytes()
ANNUAL = (FIXTURES / "sdmx_data_1292.json").read_bytes()
#: The day the recording was downloaded (docs/overview/phase3-source-discovery.md).
NOW = datetime(2026, 4, 29, 9, 0, tzinfo=UTC)
EM = "\u041c"  # the Cyrillic capital EM of the file's month keys


def fetch(
    body: bytes | Callable[[httpx.Request], httpx.Response],
    *codes: str,
    now: datetime = NOW,
) -> Batch:
    provider = SIAT(
        "https://siat.test",
        now=lambda: now,
        options=ProviderOptions(indicators=codes or (CPI_MOM,)),
    )

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/media/uploads/sdmx/sdmx_data_4585.json"
        return httpx.Response(200, content=body) if isinstance(body, bytes) else body(request)

    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            return await provider.fetch(client)

    return asyncio.run(go())


def refused(body: bytes | Callable[[httpx.Request], httpx.Response]) -> str:
    with pytest.raises(ProviderResponseError) as info:
        fetch(body)
    assert info.value.provider == "siat"
    return info.value.reason


def edited(change: Callable[[Any], None]) -> bytes:
    """The recording, loaded, changed by ``change`` and written back."""
    data = json.loads(RECORDING)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode()


def composite(data: Any) -> dict[str, Any]:
    (row,) = [row for row in data[0]["data"] if row["Code"] == "1"]
    return row  # type: ignore[no-any-return]


def fact(data: Any, name: str) -> dict[str, Any]:
    (found,) = [f for f in data[0]["metadata"] if f["name_en"] == name]
    return found  # type: ignore[no-any-return]


def test_the_record_names_the_class() -> None:
    assert SIAT.NAME == "siat" and SIAT.SOURCE is MONETARY["siat"]


def test_the_recorded_file_gives_the_monthly_change_in_per_cent() -> None:
    batch = fetch(RECORDING)
    got = {v.period: v.value for v in batch.indicators}
    # Row Code "1" "COMPOSITE INDEX", by hand: "2024-М01": 100.64, "2024-М05": 102.8,
    # "2024-М06": 99.76, "2025-М12": 100.89, "2026-М01": 100.7, "2026-М03": 100.6.
    assert len(got) == 27 and min(got) == "2024-01" and max(got) == "2026-03"
    assert got["2024-01"] == Decimal("0.64")
    assert got["2024-05"] == Decimal("2.8")
    assert got["2024-06"] == Decimal("-0.24")  # prices fell
    assert got["2025-12"] == Decimal("0.89")
    assert got["2026-01"] == Decimal("0.7")
    assert got["2026-03"] == Decimal("0.6")
    assert [str(got[p]) for p in ("2024-01", "2026-03")] == ["0.64", "0.6"]  # exact digits
    assert [v.period for v in batch.indicators] == sorted(got)
    for v in batch.indicators:
        assert (v.source, v.indicator, v.country) == ("siat", CPI_MOM, "UZB")
        assert v.released is None and not v.is_forecast and v.fetched_at == NOW
    assert batch.rejected == [] and batch.observations == []


def test_a_month_after_the_current_one_is_rejected_with_its_reason() -> None:
    def later(data: Any) -> None:
        composite(data)[f"2026-{EM}04"] = 100.5
        composite(data)[f"2026-{EM}05"] = 100.9

    batch = fetch(edited(later))
    assert max(v.period for v in batch.indicators) == "2026-04"  # the current month is kept
    (rejected,) = batch.rejected
    assert rejected.pair == CPI_MOM and rejected.value == "0.9"
    assert rejected.reason == (
        "UZB 2026-05: a month after the current one (2026-04 in the source's zone)"
    )
    # 30 April 19:00 UTC is 1 May 00:00 in Tashkent: May has begun there.
    batch = fetch(edited(later), now=datetime(2026, 4, 30, 19, 0, tzinfo=UTC))
    assert batch.rejected == [] and max(v.period for v in batch.indicators) == "2026-05"


def test_null_is_missing_and_a_zero_placeholder_is_rejected() -> None:
    def holes(data: Any) -> None:
        composite(data)[f"2026-{EM}02"] = None
        composite(data)[f"2026-{EM}03"] = 0.0  # the item rows' "no price"

    batch = fetch(edited(holes))
    got = {v.period: v.value for v in batch.indicators}
    assert got["2026-02"] is None  # missing, never 0
    assert "2026-03" not in got
    (rejected,) = batch.rejected
    assert rejected.reason == "UZB 2026-03: -100.0 is outside the plausible range -50 to 100"


def test_latin_m_month_keys_are_read_too_but_a_month_twice_is_refused() -> None:
    def latin(data: Any) -> None:
        row = composite(data)
        row["2026-M04"] = row.pop(f"2026-{EM}03")

    assert {v.period: v.value for v in fetch(edited(latin)).indicators}["2026-04"] == Decimal("0.6")

    def twice(data: Any) -> None:
        composite(data)["2026-M03"] = 100.6

    assert "2026-03 appears twice in the composite row" in refused(edited(twice))


def test_the_sibling_coicop_file_is_refused_by_its_identity() -> None:
    reason = refused(SIBLING)
    assert reason == (
        "no indicator values (cpi-mom: the file's Indicator identification number (code) "
        "is '1.11.01.0002', not '1.11.01.0026')"
    )


def test_the_annual_year_on_year_file_is_refused_by_its_identity() -> None:
    reason = refused(ANNUAL)
    assert reason == (
        "no indicator values (cpi-mom: the file's Indicator identification number (code) "
        "is '1.11.01.0008', not '1.11.01.0026')"
    )


def test_1292_is_each_years_average_against_the_year_befores_not_a_month() -> None:
    # Why siat gives no cpi-yoy (docs/monetary-sources.md, "siat"): 1292's composite row
    # (Code "1", "Cumulative index": 2022 111.4, 2023 110.0, 2024 109.6, 2025 108.8) is
    # the year's average price level against the year before's, as 1286's monthly chain
    # gives it to one decimal; December against December would be 112.3, 108.8, 109.8, 107.3.
    annual = json.loads(ANNUAL, parse_float=Decimal)
    facts = {f["name_en"]: f["value_en"] for f in annual[0]["metadata"]}
    assert facts["Periodicity"] == "annual" and facts["Unit of measurement"] == "Percent"
    (row,) = [r for r in annual[0]["data"] if r["Code"] == "1"]
    assert {k for k in row if k[:1].isdigit()} == {"2021", "2022", "2023", "2024", "2025"}
    monthly = json.loads(SIBLING, parse_float=Decimal)
    (chain,) = [r for r in monthly[0]["data"] if r["Code"] == "1"]
    level, levels = Decimal(100), dict[str, Decimal]()
    for key in sorted(k for k in chain if k[:1].isdigit()):
        level = level * chain[key] / 100
        levels[key] = level

    def average(year: int) -> Decimal:
        return sum((levels[f"{year}-M{m:02d}"] for m in range(1, 13)), Decimal(0)) / 12

    for year in (2022, 2023, 2024, 2025):
        ratio = (average(year) / average(year - 1) * 100).quantize(Decimal("0.1"))
        december = (levels[f"{year}-M12"] / levels[f"{year - 1}-M12"] * 100).quantize(
            Decimal("0.1")
        )
        assert ratio == row[str(year)] != december


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        (
            "Unit of measurement",
            "Index",
            "the file's Unit of measurement is 'index', not 'percent'",
        ),
        ("Periodicity", "quarterly", "the file's Periodicity is 'quarterly', not 'monthly'"),
        (
            "Indicator name",
            "The price index for all goods and services, compared to December of the previous year",
            "is not against the month before",
        ),
    ],
)
def test_a_changed_meaning_is_refused(name: str, value: str, said: str) -> None:
    def change(data: Any) -> None:
        fact(data, name)["value_en"] = value

    assert said in refused(edited(change))


def test_a_changed_composite_row_is_refused() -> None:
    def relabelled(data: Any) -> None:
        composite(data)["Klassifikator_en"] = "FOOD PRODUCTS"

    assert "row Code \"1\" is 'food products', not the composite index" in refused(
        edited(relabelled)
    )

    def gone(data: Any) -> None:
        composite(data)["Code"] = "1.01"

    assert '0 rows with Code "1"' in refused(edited(gone))

    def text(data: Any) -> None:
        composite(data)[f"2026-{EM}03"] = "100,6"

    assert "expected a number or null for 2026-М03, got '100,6'" in refused(edited(text))

    def column(data: Any) -> None:
        composite(data)["2026-Q1"] = 101.9

    assert "a column '2026-Q1' that is not a month" in refused(edited(column))

    def empty(data: Any) -> None:
        row = composite(data)
        for key in [k for k in row if k[:1].isdigit()]:
            del row[key]

    assert "the composite row has no months" in refused(edited(empty))


def test_a_source_that_is_down_fails_the_fetch() -> None:
    with pytest.raises(ProviderUnavailable, match="HTTP 502"):
        fetch(lambda request: httpx.Response(502))


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"", "empty response"),
        (b"[]", 'expected a JSON array of one {"metadata", "data"} object'),
        (b"{}", 'expected a JSON array of one {"metadata", "data"} object'),
        (b'[{"metadata": [], "data": {}}]', 'expected "metadata" and "data" arrays'),
        (b'{"detail": "Not found."}', "the source says 'Not found.'"),
        (
            b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>",
            "an HTML page where JSON was expected ('502 Bad Gateway')",
        ),
        (RECORDING[:1000], "not valid JSON"),
        (b"\xff\xfe[]", "response is not UTF-8 text"),
    ],
)
def test_an_empty_or_changed_answer_is_refused_in_words(body: bytes, said: str) -> None:
    reason = refused(body)
    assert reason.startswith("no indicator values (cpi-mom: ") and said in reason


def test_hostile_sizes_numbers_and_nesting_are_refused() -> None:
    assert "JSON nested too deeply" in refused(b"[" * 100_000 + b"]" * 100_000)
    long_number = RECORDING.replace(b'"2026-\xd0\x9c03":100.6', b'"2026-\xd0\x9c03":1' + b"0" * 99)
    assert long_number != RECORDING
    assert "a number of 100 digits in JSON" in refused(long_number)

    def huge(data: Any) -> None:
        composite(data)[f"2026-{EM}03"] = 1e30

    batch = fetch(edited(huge))
    (rejected,) = batch.rejected
    # 10^30 - 100, to the 28 digits of the default context (never an exact huge number).
    assert rejected.reason == (
        "UZB 2026-03: 9.999999999999999999999999999E+29 is outside the plausible range -50 to 100"
    )

    def rows(data: Any) -> None:
        data[0]["data"].extend([{"Code": "9"}] * 4500)

    assert "16 metadata facts and 5040 rows (at most 200 and 5000)" in refused(edited(rows))

    def months(data: Any) -> None:
        row = composite(data)
        row.update({f"{1800 + i // 12}-{EM}{i % 12 + 1:02d}": 100.1 for i in range(1200)})

    assert "columns in the composite row (at most 1220)" in refused(edited(months))
    oversized = b"[" + b" " * (6 * 1024 * 1024) + b"]"
    assert "larger than 5 MB" in refused(oversized)


def test_an_indicator_the_file_lacks_is_rejected_alone() -> None:
    batch = fetch(RECORDING, CPI_YOY, CPI_MOM)
    assert len(batch.indicators) == 27
    (rejected,) = batch.rejected
    assert rejected.pair == CPI_YOY
    assert rejected.reason == "cpi-yoy is not in SIAT's file (it gives cpi-mom)"


def test_a_missing_file_says_the_url_asked() -> None:
    with pytest.raises(ProviderResponseError) as info:
        fetch(lambda request: httpx.Response(404))
    assert info.value.reason == "no indicator values (cpi-mom: HTTP 404 Not Found)"
    assert info.value.url == "https://siat.test/media/uploads/sdmx/sdmx_data_4585.json"
