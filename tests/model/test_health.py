"""Provider health: its states, and the changes between them worth a log line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ticker.model.health import (
    FAILING,
    OK,
    UNKNOWN,
    UNSTABLE,
    HealthChange,
    HealthState,
    ProviderHealth,
    change,
)

AT = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (UNKNOWN, FAILING, HealthChange.FAILING),
        (OK, FAILING, HealthChange.FAILING),
        (UNSTABLE, FAILING, HealthChange.FAILING),
        (FAILING, OK, HealthChange.RECOVERED),
        (FAILING, FAILING, None),
        (FAILING, UNSTABLE, None),
        (OK, UNSTABLE, None),
        (UNSTABLE, OK, None),
        (UNKNOWN, OK, None),
        (OK, OK, None),
    ],
)
def test_changes_worth_saying(
    before: HealthState, after: HealthState, said: HealthChange | None
) -> None:
    assert change(before, after) is said


@pytest.mark.parametrize(
    ("polls", "states", "said"),
    [
        # failing_after=3: two failures are unstable, the third is failing (said once).
        ("xxxx", [UNSTABLE, UNSTABLE, FAILING, FAILING], [None, None, HealthChange.FAILING, None]),
        (
            "xxx.",
            [UNSTABLE, UNSTABLE, FAILING, OK],
            [None, None, HealthChange.FAILING, "recovered"],
        ),
        ("x.x.", [UNSTABLE, OK, UNSTABLE, OK], [None, None, None, None]),
        (".xxx", [OK, UNSTABLE, UNSTABLE, FAILING], [None, None, None, "failing"]),
    ],
)
def test_a_run_of_polls_says_each_change_once(
    polls: str, states: list[HealthState], said: list[object]
) -> None:
    health = ProviderHealth("nbk")
    seen, told = [], []
    for poll in polls:
        if poll == ".":
            told.append(health.succeeded(AT))
        else:
            told.append(health.failed(AT, "timed out", failing_after=3))
        seen.append(health.state)
    assert seen == states
    # The changes compare equal to the words the collector's log keys on.
    assert told == said


def test_a_change_is_written_as_the_collector_has_always_keyed_it() -> None:
    assert [str(c) for c in HealthChange] == ["failing", "recovered"]
