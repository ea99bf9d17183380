"""CSV export of the rate history: the ``ticker export`` command and the dashboard's ``e``.

Forms:

* long (default): ``as_of,base,quote,rate,provider,derived,fetched_at``, one row per stored
  observation, ordered by pair, then date, then provider;
* ``best``: per pair, one row for every date to the newest exported, the rate in force on
  it (see
  :mod:`ticker.core.export.in_force`): the same columns and ``carried_from``, the
  fixing's own date when it is carried from an earlier one;
* ``wide``: ``as_of,USD/KGS,USD/KZT,...``, one row per date, each pair's rate in force
  (empty before its first fixing); with ``sources``, after each pair its source and
  ``carried_from``.

The economic indicators (``indicators``) are :mod:`ticker.core.export.indicators`.

RFC 4180 (CRLF line ends), UTF-8, ISO 8601 dates, ``.`` as the decimal separator, no
thousands separators. A direct quote keeps its published digits (``478.77``); the long
form in ``per-usd`` orientation (the default) writes every stored rate exactly as stored;
a cross in the best and wide forms, and every rate turned around (``usd-per``), has 10
significant digits. Rows stream from the database (:mod:`ticker.storage.export_stream`),
so memory stays flat whatever the history's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, islice
from typing import BinaryIO

from ticker.config import Settings
from ticker.core.export.in_force import LOOKBACK, best_line, best_rows, wide_rows
from ticker.core.export.indicators import write_indicators
from ticker.core.export.pair_force import Fed, mixed_wide_rows, other_best_rows
from ticker.core.export.shapes import Row, oriented
from ticker.core.export.target import opened_target
from ticker.model.pairs import LOCAL_CURRENCIES, Orientation, Pair, pair_for
from ticker.storage.export_stream import COLUMNS, Selection, csv_chunks, field_rows, last_date
from ticker.storage.reads import ReadQueries

#: Rows encoded and written at a time on the reshaping paths.
_WRITE_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What to export, and in which form."""

    locals_: Sequence[str] | None = None
    """Only these pairs (local currency codes); None: every pair (the wide form: the
    displayed pairs)."""
    providers: Sequence[str] | None = None
    since: date | None = None
    until: date | None = None
    best: bool = False
    """The rate in force per pair and date."""
    wide: bool = False
    """One row per date, one column per pair (implies ``best``)."""
    sources: bool = False
    """The wide form only: each pair's source and ``carried_from`` beside its rate."""
    orientation: Orientation = Orientation.PER_USD
    indicators: bool = False
    """The economic indicators instead of the rates, the annual and the monetary series
    (:mod:`ticker.core.export.indicators`; ``providers``: their sources;
    ``since``/``until``: the periods that overlap those days)."""
    revisions: bool = False
    """With ``indicators``: every value a revision replaced too (a ``replaced_at``
    column)."""
    pairs: Sequence[Pair] | None = None
    """The pairs other than the dollar's (``RUB/TJS``, ``KZT/KGS``), as written; None:
    the watched ones (``[pairs] watch``). Exported after the dollar pairs (``locals_``;
    ``[]``: none of them): the long form as published, either way round (the base and
    quote columns say which); ``--best``/``--wide`` in the orientation written
    (``orientation`` is the dollar pairs')."""


def export(
    store: ReadQueries, settings: Settings, options: ExportOptions, target: str | None, force: bool
) -> int:
    """Write the CSV to ``target`` (a file, atomically; stdout for None or ``-``); returns
    the number of data rows."""
    with opened_target(target, force) as out:
        return write_csv(store, settings, options, out)


def write_csv(store: ReadQueries, settings: Settings, options: ExportOptions, out: BinaryIO) -> int:
    """Write the header and every row to ``out``; returns the number of data rows."""
    if options.indicators:
        return write_indicators(
            store, out, options.providers, options.since, options.until, options.revisions
        )
    others = _others(settings, options)
    if options.wide or options.best:
        if others:
            return _write_mixed(store, settings, options, others, out)
        return _write_in_force(store, settings, options, out)
    selection = Selection(_dollars(options), options.providers, options.since, options.until)
    published = [
        Selection(None, options.providers, options.since, options.until, _either_way(p))
        for p in others
    ]
    if options.orientation is Orientation.PER_USD:
        out.write(_line(COLUMNS))
        count = 0
        for chosen in [selection] if options.locals_ != [] else []:
            for chunk in csv_chunks(store, chosen):  # the fast path: lines made by the database
                out.write(chunk)
                count += chunk.count(b"\n")
        for chosen in published:
            for chunk in csv_chunks(store, chosen):
                out.write(chunk)
                count += chunk.count(b"\n")
        return count
    rows: Iterable[Row] = field_rows(store, selection) if options.locals_ != [] else ()
    return _write(
        out,
        COLUMNS,
        chain(oriented(rows, options.orientation), *(field_rows(store, s) for s in published)),
    )


def _dollars(options: ExportOptions) -> Sequence[str]:
    """The dollar pairs to export (local codes): those asked, or the five (a source's
    dollar rate of another currency, such as an aggregator's ``USD/RUB``, is a leg of
    crosses, not a pair)."""
    return LOCAL_CURRENCIES if options.locals_ is None else options.locals_


def _others(settings: Settings, options: ExportOptions) -> list[Pair]:
    """The pairs other than the dollar's to export, once each."""
    chosen = settings.pairs.others if options.pairs is None else options.pairs
    return list(dict.fromkeys(p for p in chosen if not p.is_usd))


def _either_way(pair: Pair) -> list[tuple[str, str]]:
    """A pair's stored series as any source publishes it: either way round."""
    return [(pair.base, pair.quote), (pair.quote, pair.base)]


def _write_mixed(
    store: ReadQueries,
    settings: Settings,
    options: ExportOptions,
    others: Sequence[Pair],
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
        selection = Selection(_dollars(options), providers, earlier, options.until)
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
    store: ReadQueries, settings: Settings, options: ExportOptions, out: BinaryIO
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
    selection = Selection(_dollars(options), options.providers, earlier, options.until)
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
