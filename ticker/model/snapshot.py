"""What the dashboard shows, as values: the state of every pair, provider and rule read in
one go (:func:`ticker.core.snapshot.load_snapshot`), and one pair's detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from providers.provenance import Derivation
from ticker.model.health import ProviderHealth
from ticker.model.records import AlertEvent, Quarantined, StoredRule
from ticker.model.routing import PairView


@dataclass(frozen=True, slots=True)
class Snapshot:
    views: list[PairView]
    sparks: dict[str, str]
    """local currency -> sparkline of the routed provider's last 30 fixings."""
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
