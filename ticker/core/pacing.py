"""When the collector asks a source again: after a good round, by the source's
publication calendar (:func:`next_poll`), or at the interval the user chose
(:class:`Pace`); within a round that failed for a passing reason (a timeout, a 5xx, a
429), after a backoff (:func:`backoff`); at a start, the plan an earlier collector left,
if it still holds (:func:`first_run`).

The rule for the interval: a source's default ``interval`` (the one its
``[providers.NAME]`` has when the config says nothing: its record's,
:mod:`providers.catalogue`) follows its calendar (often around its publication, rarely
otherwise); an ``interval`` set to anything else is the user's, and the source is polled
at it whatever the calendar says, never more often than its politeness floor
(``Source.poll_floor``).

Around a central bank's policy-rate decision (:mod:`ticker.model.release_calendar`: from
the decision day's start in the bank's zone until two days after it takes effect), a
monetary source that gives that country's policy rate is polled every
:data:`DECISION_INTERVAL` (or at its interval, if shorter), and at its interval
otherwise, whoever chose it (:func:`decision_poll`); ``[decisions]`` switches a
country's calendar off with an empty list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from providers.base import Provider, ProviderUnavailable
from providers.calendar import Calendar
from providers.records import Kind
from ticker.config import PROVIDERS
from ticker.config.sections import THIRD_PARTY
from ticker.display.collectors import since_text
from ticker.display.spans import duration_words
from ticker.i18n.words import _
from ticker.model.health import ProviderHealth
from ticker.model.release_calendar import (
    DecisionCalendar,
    DecisionWindow,
    around_decision,
    decision_countries,
    decision_windows,
    next_window_start,
)

if TYPE_CHECKING:
    from ticker.storage.repository import Repository

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
#: A publication window opens this long before the moment a fixing usually appears.
LEAD_IN = timedelta(minutes=30)
#: Around a policy-rate decision, a monetary source is polled this often (or at its own
#: interval, if shorter).
DECISION_INTERVAL = timedelta(hours=1)


class Tide(StrEnum):
    """Where a source stands against its calendar at a moment."""

    BEHIND = "behind"
    """The fixing due by now is not in hand: polled at its interval until it is."""
    WINDOW = "window"
    """Around a publication: polled at its interval."""
    QUIET = "quiet"
    """The due fixing in hand, away from a publication: polled rarely."""


@dataclass(frozen=True, slots=True)
class Pace:
    """How often one source is polled, and what decides it (see the module docstring)."""

    configured: timedelta
    """``[providers.NAME] interval``."""
    default: timedelta
    """The source's default interval (the config's when it says nothing)."""
    floor: timedelta = timedelta(0)
    """The source's politeness floor: never polled more often."""
    calendar: Calendar | None = None
    """When it publishes (None: no publication calendar: polled at its interval)."""
    market: bool = False
    """A market source: its calendar is the banking day (``at`` the opening, ``window``
    the hours open), polled at its interval while open and rarely outside; a good round
    holds that day's board (:func:`held_after`)."""
    decisions: tuple[DecisionWindow, ...] = ()
    """A monetary source's windows around the policy-rate decisions of the countries it
    gives the rate of (:func:`decision_poll`); empty for the others."""

    @property
    def interval(self) -> timedelta:
        """The interval in force (while the source answers): the configured one, raised to
        the floor."""
        return max(self.configured, self.floor)

    @property
    def chosen(self) -> bool:
        """The user chose the interval: it is not the source's default."""
        return self.configured != self.default

    @property
    def raised(self) -> bool:
        """The configured interval is under the floor (the floor is used)."""
        return self.configured < self.floor

    @property
    def follows_calendar(self) -> bool:
        return self.calendar is not None and not self.chosen

    @property
    def lead_in(self) -> timedelta:
        """How long before its calendar's moment a source's window opens: a fixing may
        come a little early; a bank's board changes once the bank opens."""
        return timedelta(0) if self.market else LEAD_IN


def pace_of(
    provider: Provider, configured: timedelta, decisions: DecisionCalendar | None = None
) -> Pace:
    """The pace of ``provider`` polled at ``configured`` (its settings' interval);
    ``decisions``: the decision calendar (``Settings.decisions``) a monetary source is
    polled around."""
    spec = PROVIDERS.get(provider.NAME)
    default = spec.defaults.interval if spec is not None else THIRD_PARTY.interval
    source = provider.SOURCE
    if source is None:  # metadata set by hand: no floor declared; its calendar (or DEFAULT)
        return Pace(configured, default, calendar=provider.CALENDAR)
    market = source.kind is Kind.MARKET
    windows: tuple[DecisionWindow, ...] = ()
    if source.kind is Kind.MONETARY and decisions:
        windows = decision_windows(decisions, decision_countries(provider.NAME))
    return Pace(configured, default, source.poll_floor, source.calendar, market, windows)


def decision_interval(pace: Pace, interval: timedelta) -> timedelta:
    """How often a source is polled around a decision: :data:`DECISION_INTERVAL`, or its
    interval if shorter, never under its politeness floor."""
    return max(min(interval, DECISION_INTERVAL), pace.floor)


def decision_poll(pace: Pace, now: datetime, interval: timedelta) -> datetime | None:
    """When to poll a source next, after a good round at ``now``, by the decision
    calendar: within :data:`DECISION_INTERVAL` (or ``interval``, if shorter) while a
    decision window holds, else at ``interval`` or when the next window opens, whichever
    comes first. None: the source follows no decision calendar."""
    if not pace.decisions:
        return None
    if around_decision(pace.decisions, now):
        return now + decision_interval(pace, interval)
    opens = next_window_start(pace.decisions, now)
    return now + interval if opens is None else min(now + interval, opens)


def held_after(pace: Pace, latest: date | None, when: datetime) -> date | None:
    """What a good round at ``when`` leaves in hand, for the schedule: its newest fixing;
    for a market source (no dated fixing) the board of that day, in the source's zone."""
    if pace.market and pace.calendar is not None:
        return pace.calendar.today(when)
    return latest


def held_at_start(
    repo: Repository, paces: Mapping[str, Pace], health: Mapping[str, ProviderHealth]
) -> dict[str, date]:
    """What each source holds when a collector starts: its newest stored fixing; a
    market source, the board of its last good round's day."""
    from providers.catalogue import LOCAL_CURRENCIES

    held: dict[str, date] = {}
    for o in repo.latest_per_provider(LOCAL_CURRENCIES, list(paces)):
        held[o.provider] = max(o.as_of, held.get(o.provider, o.as_of))
    for name, pace in paces.items():
        last = health[name].last_success
        if pace.market and last is not None:
            board = held_after(pace, None, last)
            if board is not None:
                held[name] = board
    return held


def tide(
    calendar: Calendar, now: datetime, newest: date | None, lead_in: timedelta = LEAD_IN
) -> Tide:
    """Where a source that holds ``newest`` stands against its calendar at ``now``
    (``lead_in``: :attr:`Pace.lead_in`)."""
    due = calendar.expected(now)
    if newest is None or (due is not None and newest < due):
        return Tide.BEHIND
    return Tide.WINDOW if calendar.in_window(now, lead_in) else Tide.QUIET


def next_poll(
    calendar: Calendar,
    now: datetime,
    interval: timedelta,
    newest: date | None,
    lead_in: timedelta = LEAD_IN,
) -> datetime:
    """When to poll a source next, by its publication calendar: at its interval around
    its usual hour, or while the fixing due by now has not arrived (``newest`` is older);
    otherwise rarely, until its next publication window. A market source's calendar is
    its banking day: at its interval while the banks are open (``lead_in`` zero), rarely
    while they are closed."""
    if tide(calendar, now, newest, lead_in) is not Tide.QUIET:
        return now + interval
    return min(calendar.next_window(now, lead_in), now + quiet_interval(interval))


def quiet_interval(interval: timedelta) -> timedelta:
    """How often a source is polled away from its publications, the due fixing in hand."""
    return max(QUIET_INTERVAL, interval)


def backoff(attempt: int, err: ProviderUnavailable, rand: Callable[[], float]) -> float:
    """Seconds to wait before attempt ``attempt + 1`` of a round: the source's
    ``Retry-After`` if it sent one (believed up to :data:`RETRY_AFTER_MAX`), else
    exponential, with a jitter drawn from ``rand`` (a number in [0, 1))."""
    if err.retry_after is not None:
        return min(max(float(err.retry_after), 0.0), RETRY_AFTER_MAX)
    base = min(BACKOFF_BASE * float(2**attempt), BACKOFF_CAP)
    return base * (1 + BACKOFF_JITTER * (2 * rand() - 1))


@dataclass(frozen=True, slots=True)
class FirstRun:
    """A source's first poll at a start: when (None: at once), and why at once."""

    at: datetime | None
    why_now: str | None = None
    """Why it is polled at once, or its plan moved (None: a plan kept)."""
    doubt: bool = False
    """The plan left was not believed (said as a warning)."""


def first_run(
    health: ProviderHealth, now: datetime, pace: Pace, interval: timedelta, slowdown: int
) -> FirstRun:
    """A source's first poll at a start (``interval``: the one in force, slowed while
    failing). An earlier collector's plan still ahead is kept (a restart never hammers a
    source), unless it was planned by a clock that was ahead (a last attempt or success
    later than now), or lies beyond the interval the user chose, counted from the last
    poll (the interval was changed), or beyond the longest schedule. A failed last
    poll's plan (a Retry-After) is kept whatever the interval chosen."""
    planned = health.next_run
    if planned is None:
        return FirstRun(
            None, _("never polled") if health.last_attempt is None else _("no poll planned")
        )
    planned_at = since_text(planned, now)
    if planned <= now:
        return FirstRun(None, _("the poll planned for {at} is due").format(at=planned_at))
    stamps = [t for t in (health.last_attempt, health.last_success) if t is not None]
    if any(t > now + CLOCK_SLACK for t in stamps):
        doubt = _(
            "the poll planned for {at} is not believed: it was planned by a clock that was ahead"
        )
        return FirstRun(None, doubt.format(at=planned_at), True)
    moved = _decision_first(health, now, pace, interval, planned)
    if moved is not None:
        return moved
    last = health.last_attempt
    if pace.chosen and last is not None and last == health.last_success:
        due = last + interval
        if planned > due + interval / 10:  # beyond the jitter (a tenth): another interval's
            why = _("the poll planned for {at} was for another interval").format(at=planned_at)
            return FirstRun(due if due > now else None, why)
    if planned > now + longest_schedule(health, interval, slowdown):
        doubt = _("the poll planned for {at} is not believed: that is beyond its longest schedule")
        return FirstRun(None, doubt.format(at=planned_at), True)
    return FirstRun(planned)


def _decision_first(
    health: ProviderHealth, now: datetime, pace: Pace, interval: timedelta, planned: datetime
) -> FirstRun | None:
    """A plan left by a good round that would sleep through a decision window: inside
    one, moved to an hour (:func:`decision_interval`) after the last poll; before one,
    to its start. None: the plan holds."""
    if not pace.decisions or health.last_attempt != health.last_success:
        return None
    if around_decision(pace.decisions, now):
        every = decision_interval(pace, interval)
        due = (health.last_attempt or now) + every
        if planned <= due + every / 10:  # within the jitter (a tenth)
            return None
        why = _(
            "around a policy-rate decision: the poll planned for {at} is moved to every {every}"
        ).format(at=since_text(planned, now), every=duration_words(every))
        return FirstRun(due if due > now else None, why)
    opens = next_window_start(pace.decisions, now)
    if opens is None or opens >= planned:
        return None
    why = _("a policy-rate decision window opens {opens}, before the poll planned for {at}")
    return FirstRun(opens, why.format(opens=since_text(opens, now), at=since_text(planned, now)))


def longest_schedule(health: ProviderHealth, interval: timedelta, slowdown: int) -> timedelta:
    """The longest a source may rightly wait between two polls: its slowed interval
    while failing, the quiet interval, a believed Retry-After after a failed round; with
    the jitter (a tenth at most)."""
    longest = max(interval * slowdown, QUIET_INTERVAL)
    if health.last_attempt is not None and health.last_attempt != health.last_success:
        longest = max(longest, timedelta(seconds=RETRY_AFTER_MAX))
    return longest + longest / 10
