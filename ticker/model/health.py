"""Provider health: what each source did last, shared through the store.

States: ``unknown`` (never polled), ``ok`` (last poll succeeded), ``unstable`` (the last
poll failed, fewer than ``failing_after`` in a row), ``failing`` (that many or more).
Changes worth a log line (:class:`HealthChange`): into ``failing``, and out of it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from providers.record import Mutable

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same dataclass, its methods not compiled (:mod:`providers.record`)
    from providers.record import dataclass


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


class HealthChange(StrEnum):
    """A change of state worth saying (the collector logs it): a source starts failing
    (from ok, unstable or never polled), or answers again after failing. Every other
    step (ok -> unstable, unstable -> ok, unknown -> ok) says nothing."""

    FAILING = "failing"
    """Into ``failing``: ``nbk is failing: timed out (https://...)``."""
    RECOVERED = "recovered"
    """From ``failing`` back to ``ok``: ``nbk recovered``."""


def change(before: HealthState, after: HealthState) -> HealthChange | None:
    """What moving from ``before`` to ``after`` says, if anything."""
    if after == FAILING and before != FAILING:
        return HealthChange.FAILING
    if before == FAILING and after == OK:
        return HealthChange.RECOVERED
    return None


@dataclass(frozen=False, slots=True)
class ProviderHealth(Mutable):
    """A provider's health as the collector records it."""

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

    def succeeded(self, when: datetime) -> HealthChange | None:
        """Record a successful poll; returns the change to log, if any."""
        before = self.state
        self.state = OK
        self.last_attempt = self.last_success = when
        self.consecutive_failures = 0
        return change(before, self.state)

    def failed(self, when: datetime, reason: str, failing_after: int) -> HealthChange | None:
        """Record a failed poll; returns the change to log, if any."""
        before = self.state
        self.last_attempt = when
        self.last_error = reason
        self.consecutive_failures += 1
        self.state = FAILING if self.consecutive_failures >= failing_after else UNSTABLE
        return change(before, self.state)
