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
from ticker.i18n.words import _

Clock = Callable[[], datetime]

#: The moments the program can be set to: far enough from datetime's own limits (years
#: 1 and 9999) that every day, year or history counted from them stays a moment.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


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
        said = _(
            "$TICKER_NOW: expected a moment with its offset like 2026-12-02T00:30:00+05:00, "
            "got {text}"
        )
        raise ConfigError(said.format(text=repr(text)))
    if not EARLIEST <= start <= LATEST:
        said = _("$TICKER_NOW: expected a moment from {first} to {last}, got {text}")
        raise ConfigError(said.format(first=EARLIEST.year, last=LATEST.year - 1, text=repr(text)))
    offset = start - system_now()
    return lambda: datetime.now(UTC) + offset


#: A wall clock that moves this much more (or less) than the monotonic clock between two
#: looks has stepped (NTP slews far more slowly than this).
STEP_TOLERANCE = 2.0


class ClockSteps:
    """Tells a step of the wall clock against the monotonic clock, in one log line each."""

    def __init__(self, now: Clock, monotonic: Callable[[], float]) -> None:
        self._now = now
        self._mono = monotonic
        self._offset = self._read()

    def _read(self) -> float:
        return self._now().timestamp() - self._mono()

    def check(self) -> float:
        """Seconds the wall clock stepped since the last look (0: none; < 0: back)."""
        offset = self._read()
        step = offset - self._offset
        self._offset = offset
        if abs(step) < STEP_TOLERANCE:
            return 0.0
        if step > 0:
            said = _(
                "the wall clock stepped ahead by {span}; polling keeps its pace (the schedule "
                "is re-armed)"
            )
        else:
            said = _(
                "the wall clock stepped back by {span}; polling keeps its pace (the schedule "
                "is re-armed)"
            )
        import logging  # a collector's concern: not on a one-shot read's path

        logging.getLogger("ticker.clock").warning("%s", said.format(span=_span(abs(step))))
        return step


def _span(seconds: float) -> str:
    whole = int(round(seconds))
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{v}{u}" for v, u in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")) if v]
    return " ".join(parts[:2]) or "0s"
