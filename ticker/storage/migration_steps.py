"""The schema's steps, one function per version: each moves the schema from ``version -
1`` to ``version`` (:mod:`ticker.storage.migrations` lists them and runs the missing ones).

History: each step spells out its own tables and columns and never imports the current
models, so that later changes to ``tables.py`` cannot rewrite what an old step does.
Never edit a step once released; append a new one (and its ``Migration``).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    text,
)

from ticker.i18n.words import N_


def v1_initial(conn: Connection) -> None:
    """The first schema: observations, quarantine, alerts, provider health, indicators."""
    md = MetaData()

    def utc() -> DateTime:
        return DateTime(timezone=True)

    Table(
        "observation",
        md,
        Column("id", Integer, primary_key=True),
        Column("provider", String, nullable=False),
        Column("base", String, nullable=False),
        Column("quote", String, nullable=False),
        Column("as_of", Date, nullable=False),
        Column("rate", String, nullable=False),
        Column("derived", Boolean, nullable=False),
        Column("fetched_at", utc(), nullable=False),
        UniqueConstraint("provider", "base", "quote", "as_of", name="uq_observation_fixing"),
        Index("ix_observation_pair_as_of", "base", "quote", "as_of"),
    )
    Table(
        "quarantined_observation",
        md,
        Column("id", Integer, primary_key=True),
        Column("provider", String, nullable=False),
        Column("base", String, nullable=False),
        Column("quote", String, nullable=False),
        Column("as_of", Date, nullable=False),
        Column("rate", String, nullable=False),
        Column("derived", Boolean, nullable=False),
        Column("fetched_at", utc(), nullable=False),
        Column("reason", String, nullable=False),
        Column("previous_rate", String),
        UniqueConstraint(
            "provider", "base", "quote", "as_of", "rate", name="uq_quarantined_fixing"
        ),
    )
    Table(
        "alert_rule",
        md,
        Column("id", Integer, primary_key=True),
        Column("pair", String, nullable=False),
        Column("kind", String, nullable=False),
        Column("value", String),
        Column("percent", String),
        Column("direction", String, nullable=False),
        Column("window_seconds", Integer),
        Column("days", Integer),
        Column("cooldown_seconds", Integer, nullable=False),
        Column("hysteresis", String, nullable=False),
        Column("channels", String, nullable=False),
        Column("command", String, nullable=False),
        Column("label", String, nullable=False),
        Column("origin", String, nullable=False),
        Column("enabled", Boolean, nullable=False),
        Column("created_at", utc(), nullable=False),
    )
    Table(
        "alert_event",
        md,
        Column("id", Integer, primary_key=True),
        Column("rule_id", Integer, ForeignKey("alert_rule.id", ondelete="SET NULL")),
        Column("observation_id", Integer, ForeignKey("observation.id", ondelete="SET NULL")),
        Column("fired_at", utc(), nullable=False),
        Column("pair", String, nullable=False),
        Column("rate", String),
        Column("message", String, nullable=False),
    )
    Table(
        "provider_status",
        md,
        Column("provider", String, primary_key=True),
        Column("state", String, nullable=False),
        Column("last_attempt", utc()),
        Column("last_success", utc()),
        Column("last_error", String),
        Column("consecutive_failures", Integer, nullable=False),
        Column("next_run", utc()),
    )
    Table(
        "indicator_value",
        md,
        Column("id", Integer, primary_key=True),
        Column("source", String, nullable=False),
        Column("indicator", String, nullable=False),
        Column("country", String, nullable=False),
        Column("period", String, nullable=False),
        Column("value", String),
        Column("is_forecast", Boolean, nullable=False),
        Column("fetched_at", utc(), nullable=False),
        Column("previous_value", String),
        Column("revised_at", utc()),
        UniqueConstraint(
            "source", "indicator", "country", "period", "is_forecast", name="uq_indicator_point"
        ),
    )
    md.create_all(conn)


def v2_alert_state(conn: Connection) -> None:
    """Alert rules keep their edge-triggered state; config rules their condition and file;
    removed rules stay (hidden), so ids are never reused."""
    pg = conn.dialect.name == "postgresql"
    true = "true" if pg else "1"
    timestamp = "TIMESTAMP WITH TIME ZONE" if pg else "DATETIME"
    for column in (
        "fingerprint VARCHAR",
        "config_file VARCHAR",
        f"armed BOOLEAN NOT NULL DEFAULT {true}",
        f"last_fired_at {timestamp}",
        "last_observation_id INTEGER",
        f"removed_at {timestamp}",
    ):
        conn.execute(text(f"ALTER TABLE alert_rule ADD COLUMN {column}"))


def v3_calendars(conn: Connection) -> None:
    """Observations keep the precision their source published; backfill records the
    days a source has no fixing for, so a rerun does not ask again."""
    conn.execute(text("ALTER TABLE observation ADD COLUMN precision_pct VARCHAR"))
    md = MetaData()
    timestamp = DateTime(timezone=True)
    Table(
        "no_fixing",
        md,
        Column("id", Integer, primary_key=True),
        Column("provider", String, nullable=False),
        Column("quote", String, nullable=False),
        Column("first_day", Date, nullable=False),
        Column("last_day", Date, nullable=False),
        Column("checked_at", timestamp, nullable=False),
        Index("ix_no_fixing_provider_quote", "provider", "quote", "first_day"),
    )
    md.create_all(conn)


#: Why a stored fixing was moved to quarantine by :func:`v4_impossible_dates` (stored as
#: written, in English; marked for the catalogue: a person reads ``_(reason)``).
IMPOSSIBLE_DATE = N_(
    "dated more than a day after it was fetched: no source publishes that far ahead"
)


def v4_impossible_dates(conn: Connection) -> None:
    """Fixings dated after the day they were fetched plus one (an erapi timestamp of 2100,
    a CBR set of 2099, stored by older versions) leave the normal points for quarantine:
    otherwise such a fixing would stay the pair's newest for good. Alert events keep
    their message; their link to the observation becomes NULL."""
    if conn.dialect.name == "postgresql":
        late = "o.as_of > (o.fetched_at + interval '2 days')::date"
    else:
        late = "o.as_of > date(o.fetched_at, '+2 days')"
    conn.execute(
        text(
            "INSERT INTO quarantined_observation "
            "(provider, base, quote, as_of, rate, derived, fetched_at, reason, previous_rate) "
            "SELECT o.provider, o.base, o.quote, o.as_of, o.rate, o.derived, o.fetched_at, "
            f":reason, NULL FROM observation o WHERE {late} ON CONFLICT DO NOTHING"
        ),
        {"reason": IMPOSSIBLE_DATE},
    )
    conn.execute(
        text(f"DELETE FROM observation WHERE id IN (SELECT o.id FROM observation o WHERE {late})")
    )


def v5_snooze(conn: Connection) -> None:
    """Alert rules can be snoozed until a moment. The read side reads a store of an
    older schema (a read-only one it cannot upgrade) as if no rule were snoozed."""
    timestamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
    conn.execute(text(f"ALTER TABLE alert_rule ADD COLUMN snoozed_until {timestamp}"))


def v6_indicator_refusals(conn: Connection) -> None:
    """Indicators a source refused (World Bank error 175), with the source's reason, so
    that every process shows them as refused rather than as not published."""
    md = MetaData()
    Table(
        "indicator_refusal",
        md,
        Column("source", String, primary_key=True),
        Column("indicator", String, primary_key=True),
        Column("reason", String, nullable=False),
        Column("refused_at", DateTime(timezone=True), nullable=False),
    )
    md.create_all(conn)


def v7_collectors(conn: Connection) -> None:
    """Every running collector keeps a row: who it is, whether it holds the store's lease
    (``active``) or stands by, and its last heartbeat (:mod:`ticker.storage.lease`)."""
    md = MetaData()
    timestamp = DateTime(timezone=True)
    Table(
        "collector",
        md,
        Column("id", Integer, primary_key=True),
        Column("host", String, nullable=False),
        Column("pid", Integer, nullable=False),
        Column("role", String, nullable=False),
        Column("started_at", timestamp, nullable=False),
        Column("active_since", timestamp),
        Column("heartbeat_at", timestamp, nullable=False),
        UniqueConstraint("host", "pid", name="uq_collector_process"),
    )
    md.create_all(conn)


def v8_webhook_deliveries(conn: Connection) -> None:
    """A firing's webhook delivery is kept until it is done, so that one cut short at
    shutdown is sent at the next start. Only the collector reads the table: the read side
    reads an older store (a read-only one) as it always did."""
    md = MetaData()
    timestamp = DateTime(timezone=True)
    Table("alert_event", md, Column("id", Integer, primary_key=True))
    Table(
        "webhook_delivery",
        md,
        Column(
            "event_id",
            Integer,
            ForeignKey("alert_event.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("body", String, nullable=False),
        Column("queued_at", timestamp, nullable=False),
        Column("state", String, nullable=False),
        Column("settled_at", timestamp),
        Column("detail", String),
        Index("ix_webhook_delivery_state", "state", "queued_at"),
    )
    md.tables["webhook_delivery"].create(conn)


def v9_poll_requests(conn: Connection) -> None:
    """A dashboard that does not poll asks the collector that does to poll now through
    the store: a row the collector watches for and answers. Only the write side reads the
    table: the read side reads an older store as it always did."""
    md = MetaData()
    timestamp = DateTime(timezone=True)
    Table(
        "poll_request",
        md,
        Column("id", Integer, primary_key=True),
        Column("asked_by", String, nullable=False),
        Column("asked_at", timestamp, nullable=False),
        Column("answered_at", timestamp),
        sqlite_autoincrement=True,  # ids never given twice (the collector goes by them)
    )
    md.create_all(conn)


def v10_market(conn: Connection) -> None:
    """Market quotes (banks' and exchange offices' buy and sell: a row per price change
    of a key), the ones held as implausible, and rates users reported by hand. Only new
    tables: the read side reads an older store (a read-only one) as having none."""
    md = MetaData()
    timestamp = DateTime(timezone=True)

    def quote_columns() -> list[Column[object]]:
        return [
            Column("id", Integer, primary_key=True),
            Column("source", String, nullable=False),
            Column("institution", String, nullable=False),
            Column("city", String, nullable=False),
            Column("base", String, nullable=False),
            Column("quote", String, nullable=False),
            Column("channel", String, nullable=False),
            Column("buy", String),
            Column("sell", String),
            Column("quoted_at", timestamp),
            Column("seen_quoted_at", timestamp),
            Column("first_fetched_at", timestamp, nullable=False),
            Column("last_fetched_at", timestamp, nullable=False),
        ]

    key = ("source", "institution", "city", "base", "quote", "channel", "last_fetched_at")
    Table(
        "market_quote",
        md,
        *quote_columns(),
        Column("replaced_at", timestamp),
        Index("ix_market_quote_newest", "replaced_at", "base", "quote"),
        Index("ix_market_quote_key", *key),
    )
    Table(
        "quarantined_quote",
        md,
        *quote_columns(),
        Column("reason", String, nullable=False),
        Column("official", String),
        Index("ix_quarantined_quote_key", *key),
    )
    Table(
        "reported_rate",
        md,
        Column("id", Integer, primary_key=True),
        Column("base", String, nullable=False),
        Column("quote", String, nullable=False),
        Column("rate", String, nullable=False),
        Column("note", String, nullable=False),
        Column("reported_at", timestamp, nullable=False),
        Index("ix_reported_rate_pair", "base", "quote", "reported_at"),
        sqlite_autoincrement=True,  # ids are shown to users: never given twice
    )
    md.create_all(conn)


def v11_indicator_releases(conn: Connection) -> None:
    """An indicator value's release or effective date (a policy decision's day, a CPI
    print's publication), and every value a revision replaced, kept as history. The read
    side reads an older store as having no release dates and no revisions beyond the
    last one (``previous_value``)."""
    kind = "DATE"
    conn.execute(text(f"ALTER TABLE indicator_value ADD COLUMN released {kind}"))
    md = MetaData()
    timestamp = DateTime(timezone=True)
    Table(
        "indicator_revision",
        md,
        Column("id", Integer, primary_key=True),
        Column("source", String, nullable=False),
        Column("indicator", String, nullable=False),
        Column("country", String, nullable=False),
        Column("period", String, nullable=False),
        Column("is_forecast", Boolean, nullable=False),
        Column("value", String),
        Column("released", Date),
        Column("fetched_at", timestamp, nullable=False),
        Column("replaced_at", timestamp, nullable=False),
        Index("ix_indicator_revision_key", "source", "indicator", "country", "period"),
    )
    md.create_all(conn)
