"""The monetary monitor's decisions: which source speaks for a country's series, the last
decision and its change, the real rate, periods and the words people type."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ticker.model.monetary import (
    Decision,
    Frequency,
    frequency,
    last_decision,
    monetary_view,
    parse_country,
    parse_series,
    period_end,
    period_start,
    real_rate,
)
from ticker.model.records import IndicatorPoint

AT = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
D = Decimal


def point(source: str, code: str, country: str, period: str, value: str | None) -> IndicatorPoint:
    number = None if value is None else D(value)
    return IndicatorPoint(source, code, country, period, number, False, AT, None, None)


NBK = [
    point("nbk-data", "policy-rate", "KAZ", "2026-07-25", "16.50"),
    point("nbk-data", "policy-rate", "KAZ", "2026-10-10", "17.00"),
    point("nbk-data", "policy-rate", "KAZ", "2026-08-29", "16.50"),  # out of order on purpose
]
IMF_KAZ = [point("imf-sdmx", "policy-rate", "KAZ", "2026-11", "17.00")]
IMF_KGZ = [
    point("imf-sdmx", "policy-rate", "KGZ", "2026-06", "9.00"),
    point("imf-sdmx", "policy-rate", "KGZ", "2026-07", "9.25"),
    point("imf-sdmx", "policy-rate", "KGZ", "2026-08", "9.25"),
    point("imf-sdmx", "policy-rate", "KGZ", "2026-09", "9.25"),
]


def test_the_central_banks_decisions_speak_whatever_the_imf_holds() -> None:
    view = monetary_view([*IMF_KAZ, *NBK, *IMF_KGZ])
    kaz = view.get("KAZ", "policy-rate")
    assert kaz.source == "nbk-data" and kaz.others == ("imf-sdmx",)
    assert [p.period for p in kaz.points] == ["2026-07-25", "2026-08-29", "2026-10-10"]
    assert kaz.frequency is Frequency.DAY
    # a held decision is a decision: the newest, with a change of zero against the one before
    assert last_decision(kaz) == Decision("2026-10-10", D("17.00"), D("0.50"))
    # with NBK off, the IMF's month speaks
    assert monetary_view(IMF_KAZ + NBK, enabled={"imf-sdmx"}).get("KAZ", "policy-rate").source == (
        "imf-sdmx"
    )


def test_a_monthly_series_dates_its_last_decision_by_the_first_month_of_the_new_level() -> None:
    kgz = monetary_view(IMF_KGZ).get("KGZ", "policy-rate")
    assert last_decision(kgz) == Decision("2026-07", D("9.25"), D("0.25"))
    only = monetary_view(IMF_KGZ[2:]).get("KGZ", "policy-rate")
    assert last_decision(only) == Decision("2026-08", D("9.25"), None)  # nothing before it
    assert kgz.recent(2) == [D("9.25"), D("9.25")] and kgz.recent(0) == []


def test_uncovered_and_unstored_series_are_told_apart() -> None:
    view = monetary_view([])
    reserves_kgz = view.get("KGZ", "reserves")
    assert not reserves_kgz.covered and reserves_kgz.latest is None
    tkm = view.get("TKM", "policy-rate")
    assert tkm.covered and tkm.source == "imf-sdmx" and tkm.points == ()
    assert last_decision(tkm) is None
    assert not monetary_view([], enabled=set()).get("KAZ", "policy-rate").covered


def test_missing_stays_missing_and_the_latest_is_the_newest_value() -> None:
    cpi = [
        point("imf-sdmx", "cpi-yoy", "TJK", "2026-08", "3.4"),
        point("imf-sdmx", "cpi-yoy", "TJK", "2026-09", None),
    ]
    tjk = monetary_view(cpi).get("TJK", "cpi-yoy")
    assert tjk.recent(5) == [D("3.4"), None]
    assert tjk.latest is not None and tjk.latest.period == "2026-08"


def test_the_real_rate_is_policy_minus_inflation_with_both_named() -> None:
    cpi = [point("imf-sdmx", "cpi-yoy", "KAZ", "2026-10", "12.6")]
    view = monetary_view([*NBK, *cpi])
    real = real_rate(view.get("KAZ", "policy-rate"), view.get("KAZ", "cpi-yoy"))
    assert real is not None
    assert real.value == D("4.40")
    assert (real.policy.period, real.inflation.period) == ("2026-10-10", "2026-10")
    assert real_rate(view.get("KGZ", "policy-rate"), view.get("KGZ", "cpi-yoy")) is None


@pytest.mark.parametrize(
    ("period", "kind", "start", "end"),
    [
        ("2026-07-12", Frequency.DAY, date(2026, 7, 12), date(2026, 7, 12)),
        ("2026-02", Frequency.MONTH, date(2026, 2, 1), date(2026, 2, 28)),
        ("2024-02", Frequency.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-12", Frequency.MONTH, date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-Q4", Frequency.QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
        ("2026", Frequency.YEAR, date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods(period: str, kind: Frequency, start: date, end: date) -> None:
    assert frequency(period) is kind
    assert (period_start(period), period_end(period)) == (start, end)


@pytest.mark.parametrize("bad", ["2026-13", "2026-Q5", "26", "2026-02-30", "2026/07", ""])
def test_a_period_of_no_known_form_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        frequency(bad)


def test_words_people_type() -> None:
    assert parse_series("CPI") == "cpi-yoy" and parse_series("policy-rate") == "policy-rate"
    assert [parse_country(c) for c in ("KZ", "kaz", " UZ ", "TKM")] == ["KAZ", "KAZ", "UZB", "TKM"]
    with pytest.raises(ValueError, match="expected a series"):
        parse_series("gdp")
    with pytest.raises(ValueError, match=r"KGZ \(KG\)"):
        parse_country("RU")


def test_a_source_not_asked_for_a_series_does_not_speak_for_it() -> None:
    """NBK's remittances (form 408, in tenge) are not asked by default: "no source", not
    "not stored yet" forever; its reserves, asked, are covered."""
    asked = {"nbk-data": ("policy-rate", "reserves"), "imf-sdmx": ("cpi-yoy",)}
    view = monetary_view([], asked)
    assert not view.get("KAZ", "remittances-in").covered
    assert view.get("KAZ", "reserves").covered
    assert view.get("KAZ", "policy-rate").source == "nbk-data"
    assert view.get("KAZ", "policy-rate").others == ()  # the IMF is not asked for it


def test_a_decision_announced_ahead_is_not_in_force_until_its_day() -> None:
    """NBK publishes a decision from the Friday before its Monday: on Saturday 5 Dec 2026
    the rate in force is still 17.00%, and the real rate is worked from it."""
    ahead = point("nbk-data", "policy-rate", "KAZ", "2026-12-07", "16.50")
    cpi = point("imf-sdmx", "cpi-yoy", "KAZ", "2026-10", "12.6")
    view = monetary_view([*NBK, ahead, cpi], today=date(2026, 12, 5))
    kaz = view.get("KAZ", "policy-rate")
    assert [p.period for p in kaz.announced] == ["2026-12-07"]
    assert kaz.latest is not None and kaz.latest.value == D("17.00")
    assert last_decision(kaz) == Decision("2026-10-10", D("17.00"), D("0.50"))
    real = real_rate(kaz, view.get("KAZ", "cpi-yoy"))
    assert real is not None and real.value == D("4.40")
    on_monday = monetary_view([*NBK, ahead], today=date(2026, 12, 7)).get("KAZ", "policy-rate")
    assert on_monday.announced == () and last_decision(on_monday) == Decision(
        "2026-12-07", D("16.50"), D("-0.50")
    )
    # without a date (the release alerts), a published decision is news at once
    assert monetary_view([*NBK, ahead]).get("KAZ", "policy-rate").latest == kaz.announced[0]
