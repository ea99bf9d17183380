"""The rate in force on each date, as ``export --best`` and ``--wide`` write it.

For each pair and each calendar date, the value the dashboard's routing would show at the
end of that date (:func:`ticker.model.routing.choose`, the one owner of that rule), from
the fixings effective on or before it:

* the official source's fixing of that date;
* on a date it does not date a fixing (NBK's Sunday, a holiday), its last fixing,
  *carried*, and said so (``carried_from`` = the fixing's own date);
* only once the official source has published nothing new for longer than
  :data:`OVERDUE_IN_HISTORY`, the first routed source with a *newer* fixing of its own
  (never a copy of the held number such as CBR's som computed from NBKR's, never the same
  date again), itself carried on the dates it does not publish.

So a weekend of KZT is NBK's Saturday (or, in a store without it, Friday's) fixing
carried, not NBT's cross of the tenge. Rows arrive ordered by pair then date (best) or by
date then pair (wide); per pair only the last fixing of each routed source is held, so
memory stays flat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from ticker.core.export.shapes import Row, rate_in
from ticker.model.freshness import calendar_for
from ticker.model.pairs import Orientation
from ticker.model.routing import choose

_AS_OF, _BASE, _QUOTE, _RATE, _PROVIDER, _DERIVED = range(6)
_DAY = timedelta(days=1)

#: How far before ``--since`` fixings are read: the rate in force on the first date
#: exported may have been fixed before it (a weekend, a holiday, a weekly fixing).
LOOKBACK = timedelta(days=31)

#: How late the official source's next new rate may be, in a stored history, before a
#: fallback stands in for it (the dashboard waits a day, live). A history's gaps are
#: mostly ours, not the source's (a collector off over a weekend; a store filled before
#: NBK's weekend files were asked for): over those the official rate stays in force,
#: carried; a source silent for longer than the latest poll's lookback is not.
OVERDUE_IN_HISTORY = timedelta(days=7)


class _Fixing(NamedTuple):
    """A stored row as routing reads it."""

    provider: str
    quote: str
    as_of: date
    row: Row


class InForce(NamedTuple):
    """The row in force on ``day``; ``carried_from`` is its own date when that is earlier."""

    day: date
    row: Row
    carried_from: date | None


class PairInForce:
    """The rate in force of one pair, fed its rows in date order."""

    def __init__(self, local: str, routing: Sequence[str]) -> None:
        self.local = local
        self.routing = routing
        self.latest: dict[str, _Fixing] = {}
        self._zone = calendar_for(routing[0]).tz

    def take(self, row: Row) -> None:
        """Hold ``row`` as its source's newest fixing (rows come in date order)."""
        provider = row[_PROVIDER]
        if provider in self.routing:
            self.latest[provider] = _Fixing(
                provider, self.local, date.fromisoformat(row[_AS_OF]), row
            )

    def on(self, day: date) -> InForce | None:
        """The row in force at the end of ``day`` (in the official source's zone)."""
        if not self.latest:
            return None
        end = datetime.combine(day + _DAY, time(0), tzinfo=self._zone) - timedelta(microseconds=1)
        choice = choose(self.routing, self.latest, {}, end, OVERDUE_IN_HISTORY)
        if choice is None:
            return None
        held = self.latest[choice.provider]
        return InForce(day, held.row, None if held.as_of == day else held.as_of)


def routed(
    routing: Mapping[str, Sequence[str]], local: str, providers: Sequence[str] | None
) -> list[str]:
    """The pair's routing, restricted to ``providers`` when the export names some."""
    order = list(routing.get(local, ()))
    return order if providers is None else [p for p in order if p in providers]


def best_rows(
    rows: Iterable[Row],
    routing: Mapping[str, Sequence[str]],
    providers: Sequence[str] | None,
    since: date | None,
    last: date | None,
) -> Iterator[InForce]:
    """Per pair (rows ordered by pair then date), the row in force on every date from
    ``since`` (or the pair's first fixing) to ``last`` (the newest date exported, as the
    wide form's last row)."""
    for local, pair_rows in groupby(rows, key=itemgetter(_QUOTE)):
        order = routed(routing, local, providers)
        if not order:
            continue
        state = PairInForce(local, order)
        day: date | None = None
        for as_of_text, group in groupby(pair_rows, key=itemgetter(_AS_OF)):
            as_of = date.fromisoformat(as_of_text)
            while day is not None and day < as_of:
                yield from _emitted(state, day, since)
                day += _DAY
            for row in group:
                state.take(row)
            yield from _emitted(state, as_of, since)
            day = as_of + _DAY
        while day is not None and last is not None and day <= last:
            yield from _emitted(state, day, since)
            day += _DAY


def _emitted(state: PairInForce, day: date, since: date | None) -> Iterator[InForce]:
    if since is not None and day < since:
        return
    found = state.on(day)
    if found is not None:
        yield found


def best_line(found: InForce, orientation: Orientation) -> Row:
    """A ``--best`` row: the long form's fields for the date in force, then
    ``carried_from`` (empty when the fixing is dated that day)."""
    row = found.row
    local = row[_QUOTE]
    rate = rate_in(row[_RATE], local, orientation, cross=row[_DERIVED] == "true")
    base, quote = (row[_BASE], local) if orientation is Orientation.PER_USD else (local, row[_BASE])
    carried = found.carried_from.isoformat() if found.carried_from else ""
    return (found.day.isoformat(), base, quote, rate, *row[_PROVIDER:], carried)


def wide_rows(
    rows: Iterable[Row],
    locals_: Sequence[str],
    routing: Mapping[str, Sequence[str]],
    providers: Sequence[str] | None,
    orientation: Orientation,
    since: date | None,
    sources: bool,
) -> Iterator[Row]:
    """One row per date (rows ordered by date) from ``since`` (or the first fixing) to the
    last: each pair's rate in force in ``orientation``, empty before its first fixing; with
    ``sources``, after each pair its source and ``carried_from``."""
    states = {
        local: PairInForce(local, order)
        for local in locals_
        if (order := routed(routing, local, providers))
    }

    def line(on: date) -> Iterator[Row]:
        if since is not None and on < since:
            return
        cells = dollar_cells(states, locals_, on, orientation, sources)
        if any(cells):
            yield (on.isoformat(), *cells)

    def take(row: Row) -> None:
        state = states.get(row[_QUOTE])
        if state is not None:
            state.take(row)

    yield from day_by_day(rows, take, line)


def dollar_cells(
    states: Mapping[str, PairInForce],
    locals_: Sequence[str],
    on: date,
    orientation: Orientation,
    sources: bool,
) -> list[str]:
    """The wide form's cells of the dollar pairs on ``on``: each rate in force in
    ``orientation`` (with ``sources``, its provider and the date it was carried from)."""
    cells: list[str] = []
    for local in locals_:
        state = states.get(local)
        found = state.on(on) if state is not None else None
        if found is None:
            cells.extend(("", "", "") if sources else ("",))
            continue
        row = found.row
        cells.append(rate_in(row[_RATE], local, orientation, cross=row[_DERIVED] == "true"))
        if sources:
            carried = found.carried_from.isoformat() if found.carried_from else ""
            cells.extend((row[_PROVIDER], carried))
    return cells


def day_by_day(
    rows: Iterable[Row], take: Callable[[Row], None], line: Callable[[date], Iterator[Row]]
) -> Iterator[Row]:
    """The wide and best forms' walk: ``rows`` in date order, each day's handed to
    ``take``, then ``line`` of every day from the first date on (the days between two
    fixings too: the rate in force carries)."""
    day: date | None = None
    for as_of_text, group in groupby(rows, key=itemgetter(_AS_OF)):
        as_of = date.fromisoformat(as_of_text)
        while day is not None and day < as_of:
            yield from line(day)
            day += _DAY
        for row in group:
            take(row)
        yield from line(as_of)
        day = as_of + _DAY
