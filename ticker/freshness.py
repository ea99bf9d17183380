"""Is a fixing stale? Judged against the source's publication rhythm, not the calendar.

A source publishes on its own days: business days (NBK, CBU, CBR, Frankfurter), Monday
to Saturday (CBT), or every day (NBKR re-stamps its files daily, NBT publishes weekends
too, the aggregators rebuild daily). A fixing is stale when a publication day has passed
since it without a newer one arriving, beyond one day of grace for the hour at which
sources publish: Monday morning is not stale for a Friday fixing; Tuesday evening is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

BUSINESS = "business"
MON_SAT = "mon-sat"
DAILY = "daily"

#: Each provider's publication rhythm (third-party providers default to business days).
RHYTHMS: dict[str, str] = {
    "nbkr": DAILY,
    "nbk": BUSINESS,
    "nbt": DAILY,
    "cbu": BUSINESS,
    "cbt": MON_SAT,
    "cbr": BUSINESS,
    "frankfurter": BUSINESS,
    "erapi": DAILY,
    "currencyapi": DAILY,
}

#: Publication days that may pass without a new fixing before it counts as stale.
GRACE = 1


def publishes(rhythm: str, day: date) -> bool:
    if rhythm == DAILY:
        return True
    if rhythm == MON_SAT:
        return day.weekday() != 6
    return day.weekday() < 5


@dataclass(frozen=True, slots=True)
class Freshness:
    stale: bool
    missed: int
    """Publication days since the fixing, beyond the grace."""
    age_days: int
    """Calendar days from the fixing's date to today (negative for a next-day stamp)."""

    def label(self) -> str:
        return f"stale {self.age_days}d" if self.stale else "ok"


def freshness(provider: str, as_of: date, today: date) -> Freshness:
    """How ``provider``'s fixing dated ``as_of`` stands on ``today``."""
    rhythm = RHYTHMS.get(provider, BUSINESS)
    missed = 0
    day = as_of + timedelta(days=1)
    while day <= today:
        if publishes(rhythm, day):
            missed += 1
        day += timedelta(days=1)
    beyond = max(missed - GRACE, 0)
    return Freshness(beyond > 0, beyond, (today - as_of).days)
