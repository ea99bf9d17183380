"""What the store hands back of the market: quotes as stored (a row per price change of
one institution's channel), the quotes held as implausible, and rates users reported by
hand. Plain values, shared by every layer above.

A stored quote keeps every field of :class:`~providers.market_quote.MarketQuote` and what
the store knows beside it: the poll that first saw the price and the last one that saw it
again (``first_fetched_at``, ``last_fetched_at``), and the newest quoted time the source
gave the same price with (``seen_quoted_at``). Times are aware, in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from providers.market_quote import Channel, MarketQuote, Side

#: The source of a rate a user reported by hand (``ticker market report``): never
#: official, never a source's market quote.
REPORTED = "reported"

QuoteKey = tuple[str, str, str, str, str, str]
"""What a quote's history is of: (source, institution, city, base, quote, channel)."""


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """One price of one key, from ``first_fetched_at`` (the poll that first saw it) to
    ``last_fetched_at`` (the last poll that saw it unchanged). ``buy`` and ``sell`` are
    units of ``quote`` for one ``base``, exactly as published (None: not offered)."""

    id: int
    source: str
    institution: str
    city: str
    base: str
    quote: str
    channel: Channel
    buy: Decimal | None
    sell: Decimal | None
    quoted_at: datetime | None
    """The source's own time of the price as first seen (None: the source gives none)."""
    seen_quoted_at: datetime | None
    """The newest quoted time the source gave this same price with."""
    first_fetched_at: datetime
    last_fetched_at: datetime
    replaced_at: datetime | None = None
    """When another price of the key was first fetched (None: the key's newest row)."""

    @property
    def fetched_at(self) -> datetime:
        """The last poll that saw this price (as :attr:`MarketQuote.fetched_at`)."""
        return self.last_fetched_at

    @property
    def pair(self) -> str:
        """``USD/TJS``."""
        return f"{self.base}/{self.quote}"

    @property
    def key(self) -> QuoteKey:
        return (self.source, self.institution, self.city, self.base, self.quote, self.channel)

    def price(self, side: Side) -> Decimal | None:
        """The buy or the sell price."""
        return self.buy if side is Side.BUY else self.sell

    def market_quote(self) -> MarketQuote:
        """The quote as a source returns it (fetched at the last poll that saw it)."""
        return MarketQuote(
            self.source, self.institution, self.base, self.quote, self.channel, self.buy,
            self.sell, self.quoted_at, self.last_fetched_at, self.city,
        )  # fmt: skip


def quote_key(quote: MarketQuote) -> QuoteKey:
    """What ``quote``'s history is of."""
    return (quote.source, quote.institution, quote.city, quote.base, quote.quote, quote.channel)


@dataclass(frozen=True, slots=True)
class HeldQuote:
    """A quote refused as implausible: kept and reported, never shown as a market price.
    ``quote.id`` is the held row's; ``first_fetched_at`` is when it was first held."""

    quote: StoredQuote
    reason: str
    """The facts, as :mod:`ticker.model.quarantine` stores them (``{"kind":"official",
    "allowed":"10"}``); worded at display time."""
    official: Decimal | None
    """The official rate it was compared with, units of ``quote`` for one ``base``."""


@dataclass(frozen=True, slots=True)
class ReportedRate:
    """A rate a user reported by hand: ``rate`` units of ``quote`` for one ``base``,
    exactly as typed; shown as :data:`REPORTED`."""

    id: int
    base: str
    quote: str
    rate: Decimal
    note: str
    reported_at: datetime

    @property
    def pair(self) -> str:
        return f"{self.base}/{self.quote}"
