"""The program's clock: the system's, or one set to another moment by ``$TICKER_NOW``.

Everything that depends on the date or the hour (which fixing is the latest, what is
stale, when to poll) takes its clock from here, through the callers, never from
``datetime.now`` deep inside. ``TICKER_NOW=2026-12-02T00:30:00+05:00`` starts the clock
at that moment and lets it run (for replaying recorded feeds, and for tests of the
awkward hours). It must carry its offset: a moment without one means nothing here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from ticker.errors import ConfigError

Clock = Callable[[], datetime]


def system_now() -> datetime:
    return datetime.now(UTC)


def clock_from_env(env: Mapping[str, str] | None = None) -> Clock:
    """The system clock, or the running clock ``$TICKER_NOW`` starts (exit 2 if bad)."""
    text = (os.environ if env is None else env).get("TICKER_NOW", "").strip()
    if not text:
        return system_now
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        start = None
    if start is None or start.tzinfo is None or start.utcoffset() is None:
        raise ConfigError(
            "$TICKER_NOW: expected a moment with its offset like "
            f"2026-12-02T00:30:00+05:00, got {text!r}"
        )
    offset = start - system_now()
    return lambda: datetime.now(UTC) + offset
