"""What a backfill asks each source for, and how long that should take.

* Only the dates the source's calendar dates fixings, and only those it has published by
  now (:meth:`~providers.calendar.Calendar.published`): today's currencyapi file before
  its hour is not asked for (a rerun after it is).
* A range source's spans join across the days it dates nothing.
* Before a run: the requests planned and an estimate of their duration from the source's
  pacing (``backfill_concurrency`` in flight, ``backfill_delay`` between two).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from providers.base import History, Provider
from ticker.model.pair_routes import Routing, extra_currencies, route_for
from ticker.model.pairs import USD, Pair, is_local

#: What one request is taken to cost besides the source's pacing (the round trip to a
#: central bank's site from afar, and its answer): for the estimate before a backfill.
REQUEST_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class Unit:
    """One fetch_history call."""

    start: date
    end: date


def a_year_back(today: date) -> date:
    """``--since 1y``: the same day a year before ``today`` (28 February for the 29th)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def missing_spans(
    since: date, until: date, covered: set[date], is_dated: Callable[[date], bool]
) -> list[tuple[date, date]]:
    """Date spans in ``[since, until]`` that still need fetching, from and to a missing
    day: a dated day not ``covered``. Days the source dates nothing (weekends of a
    business-day source) neither need fetching nor break a span."""
    spans: list[tuple[date, date]] = []
    start: date | None = None
    last: date | None = None
    for day in days(since, until):
        if day in covered:
            if start is not None and last is not None:
                spans.append((start, last))
            start = last = None
        elif is_dated(day):
            start = start or day
            last = day
    if start is not None and last is not None:
        spans.append((start, last))
    return spans


def published_by(provider: Provider, now: datetime | None) -> Callable[[date], bool]:
    """Whether ``provider`` dates a fixing on a day and (with ``now``) has published it
    by then, as its calendar says."""
    calendar = provider.CALENDAR
    if now is None:
        return provider.publishes_on
    return lambda day: provider.publishes_on(day) and calendar.published(day) <= now


def plan_units(
    provider: Provider,
    since: date,
    until: date,
    covered: set[date],
    now: datetime | None = None,
) -> list[Unit]:
    """What to ask ``provider`` for, oldest first (``covered``: dates not to ask for;
    ``now``: days not published by then are not asked for)."""
    first = max(since, provider.HISTORY_START or since)
    if provider.HISTORY is History.NONE or first > until:
        return []
    wanted = published_by(provider, now)
    if provider.HISTORY is History.DAILY:
        return [Unit(d, d) for d in days(first, until) if d not in covered and wanted(d)]
    units: list[Unit] = []
    step = timedelta(days=provider.HISTORY_STEP_DAYS - 1)
    for start, end in missing_spans(first, until, covered, wanted):
        while start <= end:
            chunk_end = min(start + step, end)
            units.append(Unit(start, chunk_end))
            start = chunk_end + timedelta(days=1)
    return units


def clipped_start(provider: Provider, since: date, until: date) -> date | None:
    """The first date of ``provider``'s history when it starts after ``since`` (and not
    after ``until``): the backfill asks from there."""
    start = provider.HISTORY_START
    if provider.HISTORY is History.NONE or start is None or not since < start <= until:
        return None
    return start


def estimated_seconds(requests: int, concurrency: int, delay: float) -> float:
    """How long ``requests`` take at a source's pacing: ``concurrency`` in flight at
    most, each taking :data:`REQUEST_SECONDS`, and at least ``delay`` between two."""
    return requests * max(delay, (delay + REQUEST_SECONDS) / max(concurrency, 1))


def days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def series_key(base: str, quote: str) -> str:
    """How a backfill names a stored series (and its days without a fixing): a dollar
    pair by its other currency (``KZT``, ``RUB``), any other as written (``RUB/TJS``)."""
    return quote if base == USD else f"{base}/{quote}"


def series_pair(key: str) -> str:
    """The pair a series (:func:`series_key`) is, written as observations carry it
    (``KZT``: ``USD/KZT``; ``RUB/TJS`` as it is): what a provider is narrowed to."""
    return key if "/" in key else f"{USD}/{key}"


def series_of(pairs: Sequence[Pair], routing: Routing) -> dict[str, dict[str, frozenset[str]]]:
    """Per source, the series (:func:`series_key`) the ``pairs``' routes read of it, each
    with the currencies it must be asked for to give it."""
    found: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for pair in pairs:
        for source, asked in extra_currencies([pair], routing).items():
            route = route_for(pair, routing, [source])
            for leg in route.direct + route.via:
                found[source][series_key(leg.stored.base, leg.stored.quote)] = asked
    return found


def crossed_locals(pairs: Sequence[Pair]) -> set[str]:
    """The local currencies whose dollar rates the ``pairs``' crosses go through."""
    return {c for p in pairs for c in (p.base, p.quote) if is_local(c)}
