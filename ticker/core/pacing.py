"""When the collector asks a source again: after a good round, by the source's
publication calendar (:func:`next_poll`); within a round that failed for a passing
reason (a timeout, a 5xx, a 429), after a backoff (:func:`backoff`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from providers.base import ProviderUnavailable
from providers.calendar import Calendar
from ticker.model.health import ProviderHealth

#: Backoff between attempts within one round: BASE * 2**attempt, +-JITTER, at most CAP.
BACKOFF_BASE = 2.0
BACKOFF_CAP = 60.0
BACKOFF_JITTER = 0.25
#: A Retry-After longer than this ends the round; the next one is moved instead.
RETRY_AFTER_CAP = 120.0
#: Retry-After values beyond this are not believed (a day is the longest lock-out seen).
RETRY_AFTER_MAX = 86400.0
#: Away from its publication hours, with the due fixing in hand, a source is polled at
#: most this often (or at its own interval, if longer) until its next window opens.
QUIET_INTERVAL = timedelta(hours=3)
#: A stamp this far past now was written by a clock that was ahead (a second's skew is not).
CLOCK_SLACK = timedelta(minutes=1)


def next_poll(
    calendar: Calendar, now: datetime, interval: timedelta, newest: date | None
) -> datetime:
    """When to poll a source next, by its publication calendar: at its interval around
    its usual hour, or while the fixing due by now has not arrived (``newest`` is older);
    otherwise rarely, until its next publication window."""
    due = calendar.expected(now)
    behind = newest is None or (due is not None and newest < due)
    if behind or calendar.in_window(now):
        return now + interval
    return min(calendar.next_window(now), now + max(QUIET_INTERVAL, interval))


def backoff(attempt: int, err: ProviderUnavailable, rand: Callable[[], float]) -> float:
    """Seconds to wait before attempt ``attempt + 1`` of a round: the source's
    ``Retry-After`` if it sent one (believed up to :data:`RETRY_AFTER_MAX`), else
    exponential, with a jitter drawn from ``rand`` (a number in [0, 1))."""
    if err.retry_after is not None:
        return min(max(float(err.retry_after), 0.0), RETRY_AFTER_MAX)
    base = min(BACKOFF_BASE * float(2**attempt), BACKOFF_CAP)
    return base * (1 + BACKOFF_JITTER * (2 * rand() - 1))


def believed_next_run(
    health: ProviderHealth, now: datetime, interval: timedelta, slowdown: int
) -> tuple[datetime | None, str | None]:
    """A persisted next run to keep at a restart (None: poll at once), and why one ahead
    was not believed: a plan further ahead than the longest schedule (a failing source's
    slowed interval, the quiet interval, a believed Retry-After after a failed round), or
    written when the clock was ahead (a last attempt or success later than now)."""
    planned = health.next_run
    if planned is None or planned <= now:
        return None, None
    stamps = [t for t in (health.last_attempt, health.last_success) if t is not None]
    if any(t > now + CLOCK_SLACK for t in stamps):
        return None, "it was planned by a clock that was ahead"
    if planned > now + longest_schedule(health, interval, slowdown):
        return None, "that is beyond its longest schedule"
    return planned, None


def longest_schedule(health: ProviderHealth, interval: timedelta, slowdown: int) -> timedelta:
    """The longest a source may rightly wait between two polls: its slowed interval
    while failing, the quiet interval, a believed Retry-After after a failed round; with
    the jitter (a tenth at most)."""
    longest = max(interval * slowdown, QUIET_INTERVAL)
    if health.last_attempt is not None and health.last_attempt != health.last_success:
        longest = max(longest, timedelta(seconds=RETRY_AFTER_MAX))
    return longest + longest / 10
