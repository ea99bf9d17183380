"""The status line in words, from values (no terminal): offline, and since when; and the
note each sequence of events leaves (the dashboard's handlers only call the events)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from ticker.model.collectors import CollectorRecord, Role
from ticker.model.health import HealthState, ProviderHealth
from ticker.model.snapshot import Snapshot
from ticker.tui.status import (
    NO_COLLECT_NOTE,
    READ_ONLY_NOTE,
    StatusLine,
    poll_asked_words,
    status_line,
)

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
    assert line == "checked 3m ago  ·  collecting from 3 sources  ·  14:05 UTC"


def test_a_source_not_polled_yet_is_not_offline() -> None:
    shot = snapshot(
        failed("nbkr", None, HealthState.FAILING), failed("nbk", None, HealthState.FAILING)
    )
    assert "collecting from 3 sources" in status_line(shot, SOURCES, "", AT)


def test_without_a_collector_the_note_is_said() -> None:
    shot = snapshot(*(failed(n, None, HealthState.FAILING) for n in SOURCES))
    assert status_line(shot, None, "not collecting", AT) == "not collecting  ·  14:05 UTC"


# ---------------------------------------------------------------- events -> the note

FED = "fed by server-1 pid 4242 (standing by)"
SHOT = snapshot()


def step(line: StatusLine, event: tuple[str, ...]) -> StatusLine:
    name, *args = event
    if name == "shown":
        return line.shown(SHOT)
    method = getattr(line, name)
    result: StatusLine = method(*args)
    return result


@pytest.mark.parametrize(
    ("events", "note"),
    [
        ((), "reading the store…"),
        ((("shown",),), ""),
        ((("not_collecting",),), NO_COLLECT_NOTE),
        ((("not_collecting",), ("shown",)), NO_COLLECT_NOTE),
        # The store fails, then answers again: back to the resting note.
        ((("failed", "store", "t.db: disk I/O error"),), "store: t.db: disk I/O error"),
        (
            (("not_collecting",), ("failed", "store", "t.db: disk I/O error"), ("shown",)),
            NO_COLLECT_NOTE,
        ),
        # The collector's failure stays until something else is said.
        ((("failed", "collector", "no lease"), ("shown",)), "collector: no lease"),
        # A bug in any worker is said; another work's failure is only notified.
        (
            (("shown",), ("failed", "chart", "internal error: KeyError: 'x'")),
            "chart: internal error: KeyError: 'x'",
        ),
        ((("shown",), ("failed", "export", "not writable")), ""),
        ((("failed", "alert", "no such rule"),), "reading the store…"),
        # Another collector feeds this dashboard: the resting note, said at once at rest.
        ((("shown",), ("fed_by", FED)), FED),
        ((("not_collecting",), ("fed_by", FED)), FED),
        ((("fed_by", FED),), "reading the store…"),
        ((("fed_by", FED), ("shown",)), FED),
        ((("shown",), ("fed_by", FED), ("fed_by", "")), ""),
        # ... but not over a failure, which it then follows.
        ((("failed", "store", "locked"), ("fed_by", FED)), "store: locked"),
        ((("failed", "store", "locked"), ("fed_by", FED), ("shown",)), FED),
        # The live updates, lost and back, once each way.
        ((("shown",), ("live_lost", "timeout")), "live updates lost, reconnecting: timeout"),
        ((("shown",), ("live_lost", "timeout"), ("live_back",)), ""),
        ((("shown",), ("live_lost", "x"), ("fed_by", FED), ("live_back",)), FED),
        ((("shown",), ("live_lost", "x"), ("shown",)), "live updates lost, reconnecting: x"),
        ((("shown",), ("live_back",)), ""),
        # A failure while they are lost is what is said; their return does not clear it.
        ((("live_lost", "x"), ("failed", "collector", "gone"), ("live_back",)), "collector: gone"),
        (
            (("failed", "collector", "gone"), ("live_lost", "x")),
            "live updates lost, reconnecting: x",
        ),
    ],
)
def test_each_sequence_of_events_leaves_its_note(
    events: tuple[tuple[str, ...], ...], note: str
) -> None:
    line = StatusLine()
    for event in events:
        line = step(line, event)
    assert line.note_text == note
    expected = f"{note}  ·  14:05 UTC" if note else "14:05 UTC"
    assert line.text(None, AT) == expected


def test_the_store_answering_again_is_told_once() -> None:
    down = StatusLine().not_collecting().failed("store", "t.db: disk I/O error")
    assert down.store_down
    back = down.shown(SHOT)
    assert not back.store_down
    assert not StatusLine().failed("collector", "x").store_down


def test_a_failure_only_notified_leaves_the_same_value() -> None:
    line = StatusLine().shown(SHOT)
    assert line.failed("export", "not writable") is line
    assert line.failed("store", "x") is not line


def test_the_line_reads_the_snapshot_last_shown() -> None:
    polled = ProviderHealth(
        "nbkr", HealthState.OK, AT - timedelta(minutes=2), AT - timedelta(minutes=2)
    )
    line = StatusLine().shown(snapshot(polled))
    assert line.text(["nbkr"], AT) == "checked 2m ago  ·  collecting from 1 source  ·  14:05 UTC"
    offline = StatusLine().shown(snapshot(failed("nbkr", None, HealthState.FAILING)))
    assert offline.text(["nbkr"], AT) == "offline: no source reachable  ·  14:05 UTC"
    # Without a collector, the note (the offline test is for this dashboard's sources).
    assert offline.not_collecting().text(None, AT) == f"{NO_COLLECT_NOTE}  ·  14:05 UTC"


# ---------------------------------------------------------------- two ages, 80 columns


def _fetched(when: datetime) -> Any:
    """A shown rate, as far as the status line reads one: when it was fetched."""
    return SimpleNamespace(fetched_at=when)


#: A new rate 15 minutes ago; a source asked (and answering) just now.
AGES = Snapshot(
    [_fetched(AT - timedelta(minutes=15)), _fetched(AT - timedelta(hours=3))],
    {},
    {
        "nbk": ProviderHealth("nbk", HealthState.OK, AT, AT),
        "cbt": ProviderHealth("cbt", HealthState.OK, AT - timedelta(hours=1), AT),
    },
    [],
    AT,
)
#: The status line's room at 80 columns (its padding takes two).
ROOM_80 = 78


def test_the_line_tells_a_new_rate_from_a_check() -> None:
    """When a rate last arrived and when a source was last asked are two facts: a poll
    that brings nothing new moves only the second."""
    assert status_line(AGES, [f"s{i}" for i in range(11)], "", AT, ROOM_80) == (
        "new rate 15m ago, checked 0s ago  ·  collecting from 11 sources  ·  14:05 UTC"
    )
    assert status_line(AGES, None, NO_COLLECT_NOTE, AT, ROOM_80) == (
        "new rate 15m ago, checked 0s ago  ·  no collector (--no-collect)  ·  14:05 UTC"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            StatusLine().shown(AGES).read_only(),
            "new rate 15m ago, checked 0s ago  ·  read-only store: showing, not collecting",
        ),
        (
            StatusLine().shown(AGES).fed_by(FED),
            "new rate 15m ago, checked 0s ago  ·  fed by server-1 pid 4242 (standing by)",
        ),
    ],
)
def test_at_80_columns_the_clock_gives_way_to_the_note(line: StatusLine, expected: str) -> None:
    assert line.text(None, AT, ROOM_80) == expected
    assert len(expected) <= ROOM_80
    assert line.text(None, AT, 98) == f"{expected}  ·  14:05 UTC"  # 100 columns: all of it


def test_the_read_only_note_stays_at_rest_and_a_failure_goes_before_it() -> None:
    line = StatusLine().read_only()
    assert line.note_text == "reading the store…"
    assert line.shown(SHOT).note_text == READ_ONLY_NOTE
    assert line.shown(SHOT).failed("store", "gone").note_text == "store: gone"
    assert line.shown(SHOT).failed("store", "gone").shown(SHOT).note_text == READ_ONLY_NOTE


def _holder(host: str = "server-1", pid: int = 4242) -> CollectorRecord:
    return CollectorRecord(host, pid, Role.ACTIVE, AT, AT, AT)


def test_r_says_whom_it_asked_or_who_polls() -> None:
    asked = poll_asked_words(_holder(), True, True, AGES, AT)
    assert asked.startswith("Asked the collector (server-1 pid 4242) to poll now;")
    nobody = poll_asked_words(None, False, False, AGES, AT)
    assert nobody.startswith("Nobody polls this store: no collector is running (a source ")
    assert "last answered 0s ago). Run `ticker collect`" in nobody
    assert "does not collect" not in nobody
    mine = poll_asked_words(_holder(), False, True, AGES, AT)
    assert "its collector is not running" in mine
    taking = poll_asked_words(None, False, True, None, AT)
    assert "this dashboard takes it as soon as it can" in taking
