"""The release calendar: when each central bank decides its policy rate, what the next
decision is, and when the monetary sources are polled around one.

A calendar is a mapping of country (ISO3) to its decision days, in order: the built-in
lists (:data:`providers.decision_calendar.DEFAULT_DECISIONS`, with their evidence) as
``[decisions]`` in config.toml leaves or replaces them (``Settings.decisions``). A
decision day is a day in its bank's zone, the day the decision is announced; "today" is
the caller's date in that zone (:func:`local_today`), and a decision today is "today",
not the next one.

**Polling window.** A monetary source is *around a decision* from the start of the
decision day in the bank's zone until the end of the second day after it takes effect:
the day itself or the next for most banks, the first working day of the following week
for the NBK (a Friday's decision, on the widget on Saturday, in the open data dated
Monday: the window runs from Friday 00:00 to Wednesday 24:00, Almaty). Around a decision
the source is polled every hour (:mod:`ticker.core.pacing`); otherwise at its interval.
Which countries a source speaks for is :data:`ticker.model.monetary.ROUTES`' policy-rate
routes (:func:`decision_countries`): a decision is a policy-rate decision.

Pure: no I/O; the caller gives the moment.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from providers.decision_calendar import BANK_OF, DecisionBank
from providers.monetary_records import POLICY_CORRIDOR_HIGH, POLICY_CORRIDOR_LOW, POLICY_RATE
from ticker.model.monetary import ROUTES

__all__ = [
    "coming_decision",
    "DECISION_SERIES",
    "DecisionCalendar",
    "DecisionWindow",
    "around_decision",
    "bank_of",
    "decision_countries",
    "decision_today",
    "decision_windows",
    "effective_day",
    "local_today",
    "next_decision",
    "next_window_start",
    "window_of",
]

DecisionCalendar = Mapping[str, Sequence[date]]
"""Country (ISO3) -> its decision days, in order."""

#: The series a policy-rate decision changes: a source giving one of them for a country
#: is polled around that country's decisions.
DECISION_SERIES: tuple[str, ...] = (POLICY_RATE, POLICY_CORRIDOR_LOW, POLICY_CORRIDOR_HIGH)
#: The window lasts until the end of this many days after the decision takes effect.
DAYS_AFTER = 2


@dataclass(frozen=True, slots=True)
class DecisionWindow:
    """Around one decision: ``start <= moment < end`` (aware)."""

    country: str
    day: date
    """The decision day (in the bank's zone)."""
    start: datetime
    end: datetime

    def holds(self, now: datetime) -> bool:
        return self.start <= now < self.end


def bank_of(country: str) -> DecisionBank | None:
    """The central bank of ``country`` (ISO3), None for a country it does not know."""
    return BANK_OF.get(country)


def local_today(country: str, now: datetime) -> date:
    """Today in the zone of ``country``'s bank (UTC for a country it does not know)."""
    bank = bank_of(country)
    return now.astimezone(bank.tz if bank is not None else UTC).date()


def _days(calendar: DecisionCalendar, country: str) -> Sequence[date]:
    return calendar.get(country, ())


def next_decision(calendar: DecisionCalendar, country: str, today: date) -> date | None:
    """The first decision day of ``country`` after ``today`` (its bank's date): a
    decision today is not the next one. None: no later date is known."""
    return next((day for day in _days(calendar, country) if day > today), None)


def decision_today(calendar: DecisionCalendar, country: str, today: date) -> bool:
    """Whether ``country``'s bank decides on ``today`` (its bank's date)."""
    return today in _days(calendar, country)


def coming_decision(calendar: DecisionCalendar, country: str, today: date) -> date | None:
    """``today`` on a decision day of ``country``'s bank, else its next decision day;
    None: none is known."""
    if decision_today(calendar, country, today):
        return today
    return next_decision(calendar, country, today)


def effective_day(country: str, day: date) -> date:
    """The day a decision announced on ``day`` takes effect, for the polling window: the
    Monday after for a bank whose decisions take effect the following week (NBK), else the
    day itself (one deciding for the next day is inside the window anyway)."""
    bank = bank_of(country)
    if bank is not None and bank.effective_next_week:
        return day + timedelta(days=7 - day.weekday())
    return day


def window_of(country: str, day: date) -> DecisionWindow:
    """The polling window around ``country``'s decision of ``day`` (the module docstring)."""
    bank = bank_of(country)
    zone = bank.tz if bank is not None else UTC  # a country without a bank: UTC days
    end_day = effective_day(country, day) + timedelta(days=DAYS_AFTER + 1)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return DecisionWindow(country, day, start, datetime.combine(end_day, time(0), tzinfo=zone))


def decision_windows(
    calendar: DecisionCalendar, countries: Collection[str]
) -> tuple[DecisionWindow, ...]:
    """Every polling window of ``countries``' decisions, by start."""
    windows = [window_of(c, day) for c in countries for day in _days(calendar, c)]
    return tuple(sorted(windows, key=lambda w: (w.start, w.country)))


def decision_countries(source: str) -> tuple[str, ...]:
    """The countries whose decisions ``source`` gives (in :data:`ROUTES` for one of the
    :data:`DECISION_SERIES`), in the order of the routes."""
    found: dict[str, None] = {}
    for series in DECISION_SERIES:
        for country, sources in ROUTES.get(series, {}).items():
            if source in sources:
                found[country] = None
    return tuple(found)


def _holding(windows: Sequence[DecisionWindow], now: datetime) -> Iterator[DecisionWindow]:
    return (w for w in windows if w.holds(now))


def around_decision(windows: Sequence[DecisionWindow], now: datetime) -> bool:
    """Whether ``now`` is inside one of ``windows``."""
    return next(_holding(windows, now), None) is not None


def next_window_start(windows: Sequence[DecisionWindow], now: datetime) -> datetime | None:
    """The start of the first of ``windows`` that opens after ``now`` (None: none)."""
    return min((w.start for w in windows if w.start > now), default=None)
