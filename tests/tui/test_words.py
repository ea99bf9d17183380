"""The status line in words, from values (no terminal): offline, and since when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ticker.model.health import HealthState, ProviderHealth
from ticker.model.snapshot import Snapshot
from ticker.tui.words import status_line

SOURCES = ["nbkr", "nbk", "cbt"]
#: 14:05 UTC: the moment the status line is drawn.
AT = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)


def snapshot(*health: ProviderHealth) -> Snapshot:
    return Snapshot([], {}, {h.provider: h for h in health}, [], AT)


def failed(name: str, last_success: datetime | None, state: HealthState) -> ProviderHealth:
    return ProviderHealth(name, state, AT - timedelta(minutes=1), last_success, "x", 3)


def test_every_source_failing_is_offline_since_the_last_answer() -> None:
    shot = snapshot(
        failed("nbkr", datetime(2026, 11, 23, 13, 2, tzinfo=UTC), HealthState.FAILING),
        failed("nbk", datetime(2026, 11, 23, 14, 2, tzinfo=UTC), HealthState.UNSTABLE),
        failed("cbt", None, HealthState.FAILING),
        ProviderHealth("imf", HealthState.OK, AT, AT),  # another process's source: not ours
    )
    line = status_line(shot, SOURCES, "", AT)
    assert line == "offline since 14:02: no source reachable  ·  14:05 UTC"


def test_offline_since_yesterday_names_the_day() -> None:
    yesterday = datetime(2026, 11, 22, 23, 58, tzinfo=UTC)  # just before midnight
    shot = snapshot(*(failed(n, yesterday, HealthState.FAILING) for n in SOURCES))
    just_after_midnight = datetime(2026, 11, 23, 0, 1, tzinfo=UTC)
    line = status_line(shot, SOURCES, "", just_after_midnight)
    assert line == "offline since 22 Nov 23:58: no source reachable  ·  00:01 UTC"


def test_never_reached_is_offline_without_a_time() -> None:
    shot = snapshot(*(failed(n, None, HealthState.UNSTABLE) for n in SOURCES))
    assert status_line(shot, SOURCES, "", AT).startswith("offline: no source reachable  ·  ")


def test_one_source_answering_is_not_offline() -> None:
    shot = snapshot(
        failed("nbkr", None, HealthState.FAILING),
        failed("nbk", None, HealthState.FAILING),
        ProviderHealth("cbt", HealthState.OK, AT - timedelta(minutes=3), AT - timedelta(minutes=3)),
    )
    line = status_line(shot, SOURCES, "", AT)
    assert line == "polled 3m ago  ·  collecting from 3 sources  ·  14:05 UTC"


def test_a_source_not_polled_yet_is_not_offline() -> None:
    shot = snapshot(
        failed("nbkr", None, HealthState.FAILING), failed("nbk", None, HealthState.FAILING)
    )
    assert "collecting from 3 sources" in status_line(shot, SOURCES, "", AT)


def test_without_a_collector_the_note_is_said() -> None:
    shot = snapshot(*(failed(n, None, HealthState.FAILING) for n in SOURCES))
    assert status_line(shot, None, "not collecting", AT) == "not collecting  ·  14:05 UTC"
