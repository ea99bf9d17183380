"""Every table of the store, as SQLModel classes.

Domain types (:class:`providers.base.Observation` and friends) stay free of I/O; the
repository converts between them and these rows. Bulk paths use the Core ``Table``
behind each class (``ObservationRow.__table__``), never one ORM object per row.

Changing a table here needs a migration in :mod:`ticker.storage.migrations`; a test
compares the schema the migrations build with the one these classes describe.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Table, UniqueConstraint
from sqlmodel import Field, SQLModel

from ticker.storage.types import DecimalText, UTCDateTime


class ObservationRow(SQLModel, table=True):
    """A stored rate, canonically ``USD -> local`` (base is always USD)."""

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint("provider", "base", "quote", "as_of", name="uq_observation_fixing"),
        Index("ix_observation_pair_as_of", "base", "quote", "as_of"),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider: str
    base: str
    quote: str
    as_of: date
    rate: Decimal = Field(sa_type=DecimalText)
    derived: bool
    fetched_at: datetime = Field(sa_type=UTCDateTime)
    precision_pct: Decimal | None = Field(default=None, sa_type=DecimalText)
    """Relative precision as published, in percent (None: unknown)."""


class NoFixingRow(SQLModel, table=True):
    """Days a source was asked about and has no fixing of a pair for (a weekend, a
    holiday, a weekly-only year): a backfill does not ask for them again."""

    __tablename__ = "no_fixing"
    __table_args__ = (Index("ix_no_fixing_provider_quote", "provider", "quote", "first_day"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str
    quote: str
    first_day: date
    last_day: date
    checked_at: datetime = Field(sa_type=UTCDateTime)


class QuarantinedRow(SQLModel, table=True):
    """A rate that failed the sanity check: kept for inspection, never shown as a point."""

    __tablename__ = "quarantined_observation"
    __table_args__ = (
        UniqueConstraint(
            "provider", "base", "quote", "as_of", "rate", name="uq_quarantined_fixing"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider: str
    base: str
    quote: str
    as_of: date
    rate: Decimal = Field(sa_type=DecimalText)
    derived: bool
    fetched_at: datetime = Field(sa_type=UTCDateTime)
    reason: str
    previous_rate: Decimal | None = Field(default=None, sa_type=DecimalText)


class AlertRuleRow(SQLModel, table=True):
    """A user's alert rule; ``pair`` keeps the orientation it was written in."""

    __tablename__ = "alert_rule"

    id: int | None = Field(default=None, primary_key=True)
    pair: str
    kind: str
    value: Decimal | None = Field(default=None, sa_type=DecimalText)
    percent: Decimal | None = Field(default=None, sa_type=DecimalText)
    direction: str = "either"
    """A market rule's also carries its channel: ``below:cash`` (see
    :func:`ticker.storage.decode.direction_column`)."""
    window_seconds: int | None = None
    days: int | None = None
    cooldown_seconds: int
    hysteresis: Decimal = Field(sa_type=DecimalText)
    channels: str
    """JSON array of channel names."""
    command: str
    """JSON: a string, the name of the rule's hook (``[hooks.NAME]`` of the machine that
    fires it; empty for none). A JSON array is a program an older ticker stored with the
    rule: it is never run."""
    label: str = ""
    origin: str
    """Where the rule came from: ``config``, ``cli`` or ``dashboard``."""
    enabled: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    fingerprint: str | None = None
    """A ``config`` rule's condition (pair, kind, thresholds): how each start finds it
    again, with the same id and state, while the file keeps it."""
    config_file: str | None = None
    """The config file a ``config`` rule came from (each file manages only its own)."""
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """Removed rules are kept, hidden: ids are never reused, firings keep their rule."""
    armed: bool = True
    """Edge-triggered state: False from a firing until the condition clears."""
    last_fired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_observation_id: int | None = None
    """The observation the last firing was about (never fired twice for one)."""
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """The rule fires nothing before this moment (its state still follows the rate)."""


class AlertEventRow(SQLModel, table=True):
    """One firing of a rule, with the observation that caused it."""

    __tablename__ = "alert_event"

    id: int | None = Field(default=None, primary_key=True)
    rule_id: int | None = Field(
        default=None,
        sa_column_args=[ForeignKey("alert_rule.id", ondelete="SET NULL")],
    )
    observation_id: int | None = Field(
        default=None,
        sa_column_args=[ForeignKey("observation.id", ondelete="SET NULL")],
    )
    fired_at: datetime = Field(sa_type=UTCDateTime)
    pair: str
    rate: Decimal | None = Field(default=None, sa_type=DecimalText)
    message: str


class WebhookDeliveryRow(SQLModel, table=True):
    """A firing's webhook delivery, kept from the moment it is queued: ``pending`` until
    the receiver took it (``delivered``) or it was given up (a final refusal, the attempts
    spent, or too old to send). A delivery still pending when a collector stops (cut at
    shutdown, or the process killed) is sent again by the next collector that starts."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_state", "state", "queued_at"),)

    event_id: int | None = Field(
        default=None,
        primary_key=True,
        sa_column_args=[ForeignKey("alert_event.id", ondelete="CASCADE")],
    )
    body: str
    """The JSON posted, exactly as first queued (sent again byte for byte)."""
    queued_at: datetime = Field(sa_type=UTCDateTime)
    state: str
    """``pending``, ``delivered`` or ``given up``."""
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    detail: str | None = None
    """What the last attempt came to, in words (``HTTP 204``, ``HTTP 404: no such hook``)."""


class ProviderStatusRow(SQLModel, table=True):
    """Health of one provider, persisted so every process sees it."""

    __tablename__ = "provider_status"

    provider: str = Field(primary_key=True)
    state: str
    last_attempt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None
    consecutive_failures: int = 0
    next_run: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IndicatorRow(SQLModel, table=True):
    """An economic indicator value; a revision keeps the previous value visible."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint(
            "source", "indicator", "country", "period", "is_forecast", name="uq_indicator_point"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str
    indicator: str
    country: str
    period: str
    value: Decimal | None = Field(default=None, sa_type=DecimalText)
    is_forecast: bool
    fetched_at: datetime = Field(sa_type=UTCDateTime)
    previous_value: Decimal | None = Field(default=None, sa_type=DecimalText)
    revised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    released: date | None = None


class IndicatorRevisionRow(SQLModel, table=True):
    """A value an indicator's source published for a period and later revised: the old
    value, its release date, when it was fetched and when the revision replaced it."""

    __tablename__ = "indicator_revision"
    __table_args__ = (
        Index("ix_indicator_revision_key", "source", "indicator", "country", "period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str
    indicator: str
    country: str
    period: str
    is_forecast: bool
    value: Decimal | None = Field(default=None, sa_type=DecimalText)
    released: date | None = None
    fetched_at: datetime = Field(sa_type=UTCDateTime)
    replaced_at: datetime = Field(sa_type=UTCDateTime)


class IndicatorRefusalRow(SQLModel, table=True):
    """An indicator the source refused when last asked, with its reason (kept until the
    source serves the indicator again)."""

    __tablename__ = "indicator_refusal"

    source: str = Field(primary_key=True)
    indicator: str = Field(primary_key=True)
    reason: str
    refused_at: datetime = Field(sa_type=UTCDateTime)


class CollectorRow(SQLModel, table=True):
    """A running collector: the one holding the store's lease (``active``) or one
    standing by, with its last heartbeat (:mod:`ticker.storage.lease`)."""

    __tablename__ = "collector"
    __table_args__ = (UniqueConstraint("host", "pid", name="uq_collector_process"),)

    id: int | None = Field(default=None, primary_key=True)
    host: str
    pid: int
    role: str
    """``active`` (holds the lease and polls) or ``standby``."""
    started_at: datetime = Field(sa_type=UTCDateTime)
    active_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    heartbeat_at: datetime = Field(sa_type=UTCDateTime)


class PollRequestRow(SQLModel, table=True):
    """A request to the collector that holds the store's lease to poll its sources now
    (a standing-by dashboard's ``r``), until it is answered (:mod:`ticker.core.polling`)."""

    __tablename__ = "poll_request"
    #: Ids are never given twice (the collector answers those above the last it saw),
    #: however many old requests were removed.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    asked_by: str
    """Who asked (``host pid 1234``)."""
    asked_at: datetime = Field(sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the collector had polled for it (None: not yet)."""


class QuoteColumns(SQLModel):
    """The columns a stored quote and a held one share: its key (source, institution,
    city, pair, channel), its prices and its times."""

    id: int | None = Field(default=None, primary_key=True)
    source: str
    institution: str
    city: str = ""
    base: str
    quote: str
    channel: str
    buy: Decimal | None = Field(default=None, sa_type=DecimalText)
    """None: the institution does not buy on this channel."""
    sell: Decimal | None = Field(default=None, sa_type=DecimalText)
    quoted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """The source's own time of the price, as first seen (None: the source gives none)."""
    seen_quoted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """The newest quoted time the source gave this same price with."""
    first_fetched_at: datetime = Field(sa_type=UTCDateTime)
    """When the price was first fetched (a held one: first held)."""
    last_fetched_at: datetime = Field(sa_type=UTCDateTime)


def _key_index(name: str) -> Index:
    """One key's history, newest first, from a moment on."""
    return Index(
        name, "source", "institution", "city", "base", "quote", "channel", "last_fetched_at"
    )


class MarketQuoteRow(QuoteColumns, table=True):
    """One price of one key (source, institution, city, pair, channel), from the poll
    that first saw it until the poll that saw another (:mod:`ticker.storage.market_store`):
    a poll that finds the same prices adds no row, it moves ``last_fetched_at`` (and
    ``seen_quoted_at``) of the key's newest row. Prices are local units per one ``base``."""

    __tablename__ = "market_quote"
    __table_args__ = (
        # The newest row of every key (replaced_at IS NULL), by pair: one range of the
        # index, as long as there are keys, whatever the history.
        Index("ix_market_quote_newest", "replaced_at", "base", "quote"),
        _key_index("ix_market_quote_key"),
    )

    replaced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When another price of the key was first fetched (None: the key's newest row)."""


class QuarantinedQuoteRow(QuoteColumns, table=True):
    """A market quote refused as implausible (too far from the official rate): kept and
    reported, never shown as a market price. A poll that finds the same held prices
    again moves its ``last_fetched_at``, as for a quote."""

    __tablename__ = "quarantined_quote"
    __table_args__ = (_key_index("ix_quarantined_quote_key"),)

    reason: str
    """The facts (:mod:`ticker.model.quarantine`: ``{"kind":"official","allowed":"10"}``)."""
    official: Decimal | None = Field(default=None, sa_type=DecimalText)
    """The official rate it was compared with, local units per one ``base``."""


class ReportedRateRow(SQLModel, table=True):
    """A rate a user reported by hand (``ticker market report``): ``reported``, never
    official and never a source's market quote."""

    __tablename__ = "reported_rate"
    #: Ids are shown to users (to delete one): never given twice.
    __table_args__ = (
        Index("ix_reported_rate_pair", "base", "quote", "reported_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    base: str
    quote: str
    rate: Decimal = Field(sa_type=DecimalText)
    """Units of ``quote`` for one ``base``, exactly as reported."""
    note: str = ""
    reported_at: datetime = Field(sa_type=UTCDateTime)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a table model (for bulk statements)."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table
