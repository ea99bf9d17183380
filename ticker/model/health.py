"""Provider health: what each source did last, shared through the store.

States: ``unknown`` (never polled), ``ok`` (last poll succeeded), ``unstable`` (the last
poll failed, fewer than ``failing_after`` in a row), ``failing`` (that many or more).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class HealthState(StrEnum):
    """Where a provider stands (the text is what the store keeps and ``--json`` says)."""

    UNKNOWN = "unknown"
    OK = "ok"
    UNSTABLE = "unstable"
    FAILING = "failing"


UNKNOWN = HealthState.UNKNOWN
OK = HealthState.OK
UNSTABLE = HealthState.UNSTABLE
FAILING = HealthState.FAILING


@dataclass(slots=True)
class ProviderHealth:
    provider: str
    state: HealthState = UNKNOWN
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    next_run: datetime | None = None

    @property
    def healthy(self) -> bool:
        """Whether routing may pick this provider (anything but failing)."""
        return self.state != FAILING

    def succeeded(self, when: datetime) -> str | None:
        """Record a successful poll; returns the transition to log, if any."""
        before = self.state
        self.state = OK
        self.last_attempt = self.last_success = when
        self.consecutive_failures = 0
        return "recovered" if before == FAILING else None

    def failed(self, when: datetime, reason: str, failing_after: int) -> str | None:
        """Record a failed poll; returns the transition to log, if any."""
        before = self.state
        self.last_attempt = when
        self.last_error = reason
        self.consecutive_failures += 1
        self.state = FAILING if self.consecutive_failures >= failing_after else UNSTABLE
        return "failing" if self.state == FAILING and before != FAILING else None
