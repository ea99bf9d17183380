"""Reshaping exported rows: another orientation, the routed source only, the wide form.

Rows are tuples of text in the order of :data:`~ticker.storage.export_stream.COLUMNS`
(stored canonically, ``USD/local``). Every function here consumes and yields lazily, so
memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from ticker.model.pairs import Orientation, convert, pair_for

Row = tuple[str, ...]

_AS_OF, _BASE, _QUOTE, _RATE, _PROVIDER = range(5)


def rate_in(rate: str, local: str, orientation: Orientation) -> str:
    """A stored ``USD/local`` rate's text in ``orientation``: the stored digits as they
    are, or the inverse at 20 significant digits."""
    if orientation is Orientation.PER_USD:
        return rate
    return format(convert(Decimal(rate), pair_for(local, orientation)), "f")


def oriented(rows: Iterable[Row], orientation: Orientation) -> Iterator[Row]:
    """Long-form rows with base, quote and rate in ``orientation``."""
    if orientation is Orientation.PER_USD:
        yield from rows
        return
    for row in rows:
        local = row[_QUOTE]
        yield (row[_AS_OF], local, row[_BASE], rate_in(row[_RATE], local, orientation), *row[4:])


def best(rows: Iterable[Row], routing: Mapping[str, Sequence[str]]) -> Iterator[Row]:
    """Per pair and date, only the row of the first provider in ``routing`` that has one
    (what the dashboard shows); rows ordered by pair then date. Providers not in the
    pair's routing are never chosen."""
    ranks = {local: {p: i for i, p in enumerate(order)} for local, order in routing.items()}
    for (local, _as_of), group in groupby(rows, key=itemgetter(_QUOTE, _AS_OF)):
        rank = ranks.get(local, {})
        chosen = min(
            (r for r in group if r[_PROVIDER] in rank),
            key=lambda r: rank[r[_PROVIDER]],
            default=None,
        )
        if chosen is not None:
            yield chosen


def wide(
    rows: Iterable[Row],
    locals_: Sequence[str],
    routing: Mapping[str, Sequence[str]],
    orientation: Orientation,
) -> Iterator[tuple[str, ...]]:
    """One row per date (rows ordered by date): the date, then each pair's routed rate in
    ``orientation``, or an empty cell where that pair has no fixing that day."""
    column = {local: i for i, local in enumerate(locals_)}
    by_date = groupby(rows, key=itemgetter(_AS_OF))
    for as_of, group in by_date:
        cells = [""] * len(locals_)
        for row in best(group, routing):
            local = row[_QUOTE]
            if local in column:
                cells[column[local]] = rate_in(row[_RATE], local, orientation)
        if any(cells):
            yield (as_of, *cells)
