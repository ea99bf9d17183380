"""The rate in force of a pair other than the dollar's (``RUB/TJS``, ``KZT/KGS``), each
date, for ``export --best`` and ``--wide``: by the pair's route
(:mod:`ticker.model.pair_routes`) and the same rule as every pair
(:func:`ticker.model.routing.choose`, as :mod:`ticker.core.export.in_force` uses it):

* a central bank's direct quote (NBT's ``RUB/TJS``; CBR's ``TJS/RUB`` turned round),
  carried over the dates it does not publish, and said so;
* a cross through the dollar (an aggregator's ``USD/RUB`` with the routed ``USD/TJS``;
  for two local currencies each side's routed dollar rate) only where the direct quotes
  are overdue or absent: its source is the route's name (``via:frankfurter``,
  ``via:usd``) and its legs are written beside it (``nbk USD/KZT 2026-11-24 478.77;
  nbkr USD/KGS 2026-11-25 87.45``), the older leg's date its ``carried_from`` when
  earlier than the date.

A direct quote in the orientation asked keeps its stored digits; one turned round, and a
cross, have :data:`~ticker.core.export.shapes.COMPUTED_DIGITS` significant digits.
Rows arrive in date order; only each series' newest row is held.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, localcontext
from operator import itemgetter

from ticker.core.export.in_force import (
    OVERDUE_IN_HISTORY,
    PairInForce,
    day_by_day,
    dollar_cells,
    routed,
)
from ticker.core.export.shapes import COMPUTED_DIGITS, Row, significant
from ticker.model.freshness import calendar_for
from ticker.model.pair_routes import VIA, VIA_USD, PairRoute, route_for
from ticker.model.pairs import USD, Orientation, Pair
from ticker.model.routing import choose

_AS_OF, _BASE, _QUOTE, _RATE, _PROVIDER, _DERIVED, _FETCHED = range(7)
_DAY = timedelta(days=1)
Routing = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class _Fixing:
    """What :func:`choose` reads: the source whose calendar judges it (a cross's older
    leg's), the pair's text, the date."""

    provider: str
    quote: str
    as_of: date


@dataclass(frozen=True, slots=True)
class Found:
    """A pair's rate in force on ``day``, in the orientation asked."""

    day: date
    rate: str
    source: str
    """The direct quote's source, or the cross's route (``via:usd``)."""
    derived: str
    fetched_at: str
    carried_from: date | None
    legs: str
    """A cross's legs (empty for a direct quote)."""


class OtherPairInForce:
    """The rate in force of one pair other than the dollar's, fed rows in date order
    (its direct series, its aggregators' ``USD/foreign``; the dollar rates it crosses
    are ``dollars``', fed by the caller)."""

    def __init__(
        self,
        pair: Pair,
        routing: Routing,
        providers: Sequence[str] | None,
        dollars: Mapping[str, PairInForce],
    ) -> None:
        self.pair = pair
        route: PairRoute = route_for(pair, routing, providers)
        self.canonical = route.pair
        self.direct = {(leg.stored.base, leg.stored.quote, leg.provider) for leg in route.direct}
        self.via = {(USD, leg.stored.quote, leg.provider) for leg in route.via}
        self.dollars = dollars
        self.order = [leg.provider for leg in route.direct]
        self.order += [VIA + leg.provider for leg in route.via]
        self.order += [VIA_USD] if route.crosses_locals else []
        self.latest: dict[str, Row] = {}
        first = route.direct[0].provider if route.direct else routing.get(pair.local, ["nbt"])[0]
        self._zone = calendar_for(first).tz

    @property
    def series(self) -> list[tuple[str, str]]:
        """The stored series it reads (``dollars``' aside)."""
        return list(dict.fromkeys((b, q) for b, q, _p in sorted(self.direct | self.via)))

    @property
    def locals_needed(self) -> list[str]:
        """The local currencies whose routed dollar rate its crosses need."""
        c = self.canonical
        if c.is_local_cross:
            return [c.base, c.quote]
        return [c.quote] if self.via else []

    def take(self, row: Row) -> None:
        key = (row[_BASE], row[_QUOTE], row[_PROVIDER])
        if key in self.direct:
            self.latest[row[_PROVIDER]] = row
        elif key in self.via:
            self.latest[VIA + row[_PROVIDER]] = row

    def on(self, day: date) -> Found | None:
        """The rate in force at the end of ``day`` (in the official source's zone)."""
        text = str(self.canonical)
        candidates = {
            name: made
            for name in self.order
            if (made := self._candidate(name, day, text)) is not None
        }
        if not candidates:
            return None
        end = datetime.combine(day + _DAY, time(0), tzinfo=self._zone) - timedelta(microseconds=1)
        latest = {name: c.fixing for name, c in candidates.items()}
        choice = choose(self.order, latest, {}, end, OVERDUE_IN_HISTORY)
        if choice is None:  # pragma: no cover - there is a candidate
            return None
        shown = candidates[choice.provider]
        carried = None if shown.fixing.as_of == day else shown.fixing.as_of
        row = shown.row
        if row is not None:  # a direct quote
            turned = (row[_BASE], row[_QUOTE]) != (self.pair.base, self.pair.quote)
            rate = _inverse(Decimal(row[_RATE])) if turned else row[_RATE]
            return Found(day, rate, row[_PROVIDER], row[_DERIVED], row[_FETCHED], carried, "")
        assert shown.value is not None
        value = shown.value if self.pair == self.canonical else _one_over(shown.value)
        rate = significant(value, COMPUTED_DIGITS)
        return Found(day, rate, choice.provider, "true", shown.fetched_at, carried, shown.legs)

    def _candidate(self, name: str, day: date, text: str) -> _Candidate | None:
        if name == VIA_USD:
            base = self.dollars.get(self.canonical.base)
            quote = self.dollars.get(self.canonical.quote)
            b = base.on(day) if base is not None else None
            q = quote.on(day) if quote is not None else None
            if b is None or q is None:
                return None
            return _cross(text, b.row, q.row)
        row = self.latest.get(name)
        if row is None:
            return None
        if not name.startswith(VIA):
            fixing = _Fixing(row[_PROVIDER], text, date.fromisoformat(row[_AS_OF]))
            return _Candidate(fixing, None, row, row[_FETCHED], "")
        dollar = self.dollars.get(self.canonical.quote)
        local = dollar.on(day) if dollar is not None else None
        if local is None:
            return None
        return _cross(text, row, local.row)


@dataclass(frozen=True, slots=True)
class _Candidate:
    fixing: _Fixing
    value: Decimal | None
    """A cross's value, of the canonical pair."""
    row: Row | None
    """A direct quote's stored row."""
    fetched_at: str
    legs: str


def _cross(text: str, base: Row, quote: Row) -> _Candidate:
    """``B/Q`` from two stored dollar rows ``USD/B`` and ``USD/Q`` (``Q per USD / B per
    USD``), judged by its older leg; its legs' text, oldest first."""
    with localcontext(prec=28):
        value = Decimal(quote[_RATE]) / Decimal(base[_RATE])
    ordered = sorted((base, quote), key=itemgetter(_AS_OF))
    older = ordered[0]
    legs = "; ".join(
        f"{r[_PROVIDER]} {r[_BASE]}/{r[_QUOTE]} {r[_AS_OF]} {r[_RATE]}" for r in ordered
    )
    fixing = _Fixing(older[_PROVIDER], text, date.fromisoformat(older[_AS_OF]))
    return _Candidate(fixing, value, None, max(base[_FETCHED], quote[_FETCHED]), legs)


def _one_over(value: Decimal) -> Decimal:
    with localcontext(prec=28):
        return 1 / value


def _inverse(value: Decimal) -> str:
    return significant(_one_over(value), COMPUTED_DIGITS)


class Fed:
    """The states of an export's pairs, fed one stream of rows in date order: the
    dollar pairs' (also those the crosses need) and the other pairs'."""

    def __init__(
        self,
        locals_: Sequence[str],
        others: Sequence[Pair],
        routing: Routing,
        providers: Sequence[str] | None,
    ) -> None:
        self.others = {pair: OtherPairInForce(pair, routing, providers, {}) for pair in others}
        wanted = list(locals_) + [c for s in self.others.values() for c in s.locals_needed]
        self.dollars = {
            local: PairInForce(local, order)
            for local in dict.fromkeys(wanted)
            if (order := routed(routing, local, providers))
        }
        for state in self.others.values():
            state.dollars = self.dollars

    @property
    def series(self) -> list[tuple[str, str]]:
        found = [(USD, local) for local in self.dollars]
        found += [s for state in self.others.values() for s in state.series]
        return list(dict.fromkeys(found))

    def take(self, row: Row) -> None:
        if row[_BASE] == USD and row[_QUOTE] in self.dollars:
            self.dollars[row[_QUOTE]].take(row)
        for state in self.others.values():
            state.take(row)


def other_best_rows(
    pair: Pair,
    rows: Iterable[Row],
    fed: Fed,
    since: date | None,
) -> Iterator[Row]:
    """``export --best`` rows of ``pair`` (rows in date order, fed to ``fed``): every
    date from ``since`` (or the first fixing) to the newest read, with ``carried_from``
    and the cross's legs."""
    state = fed.others[pair]

    def line(on: date) -> Iterator[Row]:
        if since is not None and on < since:
            return
        found = state.on(on)
        if found is not None:
            carried = found.carried_from.isoformat() if found.carried_from else ""
            yield (on.isoformat(), pair.base, pair.quote, found.rate, found.source,
                   found.derived, found.fetched_at, carried, found.legs)  # fmt: skip

    yield from day_by_day(rows, fed.take, line)


def source_text(found: Found) -> str:
    """The wide form's source cell: a direct quote's source; a cross's route and legs."""
    return f"{found.source} ({found.legs})" if found.legs else found.source


def mixed_wide_rows(
    rows: Iterable[Row],
    locals_: Sequence[str],
    fed: Fed,
    orientation: Orientation,
    since: date | None,
    sources: bool,
) -> Iterator[Row]:
    """The wide form with other pairs than the dollar's (rows in date order, fed to
    ``fed``): the dollar pairs' columns first, as :func:`~ticker.core.export.in_force.
    wide_rows` writes them (in ``orientation``), then each other pair's, as asked."""

    def line(on: date) -> Iterator[Row]:
        if since is not None and on < since:
            return
        cells = dollar_cells(fed.dollars, locals_, on, orientation, sources)
        for other in fed.others.values():
            found = other.on(on)
            if found is None:
                cells.extend(("", "", "") if sources else ("",))
                continue
            cells.append(found.rate)
            if sources:
                carried = found.carried_from.isoformat() if found.carried_from else ""
                cells.extend((source_text(found), carried))
        if any(cells):
            yield (on.isoformat(), *cells)

    yield from day_by_day(rows, fed.take, line)
