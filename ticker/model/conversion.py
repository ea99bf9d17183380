"""An amount of one of the five currencies (or dollars) in another, through each side's
official rate against the dollar: the arithmetic, with no store and no clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ticker.model.pairs import LOCAL_CURRENCIES, USD

#: The currencies an amount can be given in or asked for.
CURRENCIES = (USD, *LOCAL_CURRENCIES)


@dataclass(frozen=True, slots=True)
class Conversion:
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
