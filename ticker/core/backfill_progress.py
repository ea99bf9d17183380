"""How a backfill is going: one record per source (requests planned, fetched, stored,
days without a fixing, failures, notes), read by the command line's progress lines and
the dashboard's backfill panel, and written by the rates' and the indicators' backfills
(:mod:`ticker.core.backfill`, :mod:`ticker.core.indicator_backfill`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from ticker.core.ingest import IngestResult


@dataclass(slots=True)
class ProviderProgress:
    """How one provider's backfill is going (read by the progress display)."""

    provider: str
    total: int = 0
    done: int = 0
    fetched: int = 0
    """Observations received so far (stored in batches of a few hundred)."""
    what: str = "rates"
    """What is fetched and stored, as the progress line counts it (an indicators
    source's: ``values``)."""
    stored: int = 0
    no_fixing: int = 0
    """Dated days the source turned out to have no fixing for."""
    failures: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    """Requests that failed for days the source's calendar does not call settled yet
    (today's file not out at its usual hour): not failures; the next run asks again."""
    clipped_from: date | None = None
    """The source's history starts here, after the first date asked."""
    requests: int = 0
    """The requests planned: ``total`` history spans, each as many requests as the source
    needs for it (NBKR, NBT and CBR one per currency)."""
    estimate: float = 0.0
    """Seconds the planned requests should take at the source's pacing."""
    notes: list[str] = field(default_factory=list)
    """One line each for what the source said about dates (a date asked for answered
    with an earlier fixing, kept under its own date)."""
    result: IngestResult = field(default_factory=IngestResult)
    started: float = field(default_factory=time.monotonic)
    finished: bool = False
    interrupted: bool = False
    note: str = ""

    @property
    def failed(self) -> int:
        return len(self.failures)

    def rate(self, now: float | None = None) -> float:
        """Units per second so far (``now``: the monotonic time, default the present)."""
        elapsed = (time.monotonic() if now is None else now) - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def eta(self, now: float | None = None) -> float | None:
        """Seconds left at the current rate."""
        rate = self.rate(now)
        return (self.total - self.done) / rate if rate > 0 else None


def total_stored(progress: dict[str, ProviderProgress]) -> int:
    return sum(p.stored for p in progress.values())
