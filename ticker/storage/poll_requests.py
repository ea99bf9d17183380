"""Requests to poll now, made through the store: a dashboard that does not poll (it
stands by, or runs with ``--no-collect``) asks the collector that holds the store's lease,
wherever it runs, by adding a row; that collector watches for new rows
(:mod:`ticker.core.store_watch`), polls, and marks them answered. On PostgreSQL the row is
announced (``poll``) so that it is heard at once; SQLite's commit counter says it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, func, select

from ticker.storage.base import StoreBase
from ticker.storage.tables import PollRequestRow, table_of

POLL_REQUESTS: Table = table_of(PollRequestRow)
#: Requests are kept this long (then removed by the next one asked), answered or not.
KEEP_REQUESTS = timedelta(days=1)
#: The word a request is announced with on PostgreSQL (one of
#: :data:`ticker.storage.changes.ANNOUNCED`).
ASKED = "poll"


@dataclass(frozen=True, slots=True)
class PollRequest:
    id: int
    asked_by: str
    """Who asked (``host pid 1234``)."""
    asked_at: datetime


class PollRequestStore(StoreBase):
    """The requests to poll now."""

    def ask_for_poll(self, asked_by: str, when: datetime) -> int:
        """Ask the collector that holds the lease to poll now; the request's id. Requests
        older than :data:`KEEP_REQUESTS` go in the same transaction."""
        t = POLL_REQUESTS
        with self.db.errors(), self._write() as conn:
            conn.execute(t.delete().where(t.c.asked_at < when - KEEP_REQUESTS))
            done = conn.execute(t.insert().values(asked_by=asked_by, asked_at=when))
            self._announce(conn, ASKED)
        (asked,) = done.inserted_primary_key or (0,)
        return int(asked)

    def last_poll_request(self) -> int:
        """The newest request's id (0: none was ever kept)."""
        with self.db.errors(), self._read() as conn:
            return int(conn.execute(select(func.max(POLL_REQUESTS.c.id))).scalar() or 0)

    def poll_requests_after(self, after: int) -> list[PollRequest]:
        """The requests not answered yet, newer than request ``after``, oldest first."""
        t = POLL_REQUESTS
        query = (
            select(t.c.id, t.c.asked_by, t.c.asked_at)
            .where(t.c.id > after, t.c.answered_at.is_(None))
            .order_by(t.c.id)
        )
        with self.db.errors(), self._read() as conn:
            return [
                PollRequest(int(r.id), str(r.asked_by), r.asked_at) for r in conn.execute(query)
            ]

    def answer_poll_requests(self, ids: list[int], when: datetime) -> None:
        """Requests ``ids`` were answered (the sources were polled) at ``when``."""
        if not ids:
            return
        t = POLL_REQUESTS
        with self.db.errors(), self._write() as conn:
            conn.execute(t.update().where(t.c.id.in_(ids)).values(answered_at=when))

    def poll_request_answered(self, asked: int) -> datetime | None:
        """When request ``asked`` was answered (None: not yet, or it is gone)."""
        t = POLL_REQUESTS
        with self.db.errors(), self._read() as conn:
            found = conn.execute(select(t.c.answered_at).where(t.c.id == asked)).first()
        return found.answered_at if found is not None else None
