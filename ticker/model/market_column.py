"""The market column of the rates table, as values: per pair the best current cash buy
and sell across the boards (who stands behind them), or, for a pair without a board, the
newest rate a user reported by hand.

An entry keeps the prices as the boards publish them (``USD/TJS`` buy 10.85, sell 10.92:
units of the local currency for one foreign). :meth:`ColumnEntry.seen_as` gives them in
the way a row shows its pair: a row turned round (``TJS/USD``) gets both prices inverted
and buy and sell swapped, so that the cell reads in the row's own terms beside its rate.
A bank's buy of dollars at 10.85 somoni is its sell of somoni at 1/10.85 dollars, and its
sell of dollars at 10.92 its buy of somoni at 1/10.92: the pair ``TJS/USD`` has buy
0.091575 and sell 0.092166, buy below sell as on every board.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from providers.market_quote import Channel
from ticker.model.market import MarketSummary, Origin
from ticker.model.market_records import ReportedRate
from ticker.model.pairs import Pair, invert

#: The channel the rates table shows: what a family pays at the counter.
COLUMN_CHANNEL = Channel.CASH


@dataclass(frozen=True, slots=True)
class ColumnEntry:
    """One pair's market cell: ``buy`` and ``sell`` units of ``quote`` for one ``base``
    (None: a side nobody offers now); a reported rate is both (``origin`` REPORTED)."""

    base: str
    quote: str
    buy: Decimal | None
    sell: Decimal | None
    origin: Origin

    @property
    def pair(self) -> Pair:
        return Pair(self.base, self.quote)

    def seen_as(self, pair: Pair) -> ColumnEntry | None:
        """The entry in ``pair``'s terms: as it is when ``pair`` is the entry's, turned
        round (both inverted, buy and sell swapped) when ``pair`` is its inverse; None for
        another pair."""
        if pair == self.pair:
            return self
        if pair != self.pair.inverse:
            return None
        buy = invert(self.sell) if self.sell is not None else None
        sell = invert(self.buy) if self.buy is not None else None
        return ColumnEntry(pair.base, pair.quote, buy, sell, self.origin)


def column_entries(
    summaries: Iterable[MarketSummary[Any]],
    reported: Sequence[ReportedRate],
) -> list[ColumnEntry]:
    """One entry per pair: the best current buy and sell of its :data:`COLUMN_CHANNEL`
    summary (a summary whose quotes are all stale gives none: the column shows current
    prices only); a pair without one, its newest reported rate (``reported`` is newest
    first, as the store reads it)."""
    entries: dict[frozenset[str], ColumnEntry] = {}
    for s in summaries:
        if s.channel is not COLUMN_CHANNEL or s.stale:
            continue
        if s.best_buy is None and s.best_sell is None:
            continue
        entries[frozenset((s.base, s.quote))] = ColumnEntry(
            s.base, s.quote, s.best_buy, s.best_sell, s.origin
        )
    for r in reported:
        key = frozenset((r.base, r.quote))
        if key not in entries:
            entries[key] = ColumnEntry(r.base, r.quote, r.rate, r.rate, Origin.REPORTED)
    return list(entries.values())


def entry_for(entries: Iterable[ColumnEntry], pair: Pair) -> ColumnEntry | None:
    """``pair``'s entry in its terms (:meth:`ColumnEntry.seen_as`), or None."""
    for entry in entries:
        seen = entry.seen_as(pair)
        if seen is not None:
            return seen
    return None
