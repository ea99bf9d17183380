"""The currencies, their pairs, and display orientation.

A pair is two different known currencies with at least one of the five local ones:
``KGS/USD``, ``RUB/TJS``, ``EUR/KZT``, ``KZT/KGS``. Each has a *canonical* orientation,
the one a pair and its inverse share (:attr:`Pair.canonical`):

* foreign/local, as the central banks publish: the foreign currency first
  (``USD/KZT = 478.77``, ``RUB/TJS = 0.1149`` somoni per rouble);
* local/local: the one later in :data:`LOCAL_CURRENCIES` (KGS, KZT, TJS, UZS, TMT) first
  (``KZT/KGS`` som per tenge, ``UZS/TJS`` somoni per sum).

Observations are stored as their source publishes them (NBKR's tenge is ``KZT/KGS``,
NBK's som ``KGS/KZT``, CBR's somoni ``TJS/RUB``); readers turn them round where needed.
Users see the dollar pairs, by default, the way the news strips show them:
``KZT/USD = 0.0020887``, one tenge in dollars; any other pair as written.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from enum import StrEnum
from typing import TYPE_CHECKING

from providers.catalogue import LOCAL_CURRENCIES as LOCAL_CURRENCIES
from providers.record import Frozen
from ticker.i18n.words import _
from ticker.model.text import Unexpected

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same dataclass, its methods not compiled (:mod:`providers.record`)
    from providers.record import dataclass

USD = "USD"

#: The currencies a pair may have on its foreign side (a pair needs a local side too).
FOREIGN_CURRENCIES: tuple[str, ...] = (USD, "EUR", "RUB", "CNY")
#: Every currency a pair can name: the foreign ones, then the five.
KNOWN_CURRENCIES: tuple[str, ...] = (*FOREIGN_CURRENCIES, *LOCAL_CURRENCIES)


def is_local(code: str) -> bool:
    """Whether ``code`` is one of the five local currencies."""
    return code in LOCAL_CURRENCIES


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
class Pair(Frozen):
    """A currency pair: ``rate`` units of ``quote`` buy one ``base``."""

    base: str
    quote: str

    # A read makes, compares and hashes hundreds of pairs: these three are written out
    # as the standard decorator writes them, faster than :class:`Frozen`'s, which read
    # the fields by name.
    def __init__(self, base: str, quote: str) -> None:
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "quote", quote)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Pair) and other.__class__ is self.__class__:
            return (self.base, self.quote) == (other.base, other.quote)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.base, self.quote))

    def __str__(self) -> str:
        return f"{self.base}/{self.quote}"

    @property
    def local(self) -> str:
        """The non-dollar side of a dollar pair; of any other pair its local side (of
        two local ones, the canonical quote)."""
        if self.base == USD:
            return self.quote
        if self.quote == USD:
            return self.base
        return self.canonical.quote

    @property
    def foreign(self) -> str | None:
        """The foreign side (USD, EUR, RUB, CNY); None when both sides are local."""
        if not is_local(self.base):
            return self.base
        if not is_local(self.quote):
            return self.quote
        return None

    @property
    def is_usd(self) -> bool:
        """A pair of the dollar and one of the five (today's pairs)."""
        return USD in (self.base, self.quote)

    @property
    def is_local_cross(self) -> bool:
        """Both sides are local currencies (``KZT/KGS``)."""
        return is_local(self.base) and is_local(self.quote)

    @property
    def canonical(self) -> Pair:
        """The stored orientation: ``USD/local``, foreign/local (``RUB/TJS``), or of two
        local ones the later in :data:`LOCAL_CURRENCIES` first (``KZT/KGS``)."""
        if self.is_local_cross:
            first, second = sorted(
                (self.base, self.quote), key=LOCAL_CURRENCIES.index, reverse=True
            )
            return Pair(first, second)
        foreign = self.foreign
        if foreign is None:  # pragma: no cover - a pair has a local side
            raise ValueError(f"{self} has no local side")
        local = self.quote if self.base == foreign else self.base
        return Pair(foreign, local)

    @property
    def is_canonical(self) -> bool:
        return self == self.canonical

    @property
    def inverse(self) -> Pair:
        """The same pair turned round: ``TJS/RUB`` for ``RUB/TJS``."""
        return Pair(self.quote, self.base)

    @property
    def key(self) -> str:
        """The text a pair and its inverse share: its canonical form, ``RUB/TJS``."""
        return str(self.canonical)

    @property
    def orientation(self) -> Orientation:
        """``PER_USD``: the canonical way (``USD/KGS``, ``RUB/TJS``); ``USD_PER``: turned."""
        return Orientation.PER_USD if self.is_canonical else Orientation.USD_PER

    def oriented(self, orientation: Orientation) -> Pair:
        canonical = self.canonical
        return canonical if orientation is Orientation.PER_USD else canonical.inverse


def pair_for(local: str, orientation: Orientation) -> Pair:
    """The pair of a local currency code in the given orientation."""
    return Pair(USD, local).oriented(orientation)


def parse_pair(
    text: str, orientation: Orientation = Orientation.USD_PER, any_pair: bool = False
) -> Pair:
    """Read ``KZT`` (in ``orientation``), ``KZT/USD`` or ``USD/KZT``, case-insensitively;
    with ``any_pair`` also any pair of :data:`KNOWN_CURRENCIES` with a local side
    (``RUB/TJS``, ``KZT/KGS``), as written.

    Raises ``ValueError`` with a message naming what was expected.
    """
    code = text.strip().upper()
    if "/" not in code:
        if code in LOCAL_CURRENCIES:
            return pair_for(code, orientation)
        raise _not_a_pair(text, any_pair)
    base, _, quote = code.partition("/")
    if base == USD and quote in LOCAL_CURRENCIES:
        return Pair(base, quote)
    if quote == USD and base in LOCAL_CURRENCIES:
        return Pair(base, quote)
    if any_pair and pair_problem(base, quote) is None:
        return Pair(base, quote)
    raise _not_a_pair(text, any_pair)


def _not_a_pair(text: str, any_pair: bool) -> ValueError:
    expected = _("one of {currencies}, or a pair like {example}").format(
        currencies=", ".join(LOCAL_CURRENCIES),
        example=_("KZT/USD, USD/KZT or RUB/TJS") if any_pair else _("KZT/USD or USD/KZT"),
    )
    return Unexpected(expected, repr(text))


def pair_problem(base: str, quote: str) -> str | None:
    """What is wrong with ``base/quote`` as a pair (None: nothing), in a few words."""
    for code in (base, quote):
        if code not in KNOWN_CURRENCIES:
            return _("unknown currency {code} (known: {known})").format(
                code=repr(code), known=", ".join(KNOWN_CURRENCIES)
            )
    if base == quote:
        return _("both sides are {code}").format(code=base)
    if not (is_local(base) or is_local(quote)):
        return _("no local currency ({currencies}) on either side").format(
            currencies=", ".join(LOCAL_CURRENCIES)
        )
    return None


#: Significant digits of a rate turned around (1 / rate).
INVERSE_PRECISION = 20


def convert(canonical_rate: Decimal, pair: Pair) -> Decimal:
    """Turn a rate of ``pair.canonical`` (a stored ``USD/local`` rate) into the rate of
    ``pair``."""
    if pair.is_canonical:
        return canonical_rate
    return invert(canonical_rate)


def invert(rate: Decimal) -> Decimal:
    """One over ``rate``, to :data:`INVERSE_PRECISION` significant digits."""
    with localcontext(prec=INVERSE_PRECISION):
        return Decimal(1) / rate


def percent_change(old: Decimal, new: Decimal) -> Decimal:
    """The move from ``old`` to ``new`` in percent of ``old``."""
    if old == 0:
        raise ValueError("percent change from zero is undefined")
    return (new - old) / old * 100
