"""Publication calendars: when each source publishes, and what its dates mean.

A fixing carries its *effective date* (``as_of``): the date the source declares. A
calendar says which dates a source dates its fixings (``weekdays``, minus ``holidays``),
in which time zone, at what local hour a fixing usually appears, and how many days ahead
of its effective date it appears (``lead_days``: NBKR and CBR stamp the next day, CBT
publishes day D's file on D-1). Everything that depends on the hour reads it: the latest
poll (which dates to ask, newest first), backfill (which dates exist), freshness (is a
newer fixing overdue?) and the collector's schedule (poll often around publication).

Data only: no I/O, standard library only, so the read side can use it without loading
the providers' HTTP code. The built-in sources' calendars are in their records
(:mod:`providers.catalogue`, ``CALENDARS``), with the evidence for each rule; the zones,
weekdays and holidays they are built from are here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

__all__ = ["Calendar", "DEFAULT", "EVERY_DAY", "MON_FRI", "MON_SAT", "TUE_SAT"]

EVERY_DAY = frozenset(range(7))
MON_FRI = frozenset(range(5))
MON_SAT = frozenset(range(6))
TUE_SAT = frozenset(range(1, 6))


class Calendar(NamedTuple):
    """When one source publishes (see the module docstring)."""

    tz: tzinfo
    """The source's own time zone: its "today", and the hour ``at``."""
    weekdays: frozenset[int]
    """Weekdays (0 = Monday) that fixings are dated."""
    at: time
    """Local time at which a day's fixing usually appears."""
    lead_days: int = 0
    """The fixing dated D appears this many days before D (NBKR, CBR, CBT: 1)."""
    holidays: frozenset[tuple[int, int]] = frozenset()
    """(month, day) of fixed holidays without a fixing."""
    window: timedelta = timedelta(hours=3)
    """After ``at``, how long a fixing may still arrive: the collector polls at the
    provider's interval from a little before ``at`` to the end of this window."""
    grace: timedelta = timedelta(days=1)
    """How late a fixing may be (after its usual hour) before the one held is stale."""
    lookback_days: int = 7
    """How far back the latest poll walks for the newest published fixing."""
    renews: frozenset[int] | None = None
    """Weekdays whose dated fixing brings a new rate; on the other dated days the source
    repeats the one before (NBK dates every day, but its Sunday and Monday files carry
    the rate set on Friday and dated Saturday). None: any dated day may. Freshness
    counts only these: a missing repeat leaves the rate in force unchanged."""
    sets_on: frozenset[int] | None = None
    """Weekdays on which the source sets its next fixing, when its lead skips the others
    (CBU sets on business days: Monday's rate appears on Friday, the rate after a
    holiday on the business day before it); holidays are never setting days. None: the
    fixing dated D appears ``lead_days`` calendar days before D."""

    # ------------------------------------------------------------------ dates

    def is_dated(self, day: date) -> bool:
        """Whether the source dates a fixing ``day`` (a publishing day, not a holiday)."""
        return day.weekday() in self.weekdays and (day.month, day.day) not in self.holidays

    def today(self, now: datetime) -> date:
        """Today's date in the source's time zone."""
        return now.astimezone(self.tz).date()

    def due(self, day: date) -> datetime:
        """When the fixing dated ``day`` is due at the latest: ``lead_days`` calendar days
        before it, at its usual hour (aware, in the source's zone). Freshness counts from
        here: CBU's Monday rate, out on Friday evening, is due on Sunday's, so a weekend
        never makes Friday's rate, in force until Monday, stale."""
        return datetime.combine(day - timedelta(days=self.lead_days), self.at, tzinfo=self.tz)

    def published(self, day: date) -> datetime:
        """When the fixing dated ``day`` usually appears: at its usual hour on the
        ``lead_days``-th setting day before it (see ``sets_on``), or on ``day`` itself."""
        when = day
        for _ in range(self.lead_days):
            when -= timedelta(days=1)
            for _ in range(14):  # the setting day before: bounded, a fortnight at most
                if self.sets_on is None or (
                    when.weekday() in self.sets_on and (when.month, when.day) not in self.holidays
                ):
                    break
                when -= timedelta(days=1)
        return datetime.combine(when, self.at, tzinfo=self.tz)

    def newest_possible(self, now: datetime) -> date:
        """The newest effective date that can exist at ``now`` (published early or not):
        today, or with a lead the newest dated day set by today (tomorrow's; Monday's on a
        Friday, for a source that sets it then)."""
        today = self.today(now)
        newest = today + timedelta(days=self.lead_days)
        if self.sets_on is not None:
            for ahead in range(self.lead_days + 1, 15):
                day = today + timedelta(days=ahead)
                if self.is_dated(day) and self.published(day).date() <= today:
                    newest = day
        return newest

    def recent(self, now: datetime) -> Iterator[date]:
        """Dated days to ask for the latest fixing, newest first, within the lookback."""
        day, oldest = self.newest_possible(now), self.oldest_acceptable(now)
        while day >= oldest:
            if self.is_dated(day):
                yield day
            day -= timedelta(days=1)

    def oldest_acceptable(self, now: datetime) -> date:
        """A latest fixing dated before this is beyond the lookback: the source is stale.
        The lookback counts calendar days back from today, and reaches the dated day on or
        before its start (CBR's 1 January fixing is in force until 10 January)."""
        day = self.today(now) - timedelta(days=self.lookback_days)
        for _ in range(31):
            if self.is_dated(day):
                return day
            day -= timedelta(days=1)
        return day

    def expected(self, now: datetime) -> date | None:
        """The newest fixing with a new rate that should be out by ``now`` (its usual
        hour has passed; a repeat such as NBK's Sunday file is not waited for)."""
        day = self.newest_possible(now)
        for _ in range(400):
            if self.is_dated(day) and self._renews_on(day) and self.due(day) <= now:
                return day
            day -= timedelta(days=1)
        return None  # a calendar without a single dated day

    def next_dated(self, after: date) -> date | None:
        """The first dated day after ``after``."""
        day = after + timedelta(days=1)
        for _ in range(400):
            if self.is_dated(day):
                return day
            day += timedelta(days=1)
        return None

    def next_renewal(self, after: date) -> date | None:
        """The first dated day after ``after`` that brings a new rate (see ``renews``)."""
        day = self.next_dated(after)
        for _ in range(400):
            if day is None or self._renews_on(day):
                return day
            day = self.next_dated(day)
        return None

    def _renews_on(self, day: date) -> bool:
        return self.renews is None or day.weekday() in self.renews

    def dated_between(self, start: date, end: date) -> int:
        """How many dated days lie in ``[start, end]``."""
        count, day = 0, start
        while day <= end:
            count += self.is_dated(day)
            day += timedelta(days=1)
        return count

    def settled(self, day: date, now: datetime) -> bool:
        """Whether the source has had every chance to publish ``day``: a day without a
        fixing by now is a day without one for good (backfill records it)."""
        return self.due(day) + self.grace <= now

    # ------------------------------------------------------------------ polling

    def in_window(self, now: datetime, lead_in: timedelta = timedelta(minutes=30)) -> bool:
        """Whether ``now`` is around a publication: from ``lead_in`` before the moment a
        dated day's fixing usually appears to the end of its window."""
        local = self.today(now)
        for ahead in range(-1, self.lead_days + 15):
            day = local + timedelta(days=ahead)
            if self.is_dated(day):
                out = self.published(day)
                if out - lead_in <= now < out + self.window:
                    return True
        return False

    def next_window(self, now: datetime, lead_in: timedelta = timedelta(minutes=30)) -> datetime:
        """The start of the next publication window after ``now``."""
        day = self.today(now) - timedelta(days=1)
        for _ in range(400):  # publication moments follow the dates: the first is the next
            if self.is_dated(day) and self.published(day) - lead_in > now:
                return self.published(day) - lead_in
            day += timedelta(days=1)
        return now + timedelta(days=1)


def _zone(hours: int, name: str) -> timezone:
    return timezone(timedelta(hours=hours), name)


BISHKEK = _zone(6, "Asia/Bishkek")
ALMATY = _zone(5, "Asia/Almaty")
DUSHANBE = _zone(5, "Asia/Dushanbe")
TASHKENT = _zone(5, "Asia/Tashkent")
ASHGABAT = _zone(5, "Asia/Ashgabat")
MOSCOW = _zone(3, "Europe/Moscow")

#: Fixed-date public holidays on which the banks set no rate.
UZBEKISTAN_HOLIDAYS = frozenset({(1, 1), (3, 8), (3, 21), (5, 9), (9, 1), (10, 1), (12, 8)})
TURKMENISTAN_HOLIDAYS = frozenset(
    {(1, 1), (3, 8), (3, 21), (3, 22), (5, 9), (5, 18), (9, 27), (12, 12)}
)
#: CBR sets no rate on these days, so no fixing is dated the day after.
RUSSIA_NO_FIXING = frozenset({(1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (1, 9)})

#: Third-party providers that declare nothing: business days, UTC.
DEFAULT = Calendar(UTC, MON_FRI, time(16, 0))
