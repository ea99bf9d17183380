"""From a provider's batch to the store: the sanity check, then one transaction.

A rate that is not a positive finite number never gets this far (the provider rejects
the row with its reason). A rate that moves more than ``[sanity] max_move`` percent from
the same provider's previous value for the pair is quarantined: kept in its own table
and reported, never stored as a normal point.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from providers.base import Batch, Observation, Rejected
from ticker.config import SanitySettings
from ticker.format import format_percent, percent_change
from ticker.storage.repository import Quarantined, Repository


@dataclass(slots=True)
class IngestResult:
    """What storing one batch did."""

    received: int = 0
    stored: int = 0
    """New rows (a fixing already stored counts in ``received`` only)."""
    quarantined: list[Quarantined] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    latest: date | None = None
    """The newest as_of among the observations received."""

    def add(self, other: IngestResult) -> None:
        self.received += other.received
        self.stored += other.stored
        self.quarantined.extend(other.quarantined)
        self.rejected.extend(other.rejected)
        if other.latest is not None and (self.latest is None or other.latest > self.latest):
            self.latest = other.latest


def screen(
    repo: Repository, observations: list[Observation], sanity: SanitySettings
) -> tuple[list[Observation], list[Quarantined]]:
    """Split observations into normal points and quarantined outliers.

    A pegged currency's rate must be within ``peg_tolerance`` percent of its peg (from
    the peg's date on). Every rate is compared with the same provider's previous value
    for the pair: the last normal point before it in this batch, else the last one
    stored before its date; a move over ``max_move`` percent is quarantined.
    """
    max_move = sanity.max_move
    groups: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for o in observations:
        groups[(o.provider, o.quote)].append(o)
    normal: list[Observation] = []
    held: list[Quarantined] = []
    for (provider, local), group in groups.items():
        group.sort(key=lambda o: o.as_of)
        before = repo.rate_before(local, provider, group[0].as_of)
        previous = before.rate if before is not None else None
        peg = sanity.pegs.get(local)
        for o in group:
            if peg is not None and o.as_of >= peg.since:
                off = percent_change(peg.rate, o.rate)
                if abs(off) > sanity.peg_tolerance:
                    reason = (
                        f"{format_percent(off)} off the official peg of {peg.rate} "
                        f"(more than the {sanity.peg_tolerance}% allowed)"
                    )
                    held.append(Quarantined(o, reason, peg.rate))
                    continue
            if previous is not None:
                move = percent_change(previous, o.rate)
                if abs(move) > max_move:
                    reason = (
                        f"moved {format_percent(move)} from {previous} "
                        f"(more than the {max_move}% allowed)"
                    )
                    held.append(Quarantined(o, reason, previous))
                    continue
            normal.append(o)
            previous = o.rate
    return normal, held


def ingest(repo: Repository, batch: Batch, sanity: SanitySettings) -> IngestResult:
    """Screen and store one provider response, all in one transaction."""
    normal, held = screen(repo, batch.observations, sanity)
    stored = repo.store(normal, held)
    latest = max((o.as_of for o in batch.observations), default=None)
    return IngestResult(len(batch.observations), stored, held, list(batch.rejected), latest)
