"""The schema version this program writes and reads, without the migrations' imports:
the read side checks a store's version before reading (:mod:`ticker.storage.reader`), and
loading SQLAlchemy to learn one number would cost more than the whole read."""

from __future__ import annotations

#: The table holding the store's one version row.
SCHEMA_TABLE = "ticker_schema"

#: The schema version this program writes (the last migration's; a test keeps the two
#: equal).
HEAD = 11

#: The oldest schema this program can read as it is: what a store that cannot be written
#: (a read-only mount) may have. Every later migration only moves data, or adds a column
#: the read side does without on an older store (5: ``alert_rule.snoozed_until``, read
#: as "not snoozed"; see :func:`ticker.storage.sql.rules`; 6: ``indicator_refusal``, read
#: as "no refusals"; 7: the ``collector`` table, read as "no collector known"; 8: the
#: ``webhook_delivery`` table, which only a collector, on a writable store, reads; 9: the
#: ``poll_request`` table, likewise; 10: the market tables, read as empty; 11:
#: ``indicator_value.released``, read as unknown, and ``indicator_revision``, read as no
#: older revisions).
READABLE_FROM = 3

#: The schema that added ``alert_rule.snoozed_until``.
SNOOZE_SCHEMA = 5

#: The schema that added the ``collector`` table (the lease's heartbeats).
LEASE_SCHEMA = 7

#: The schema that added the market tables (``market_quote``, ``quarantined_quote``,
#: ``reported_rate``).
MARKET_SCHEMA = 10

#: The schema that added ``indicator_value.released`` and ``indicator_revision``.
RELEASE_SCHEMA = 11
