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
    """The best or the wide form (``dollars``: the dollar pairs the best form exports)."""
    if others:
        return _write_mixed(store, settings, options, others, dollars, out)
    return _write_in_force(store, settings, options, dollars, out)


def _write_mixed(
    store: ReadQueries,
    settings: Settings,
    options: ExportOptions,
    others: Sequence[Pair],
    dollars: Sequence[str],
    out: BinaryIO,
) -> int:
    """The best or the wide form with pairs other than the dollar's
    (:mod:`ticker.core.export.pair_force`)."""
    earlier = options.since - LOOKBACK if options.since is not None else None
    routing, providers = settings.routing, options.providers

    def read(fed: Fed) -> Iterator[Row]:
        chosen = Selection(None, providers, earlier, options.until, fed.series)
        return field_rows(store, chosen, order="date")

    if options.wide:
        locals_ = list(settings.display.pairs if options.locals_ is None else options.locals_)
        fed = Fed(locals_, others, routing, providers)
        header: list[str] = ["as_of"]
        names = [str(pair_for(local, options.orientation)) for local in locals_]
        for name in [*names, *(str(p) for p in others)]:
            header += (
                [name, f"{name} source", f"{name} carried_from"] if options.sources else [name]
            )
        lines = mixed_wide_rows(
            read(fed), locals_, fed, options.orientation, options.since, options.sources
        )
        return _write(out, header, lines)
    found: list[Iterable[Row]] = []
    if options.locals_ != []:
        selection = Selection(dollars, providers, earlier, options.until)
        best = best_rows(
            field_rows(store, selection),
            routing,
            providers,
            options.since,
            last_date(store, selection),
        )
        found.append((*best_line(f, options.orientation), "") for f in best)
    for pair in others:
        fed = Fed([], [pair], routing, providers)
        found.append(other_best_rows(pair, read(fed), fed, options.since))
    return _write(out, (*COLUMNS, "carried_from", "via"), chain(*found))


def _write_in_force(
    store: ReadQueries,
    settings: Settings,
    options: ExportOptions,
    dollars: Sequence[str],
    out: BinaryIO,
) -> int:
    """The best or the wide form: fixings read from a little before ``since`` (the rate
    in force on the first date may be older than it)."""
    earlier = options.since - LOOKBACK if options.since is not None else None
    if options.wide:
        locals_ = list(options.locals_ or settings.display.pairs)
        selection = Selection(locals_, options.providers, earlier, options.until)
        header: list[str] = ["as_of"]
        for local in locals_:
            pair = str(pair_for(local, options.orientation))
            header += (
                [pair, f"{pair} source", f"{pair} carried_from"] if options.sources else [pair]
            )
        dates = field_rows(store, selection, order="date")
        lines = wide_rows(
            dates,
            locals_,
            settings.routing,
            options.providers,
            options.orientation,
            options.since,
            options.sources,
        )
        return _write(out, header, lines)
    selection = Selection(dollars, options.providers, earlier, options.until)
    last = last_date(store, selection)
    found = best_rows(
        field_rows(store, selection), settings.routing, options.providers, options.since, last
    )
    return _write(
        out, (*COLUMNS, "carried_from"), (best_line(f, options.orientation) for f in found)
    )


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
