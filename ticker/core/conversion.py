"""``ticker convert`` and the dashboard's converter: an amount at the pair's direct rate
where a central bank publishes it (``convert 100 RUB KGS``: NBKR's rouble rate), else
through each side's routed official rate against the dollar, read from the store.

The direct rate is asked for whenever a side is a foreign currency other than the
dollar, or the pair is watched (``[pairs] watch``); two local currencies not watched
together go through the dollar, as they always have.

Two foreign currencies (``convert 100 RUB EUR``): no source ticker reads publishes one in
the other as a rate it keeps, so the amount goes through a local currency whose central
bank publishes both (NBKR's ``RUB/KGS`` and ``EUR/KGS``: the local side cancels out), the
five in their order; where no bank publishes both, through the first local currency with
a routed rate of each (an aggregator's crosses through the dollar: its ``USD/RUB`` and
``USD/EUR``, the local side cancelling again). Said as ``via KGS: NBKR RUB/KGS 25 Nov,
NBKR EUR/KGS 25 Nov``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ticker.config import Settings
from ticker.core.rates import CHANGE_DEPTH, routed_rates
from ticker.i18n.words import _
from ticker.model.conversion import Conversion, through_usd
from ticker.model.pairs import LOCAL_CURRENCIES, USD, Orientation, Pair, is_local

if TYPE_CHECKING:
    from ticker.model.health import ProviderHealth
    from ticker.model.routing import PairView
    from ticker.storage.reads import ReadQueries


@dataclass(frozen=True, slots=True)
class Converted:
    """What a conversion found: the result, or the sides it had no rate for."""

    conversion: Conversion | None
    """None when a side has no rate stored."""
    legs: Sequence[PairView]
    """The routed rate of each local side (USD/local), in the order given."""
    missing: Sequence[str]
    """The local sides without any stored rate."""
    direct: PairView | None = None
    """The pair's own routed rate, when it was used (its ``legs`` are that one view)."""
    via: str | None = None
    """Two foreign currencies: the local currency gone through (``legs``: FROM/via and
    TO/via)."""


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
    pair = Pair(source, target)
    if not (is_local(source) or is_local(target)):
        return _through_local(reads, settings, amount, source, target, now, health)
    if not pair.is_usd and (pair.foreign is not None or _watched(settings, pair)):
        return _direct(reads, settings, amount, pair, now, health)
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


def _watched(settings: Settings, pair: Pair) -> bool:
    return any(p.key == pair.key for p in settings.pairs.watch)


def _direct(
    reads: ReadQueries,
    settings: Settings,
    amount: Decimal,
    pair: Pair,
    now: datetime,
    health: Mapping[str, ProviderHealth] | None,
) -> Converted:
    """At the pair's own routed rate (a central bank's direct quote, else its cross)."""
    from ticker.core.pair_rates import pair_rates

    views = pair_rates(reads, settings, [pair], now, health)
    if not views:
        return Converted(None, [], [str(pair)])
    view = views[0]
    conversion = Conversion(amount, pair.base, pair.quote, amount * view.rate, view.rate)
    return Converted(conversion, [view], [], view)


def _through_local(
    reads: ReadQueries,
    settings: Settings,
    amount: Decimal,
    source: str,
    target: str,
    now: datetime,
    health: Mapping[str, ProviderHealth] | None,
) -> Converted:
    """Two foreign currencies through a local one (see the module's docstring)."""
    from ticker.core.pair_rates import pair_rates

    wanted = [Pair(f, local) for local in LOCAL_CURRENCIES for f in (source, target)]
    views = {v.pair: v for v in pair_rates(reads, settings, wanted, now, health)}
    both = [
        (views[Pair(source, local)], views[Pair(target, local)])
        for local in LOCAL_CURRENCIES
        if Pair(source, local) in views and Pair(target, local) in views
    ]
    if not both:
        against = _("{source} or {target} against {locals}").format(
            source=source, target=target, locals="/".join(LOCAL_CURRENCIES)
        )
        return Converted(None, [], [against])
    one_bank = [
        (a, b) for a, b in both if not (a.is_cross or b.is_cross) and a.provider == b.provider
    ]
    a, b = (one_bank or both)[0]
    rate = a.rate / b.rate
    conversion = Conversion(amount, source, target, amount * rate, rate)
    return Converted(conversion, [a, b], [], None, a.pair.quote)
