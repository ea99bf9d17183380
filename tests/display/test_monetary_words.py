"""The monetary series in words: percentages to the published digits, dollar amounts,
periods at their own frequency, decisions and the real rate."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ticker.display.monetary import (
    change_text,
    decision_text,
    latest_text,
    period_text,
    real_rate_text,
    value_text,
)
from ticker.model.monetary import monetary_view, real_rate
from ticker.model.records import IndicatorPoint

D = Decimal
AT = datetime(2026, 12, 5, tzinfo=UTC)


def point(source: str, code: str, country: str, period: str, value: str) -> IndicatorPoint:
    return IndicatorPoint(source, code, country, period, D(value), False, AT, None, None)


@pytest.mark.parametrize(
    ("series", "unit", "value", "text"),
    [
        ("policy-rate", "% a year", "16.5", "16.50%"),
        ("policy-rate", "% a year", "9.25", "9.25%"),
        ("cpi-yoy", "% y/y", "12.6", "12.6%"),
        ("cpi-yoy", "% y/y", "12", "12.0%"),
        ("cpi-mom", "% m/m", "-0.35", "-0.35%"),
        ("reserves", "USD m", "45230.1", "$45.2bn"),
        ("remittances-in", "USD m", "312.4", "$312m"),
        ("remittances-in", "USD m", "1.52", "$1.5m"),
        ("cpi-index", "index", "102.43", "102.4"),
    ],
)
def test_values(series: str, unit: str, value: str, text: str) -> None:
    assert value_text(series, unit, D(value)) == text


def test_missing_and_uncovered() -> None:
    assert value_text("cpi-yoy", "% y/y", None) == "n/a"
    view = monetary_view([])
    assert latest_text(view.get("TKM", "cpi-yoy")) == "n/a"
    assert latest_text(view.get("KGZ", "reserves")) == "no source"
    assert decision_text(view.get("KGZ", "reserves")) == "no source"


def test_periods_and_changes() -> None:
    assert [period_text(p) for p in ("2026-01-12", "2026-10", "2026-Q3", "2025")] == [
        "12 Jan 2026",
        "Oct 2026",
        "Q3 2026",
        "2025",
    ]
    assert [period_text(p, short=True) for p in ("2026-01-12", "2026-10", "2026-Q3")] == [
        "12 Jan 26",
        "Oct 26",
        "Q3 26",
    ]
    assert (change_text(D("0.5")), change_text(D("0")), change_text(None)) == (
        "+0.50 pp",
        "0.00 pp",
        "",
    )


def test_a_decision_and_the_real_rate_in_words() -> None:
    view = monetary_view(
        [
            point("nbk-data", "policy-rate", "KAZ", "2026-08-29", "16.5"),
            point("nbk-data", "policy-rate", "KAZ", "2026-10-10", "17"),
            point("imf-sdmx", "cpi-yoy", "KAZ", "2026-10", "12.6"),
        ]
    )
    policy = view.get("KAZ", "policy-rate")
    assert decision_text(policy) == "17.00% since 10 Oct 2026, +0.50 pp"
    assert decision_text(policy, short=True) == "17.00% 10 Oct 26 +0.50"
    real = real_rate(policy, view.get("KAZ", "cpi-yoy"))
    assert real is not None
    assert real_rate_text(real) == "real rate +4.40% (policy 17.00% minus CPI 12.6% y/y, Oct 2026)"


def test_a_decision_announced_ahead_is_said_after_the_rate_in_force() -> None:
    view = monetary_view(
        [
            point("nbk-data", "policy-rate", "KAZ", "2026-10-10", "17"),
            point("nbk-data", "policy-rate", "KAZ", "2026-12-07", "16.5"),
        ],
        today=date(2026, 12, 5),
    )
    policy = view.get("KAZ", "policy-rate")
    assert decision_text(policy) == "17.00% since 10 Oct 2026; 16.50% from 07 Dec 2026"
    assert decision_text(policy, short=True) == "17.00% 10 Oct 26"
