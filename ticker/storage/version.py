"""The schema version this program writes and reads, without the migrations' imports:
the read side checks a store's version before reading (:mod:`ticker.storage.reader`), and
loading SQLAlchemy to learn one number would cost more than the whole read."""

from __future__ import annotations

#: The table holding the store's one version row.
SCHEMA_TABLE = "ticker_schema"

#: The schema version this program writes (the last migration's; a test keeps the two
#: equal).
HEAD = 6

#: The oldest schema this program can read as it is (every later migration only moves
#: data): what a store that cannot be written (a read-only mount) may have.
READABLE_FROM = 3
