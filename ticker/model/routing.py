"""Which source a pair shows, decided from what was read: pure functions over each
source's latest fixing and health, with no store and no clock but the ``now`` given.

* the first source in ``[routing]`` whose fixing is current under its calendar;
* otherwise a fallback, never older than what the preferred source holds, and it says so;
* divergence: the shown rate against the median of the other sources' fixings of the same
  date, beyond the values' own published precision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from providers.base import Observation
from ticker.model.freshness import Freshness, is_current
from ticker.model.health import FAILING, UNKNOWN, UNSTABLE
from ticker.model.pairs import Pair, percent_change


class PairState(StrEnum):
    """What a shown pair's state is, worst first."""

    SOURCE_FAILING = "source failing"
    STALE = "stale"
    FALLBACK = "fallback"
    LAST_POLL_FAILED = "last poll failed"
    DIVERGENT = "divergent"
    OK = "ok"


@dataclass(frozen=True, slots=True)
class PairView:
    """What the program shows for one pair."""

    local: str
    pair: Pair
    """The pair in the display orientation."""
    rate: Decimal
    """Units of ``pair.quote`` for one ``pair.base``."""
    change: Decimal | None
    change_pct: Decimal | None
    """Against the previous fixing of the same provider (None for its first)."""
    as_of: date
    provider: str
    derived: bool
    fetched_at: datetime
    freshness: Freshness
    provider_state: str
    divergence_pct: Decimal | None
    """Shown rate vs the median of the other sources' fixings of the same date, in
    percent (None: no other source has one)."""
    divergent: bool
    precision_pct: Decimal | None = None
    """The shown value's own precision as published, in percent (None: unknown)."""
    fallback_for: str | None = None
    """The preferred source this one stands in for, when it does."""
    fallback_why: str = ""
    """Why the preferred source is not shown: ``failing``, ``stale`` or ``no data``."""

    @property
    def kind(self) -> PairState:
        """The pair's state, worst first (see :attr:`state` for its words)."""
        if self.freshness.stale:
            return PairState.SOURCE_FAILING if self.provider_state == FAILING else PairState.STALE
        if self.fallback_for is not None:
            return PairState.FALLBACK
        if self.provider_state in (FAILING, UNSTABLE):
            return PairState.LAST_POLL_FAILED
        if self.divergent:
            return PairState.DIVERGENT
        return PairState.OK

    @property
    def state(self) -> str:
        """``source failing``, ``stale 3d``, ``fallback, nbk failing``, ``last poll
        failed``, ``divergent`` or ``ok``, worst first."""
        kind = self.kind
        if kind is PairState.STALE:
            return self.freshness.label()
        if kind is PairState.FALLBACK:
            return f"fallback, {self.fallback_for} {self.fallback_why}"
        return str(kind)


@dataclass(frozen=True, slots=True)
class Choice:
    """Which source to show, and whether it stands in for the preferred one."""

    provider: str
    fallback_for: str | None = None
    why: str = ""


def choose(
    routing: Sequence[str],
    latest: Mapping[str, Observation],
    states: Mapping[str, str],
    now: datetime,
) -> Choice | None:
    """The source to show among ``routing`` (in order of preference), from each one's
    latest fixing and health state. Pure: no store, no clock but ``now``."""
    order = [p for p in routing if p in latest]
    if not order:
        return None
    preferred = order[0]
    official = routing[0]
    held = latest[preferred].as_of
    if is_current(preferred, held, now):
        if preferred == official:
            return Choice(preferred)
        return Choice(preferred, official, "no data")
    # Not current: a fallback, never older than what the preferred source holds.
    candidates = [
        p for p in order[1:] if states.get(p, UNKNOWN) != FAILING and latest[p].as_of >= held
    ]
    alternative = next((p for p in candidates if is_current(p, latest[p].as_of, now)), None)
    if alternative is None:
        alternative = next((p for p in candidates if latest[p].as_of > held), None)
    if alternative is None:
        return Choice(preferred)  # shown stale: nothing newer to show instead
    why = "failing" if states.get(preferred, UNKNOWN) in (FAILING, UNSTABLE) else "stale"
    return Choice(alternative, preferred, why)


def divergence(
    shown: Decimal,
    shown_precision: Decimal | None,
    others: Sequence[tuple[Decimal, Decimal | None]],
    threshold: Decimal,
) -> tuple[Decimal | None, bool]:
    """The shown rate against the median of ``others`` (rates of the same date, with their
    precision), in percent, and whether that is a divergence: beyond ``threshold`` and
    beyond the values' own precision."""
    if not others:
        return None, False
    median = _median([rate for rate, _ in others])
    pct = percent_change(median, shown)
    uncertainty = (shown_precision or Decimal(0)) + max(p or Decimal(0) for _, p in others)
    return pct, abs(pct) > threshold and abs(pct) > uncertainty


def _median(values: Sequence[Decimal]) -> Decimal:
    """The middle value (the mean of the two middle ones for an even count), exactly.
    (``statistics.median`` does the same, and costs a status bar's strip 3 ms to load.)"""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
