"""Banks' and exchange offices' quotes, summed up: the best buy and sell per pair and
channel (naming who gives them), the medians, the spread, how far they sit from the
official rate, and a board of institutions sorted by one side.

Prices are always as the boards publish them: units of the local currency (``quote``) for
one foreign (``base``), ``USD/TJS`` buy 10.85, sell 10.95. A bank's **buy** is what a
customer *selling* the foreign currency gets: the best is the highest. Its **sell** is
what a customer *buying* the foreign currency pays: the best is the lowest.

Every figure reads each institution's latest quote (:func:`latest_quotes`) and leaves out
stale ones while any current one is left (:func:`is_stale`; when all are stale the figures
are theirs, marked stale). Pure: no I/O, no clock (``now`` is an argument). The parts this
builds on are re-exported here: the quote's reading (:mod:`ticker.model.market_quotes`)
and the channels' (:mod:`ticker.model.market_channels`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Generic

from providers.market_quote import Channel, Side
from ticker.model.market_channels import CHANNEL_ORDER, parse_channel
from ticker.model.market_quotes import (
    REPORTED,
    STALE_GRACE,
    STALE_WITHOUT_CALENDAR,
    Origin,
    Q,
    QuoteLike,
    institution_key,
    is_stale,
    latest_quotes,
    local_time,
    median,
    origin_of,
    quote_age,
    quote_time,
)
from ticker.model.pairs import FOREIGN_CURRENCIES, LOCAL_CURRENCIES, Pair, percent_change

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

__all__ = [
    "CHANNEL_ORDER",
    "REPORTED",
    "STALE_GRACE",
    "STALE_WITHOUT_CALENDAR",
    "BoardLine",
    "MarketPrice",
    "MarketSummary",
    "Origin",
    "QuoteLike",
    "best_market",
    "board",
    "institution_key",
    "is_stale",
    "latest_quotes",
    "local_time",
    "median",
    "origin_of",
    "parse_channel",
    "quote_age",
    "quote_time",
    "summarise",
]


def _pair_order(base: str, quote: str) -> tuple[int, int, str, str]:
    local = LOCAL_CURRENCIES.index(quote) if quote in LOCAL_CURRENCIES else len(LOCAL_CURRENCIES)
    foreign = (
        FOREIGN_CURRENCIES.index(base) if base in FOREIGN_CURRENCIES else len(FOREIGN_CURRENCIES)
    )
    return (local, foreign, quote, base)


def _better(side: Side, a: Decimal, b: Decimal) -> bool:
    """Whether price ``a`` is better than ``b`` for a customer on ``side``."""
    return a > b if side is Side.BUY else a < b


def _best(side: Side, pool: Sequence[Q]) -> tuple[Decimal | None, tuple[Q, ...]]:
    """The best price of ``side`` in ``pool`` and every quote giving it (by name)."""
    offered = [q for q in pool if _price(q, side) is not None]
    best: Decimal | None = None
    for q in offered:
        price = _price(q, side)
        assert price is not None
        if best is None or _better(side, price, best):
            best = price
    tied = sorted((q for q in offered if _price(q, side) == best), key=institution_key)
    return best, tuple(tied)


def _price(q: QuoteLike, side: Side) -> Decimal | None:
    return q.buy if side is Side.BUY else q.sell


def _versus(price: Decimal | None, official: Decimal | None) -> Decimal | None:
    """``price``'s distance from ``official`` in per cent, signed: above it is +."""
    if price is None or official is None:
        return None
    return percent_change(official, price)


@dataclass(frozen=True, slots=True)
class MarketSummary(Generic[Q]):
    """One pair and channel across its institutions' latest quotes.

    The figures come from the current quotes (``left_out`` stale ones are not counted);
    when every quote is stale they come from the stale ones and ``stale`` is true.
    Distances from the official rate are in per cent, signed (a price above it is
    positive), None without an official rate."""

    base: str
    quote: str
    channel: Channel
    quotes: tuple[Q, ...]
    """The quotes the figures come from, best sell first, those without a sell last."""
    sources: tuple[str, ...]
    origin: Origin
    """Third party when any of its sources is one."""
    institutions: int
    left_out: int
    stale: bool
    best_buy: Decimal | None
    best_buy_from: tuple[Q, ...]
    """Every quote giving the best buy (ties all named), by institution name."""
    best_sell: Decimal | None
    best_sell_from: tuple[Q, ...]
    median_buy: Decimal | None
    median_sell: Decimal | None
    spread: Decimal | None
    """Best sell minus best buy (a round trip at the best two institutions)."""
    median_spread: Decimal | None
    """The median of each institution's own sell minus buy (those offering both)."""
    official: Decimal | None
    best_buy_vs_official: Decimal | None
    best_sell_vs_official: Decimal | None
    median_buy_vs_official: Decimal | None
    median_sell_vs_official: Decimal | None
    newest: datetime
    """The newest quoted time among ``quotes`` (the fetched time where none is quoted),
    in its source's zone (:func:`local_time`)."""

    @property
    def pair(self) -> str:
        return f"{self.base}/{self.quote}"


def _official_for(
    official: Mapping[str, Decimal] | Decimal | None, pair: str, pairs: set[str]
) -> Decimal | None:
    if official is None or isinstance(official, Decimal):
        if isinstance(official, Decimal) and len(pairs) > 1:
            raise ValueError(f"one official rate given for several pairs: {sorted(pairs)}")
        return official
    return official.get(pair)


def summarise(
    quotes: Iterable[Q], official: Mapping[str, Decimal] | Decimal | None, now: datetime
) -> list[MarketSummary[Q]]:
    """One summary per pair and channel, in display order (local currency as
    :data:`LOCAL_CURRENCIES`, then USD, EUR, RUB, then :data:`CHANNEL_ORDER`), over each
    institution's latest quote (:func:`latest_quotes`). ``official``: the official rate
    (local per foreign, as the quotes) of the one pair the quotes are of, or by pair text
    (``{"USD/TJS": Decimal("10.88")}``); None: no distances."""
    groups: dict[tuple[str, str, Channel], list[Q]] = {}
    for q in latest_quotes(quotes):
        groups.setdefault((q.base, q.quote, q.channel), []).append(q)
    pairs = {f"{base}/{quote}" for base, quote, _ in groups}
    order = sorted(groups, key=lambda k: (_pair_order(k[0], k[1]), CHANNEL_ORDER.index(k[2])))
    return [
        _summary(
            base,
            quote,
            channel,
            groups[(base, quote, channel)],
            now,
            _official_for(official, f"{base}/{quote}", pairs),
        )
        for base, quote, channel in order
    ]


def _summary(
    base: str, quote: str, channel: Channel, group: list[Q], now: datetime, official: Decimal | None
) -> MarketSummary[Q]:
    current = [q for q in group if not is_stale(q, now)]
    pool = current or group
    best_buy, buy_from = _best(Side.BUY, pool)
    best_sell, sell_from = _best(Side.SELL, pool)
    median_buy = median([q.buy for q in pool if q.buy is not None])
    median_sell = median([q.sell for q in pool if q.sell is not None])
    spreads = [q.sell - q.buy for q in pool if q.buy is not None and q.sell is not None]
    sources = tuple(sorted({q.source for q in pool}))
    third = any(origin_of(s) is not Origin.OFFICIAL for s in sources)
    return MarketSummary(
        base=base,
        quote=quote,
        channel=channel,
        quotes=tuple(_ranked(Side.SELL, pool)),
        sources=sources,
        origin=Origin.THIRD_PARTY if third else Origin.OFFICIAL,
        institutions=len(pool),
        left_out=len(group) - len(pool),
        stale=not current,
        best_buy=best_buy,
        best_buy_from=buy_from,
        best_sell=best_sell,
        best_sell_from=sell_from,
        median_buy=median_buy,
        median_sell=median_sell,
        spread=best_sell - best_buy if best_sell is not None and best_buy is not None else None,
        median_spread=median(spreads),
        official=official,
        best_buy_vs_official=_versus(best_buy, official),
        best_sell_vs_official=_versus(best_sell, official),
        median_buy_vs_official=_versus(median_buy, official),
        median_sell_vs_official=_versus(median_sell, official),
        newest=local_time(max(pool, key=quote_time)),
    )


def _ranked(side: Side, quotes: Iterable[Q]) -> list[Q]:
    """``quotes`` best first on ``side`` (buy: highest first; sell: lowest first), those
    not offering it last, equals by institution name."""

    def key(q: Q) -> tuple[int, Decimal, tuple[str, str, str]]:
        price = _price(q, side)
        if price is None:
            return (1, Decimal(0), institution_key(q))
        return (0, -price if side is Side.BUY else price, institution_key(q))

    return sorted(quotes, key=key)


class MarketPrice(NamedTuple):
    """The best price a customer meets, who gives it, and from which source."""

    price: Decimal
    institution: str
    source: str


def _matches(q: QuoteLike, pair: Pair | str) -> bool:
    text = str(pair).upper()
    return text in (f"{q.base}/{q.quote}", f"{q.quote}/{q.base}")


def best_market(
    quotes: Iterable[QuoteLike],
    pair: Pair | str,
    side: Side,
    channel: Channel = Channel.CASH,
    *,
    now: datetime | None = None,
) -> MarketPrice | None:
    """The best price on ``side`` for ``pair`` and ``channel`` over each institution's
    latest quote, or None when nobody offers it.

    ``side`` is the institution's side, the one a customer meets: a customer **buying**
    the foreign currency (USD for TJS) pays the bank's **sell**, and the best is the lowest
    (``market-sell``); a customer **selling** it gets the bank's **buy**, and the best is
    the highest (``market-buy``). The price is local per one foreign, as the boards
    publish it, whichever way round ``pair`` is written (``TJS/USD`` reads the
    ``USD/TJS`` quotes and does not turn the price round). Equal best prices: the first
    institution by name. With ``now``, stale quotes (:func:`is_stale`) are left out: a
    price to act on (a conversion, an alert) is never a stale one."""
    pool = [q for q in latest_quotes(quotes) if q.channel == channel and _matches(q, pair)]
    if now is not None:
        pool = [q for q in pool if not is_stale(q, now)]
    best, tied = _best(side, pool)
    if best is None:
        return None
    return MarketPrice(best, tied[0].institution, tied[0].source)


@dataclass(frozen=True, slots=True)
class BoardLine(Generic[Q]):
    """One institution on a board: its latest quote, seen from the chosen side."""

    quote: Q
    price: Decimal | None
    """Its price on the chosen side; None: it does not offer that side."""
    best: bool
    """Its price is the board's best (every one of equal best prices is marked)."""
    age: timedelta
    """How old its quote is (:func:`quote_age`)."""
    stale: bool
    vs_official: Decimal | None
    """``price``'s distance from the official rate in per cent, signed (above it: +)."""


def board(
    quotes: Iterable[Q],
    pair: Pair | str,
    channel: Channel,
    side: Side,
    now: datetime,
    *,
    official: Decimal | None = None,
) -> list[BoardLine[Q]]:
    """The institutions quoting ``pair`` on ``channel`` (each one's latest quote), best
    first by ``side``: for ``buy`` the highest first, for ``sell`` the lowest; equal
    prices by institution name. The current quotes come first, then the stale ones (in
    the same order), then those not offering ``side`` (by name), so the first line is the
    best one to act on. ``best`` marks the best price among the current quotes (among the
    stale ones when none is current), as :func:`summarise` names it. ``pair`` is matched
    either way round; prices stay local per one foreign. ``official``: the pair's official
    rate in the same terms, for each line's distance from it."""
    group = [q for q in latest_quotes(quotes) if q.channel == channel and _matches(q, pair)]
    stale = {id(q) for q in group if is_stale(q, now)}
    current = [q for q in group if id(q) not in stale]
    _, tied = _best(side, current or group)
    best = {id(q) for q in tied}

    def rank(q: Q) -> int:
        return 2 if _price(q, side) is None else int(id(q) in stale)

    ordered = sorted(_ranked(side, group), key=rank)  # sorted() is stable: price order kept
    return [
        BoardLine(
            quote=q,
            price=_price(q, side),
            best=id(q) in best,
            age=quote_age(q, now),
            stale=id(q) in stale,
            vs_official=_versus(_price(q, side), official),
        )
        for q in ordered
    ]
