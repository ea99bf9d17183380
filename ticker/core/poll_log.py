"""What the collector says in its log.

``ticker.collector`` (:data:`log`) has, at a start, one line per source with its next
poll and why (:func:`start_line`), the transitions (a source failing, recovered; the
store gone and back: :mod:`ticker.core.store_watch`) and what is said once although its
cause repeats (:class:`SaidOnce`). ``ticker.collector.polls`` (:data:`polls`) has every
poll's outcome at INFO (:func:`poll_line`): quiet unless asked for (``ticker collect
--verbose``).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ticker.core.ingest import IngestResult, refused_whole
from ticker.core.pacing import FirstRun, Pace, Tide, quiet_interval, tide
from ticker.display.collectors import since_text
from ticker.display.spans import duration_words
from ticker.i18n.dates import day_month
from ticker.i18n.words import N_, _, ngettext

if TYPE_CHECKING:
    from providers.calendar import Calendar
    from ticker.core.collector import PollOutcome

log = logging.getLogger("ticker.collector")
#: Every poll's outcome, at INFO: quiet unless asked for (``ticker collect --verbose``).
polls = logging.getLogger("ticker.collector.polls")
polls.setLevel(logging.WARNING)

#: Significant digits of a rate (and its reference) in a quarantine line of the log.
LOGGED_DIGITS = 10


class SaidOnce:
    """The WARNING lines said once although their cause repeats: each quarantined value
    (a source answers with the same one all day), each overrunning poll (the scheduler
    skips it at every turn until it ends)."""

    def __init__(self) -> None:
        self._held: set[tuple[str, str, date, Decimal]] = set()
        """The quarantined values logged already."""
        self._skip_said: dict[str, datetime | None] = {}
        """Each source's poll whose overrun was logged (by when it started)."""

    def quarantined(self, name: str, result: IngestResult) -> None:
        """Each quarantined value of ``name``'s round, once. The reason is worded in the
        pair as the source published it."""
        from ticker.display.quarantine import held_reason
        from ticker.model.pairs import Pair

        for held in result.quarantined:
            o = held.observation
            key = (o.quote, o.provider, o.as_of, o.rate)
            if key in self._held:
                continue
            self._held.add(key)
            log.warning(
                "%s: %s/%s = %s of %s quarantined: %s",
                name,
                o.base,
                o.quote,
                format(o.rate, ".10g"),  # a cross has many more digits than that
                o.as_of.isoformat(),
                held_reason(held, Pair(o.base, o.quote), LOGGED_DIGITS),
            )

    def skipped(self, name: str, started: datetime | None) -> None:
        """The scheduler skipped a poll of ``name``: its previous one still runs. Said
        once per overrunning poll (WARNING); each further skip of it only to ``polls``."""
        if started:
            line = _(
                "{source}: poll skipped, the previous one is still running (started {time} UTC)"
            ).format(source=name, time=f"{started.astimezone(UTC):%H:%M:%S}")
        else:
            line = _("{source}: poll skipped, the previous one is still running").format(
                source=name
            )
        if name in self._skip_said and self._skip_said[name] == started:
            polls.info("%s", line)
            return
        self._skip_said[name] = started
        log.warning("%s", line)


def poll_line(outcome: PollOutcome, seconds: float, attempts: int, received: int) -> None:
    """One INFO line on ``polls`` for the round: what came, how long, what was kept."""
    name, result, error = outcome.provider, outcome.result, outcome.error
    took = f"{seconds:.2f}s"
    if result is None:
        reason = error.reason if error is not None else "no answer"
        if outcome.store_failed:
            polls.info("%s: %s in %s, %s", name, _count(received, "row"), took, reason)
        else:
            tries = f" after {attempts} attempts" if attempts > 1 else ""
            polls.info("%s: poll failed in %s%s: %s", name, took, tries, reason)
        return
    parts = []
    if outcome.quotes:
        held = len(result.quotes_quarantined)
        parts.append(
            f"{_count(outcome.quotes, 'quote')} in {took}: {result.quotes_added} new prices, "
            f"{held} held as implausible"
        )
    if result.received or not (result.indicator_values or outcome.quotes):
        unchanged = result.received - result.stored - len(result.quarantined)
        parts.append(
            f"{_count(result.received, 'rate')} in {took}: {result.stored} stored, "
            f"{unchanged} unchanged, {len(result.quarantined)} quarantined"
        )
    if result.indicator_values:
        unchanged = result.indicator_values - result.indicators_added - result.indicators_revised
        where = "" if parts else f" in {took}"
        parts.append(
            f"{_count(result.indicator_values, 'indicator value')}{where}: "
            f"{result.indicators_added} new, {result.indicators_revised} revised, "
            f"{unchanged} unchanged"
        )
    refused = sum(1 for r in result.rejected if refused_whole(r)) if result.indicator_values else 0
    if refused:
        parts.append(f"{_count(refused, 'indicator')} refused")
    if len(result.rejected) > refused:
        parts.append(f"{len(result.rejected) - refused} rejected")
    polls.info("%s: %s", name, "; ".join(parts))


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def start_line(
    name: str, first: FirstRun, now: datetime, pace: Pace, failing: int, newest: date | None
) -> tuple[int, str]:
    """A source's line at a start, and its level (WARNING for a plan not believed):
    ``frankfurter: next poll 15:30 UTC (Friday's fixing in hand; next publication 25 May
    16:00 UTC)``, ``nbk: polling now (never polled)``. ``failing``: the slowdown of a
    failing source (0: it is not failing)."""
    level = logging.WARNING if first.doubt else logging.INFO
    if first.at is None:
        when = _("polling now")
    else:
        when = _("next poll {at}").format(at=since_text(first.at, now))
    why = [first.why_now] if first.why_now else []
    if first.at is not None or pace.chosen or failing:  # the pace its plan follows
        why.append(pace_words(name, pace, now, failing, newest))
    return level, f"{name}: {when} ({'; '.join(why)})"


def pace_words(name: str, pace: Pace, now: datetime, failing: int, newest: date | None) -> str:
    """Why a source is polled when it is: ``every 1m, as configured``; ``Friday's fixing
    in hand; next publication 25 May 16:00 UTC``; ``failing: every 2h, 4 times less
    often until it recovers``."""
    every = _span(pace.interval)
    if failing:
        slowed = _span(pace.interval * failing)
        return ngettext(
            "failing: every {every}, {n} time less often until it recovers",
            "failing: every {every}, {n} times less often until it recovers",
            failing,
        ).format(every=slowed, n=failing)
    if pace.raised:
        configured = _span(pace.configured)
        return _("every {every}, {source}'s politeness floor ({configured} configured)").format(
            every=every, source=name, configured=configured
        )
    if pace.chosen:
        return _("every {every}, as configured").format(every=every)
    if pace.calendar is None:
        return _("every {every}").format(every=every)
    calendar = pace.calendar
    state = tide(calendar, now, newest, pace.lead_in)
    if pace.market:
        return market_words(calendar, state, pace, now, newest)
    if state is Tide.BEHIND:
        due = calendar.expected(now)
        if newest is None or due is None:
            return _("no fixing stored yet: every {every} until one comes").format(every=every)
        since = since_text(calendar.published(due), now)
        return _("{fixing} due since {since}, not in hand: every {every}").format(
            fixing=_fixing(due, calendar.today(now)), since=since, every=every
        )
    assert newest is not None  # else behind
    held = _fixing(newest, calendar.today(now))
    if state is Tide.WINDOW:
        return _("{fixing} in hand; in its publication window: every {every}").format(
            fixing=held, every=every
        )
    opens = calendar.next_window(now, pace.lead_in)
    words = _("{fixing} in hand; next publication {at}").format(
        fixing=held, at=since_text(opens + pace.lead_in, now)
    )
    quiet = quiet_interval(pace.interval)
    if now + quiet < opens:
        words = _checked(words, quiet)
    return words


def market_words(
    calendar: Calendar, state: Tide, pace: Pace, now: datetime, newest: date | None
) -> str:
    """Why a market source is polled when it is, by its banking hours: ``banks open
    until 13:00 UTC: every 30m``; ``banks closed, they open 9 Mar 03:00 UTC; checked every
    3h until then``; ``no board read today: every 30m until one is``."""
    every = _span(pace.interval)
    if state is Tide.BEHIND:
        return _("no board read today: every {every} until one is").format(every=every)
    if state is Tide.WINDOW:
        closes = calendar.published(calendar.today(now)) + calendar.window
        return _("banks open until {at}: every {every}").format(
            at=since_text(closes, now), every=every
        )
    opens = calendar.next_window(now, pace.lead_in)
    words = _("banks closed, they open {at}").format(at=since_text(opens, now))
    quiet = quiet_interval(pace.interval)
    if now + quiet < opens:
        words = _checked(words, quiet)
    return words


def _checked(words: str, quiet: timedelta) -> str:
    """``words; checked every 3h until then``."""
    return _("{words}; checked every {every} until then").format(words=words, every=_span(quiet))


def _fixing(day: date, today: date) -> str:
    """``today's fixing``, ``Friday's fixing``, ``the fixing of 15 May``."""
    ahead = (day - today).days
    if ahead in (-1, 0, 1):
        return _(_NEAR[ahead + 1])
    if abs(ahead) < 7:
        return _(_WEEKDAYS[day.weekday()])
    return _("the fixing of {day}").format(day=day_month(day).removeprefix("0"))


#: A fixing by its day, near today (yesterday's, today's, tomorrow's) and within a week.
_NEAR = (N_("yesterday's fixing"), N_("today's fixing"), N_("tomorrow's fixing"))
_WEEKDAYS = (
    N_("Monday's fixing"),
    N_("Tuesday's fixing"),
    N_("Wednesday's fixing"),
    N_("Thursday's fixing"),
    N_("Friday's fixing"),
    N_("Saturday's fixing"),
    N_("Sunday's fixing"),
)


def _span(value: timedelta) -> str:
    """``1m``, ``2h30m``; under a second (only a test's), in milliseconds."""
    if value < timedelta(seconds=1):
        return _("{n}ms").format(n=value // timedelta(milliseconds=1))
    return duration_words(value)
