"""An amount of one of the five currencies (or dollars) in another, through each side's
official rate against the dollar: the arithmetic, with no store and no clock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ticker.errors import UsageError
from ticker.i18n.numbers import NotANumber, read_number
from ticker.i18n.words import _
from ticker.model.pairs import FOREIGN_CURRENCIES, LOCAL_CURRENCIES, USD, Pair

#: The currencies an amount can be given in or asked for.
CURRENCIES = (USD, *LOCAL_CURRENCIES)
#: The largest amount converted (a bigger one is a typing slip, not an amount of money).
LARGEST = Decimal("1e15")


def parse_amount(text: str, what: str = "AMOUNT") -> Decimal:
    """An amount as people type it (:func:`ticker.i18n.numbers.read_number`: ``10000``,
    ``10 000``, ``10,000``, ``0,5``; ``1,500`` refused as ambiguous where the locale writes
    a decimal comma); UsageError otherwise."""
    try:
        amount = read_number(text, what)
    except NotANumber as err:
        raise UsageError(str(err)) from None
    if not 0 < amount <= LARGEST:
        raise UsageError(
            _("{what}: expected more than 0 and at most 10^15, got {text}").format(
                what=what, text=repr(text)
            )
        )
    return amount


def parse_currency(text: str, what: str, currencies: Sequence[str] = CURRENCIES) -> str:
    """One of ``currencies`` (default :data:`CURRENCIES`; ``convert``: the watched ones,
    :func:`watched_currencies`), any case; UsageError otherwise."""
    code = text.strip().upper()
    if code not in currencies:
        raise UsageError(
            _("{what}: expected one of {choices}, got {text}").format(
                what=what, choices=", ".join(currencies), text=repr(text)
            )
        )
    return code


def watched_currencies(watch: Sequence[Pair]) -> tuple[str, ...]:
    """The dollar and the five, then every other currency of the watched pairs (EUR,
    RUB, CNY, in that order)."""
    named = {code for pair in watch for code in (pair.base, pair.quote)}
    return (*CURRENCIES, *(c for c in FOREIGN_CURRENCIES if c != USD and c in named))


@dataclass(frozen=True, slots=True)
class Conversion:
    """An amount of one currency in another, at one rate."""

    amount: Decimal
    source: str
    """The currency ``amount`` is in."""
    target: str
    result: Decimal
    rate: Decimal
    """Units of ``target`` for one unit of ``source``."""


def through_usd(
    amount: Decimal, source: str, target: str, per_usd: Mapping[str, Decimal]
) -> Conversion:
    """``amount`` of ``source`` in ``target``: to dollars at ``source``'s rate, then to
    ``target`` at its own. ``per_usd``: each local side's units per dollar (USD/KZT =
    478.77). A cross of two local currencies is exact to 28 digits."""
    to_usd = Decimal(1) if source == USD else 1 / per_usd[source]
    from_usd = Decimal(1) if target == USD else per_usd[target]
    rate = to_usd * from_usd
    return Conversion(amount, source, target, amount * rate, rate)
