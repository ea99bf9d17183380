"""Is a fixing stale? Judged against the source's publication calendar, not the wall calendar.

Each source declares when it publishes (:mod:`providers.calendar`): the weekdays its
fixings are dated, its time zone, the hour a fixing usually appears and whether it is
stamped for the next day. A fixing is *current* until the next one it publishes is more
than the calendar's grace (a day) past its usual hour, counting only the dated days that
bring a new rate: NBK's Saturday file (the rate set on Friday) stays current through
Monday, whose file repeats it, and Tuesday evening is stale for it; a Monday is never
stale for CBR's Saturday set (which covers it) nor for CBU's Friday rate; NBT publishes on
weekends, so Sunday evening is stale for its Friday fixing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from providers.calendar import DEFAULT, Calendar
from providers.catalogue import CALENDARS
from ticker.i18n.words import _

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple


@cache
def calendar_for(provider: str) -> Calendar:
    """The publication calendar ``provider`` declares (built-in ones without importing
    the providers' HTTP code; a third-party provider's from its class)."""
    if provider in CALENDARS:
        return CALENDARS[provider]
    from providers.registry import provider_class

    try:
        return provider_class(provider).CALENDAR
    except (LookupError, TypeError):
        return DEFAULT


class Freshness(NamedTuple):
    """How current a fixing is under its source's calendar."""

    stale: bool
    missed: int
    """Fixings the source should have published since this one, beyond the grace."""
    age_days: int
    """Calendar days from the fixing's date to today in the source's zone (negative for
    a next-day stamp)."""

    def label(self) -> str:
        """``stale 3d`` or ``ok``, in English (a value of the JSON outputs); a person
        reads :meth:`said`."""
        return f"stale {self.age_days}d" if self.stale else "ok"

    def said(self) -> str:
        """:meth:`label` in the user's language (``устарел 3 д``)."""
        if not self.stale:
            return _("ok")
        return _("stale {days}d").format(days=self.age_days)


def freshness(
    provider: str | Calendar, as_of: date, now: datetime, grace: timedelta | None = None
) -> Freshness:
    """How a fixing dated ``as_of`` stands at ``now`` (an aware datetime); ``grace``: how
    late a later fixing may be, instead of the calendar's own (a day).

    Remembered for the last few questions: the pairs of a strip or a table share their
    sources' fixings (twenty pairs, five central banks' dates), and a stale one is
    counted day by day."""
    return _freshness(provider, as_of, now, grace)


@lru_cache(maxsize=256)
def _freshness(
    provider: str | Calendar, as_of: date, now: datetime, grace: timedelta | None
) -> Freshness:
    calendar = calendar_for(provider) if isinstance(provider, str) else provider
    late = calendar.grace if grace is None else grace
    missed = 0
    day = calendar.next_renewal(as_of)
    # Count the later fixings that are overdue by more than the grace (bounded: a year).
    while day is not None and missed < 366 and calendar.due(day) + late <= now:
        missed += 1
        day = calendar.next_renewal(day)
    today = calendar.today(now)
    return Freshness(missed > 0, missed, (today - as_of).days)


def is_current(
    provider: str | Calendar, as_of: date, now: datetime, grace: timedelta | None = None
) -> bool:
    """Whether the fixing dated ``as_of`` is still the one to show at ``now``: no later
    fixing overdue (what :func:`freshness` says is not stale, without counting how many
    are: routing asks this of every source's fixing)."""
    calendar = calendar_for(provider) if isinstance(provider, str) else provider
    late = calendar.grace if grace is None else grace
    day = calendar.next_renewal(as_of)
    return day is None or calendar.due(day) + late > now
