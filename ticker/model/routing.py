"""Which source a pair shows, decided from what was read: pure functions over each
source's latest fixing and health, with no store and no clock but the ``now`` given.

* the first source in ``[routing]`` whose fixing is current under its calendar;
* otherwise a fallback, only with a *newer* fixing than the preferred source holds and
  only an independent one (:mod:`providers.provenance`: CBR's som is NBKR's number passed
  through the rouble, it cannot stand in for NBKR), and it says so; a fixing of the same
  date never replaces the official one, which then stays, shown stale;
* divergence: the shown rate against the median of the other *independent* sources'
  fixings of the same date, beyond the values' own published precision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum, auto
from typing import TYPE_CHECKING, Protocol

from providers.provenance import Derivation, derivation, is_independent
from ticker.model.freshness import Freshness, is_current
from ticker.model.health import FAILING, UNKNOWN, UNSTABLE, HealthState
from ticker.model.pairs import Pair, percent_change
from ticker.model.periods import ChangePeriod

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple


class Fixing(Protocol):
    """What routing reads of a fixing: whose, of which currency, effective when (a stored
    :class:`~providers.base.Observation`, or an export's lighter row)."""

    @property
    def provider(self) -> str: ...
    @property
    def quote(self) -> str: ...
    @property
    def as_of(self) -> date: ...


class PairState(Enum):
    """What a shown pair's state is, worst first. Its words and symbols are
    :mod:`ticker.display.states`' (one table): a state is never matched by its words."""

    SOURCE_FAILING = auto()
    """Not current, and its source is failing."""
    STALE = auto()
    """Not current under its source's calendar (nothing newer to show instead)."""
    FALLBACK = auto()
    """Another source stands in for the preferred one (:attr:`PairView.fallback_for`)."""
    LAST_POLL_FAILED = auto()
    """Current, though its source's last poll failed."""
    DIVERGENT = auto()
    """Off the other independent sources' median beyond the threshold and precision."""
    OK = auto()


class CrossLeg(NamedTuple):
    """One stored rate a cross was made from, as its source publishes it."""

    provider: str
    pair: Pair
    as_of: date
    rate: Decimal


class PairView(NamedTuple):
    """What the program shows for one pair."""

    local: str
    pair: Pair
    """The pair in the display orientation."""
    rate: Decimal
    """Units of ``pair.quote`` for one ``pair.base``."""
    change: Decimal | None
    change_pct: Decimal | None
    """Against the fixing :attr:`change_from` (None: nothing stored to compare with)."""
    as_of: date
    provider: str
    derived: bool
    fetched_at: datetime
    freshness: Freshness
    provider_state: HealthState
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
    derived_from: Derivation | None = None
    """How the shown value was computed from another source's publication (CBR's som
    from NBKR's, via the rouble); None: the source's own publication."""
    change_period: ChangePeriod = ChangePeriod.DAY
    """What the change is over: the previous fixing (``1d``), or since the rate in force
    at a period's start (:mod:`ticker.model.periods`)."""
    change_from: date | None = None
    """The date of the same source's fixing the change is from (None: no change)."""
    change_from_rate: Decimal | None = None
    """That fixing's rate, in the pair's orientation."""
    cross_of: tuple[CrossLeg, ...] = ()
    """The stored rates a cross was made from (``KZT/KGS via USD: NBK 04 Dec, NBKR 05
    Dec``); empty: the source's own quote of the pair."""

    @property
    def is_cross(self) -> bool:
        """Made here from two stored rates, not published as it is by any source."""
        return bool(self.cross_of)

    @property
    def kind(self) -> PairState:
        """The pair's state, worst first (its words: :func:`ticker.display.states.state_text`)."""
        if self.freshness.stale:
            return PairState.SOURCE_FAILING if self.provider_state == FAILING else PairState.STALE
        if self.fallback_for is not None:
            return PairState.FALLBACK
        if self.provider_state in (FAILING, UNSTABLE):
            return PairState.LAST_POLL_FAILED
        if self.divergent:
            return PairState.DIVERGENT
        return PairState.OK


class Choice(NamedTuple):
    """Which source to show, and whether it stands in for the preferred one."""

    provider: str
    fallback_for: str | None = None
    why: str = ""


def choose(
    routing: Sequence[str],
    latest: Mapping[str, Fixing],
    states: Mapping[str, HealthState],
    now: datetime,
    grace: timedelta | None = None,
) -> Choice | None:
    """The source to show among ``routing`` (in order of preference), from each one's
    latest fixing and health state. Pure: no store, no clock but ``now``. ``grace``: how
    late a fixing may be before the one held is not current (default: each calendar's).
    A name in ``routing`` is a source, or a route (``via:frankfurter``: a cross) whose
    fixing names the source whose calendar and provenance judge it."""
    order = [p for p in routing if p in latest]
    if not order:
        return None
    official = routing[0]

    def current(name: str) -> bool:
        # The fixing's own source's calendar judges it (a cross's: its older leg's).
        return is_current(latest[name].provider, latest[name].as_of, now, grace)

    if official not in latest:
        # Nothing from the official source: an independent source that is current, else
        # any current one (a copy of the official number is still that number), else the
        # first that has anything.
        shown = next(
            (p for p in order if independent(latest[p]) and current(p)),
            next((p for p in order if current(p)), order[0]),
        )
        return Choice(shown, official, "no data")
    held = latest[official].as_of
    if current(official):
        return Choice(official)
    # Not current: a fallback only with a newer fixing of its own (a copy of the held
    # number, or the same date again, is no fallback).
    candidates = [
        p
        for p in order[1:]
        if states.get(p, UNKNOWN) != FAILING and latest[p].as_of > held and independent(latest[p])
    ]
    alternative = next((p for p in candidates if current(p)), None)
    if alternative is None and candidates:
        alternative = candidates[0]
    if alternative is None:  # shown stale: nothing newer to show instead
        return Choice(official)
    why = "failing" if states.get(official, UNKNOWN) in (FAILING, UNSTABLE) else "stale"
    return Choice(alternative, official, why)


def independent(fixing: Fixing) -> bool:
    """Whether a stored fixing is its source's own publication (see
    :mod:`providers.provenance`)."""
    return is_independent(fixing.provider, fixing.quote, fixing.as_of)


def confirms(other: Fixing, shown: Fixing) -> bool:
    """Whether ``other`` can confirm or contradict ``shown``: an independent publication
    of another source, and not the one ``shown`` was computed from."""
    if other.provider == shown.provider or not independent(other):
        return False
    origin = derivation(shown.provider, shown.quote, shown.as_of)
    return origin is None or origin.origin != other.provider


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
