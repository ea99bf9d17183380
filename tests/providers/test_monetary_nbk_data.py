"""nbk-data: the NBK open data's base-rate decisions, reserves (form 34) and remittances
(form 408).

No raw answer of these endpoints is recorded in public: the fixtures are BUILT from the
shape the public client documents, with the values of its processed output
(tests/fixtures/providers/monetary/nbk-data/README.md says which file and row). The
expected numbers below are written from those CSV rows; the corridor bounds of the
fixture are rate -/+ 1, made up (no recording has them).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from providers.base import (
    Batch,
    IndicatorValue,
    ProviderOptions,
    ProviderResponseError,
    ProviderUnavailable,
)
from providers.monetary_records import (
    MONETARY,
    POLICY_CORRIDOR_HIGH,
    POLICY_CORRIDOR_LOW,
    POLICY_RATE,
    REMITTANCES_IN,
    REMITTANCES_OUT,
    RESERVES,
)
from providers.nbk_data import FORMS, MAX_PAGES, NBKData

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers" / "monetary" / "nbk-data"
#: 14:00 in Almaty on 10 September 2026, after the 7 September decision.
NOW = datetime(2026, 9, 10, 9, 0, tzinfo=UTC)
Handler = Callable[[httpx.Request], httpx.Response]


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def provider(*codes: str, now: datetime = NOW) -> NBKData:
    return NBKData(
        "https://nbk.test", now=lambda: now, options=ProviderOptions(indicators=tuple(codes))
    )


def fetch(nbk: NBKData, handler: Handler) -> Batch:
    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await nbk.fetch(client)

    return asyncio.run(go())


def recorded(requests: list[httpx.URL] | None = None) -> Handler:
    """The built answers: base-rate, form 34 on two pages, form 408 on one."""

    def handler(request: httpx.Request) -> httpx.Response:
        if requests is not None:
            requests.append(request.url)
        if request.url.path == "/api/v1/data/base-rate":
            return httpx.Response(200, content=body("base_rate.json"))
        assert request.url.path == "/api/v1/data"
        params = request.url.params
        assert params["pageSize"] == "500"
        name = f"form{params['formId']}_page{params['page']}.json"
        return httpx.Response(200, content=body(name))

    return handler


def by(batch: Batch, code: str) -> dict[str, IndicatorValue]:
    return {v.period: v for v in batch.indicators if v.indicator == code}


def test_decisions_with_the_corridor_one_value_per_decision_day() -> None:
    requests: list[httpx.URL] = []
    batch = fetch(
        provider(POLICY_RATE, POLICY_CORRIDOR_LOW, POLICY_CORRIDOR_HIGH), recorded(requests)
    )
    assert len(requests) == 1  # one answer serves the three codes
    rate = by(batch, POLICY_RATE)
    # base_rate.csv: 16 decisions, 2024-10-14 14.25 … 2026-09-07 16.25, held rates included.
    assert len(rate) == 16
    assert list(rate) == sorted(rate)
    assert rate["2024-10-14"].value == Decimal("14.25")
    assert rate["2025-01-20"].value == Decimal("15.25")  # held at 15.25
    assert rate["2025-10-13"].value == Decimal("18.0")
    assert rate["2026-06-08"].value == Decimal("17.0")
    assert rate["2026-07-27"].value == Decimal("16.75")
    last = rate["2026-09-07"]
    assert last.value == Decimal("16.25")
    assert last.released == date(2026, 9, 7)
    assert (last.source, last.country, last.is_forecast, last.fetched_at) == (
        "nbk-data",
        "KAZ",
        False,
        NOW,
    )
    assert by(batch, POLICY_CORRIDOR_LOW)["2026-09-07"].value == Decimal("15.25")
    assert by(batch, POLICY_CORRIDOR_HIGH)["2026-09-07"].value == Decimal("17.25")
    assert len(batch.indicators) == 48 and not batch.rejected


def test_reserves_follow_every_page_and_the_month_before_report_date() -> None:
    requests: list[httpx.URL] = []
    batch = fetch(provider(RESERVES), recorded(requests))
    assert [(u.params["formId"], u.params["page"]) for u in requests] == [
        ("34", "0"),
        ("34", "1"),
    ]
    reserves = by(batch, RESERVES)
    # fx_reserves.csv 2026-04-01, 2026-05-01, 2026-07-01 (report dates) -> March, April,
    # June; the rows with a subtype (gold, FX assets, National Fund) are not the total.
    assert {p: v.value for p, v in reserves.items()} == {
        "2026-03": Decimal("66786.22022115943"),
        "2026-04": Decimal("67521.48855598064"),
        "2026-06": Decimal("61828.63729572266"),
    }
    assert all(v.released is None and v.country == "KAZ" for v in reserves.values())


def test_remittances_in_tenge_are_refused_not_stored_as_dollars() -> None:
    batch = fetch(provider(RESERVES, REMITTANCES_IN, REMITTANCES_OUT), recorded())
    assert set(by(batch, RESERVES)) == {"2026-03", "2026-04", "2026-06"}
    reasons = {r.pair: r.reason for r in batch.rejected}
    assert set(reasons) == {REMITTANCES_IN, REMITTANCES_OUT}
    # form 408: May and June 2026 (report dates 2026-06-01 and 2026-07-01 less a month).
    assert "form 408 gives million tenge (2 months to 2026-05)" in reasons[REMITTANCES_IN]
    assert "not stored as USD millions" in reasons[REMITTANCES_OUT]


def test_remittance_rows_are_read_in_the_forms_own_unit() -> None:
    rows = json.loads(body("form408_page0.json"), parse_float=Decimal)["rows"]
    nbk = provider()
    # remittances_sent.csv 2026-05-01 53534.625921444, 2026-06-01 65182.523811301;
    # the MoneyGram row is one system, not the total.
    assert nbk.months(rows, REMITTANCES_OUT, FORMS[REMITTANCES_OUT]) == {
        "2026-04": Decimal("53534.625921444"),
        "2026-05": Decimal("65182.523811301"),
    }
    assert nbk.months(rows, REMITTANCES_IN, FORMS[REMITTANCES_IN]) == {
        "2026-04": Decimal("15052.325042056"),
        "2026-05": Decimal("18330.809294514"),
    }


def test_the_record_asks_for_the_policy_series_and_reserves() -> None:
    assert MONETARY["nbk-data"].indicators == (
        POLICY_RATE,
        POLICY_CORRIDOR_LOW,
        POLICY_CORRIDOR_HIGH,
        RESERVES,
    )
    assert NBKData.NAME == "nbk-data"


def decisions(*rows: dict[str, object]) -> Handler:
    content = json.dumps(list(rows)).encode()
    return lambda request: httpx.Response(200, content=content)


def test_a_decision_dated_in_the_future_is_rejected_with_its_reason() -> None:
    handler = decisions(
        {"effectiveDate": "2026-09-07", "rate": 16.25, "corridorLower": 15.25},
        {"effectiveDate": "2026-10-19T00:00:00", "rate": 15.75},
    )
    batch = fetch(provider(POLICY_RATE, POLICY_CORRIDOR_LOW), handler)
    assert [(v.indicator, v.period) for v in batch.indicators] == [
        (POLICY_RATE, "2026-09-07"),
        (POLICY_CORRIDOR_LOW, "2026-09-07"),  # no corridor on the other: none given
    ]
    [held] = batch.rejected
    assert held.pair == POLICY_RATE and held.value == "2026-10-19 15.75"
    assert held.reason == (
        "decision dated 2026-10-19, more than 7 days after today 2026-09-10 (Almaty)"
    )


def test_a_decision_announced_on_the_saturday_before_is_kept_dated_its_monday() -> None:
    # The NBK's widget switched to 16.25 on Saturday 5 September for Monday 7 September
    # (docs/monetary-sources.md): polled that Saturday, the decision is kept as announced.
    saturday = datetime(2026, 9, 5, 9, 0, tzinfo=UTC)  # 14:00 in Almaty
    batch = fetch(provider(POLICY_RATE, POLICY_CORRIDOR_LOW, now=saturday), recorded())
    rate = by(batch, POLICY_RATE)
    announced = rate["2026-09-07"]
    assert (announced.value, announced.released) == (Decimal("16.25"), date(2026, 9, 7))
    assert by(batch, POLICY_CORRIDOR_LOW)["2026-09-07"].value == Decimal("15.25")
    assert len(rate) == 16 and batch.rejected == []


def test_a_decision_up_to_seven_days_ahead_is_kept_one_day_more_is_rejected() -> None:
    handler = decisions(
        {"effectiveDate": "2026-09-17", "rate": 16.0},  # today + 7 in Almaty
        {"effectiveDate": "2026-09-18", "rate": 15.75},  # today + 8
    )
    batch = fetch(provider(POLICY_RATE), handler)
    [kept] = batch.indicators
    assert (kept.period, kept.released, kept.value) == (
        "2026-09-17",
        date(2026, 9, 17),
        Decimal(16),
    )
    [held] = batch.rejected
    assert held.value == "2026-09-18 15.75"
    assert held.reason == (
        "decision dated 2026-09-18, more than 7 days after today 2026-09-10 (Almaty)"
    )


def test_seven_days_ahead_counts_from_almatys_today_not_utcs() -> None:
    late = datetime(2026, 9, 10, 20, 0, tzinfo=UTC)  # 01:00 on 11 September in Almaty
    handler = decisions({"effectiveDate": "2026-09-18", "rate": 15.75})
    batch = fetch(provider(POLICY_RATE, now=late), handler)
    assert [v.period for v in batch.indicators] == ["2026-09-18"]


def test_today_is_kazakhstans_a_decision_on_its_day_is_kept_before_utc_midnight() -> None:
    late = datetime(2026, 9, 6, 20, 0, tzinfo=UTC)  # 01:00 on 7 September in Almaty
    handler = decisions({"effectiveDate": "2026-09-07", "rate": "16.25"})
    batch = fetch(provider(POLICY_RATE, now=late), handler)
    assert [v.value for v in batch.indicators] == [Decimal("16.25")]


def test_a_month_after_the_current_one_is_rejected() -> None:
    page = {
        "rows": [
            {
                "report_date": "2026-09-01",
                "class_type": "gross international reserves",
                "amount": 1,
            },
            {
                "report_date": "2026-11-01",
                "class_type": "gross international reserves",
                "amount": 2,
            },
        ],
        "totalRows": 2,
    }
    batch = fetch(provider(RESERVES), lambda r: httpx.Response(200, json=page))
    assert [(v.period, v.value) for v in batch.indicators] == [("2026-08", Decimal(1))]
    [held] = batch.rejected
    assert held.reason == "month 2026-10 is after the current one 2026-09"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"effectiveDate": "2026-09-07", "rate": -3}, "-3 is no policy rate"),
        ({"effectiveDate": "2026-09-07", "rate": 1e30}, "no policy rate"),
        ({"effectiveDate": "1900-01-01", "rate": 5}, "before 1992-01-01"),
    ],
)
def test_hostile_decisions_are_held_the_others_kept(row: dict[str, object], reason: str) -> None:
    handler = decisions({"effectiveDate": "2026-07-27", "rate": 16.75}, row)
    batch = fetch(provider(POLICY_RATE), handler)
    assert [v.period for v in batch.indicators] == ["2026-07-27"]
    assert reason in batch.rejected[0].reason


def test_a_null_rate_is_missing_never_zero() -> None:
    batch = fetch(provider(POLICY_RATE), decisions({"effectiveDate": "2026-07-27", "rate": None}))
    assert [v.value for v in batch.indicators] == [None]


def fails(codes: tuple[str, ...], handler: Handler) -> str:
    with pytest.raises(ProviderResponseError) as err:
        fetch(provider(*codes), handler)
    return str(err.value)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"[]", "no base-rate decisions in the answer"),
        (b'{"rate": 16.25}', "expected a JSON array of decisions"),
        (b'{"error": "maintenance"}', "the source says 'maintenance'"),
        (b'[{"date": "2026-09-07", "rate": 16.25}]', "without effectiveDate or rate"),
        (b'[{"effectiveDate": "07.09.2026", "rate": 16.25}]', "effectiveDate is not a date"),
        (b'[{"effectiveDate": "2026-09-07", "rate": "high"}]', "not a number: 'high'"),
        (
            b'[{"effectiveDate": "2026-09-07", "rate": 16}, {"effectiveDate": "2026-09-07", '
            b'"rate": 17}]',
            "two decisions on 2026-09-07",
        ),
        (b"<html><title>Service Unavailable</title></html>", "Service Unavailable"),
        (b"", "empty response"),
    ],
)
def test_a_changed_or_broken_base_rate_answer_fails_naming_the_source(
    content: bytes, said: str
) -> None:
    message = fails((POLICY_RATE,), lambda r: httpx.Response(200, content=content))
    assert "nbk-data" in message and said in message


def test_the_source_down_fails_the_fetch_to_be_retried() -> None:
    with pytest.raises(ProviderUnavailable, match="HTTP 503"):
        fetch(provider(POLICY_RATE), lambda r: httpx.Response(503, text="Service Unavailable"))


@pytest.mark.parametrize(
    ("page", "said"),
    [
        ({"message": "Form not found"}, "the source says 'Form not found'"),
        ({"rows": [], "totalRows": 0}, "no rows for reserves"),
        ({"rows": {}, "totalRows": 1}, "rows is not an array"),
        ({"rows": [], "totalRows": 1e9}, "claims"),
        ({"rows": [], "totalRows": 3}, "page 0 is empty after 0 of 3 rows"),
        (
            {
                "rows": [
                    {
                        "report_date": "2026-07-15",
                        "class_type": "gross international reserves",
                        "amount": 1,
                    }
                ],
                "totalRows": 1,
            },
            "not the first of a month",
        ),
    ],
)
def test_a_changed_form_answer_fails_that_series(page: object, said: str) -> None:
    message = fails((RESERVES,), lambda r: httpx.Response(200, json=page))
    assert said in message


def test_paging_is_bounded() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params["page"])
        row = {"report_date": "2026-01-01", "class_type": "other", "amount": 1}
        return httpx.Response(200, json={"rows": [row], "totalRows": 10_000})

    message = fails((RESERVES,), handler)
    assert f"runs past {MAX_PAGES} pages" in message and len(seen) == MAX_PAGES


def test_one_series_failing_keeps_the_others_and_is_asked_once() -> None:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path.endswith("base-rate"):
            return httpx.Response(200, content=b'{"error": "maintenance"}')
        return recorded()(request)

    batch = fetch(provider(POLICY_RATE, POLICY_CORRIDOR_LOW, RESERVES), handler)
    assert {v.indicator for v in batch.indicators} == {RESERVES}
    assert [r.pair for r in batch.rejected] == [POLICY_RATE, POLICY_CORRIDOR_LOW]
    assert asked.count("/api/v1/data/base-rate") == 1
