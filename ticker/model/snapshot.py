"""What the dashboard shows, as values: the state of every pair, provider and rule read in
one go (:func:`ticker.core.snapshot.load_snapshot`), and one pair's detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from providers.provenance import Derivation
from ticker.model.health import ProviderHealth
from ticker.model.pairs import Pair
from ticker.model.records import AlertEvent, Quarantined, StoredRule
from ticker.model.routing import CrossLeg, PairView

if TYPE_CHECKING:  # the first frame loads no market
    from ticker.model.market import MarketSummary
    from ticker.model.market_records import ReportedRate

#: A cross's line on the chart (its legs' sources are in the detail).
CROSS_SERIES = "via USD"
#: The group of the pairs among the five (no foreign side).
LOCALS_GROUP = "locals"


def row_key(view: PairView) -> str:
    """The one key of a shown pair's row, its sparkline and its chart: the local currency
    for a dollar pair (as ever), else the pair's canonical text (``RUB/TJS``), which a pair
    and its inverse share."""
    return view.local if view.pair.is_usd else view.pair.key


def group_of(pair: Pair) -> str:
    """The group a pair is shown in: its foreign currency (``USD``, ``RUB``, ``EUR``,
    ``CNY``), or :data:`LOCALS_GROUP` for a pair among the five."""
    return pair.foreign or LOCALS_GROUP


def group_rank(pair: Pair) -> int:
    """The groups' order: USD, RUB, EUR, CNY, any other foreign currency, the locals."""
    group = group_of(pair)
    order = ("USD", "RUB", "EUR", "CNY")
    if group in order:
        return order.index(group)
    return len(order) + (group == LOCALS_GROUP)


@dataclass(frozen=True, slots=True)
class Snapshot:
    views: list[PairView]
    sparks: dict[str, str]
    """Row key (:func:`row_key`) -> sparkline of the shown source's last 30 fixings (a
    cross: of its legs' last 30 dates)."""
    health: dict[str, ProviderHealth]
    rules: list[StoredRule]
    loaded_at: datetime
    events: list[AlertEvent] = field(default_factory=list)
    """Firings recorded after the ``events_after`` the snapshot was asked for, oldest first."""
    last_event_id: int = 0


@dataclass(frozen=True, slots=True)
class DetailRow:
    provider: str
    rate: Decimal
    as_of: date
    derived: bool
    deviation_pct: Decimal | None
    """From the routed rate, in percent (None for the routed provider itself)."""
    routed: bool
    """This source's rate is the one shown."""
    precision_pct: Decimal | None = None
    """The value's own precision as published, in percent."""
    route: int | None = None
    """Its place in the pair's ``[routing]`` (1 = preferred); None: not routed (stored
    from another run, another config, or polled with ``--provider``)."""
    derived_from: Derivation | None = None
    """How the value was computed from another source's publication; None: its own."""


@dataclass(frozen=True, slots=True)
class PairDetail:
    local: str
    rows: list[DetailRow]
    quarantined: list[Quarantined]
    crosses: list[tuple[str, Decimal]] = field(default_factory=list)
    """(another local currency, its units per one unit of ``local``), through each
    side's routed official rate against the dollar; pairs without a rate left out."""
    pair: Pair | None = None
    """A pair other than a dollar pair: as shown (None: ``local`` against the dollar)."""
    via: tuple[CrossLeg, ...] = ()
    """Such a pair shown as a cross: the stored rates it was made from, oldest first."""
    market: tuple[MarketSummary[Any], ...] = ()
    """The pair's market, one summary per channel (stale ones too, marked), as the boards
    publish the pair (local per one foreign): :func:`ticker.core.market.pair_market`."""
    market_official: str = ""
    """The central bank whose rate the market's distances are from (``nbt``)."""
    reported: tuple[ReportedRate, ...] = ()
    """Rates users reported by hand for the pair (either way round), newest first."""
    market_at: datetime | None = None
    """When the market was read (the quotes' ages are from then); None: not read."""
