"""``ticker convert`` and the dashboard's converter: an amount through each side's routed
official rate against the dollar, read from the store in one statement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ticker.config import Settings
from ticker.core.rates import CHANGE_DEPTH, routed_rates
from ticker.model.conversion import Conversion, through_usd
from ticker.model.pairs import USD, Orientation

if TYPE_CHECKING:
    from ticker.model.health import ProviderHealth
    from ticker.model.routing import PairView
    from ticker.storage.reads import ReadQueries


@dataclass(frozen=True, slots=True)
class Converted:
    conversion: Conversion | None
    """None when a side has no rate stored."""
    legs: Sequence[PairView]
    """The routed rate of each local side (USD/local), in the order given."""
    missing: Sequence[str]
    """The local sides without any stored rate."""


def convert(
    reads: ReadQueries,
    settings: Settings,
    amount: Decimal,
    source: str,
    target: str,
    now: datetime,
    health: Mapping[str, ProviderHealth] | None = None,
) -> Converted:
    """``amount`` of ``source`` in ``target`` at ``now``'s routed rates (read on one
    connection)."""
    locals_ = [c for c in dict.fromkeys((source, target)) if c != USD]
    with reads.reading():
        health = reads.load_health() if health is None else health
        views = routed_rates(
            reads, settings, now, Orientation.PER_USD, health, CHANGE_DEPTH, locals_
        ).views
    legs = {v.local: v for v in views}
    missing = [c for c in locals_ if c not in legs]
    if missing:
        return Converted(None, [legs[c] for c in locals_ if c in legs], missing)
    per_usd: dict[str, Decimal] = {c: legs[c].rate for c in locals_}
    conversion = through_usd(amount, source, target, per_usd)
    return Converted(conversion, [legs[c] for c in locals_], [])
