"""The five currencies, their pairs against the dollar, and display orientation.

Rates are stored canonically as ``USD -> local`` (``USD/KZT = 478.77``), the way the
central banks publish the dollar. Users see them, by default, the way the news strips
show them: ``KZT/USD = 0.0020887``, one tenge in dollars.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from providers.catalogue import LOCAL_CURRENCIES as LOCAL_CURRENCIES

USD = "USD"


class Orientation(StrEnum):
    """How a pair is shown.

    ``USD_PER``: dollars per one local unit, ``KGS/USD = 0.011435`` (the strips' way).
    ``PER_USD``: local units per one dollar, ``USD/KGS = 87.45`` (the central banks' way).
    """

    USD_PER = "usd-per"
    PER_USD = "per-usd"

    def flipped(self) -> Orientation:
        return Orientation.PER_USD if self is Orientation.USD_PER else Orientation.USD_PER


@dataclass(frozen=True, slots=True)
class Pair:
    """A currency pair: ``rate`` units of ``quote`` buy one ``base``."""

    base: str
    quote: str

    def __str__(self) -> str:
        return f"{self.base}/{self.quote}"

    @property
    def local(self) -> str:
        """The non-dollar side of the pair."""
        return self.quote if self.base == USD else self.base

    @property
    def canonical(self) -> Pair:
        """The stored orientation, ``USD/local``."""
        return Pair(USD, self.local)

    @property
    def orientation(self) -> Orientation:
        return Orientation.PER_USD if self.base == USD else Orientation.USD_PER

    def oriented(self, orientation: Orientation) -> Pair:
        local = self.local
        return Pair(USD, local) if orientation is Orientation.PER_USD else Pair(local, USD)


def pair_for(local: str, orientation: Orientation) -> Pair:
    """The pair of a local currency code in the given orientation."""
    return Pair(USD, local).oriented(orientation)


def parse_pair(text: str, orientation: Orientation = Orientation.USD_PER) -> Pair:
    """Read ``KZT`` (in ``orientation``), ``KZT/USD`` or ``USD/KZT``, case-insensitively.

    Raises ``ValueError`` with a message naming what was expected.
    """
    code = text.strip().upper()
    expected = f"one of {', '.join(LOCAL_CURRENCIES)}, or a pair like KZT/USD or USD/KZT"
    if "/" not in code:
        if code in LOCAL_CURRENCIES:
            return pair_for(code, orientation)
        raise ValueError(f"expected {expected}, got {text!r}")
    base, _, quote = code.partition("/")
    if base == USD and quote in LOCAL_CURRENCIES:
        return Pair(base, quote)
    if quote == USD and base in LOCAL_CURRENCIES:
        return Pair(base, quote)
    raise ValueError(f"expected {expected}, got {text!r}")


#: Significant digits of a rate turned around (1 / rate).
INVERSE_PRECISION = 20


def convert(canonical_rate: Decimal, pair: Pair) -> Decimal:
    """Turn a stored ``USD/local`` rate into the rate of ``pair``."""
    if pair.base == USD:
        return canonical_rate
    with localcontext(prec=INVERSE_PRECISION):
        return Decimal(1) / canonical_rate


def percent_change(old: Decimal, new: Decimal) -> Decimal:
    """The move from ``old`` to ``new`` in percent of ``old``."""
    if old == 0:
        raise ValueError("percent change from zero is undefined")
    return (new - old) / old * 100
