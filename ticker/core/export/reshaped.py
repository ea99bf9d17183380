"""The export's reshaped forms: ``best`` and ``wide`` (the rate in force per pair and
date, :mod:`ticker.core.export.in_force` and :mod:`ticker.core.export.pair_force`), and
the long form turned around (``usd-per``). Imported only for them: the long form as
stored (:mod:`ticker.core.export`) moves lines made by the database and needs none of
this."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import TYPE_CHECKING, BinaryIO

from ticker.core.export.in_force import LOOKBACK, best_line, best_rows, wide_rows
from ticker.core.export.pair_force import Fed, mixed_wide_rows, other_best_rows
from ticker.core.export.shapes import Row, oriented
from ticker.model.pairs import Pair, pair_for
from ticker.storage.export_stream import COLUMNS, Selection, field_rows, last_date
from ticker.storage.reads import ReadQueries

if TYPE_CHECKING:
    from ticker.config import Settings
    from ticker.core.export import ExportOptions

#: Rows encoded and written at a time.
_WRITE_BATCH = 10_000


def write_turned(
    store: ReadQueries,
    options: ExportOptions,
    selection: Selection | None,
    published: Sequence[Selection],
    out: BinaryIO,
) -> int:
    """The long form in ``options.orientation`` (not the stored one): the dollar pairs of
    ``selection`` (None: none) turned around, then the other pairs as published."""
    rows: Iterable[Row] = field_rows(store, selection) if selection is not None else ()
    return _write(
        out,
        COLUMNS,
        chain(oriented(rows, options.orientation), *(field_rows(store, s) for s in published)),
    )


def write_in_force(
    store: ReadQueries,
    settings: Settings,
    options: ExportOptions,
    others: Sequence[Pair],
    dollars: Sequence[str],
    out: BinaryIO,
) -> int:
    """The best or the wide form: the dollar pairs' rate in force per date
    (:mod:`ticker.core.export.in_force`; ``dollars``: those the best form exports), then
    ``others``', the pairs other than the dollar's (:mod:`ticker.core.export.pair_force`).
    Fixings are read from a little before ``since``: the rate in force on its first date
    may be older than it."""
    earlier = options.since - LOOKBACK if options.since is not None else None
    routing, providers = settings.routing, options.providers

    def asked(locals_: Sequence[str]) -> Selection:
        return Selection(locals_, providers, earlier, options.until)

    def read(fed: Fed) -> Iterator[Row]:
        chosen = Selection(None, providers, earlier, options.until, fed.series)
        return field_rows(store, chosen, order="date")

    if options.wide:
        lines: Iterable[Row]
        if others:
            locals_ = list(settings.display.pairs if options.locals_ is None else options.locals_)
            fed = Fed(locals_, others, routing, providers)
            lines = mixed_wide_rows(
                read(fed),
                locals_,
                fed,
                options.orientation,
                options.since,
                options.sources,
            )
        else:
            locals_ = list(options.locals_ or settings.display.pairs)
            lines = wide_rows(
                field_rows(store, asked(locals_), order="date"),
                locals_,
                routing,
                providers,
                options.orientation,
                options.since,
                options.sources,
            )
        header: list[str] = ["as_of"]
        for name in [*(str(pair_for(c, options.orientation)) for c in locals_), *map(str, others)]:
            header += (
                [name, f"{name} source", f"{name} carried_from"] if options.sources else [name]
            )
        return _write(out, header, lines)
    found: list[Iterable[Row]] = []
    if options.locals_ != [] or not others:
        selection = asked(dollars)
        best = best_rows(
            field_rows(store, selection),
            routing,
            providers,
            options.since,
            last_date(store, selection),
        )
        if others:  # a cross's legs (``via``): none
            found.append((*best_line(f, options.orientation), "") for f in best)
        else:
            found.append(best_line(f, options.orientation) for f in best)
    for pair in others:
        fed = Fed([], [pair], routing, providers)
        found.append(other_best_rows(pair, read(fed), fed, options.since))
    via = ["via"] if others else []
    return _write(out, (*COLUMNS, "carried_from", *via), chain(*found))


def _line(fields: Sequence[str]) -> bytes:
    return (",".join(fields) + "\r\n").encode()


def _write(out: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    # No field can hold a comma, a quote or a line break (dates, codes, numbers, names).
    out.write(_line(header))
    count = 0
    iterator: Iterator[Sequence[str]] = iter(rows)
    while batch := list(islice(iterator, _WRITE_BATCH)):
        out.write("".join([",".join(r) + "\r\n" for r in batch]).encode())
        count += len(batch)
    return count
