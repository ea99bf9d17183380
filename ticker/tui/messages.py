"""Every message the dashboard's workers post. Handlers (and only they) touch widgets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from ticker.core.market import MarketView
    from ticker.display.monetary_screen import RecentDecision
    from ticker.model.collectors import CollectorRecord
    from ticker.model.indicators import IndicatorSeries
    from ticker.model.market_column import ColumnEntry
    from ticker.model.monetary import MonetaryView
    from ticker.model.series import Series
    from ticker.model.snapshot import PairDetail, Snapshot


@dataclass
class SnapshotLoaded(Message):
    snapshot: Snapshot
    rows_only: bool = False
    """New fixings were all that moved: only their rows were read again (nothing of the
    market, the health or the rules moved)."""


@dataclass
class ChartLoaded(Message):
    local: str
    range_name: str
    series: list[Series]


@dataclass
class DetailLoaded(Message):
    detail: PairDetail
    monetary: MonetaryView | None = None
    """The policy rate and inflation of the pair's local side(s) (None: not read)."""


@dataclass
class MarketColumnLoaded(Message):
    """The rates table's market column, read after the first frame."""

    entries: list[ColumnEntry]


@dataclass
class RoundFinished(Message):
    provider: str
    ok: bool
    reason: str


@dataclass
class PollingStarted(Message):
    providers: list[str]


@dataclass
class LeaseChanged(Message):
    """This dashboard's collector took the store's lease (``fed_by`` empty), or stands
    by while another collector holds it (``fed_by``: which one, in words)."""

    fed_by: str


@dataclass
class IndicatorsLoaded(Message):
    series: list[IndicatorSeries]
    """The annual indicators."""
    monetary: MonetaryView | None = None
    """The monetary monitor (the policy rates, inflation, reserves, remittances)."""


@dataclass
class DecisionsLoaded(Message):
    """Each country's newest policy-rate value: the status line leads with the ones
    that take effect today."""

    decisions: tuple[RecentDecision, ...]


@dataclass
class AlertsFired(Message):
    """Rules fired: by this dashboard's collector, or by another process (``events``)."""

    messages: list[str]
    bell: bool
    toast: bool = True


@dataclass
class AlertDeleted(Message):
    rule_id: int
    removed: bool


@dataclass
class RuleChanged(Message):
    """A rule was edited, disabled, enabled or snoozed; ``words`` says what was done."""

    rule_id: int
    words: str
    severity: Literal["information", "warning", "error"] = "information"
    """How the words are shown (``warning``: a rule no channel of which can deliver here)."""


@dataclass
class ExportFinished(Message):
    path: str
    rows: int


@dataclass
class ConversionWanted(Message):
    """The converter asks for ``amount`` of ``source`` in ``target``."""

    amount: Decimal
    source: str
    target: str


@dataclass
class ConversionDone(Message):
    """What the converter shows for ``request`` (its amount, from, to): the line, or why
    there is none (``ok`` False)."""

    request: tuple[str, str, str]
    text: str
    ok: bool


@dataclass
class WorkFailed(Message):
    """A worker could not do its job; ``message`` is one line for the user."""

    what: str
    message: str


@dataclass
class StoreAnnounced(Message):
    """Another connection committed (PostgreSQL's announcement, heard by the store's
    listener): worth a look at the store now, not at the next timer."""


@dataclass
class LiveUpdates(Message):
    """The store's announcements were lost (``lost``: why) or are heard again (None)."""

    lost: str | None


@dataclass
class StoreReadOnly(Message):
    """This process cannot write the store (a read-only file or mount): the dashboard
    shows what is stored, collects nothing, and its keys that write say ``reason`` (the
    writing commands' one line)."""

    reason: str


@dataclass
class PollAsked(Message):
    """``r`` on a dashboard that does not poll: the collector holding the store's lease
    (``holder``; None: none does) was asked to poll now (``asked``), through the store."""

    holder: CollectorRecord | None
    asked: bool


@dataclass
class MarketLoaded(Message):
    """The market of ``local`` (every board pair, every channel) for the board screen."""

    local: str
    view: MarketView
