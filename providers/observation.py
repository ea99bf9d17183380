"""One published rate, as every feed client returns it and the store gives it back.

Its own module (re-exported by :mod:`providers.base`) so that what only reads rates (a
one-shot ``ticker strip``) builds no other class of the feed clients.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from providers.record import Frozen

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same dataclass, its methods not compiled (:mod:`providers.record`)
    from providers.record import dataclass

__all__ = ["Observation"]


@dataclass(frozen=True, slots=True)
class Observation(Frozen):
    """One published rate: ``rate`` units of ``quote`` for one ``base``.

    ``rate`` has already been divided by the source's nominal. ``as_of`` is the
    effective date the source declares; ``fetched_at`` is when we received it (UTC,
    timezone-aware). ``derived`` marks a cross computed from two quotes of another
    currency rather than a direct quote of the pair.
    """

    provider: str
    base: str
    quote: str
    as_of: date
    rate: Decimal
    derived: bool
    fetched_at: datetime
    precision: Decimal | None = None
    """Relative precision in percent, as published: half a unit of the last digit of
    each quote it comes from (NBKR's ``0,0073`` som per sum: about 0.68). None: unknown."""

    def __init__(
        self,
        provider: str,
        base: str,
        quote: str,
        as_of: date,
        rate: Decimal,
        derived: bool,
        fetched_at: datetime,
        precision: Decimal | None = None,
    ) -> None:
        # Written out, as the standard decorator writes it (a read or a backfill makes
        # thousands): faster than :class:`~providers.record.Frozen`'s, which reads the
        # fields by name.
        setattr_ = object.__setattr__
        setattr_(self, "provider", provider)
        setattr_(self, "base", base)
        setattr_(self, "quote", quote)
        setattr_(self, "as_of", as_of)
        setattr_(self, "rate", rate)
        setattr_(self, "derived", derived)
        setattr_(self, "fetched_at", fetched_at)
        setattr_(self, "precision", precision)
        self.__post_init__()

    def __post_init__(self) -> None:
        if not isinstance(self.rate, Decimal) or not self.rate.is_finite() or self.rate <= 0:
            raise ValueError(f"rate must be a positive finite Decimal, got {self.rate!r}")
        if self.fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        if self.base == self.quote:
            raise ValueError(f"base and quote are both {self.base}")
