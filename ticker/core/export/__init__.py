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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, BinaryIO

from ticker.core.export.target import opened_target
from ticker.model.pairs import LOCAL_CURRENCIES, Orientation, Pair
from ticker.storage.export_stream import COLUMNS, Selection, write_lines

if TYPE_CHECKING:
    from ticker.config import Settings
    from ticker.storage.reads import ReadQueries


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
        from ticker.core.export.indicators import write_indicators

        return write_indicators(
            store, out, options.providers, options.since, options.until, options.revisions
        )
    others = _others(settings, options)
    if options.wide or options.best:
        from ticker.core.export.reshaped import write_in_force

        return write_in_force(store, settings, options, others, _dollars(options), out)
    selection = Selection(_dollars(options), options.providers, options.since, options.until)
    dollars = [selection] if options.locals_ != [] else []
    published = [
        Selection(None, options.providers, options.since, options.until, _either_way(p))
        for p in others
    ]
    if options.orientation is Orientation.PER_USD:
        # The fast path: the lines made by the database, written as they come.
        out.write((",".join(COLUMNS) + "\r\n").encode())
        return sum(write_lines(store, chosen, out) for chosen in [*dollars, *published])
    from ticker.core.export.reshaped import write_turned

    return write_turned(store, options, selection if dollars else None, published, out)


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
