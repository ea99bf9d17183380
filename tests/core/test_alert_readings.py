"""Alert conditions decided from what was read, without a store: one table per kind."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from providers.base import Observation
from ticker.core.alerts.bundle import PairReadings
from ticker.core.alerts.evaluate import read
from ticker.model.freshness import Freshness
from ticker.model.health import OK
from ticker.model.pairs import Pair
from ticker.model.routing import PairView
from ticker.model.rules import AlertKind, AlertRuleConfig, Direction

D = Decimal
DAY = date(2026, 11, 20)  # a Friday
KZT = Pair("USD", "KZT")


def view(rate: str, change_pct: str | None = None, divergence: str | None = None) -> PairView:
    return PairView(
        local="KZT", pair=KZT, rate=D(rate), change=None,
        change_pct=None if change_pct is None else D(change_pct), as_of=DAY, provider="nbk",
        derived=False, fetched_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
        freshness=Freshness(False, 0, 0), provider_state=OK,
        divergence_pct=None if divergence is None else D(divergence), divergent=False,
    )  # fmt: skip


def fixing(day: date, rate: str, provider: str = "nbk") -> Observation:
    fetched = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    return Observation(provider, "USD", "KZT", day, D(rate), False, fetched)


def readings(
    v: PairView,
    before: dict[timedelta, Observation | None] | None = None,
    preferred: Observation | None = None,
) -> PairReadings:
    return PairReadings(v, before or {}, preferred, {})


def rule(kind: AlertKind, **fields: object) -> AlertRuleConfig:
    return AlertRuleConfig(KZT, kind, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "level", "rate", "holds", "clear"),
    [
        (AlertKind.ABOVE, "480", "480.01", True, False),
        (AlertKind.ABOVE, "480", "480", False, False),  # not above, but within the band
        (AlertKind.ABOVE, "480", "479.53", False, False),  # 0.1% band: 479.53 is inside
        (AlertKind.ABOVE, "480", "479.52", False, True),
        (AlertKind.BELOW, "470", "469.99", True, False),
        (AlertKind.BELOW, "470", "470.47", False, True),
    ],
)
def test_levels_and_their_hysteresis(
    kind: AlertKind, level: str, rate: str, holds: bool, clear: bool
) -> None:
    r = read(rule(kind, value=D(level)), readings(view(rate)), DAY)
    assert r is not None and (r.holds, r.clear, r.each_fixing) == (holds, clear, False)


@pytest.mark.parametrize(
    ("change", "direction", "holds"),
    [
        ("1.5", Direction.EITHER, True),
        ("-1.5", Direction.EITHER, True),
        ("-1.5", Direction.UP, False),
        ("1.5", Direction.DOWN, False),
        ("0.5", Direction.EITHER, False),
        (None, Direction.EITHER, None),  # a first fixing: nothing to compare with
    ],
)
def test_change_between_fixings(
    change: str | None, direction: Direction, holds: bool | None
) -> None:
    r = read(
        rule(AlertKind.CHANGE, percent=D(1), direction=direction),
        readings(view("480", change)),
        DAY,
    )
    assert (None if r is None else r.holds) == holds
    assert r is None or r.each_fixing


@pytest.mark.parametrize(
    ("reference", "holds"),
    [
        (fixing(DAY - timedelta(days=7), "470"), True),  # +2.13% over the week
        (fixing(DAY - timedelta(days=7), "478"), False),
        (fixing(DAY - timedelta(days=11), "470"), True),  # within the 4-day slack
        (fixing(DAY - timedelta(days=12), "470"), None),  # too old: not judged
        (None, None),
    ],
)
def test_move_over_a_window(reference: Observation | None, holds: bool | None) -> None:
    week = timedelta(days=7)
    r = read(
        rule(AlertKind.MOVE, percent=D(2), window=week),
        readings(view("480"), {week: reference}),
        DAY,
    )
    assert (None if r is None else r.holds) == holds


@pytest.mark.parametrize(
    ("last", "today", "holds"),
    [
        (DAY, date(2026, 11, 24), False),  # Friday's fixing on Tuesday: Monday missed
        (DAY, date(2026, 11, 25), True),  # Monday and Tuesday missed
        (date(2026, 11, 23), date(2026, 11, 25), False),
    ],
)
def test_stale_counts_business_days_of_the_preferred_source(
    last: date, today: date, holds: bool
) -> None:
    preferred = fixing(last, "478.77", provider="nbk")
    r = read(rule(AlertKind.STALE, days=2), readings(view("480"), preferred=preferred), today)
    assert r is not None and r.holds == holds and r.provider == "nbk" and r.as_of == last


def test_stale_without_any_fixing_of_the_preferred_source_is_not_judged() -> None:
    assert read(rule(AlertKind.STALE, days=2), readings(view("480")), DAY) is None


@pytest.mark.parametrize(
    ("divergence", "holds"), [("2.5", True), ("-2.5", True), ("1.0", False), (None, None)]
)
def test_divergence_from_the_other_sources(divergence: str | None, holds: bool | None) -> None:
    r = read(
        rule(AlertKind.DIVERGENCE, percent=D(2)), readings(view("480", divergence=divergence)), DAY
    )
    assert (None if r is None else r.holds) == holds


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        ("512.34", "512.34"),  # never 512.340: no digit the value does not have
        ("512.3", "512.30"),  # the two decimals every rate keeps
        ("478.7654321", "478.77"),  # the table's five significant digits (it said 478.765)
    ],
)
def test_alert_message_shows_the_rate_by_the_tables_rules(rate: str, shown: str) -> None:
    r = read(rule(AlertKind.ABOVE, value=D("500")), readings(view(rate)), DAY)
    assert r is not None and r.detail == f"{shown} (NBK, {DAY})"


@pytest.mark.parametrize(("digits", "shown"), [(3, "2.35"), (5, "2.3457"), (7, "2.345679")])
def test_alert_message_follows_the_settings_digits(digits: int, shown: str) -> None:
    # A toast said six digits where the table showed five (issue 27): the table's now.
    r = read(
        rule(AlertKind.ABOVE, value=D("500")),
        PairReadings(view("2.3456789"), {}, None, {}, digits),
        DAY,
    )
    assert r is not None and r.detail == f"{shown} (NBK, {DAY})"
