"""The collectors of one store: which one holds the lease and polls, which stand by.

Plain values, shared by every layer above (the lease writes them, ``ticker providers``
and ``ticker health`` read them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ticker.model.text import printable


class Role(StrEnum):
    """What a collector does (the text is what the store keeps and ``--json`` says)."""

    ACTIVE = "active"
    """It holds the store's lease and polls."""
    STANDBY = "standby"
    """Another holds the lease: it waits to take over."""


@dataclass(frozen=True, slots=True)
class CollectorRecord:
    """One running collector, as its heartbeat row says."""

    host: str
    pid: int
    role: Role
    started_at: datetime
    active_since: datetime | None
    heartbeat_at: datetime

    @property
    def who(self) -> str:
        """``host pid 1234``, as the log lines and the status line name a collector (the
        host as a store says it, anyone's to write: escaped)."""
        return f"{printable(self.host)} pid {self.pid}"

    def heard_within(self, limit: timedelta, now: datetime) -> bool:
        """Whether its last heartbeat is at most ``limit`` old at ``now``."""
        return now - self.heartbeat_at <= limit


def active_of(collectors: list[CollectorRecord]) -> CollectorRecord | None:
    """The collector that says it holds the lease (the newest, should rows disagree)."""
    active = [c for c in collectors if c.role is Role.ACTIVE]
    return max(active, key=lambda c: c.heartbeat_at) if active else None
