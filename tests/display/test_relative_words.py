"""Ages and times to come in words: ``3m ago``, ``in 27m``; a time a moment after now
(a poll stored microseconds after a frozen clock's instant) is ``0s ago``, never
``in 0s``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ticker.display.views import relative

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("offset", "said"),
    [
        (timedelta(microseconds=431), "0s ago"),
        (timedelta(milliseconds=999), "0s ago"),
        (timedelta(seconds=1), "0s ago"),
        (timedelta(seconds=2), "in 0s"),
        (timedelta(minutes=27), "in 27m"),
        (timedelta(0), "0s ago"),
        (-timedelta(seconds=15), "10s ago"),
        (-timedelta(minutes=3), "3m ago"),
        (-timedelta(days=2), "2d ago"),
    ],
)
def test_a_time_is_said_from_now(offset: timedelta, said: str) -> None:
    assert relative(NOW + offset, NOW) == said


def test_without_the_suffix_and_never() -> None:
    assert relative(NOW + timedelta(microseconds=5), NOW, suffix=False) == "0s"
    assert relative(None, NOW) == "never"
