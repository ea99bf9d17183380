"""Where each pair's rate can come from: pure data over the configured routing, no store.

* A dollar pair (``USD/KGS``): ``[routing]``'s order for its local side, as always.
* A foreign currency against a local one (``RUB/TJS``, ``EUR/KZT``, ``CNY/KGS``): the
  local currency's own central bank's table first (NBT's rouble rate, as published:
  ``RUB/TJS``); for the rouble, the Bank of Russia next (its somoni in roubles,
  ``TJS/RUB``, turned round); then crosses through the dollar: each aggregator's
  ``USD/RUB`` with the local side's routed ``USD/TJS``.
* Two local currencies (``KZT/KGS``): either side's central bank's direct quote (NBKR
  publishes the tenge in som, ``KZT/KGS``; NBK the som in tenge, ``KGS/KZT``), the
  quote side's first; otherwise a cross through each side's routed dollar rate.

Which bank is whose is :data:`providers.catalogue.CENTRAL_BANKS`'. Which of these are
shown is decided by :func:`ticker.model.routing.choose`, as for the dollar pairs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from providers.catalogue import CENTRAL_BANKS
from providers.records import Source
from ticker.model.pairs import USD, Pair

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

Routing = Mapping[str, Sequence[str]]
"""``[routing]``: per local currency, the sources of its dollar rate in order."""

#: The name :func:`~ticker.model.routing.choose` knows a cross through the routed dollar
#: rates of two local currencies by.
VIA_USD = "via:usd"
#: The prefix of a cross through an aggregator's dollar rate of the foreign side.
VIA = "via:"
#: The built-in sources that are a central bank.
_BANKS = frozenset(CENTRAL_BANKS.values())


class Leg(NamedTuple):
    """One source's stored series, as the source publishes it."""

    provider: str
    stored: Pair

    def inverted_for(self, pair: Pair) -> bool:
        """Whether a rate of this series must be turned round to be ``pair``'s."""
        return self.stored != pair


class PairRoute(NamedTuple):
    """Where one (canonical) pair's rate can come from, in order of preference."""

    pair: Pair
    direct: tuple[Leg, ...]
    """Sources quoting the pair itself (either way round), official first."""
    via: tuple[Leg, ...] = ()
    """Foreign/local: aggregators' ``USD/foreign``, each crossed with the routed
    ``USD/local``."""

    @property
    def crosses_locals(self) -> bool:
        """Two local currencies: crossed through each side's routed dollar rate when no
        direct quote is shown."""
        return self.pair.is_local_cross


def central_bank(currency: str) -> str | None:
    """The built-in source that is ``currency``'s central bank (None: none is)."""
    return CENTRAL_BANKS.get(currency)


def aggregators(routing: Routing, local: str) -> list[str]:
    """The rate sources of ``local``'s routing that are no central bank, in its order."""
    return [p for p in routing.get(local, ()) if p not in _BANKS]


def dollar_sources(routing: Routing, local: str, enabled: Collection[str] | None) -> list[str]:
    """The sources of ``local``'s dollar rate (``USD/local``'s route), in ``[routing]``'s
    order, among the ``enabled`` (None: every one)."""
    return [p for p in routing.get(local, ()) if enabled is None or p in enabled]


def route_for(pair: Pair, routing: Routing, enabled: Collection[str] | None = None) -> PairRoute:
    """The route of ``pair`` (any orientation; the route is of its canonical form),
    among the ``enabled`` sources (None: every one)."""
    canonical = pair.canonical

    def usable(name: str | None) -> bool:
        return name is not None and (enabled is None or name in enabled)

    if pair.is_usd:
        legs = tuple(Leg(p, canonical) for p in dollar_sources(routing, canonical.quote, enabled))
        return PairRoute(canonical, legs)
    base, quote = canonical.base, canonical.quote
    # The quote side's bank publishes the pair as it is (NBT: RUB/TJS; NBKR: KZT/KGS);
    # the base side's bank the other way round (CBR: TJS/RUB; NBK: KGS/KZT).
    direct: list[Leg] = []
    for bank, stored in ((central_bank(quote), canonical), (central_bank(base), canonical.inverse)):
        if bank is not None and usable(bank):
            direct.append(Leg(bank, stored))
    if canonical.is_local_cross:
        return PairRoute(canonical, tuple(direct))
    via = tuple(Leg(p, Pair(USD, base)) for p in aggregators(routing, quote) if usable(p))
    return PairRoute(canonical, tuple(direct), via)


def sources_for(route: PairRoute, routing: Routing, enabled: Collection[str] | None) -> set[str]:
    """Every source that can give the pair something: its direct ones, the aggregators
    of its crosses while the local side has a routed dollar rate, and for two local
    currencies each side's dollar sources when both have one."""
    found = {leg.provider for leg in route.direct}
    pair = route.pair
    if route.via and dollar_sources(routing, pair.quote, enabled):
        found |= {leg.provider for leg in route.via}
    if route.crosses_locals:
        sides = [dollar_sources(routing, c, enabled) for c in (pair.base, pair.quote)]
        if all(sides):
            found |= {p for side in sides for p in side}
    return found


def extra_currencies(
    pairs: Sequence[Pair],
    routing: Routing,
    enabled: Collection[str] | None = None,
    references: Iterable[Pair] = (),
) -> dict[str, frozenset[str]]:
    """Per source, the currencies besides its dollar rows the watched ``pairs`` need of
    it (:attr:`providers.base.ProviderOptions.extra_currencies`): a central bank the
    other side of each pair it quotes directly, an aggregator the foreign side of each
    cross it serves. Dollar pairs need nothing extra; sources that need nothing are
    left out.

    ``references``: pairs (``RUB/TJS``: foreign/local, as a market board quotes them,
    :func:`board_pairs`) whose official reference is needed without their being
    watched: only the local side's own central bank is asked, for the other side (the
    newest fixing a board's distance is measured from, :mod:`ticker.core.market`); no
    other route of the pair is."""
    wanted: dict[str, set[str]] = {}
    for pair in pairs:
        if pair.is_usd:
            continue
        route = route_for(pair, routing, enabled)
        for leg in route.direct:
            wanted.setdefault(leg.provider, set()).add(_other_side(leg))
        for leg in route.via:
            wanted.setdefault(leg.provider, set()).add(leg.stored.quote)
    for pair in references:
        if pair.is_usd:
            continue
        bank = central_bank(pair.quote)
        for leg in route_for(pair, routing, enabled).direct:
            if leg.provider == bank:
                wanted.setdefault(leg.provider, set()).add(_other_side(leg))
    return {p: frozenset(codes) for p, codes in wanted.items()}


def board_pairs(boards: Iterable[Source]) -> list[Pair]:
    """The pairs the market sources' ``boards`` quote (each record's ``others`` against
    its ``quoted_in``: ``USD/TJS``, ``EUR/TJS``, ``RUB/TJS`` for NBT's), once each, for
    :func:`extra_currencies`' ``references``."""
    found: dict[Pair, None] = {}
    for board in boards:
        local = board.quoted_in
        if local is None:
            continue
        for code in sorted(board.others - {local}):
            found[Pair(code, local)] = None
    return list(found)


def _other_side(leg: Leg) -> str:
    """The currency a direct leg's source is asked for: the side that is not its own."""
    own = _own(leg.provider)
    return leg.stored.base if leg.stored.quote == own else leg.stored.quote


def _own(provider: str) -> str | None:
    return next((c for c, bank in CENTRAL_BANKS.items() if bank == provider), None)
