"""The market beside the official rate: the boards read from the store, each pair's
official reference, and the summaries and board lines people read.

Read side only (no ORM): ``ticker market``, ``convert --at market``, ``strip --market``,
the dashboard's market column and board, and the alerts all read through here. The
official reference of a pair is its central bank's newest stored fixing
(:data:`~providers.catalogue.CENTRAL_BANKS`: NBT's for a quote in somoni), the same one
ingest checks quotes against; a market quote never routes or replaces it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from providers.catalogue import CENTRAL_BANKS
from providers.market_quote import Channel, MarketQuote, Side
from ticker.model.market import MarketPrice, MarketSummary, best_market, summarise
from ticker.model.market_column import COLUMN_CHANNEL, ColumnEntry, column_entries
from ticker.model.market_records import ReportedRate, StoredQuote
from ticker.model.pairs import Pair, invert
from ticker.model.snapshot import PairDetail
from ticker.storage.reads import ReadQueries

#: A central bank's fixing older than this says nothing about today's market.
MAX_REFERENCE_AGE = timedelta(days=31)
#: The most quotes one view reads (a board of every source, every pair and channel).
QUOTES_READ = 4000
#: The reported rates one view reads.
REPORTED_READ = 200


def official_rates(
    reads: ReadQueries, quotes: Sequence[MarketQuote]
) -> dict[tuple[str, str], Decimal]:
    """The official rate of each pair of ``quotes`` (base, local): the newest stored
    fixing of the local currency's central bank (NBT's for a quote in somoni), as
    ``local`` units per one ``base``: stored as the bank publishes it (``USD/TJS``,
    ``RUB/TJS``, NBKR's ``KZT/KGS``), turned round where it publishes the pair the other
    way. A pair whose bank has no fixing of it dated within :data:`MAX_REFERENCE_AGE` of
    the quotes has none."""
    if not quotes:
        return {}
    pairs = {(q.base, q.quote) for q in quotes}
    oldest = max(q.fetched_at for q in quotes).date() - MAX_REFERENCE_AGE
    return {pair: rate for pair, (rate, _day) in official_fixings(reads, pairs, oldest).items()}


def official_fixings(
    reads: ReadQueries, pairs: Iterable[tuple[str, str]], oldest: date
) -> dict[tuple[str, str], tuple[Decimal, date]]:
    """Of each pair (base, local) whose local currency has a central bank, that bank's
    newest stored fixing dated ``oldest`` or later, as (``local`` units per one
    ``base``, its date): :func:`official_rates`' reference, read in one statement."""
    wanted = sorted({(base, local) for base, local in pairs if local in CENTRAL_BANKS})
    keys = [
        (pair, CENTRAL_BANKS[local])
        for base, local in wanted
        for pair in (Pair(base, local), Pair(local, base))
    ]
    found = reads.recent_pair_fixings(keys, 1) if keys else {}
    official: dict[tuple[str, str], tuple[Decimal, date]] = {}
    for base, local in wanted:
        bank = CENTRAL_BANKS[local]
        direct = found.get((Pair(base, local), bank), [None])[0]
        turned = found.get((Pair(local, base), bank), [None])[0]
        if direct is not None and (turned is None or direct.as_of >= turned.as_of):
            newest, rate = direct, direct.rate
        elif turned is not None:
            newest, rate = turned, invert(turned.rate)
        else:
            continue
        if newest.as_of >= oldest:
            official[(base, local)] = (rate, newest.as_of)
    return official


@dataclass(frozen=True, slots=True)
class MarketView:
    """What the market looks like at ``now``: the newest quote of every institution,
    channel and pair asked for, their summaries, each pair's official reference and its
    source, and the rates reported by hand."""

    quotes: list[StoredQuote]
    summaries: list[MarketSummary[StoredQuote]]
    official: dict[str, Decimal]
    """By pair text (``USD/TJS``): the central bank's rate the distances are from."""
    official_sources: dict[str, str]
    """By pair text: the central bank that rate is from (``nbt``)."""
    reported: list[ReportedRate] = field(default_factory=list)
    official_dates: dict[str, date] = field(default_factory=dict)
    """By pair text: the date of the fixing :attr:`official` gives."""

    def best(self, pair: str, side: Side, channel: Channel, now: datetime) -> MarketPrice | None:
        """The best current price a customer meets on ``side`` (see
        :func:`~ticker.model.market.best_market`)."""
        return best_market(self.quotes, pair, side, channel, now=now)


def market_view(
    reads: ReadQueries,
    now: datetime,
    pairs: Sequence[tuple[str, str]] | None = None,
    channel: Channel | None = None,
    source: str | None = None,
    reported: bool = True,
) -> MarketView:
    """Read the market (bounded: :data:`QUOTES_READ` quotes, :data:`REPORTED_READ`
    reported rates) on one connection, and summarise it."""
    with reads.reading():
        quotes = reads.latest_quotes(
            pairs, channel.value if channel is not None else None, source, QUOTES_READ
        )
        oldest = (
            max(q.fetched_at for q in quotes).date() - MAX_REFERENCE_AGE if quotes else now.date()
        )
        fixings = official_fixings(reads, [(q.base, q.quote) for q in quotes], oldest)
        said = reads.reported_rates(None, REPORTED_READ) if reported else []
    if pairs is not None:
        wanted = set(pairs)
        said = [r for r in said if (r.base, r.quote) in wanted or (r.quote, r.base) in wanted]
    by_text = {f"{b}/{q}": rate for (b, q), (rate, _day) in fixings.items()}
    sources = {f"{b}/{q}": CENTRAL_BANKS[q] for (b, q) in fixings}
    days = {f"{b}/{q}": day for (b, q), (_rate, day) in fixings.items()}
    summaries = summarise(quotes, by_text, now)
    return MarketView(quotes, summaries, by_text, sources, said, official_dates=days)


#: The market column is read again at least this often without a move of the store's
#: market (a quote turns stale at an hour of its source's banking day, not at a write).
COLUMN_REREAD = timedelta(minutes=10)


def market_mark(reads: ReadQueries) -> tuple[object, ...]:
    """The market's part of the store's data mark (:meth:`ReadQueries.data_mark`: the
    newest quote, the newest held quote, the reported rates' sum of ids, its fifth to
    seventh values): equal marks, no quote or reported rate came or went in between."""
    mark = reads.data_mark()
    return tuple(mark[0][4:7]) if mark else ()


class MarketColumn:
    """The rates table's market column, read for the dashboard (after its first frame,
    off the loop): :meth:`read` reads the cash market and the reported rates (bounded:
    :func:`market_view`) only when the store's market moved since the last read, or that
    read is :data:`COLUMN_REREAD` old."""

    def __init__(self) -> None:
        self._mark: tuple[object, ...] | None = None
        self._read_at: datetime | None = None

    def read(self, reads: ReadQueries, now: datetime) -> list[ColumnEntry] | None:
        """The column's entries; None when nothing moved since the last read."""
        with reads.reading():  # the mark, then what it marks: one read transaction
            mark = market_mark(reads)
            due = self._read_at is None or now - self._read_at >= COLUMN_REREAD
            if mark == self._mark and not due:
                return None
            view = market_view(reads, now, channel=COLUMN_CHANNEL)
        self._mark, self._read_at = mark, now
        return column_entries(view.summaries, view.reported)


def with_market(detail: PairDetail, reads: ReadQueries, pair: Pair, now: datetime) -> PairDetail:
    """``detail`` with ``pair``'s market (either way round: a summary per channel, stale
    ones too) and its reported rates, read on ``reads`` (bounded: :func:`market_view`)."""
    view = market_view(reads, now, pairs=[(pair.base, pair.quote), (pair.quote, pair.base)])
    official = next(iter(view.official_sources.values()), "")
    return dataclasses.replace(
        detail,
        market=tuple(view.summaries),
        market_official=official,
        reported=tuple(view.reported),
        market_at=now,
    )
