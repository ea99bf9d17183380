"""One bank's or exchange office's buy and sell, as every market source returns it.

A quote is a different kind of data from a fixing: it belongs to an institution (a bank,
an exchange office, with its city where the source gives one), a channel (cash, cards,
transfers ...), and the source's own quoted time, and it changes during the day. It sits
beside the official rate and never routes or replaces it.

Its own module (re-exported by :mod:`providers.base`), standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

__all__ = ["Channel", "MarketQuote", "Side"]


class Channel(StrEnum):
    """How money changes hands at the quoted price (the value is the config's and the
    command line's word)."""

    CASH = "cash"
    NONCASH = "noncash"
    """Between accounts at the bank (NBT: безналичный)."""
    CARD = "card"
    EWALLET = "ewallet"
    TRANSFER = "transfer"
    """Money transfers (remittance systems)."""
    INTERBANK = "interbank"


class Side(StrEnum):
    """Which price of a quote: what the institution pays for the foreign currency (buy)
    or asks for it (sell)."""

    BUY = "buy"
    SELL = "sell"


@dataclass(frozen=True, slots=True)
class MarketQuote:
    """One institution's buy and sell of ``base`` in ``quote`` on one channel.

    ``base`` is the foreign currency (USD, EUR, RUB ...), ``quote`` the local one: ``buy``
    and ``sell`` are units of ``quote`` for one ``base``, nominal divided out (as boards
    show them: USD/TJS buy 10.85, sell 10.95). ``None`` means the institution does not
    offer that side (NBT's board publishes ``0.0000``); at least one side is offered, and
    ``buy <= sell`` when both are. ``quoted_at`` is the source's own time of the quote, in
    its zone (aware); None where the source gives none. ``fetched_at`` is when we got it.
    """

    source: str
    institution: str
    base: str
    quote: str
    channel: Channel
    buy: Decimal | None
    sell: Decimal | None
    quoted_at: datetime | None
    fetched_at: datetime
    city: str = ""

    def __post_init__(self) -> None:
        for side, value in (("buy", self.buy), ("sell", self.sell)):
            if value is None:
                continue
            if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
                raise ValueError(f"{side} must be a positive finite Decimal, got {value!r}")
        if self.buy is None and self.sell is None:
            raise ValueError("a quote offers at least one of buy and sell")
        if self.buy is not None and self.sell is not None and self.buy > self.sell:
            raise ValueError(f"buy {self.buy} is above sell {self.sell}")
        if self.fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        if self.quoted_at is not None and self.quoted_at.tzinfo is None:
            raise ValueError("quoted_at must be timezone-aware")
        if self.base == self.quote:
            raise ValueError(f"base and quote are both {self.base}")
        if not self.institution.strip():
            raise ValueError("a quote names its institution")

    @property
    def pair(self) -> str:
        """``USD/TJS``."""
        return f"{self.base}/{self.quote}"

    def price(self, side: Side) -> Decimal | None:
        """The buy or the sell price."""
        return self.buy if side is Side.BUY else self.sell
