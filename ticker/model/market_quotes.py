"""One market quote, decided: who stands behind it (official source, third party,
reported), when it was given, whether it is stale, and which of a history of quotes is
each institution's latest.

Everything here reads quotes through :class:`QuoteLike`, the fields of
:class:`providers.market_quote.MarketQuote`, so a quote read back from the store (which
adds its id and times) fits as it is. Pure: no I/O, no clock (``now`` is an argument).

**Stale** (:func:`is_stale`): a quote is stale once a banking day of its source has been
open for :data:`STALE_GRACE` (two hours) and the quote is from an earlier day, in the
source's own zone (the quoted time, or the fetched time where the source gives none).
So a Dushanbe bank's quote of Monday 18:00 is current through the night and Tuesday's
first two hours of business (to 10:00 local), stale after; a Saturday quote is current
all Sunday (no banking day) until Monday 10:00. A source without a calendar (an unknown
one): stale after :data:`STALE_WITHOUT_CALENDAR` (24 hours).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal, Inexact, localcontext
from enum import StrEnum
from typing import Protocol, TypeVar

from providers.market_quote import Channel
from providers.market_records import MARKET
from ticker.model.market_records import REPORTED

__all__ = [
    "REPORTED",
    "STALE_GRACE",
    "STALE_WITHOUT_CALENDAR",
    "Origin",
    "Q",
    "QuoteLike",
    "institution_key",
    "is_stale",
    "latest_quotes",
    "local_time",
    "median",
    "origin_of",
    "quote_age",
    "quote_time",
]


#: After a banking day opens, how long an institution has to post that day's quote.
STALE_GRACE = timedelta(hours=2)
#: A source without a banking calendar: a quote older than this is stale.
STALE_WITHOUT_CALENDAR = timedelta(hours=24)


class QuoteLike(Protocol):
    """What is read of a quote: :class:`~providers.market_quote.MarketQuote`'s fields (a
    stored quote has them too)."""

    @property
    def source(self) -> str: ...
    @property
    def institution(self) -> str: ...
    @property
    def base(self) -> str: ...
    @property
    def quote(self) -> str: ...
    @property
    def channel(self) -> Channel: ...
    @property
    def buy(self) -> Decimal | None: ...
    @property
    def sell(self) -> Decimal | None: ...
    @property
    def quoted_at(self) -> datetime | None: ...
    @property
    def fetched_at(self) -> datetime: ...
    @property
    def city(self) -> str: ...


Q = TypeVar("Q", bound=QuoteLike)


class Origin(StrEnum):
    """Who stands behind a price (the value is JSON's word; the display has the words)."""

    OFFICIAL = "official"
    """The central bank's own publication of the banks' rates (NBT's table)."""
    THIRD_PARTY = "third-party"
    """An aggregator's or a board site's (and any source not known here)."""
    REPORTED = "reported"
    """Reported by hand by a user: never official, never market data from a source."""


def origin_of(source: str) -> Origin:
    """The origin of ``source``'s prices: its record's ``third_party`` flag; an unknown
    source name is a third party."""
    if source == REPORTED:
        return Origin.REPORTED
    record = MARKET.get(source)
    return Origin.OFFICIAL if record is not None and not record.third_party else Origin.THIRD_PARTY


def quote_time(q: QuoteLike) -> datetime:
    """When the quote was given: the source's quoted time, or the fetched time where the
    source gives none."""
    return q.quoted_at if q.quoted_at is not None else q.fetched_at


def local_time(q: QuoteLike) -> datetime:
    """:func:`quote_time` in the source's own zone (its banking calendar's), whatever zone
    it was read back in (the store keeps UTC); as it is for a source not known here."""
    record = MARKET.get(q.source)
    when = quote_time(q)
    if record is None or record.calendar is None:
        return when
    return when.astimezone(record.calendar.tz)


def quote_age(q: QuoteLike, now: datetime) -> timedelta:
    """How old the quote is at ``now`` (zero for a time ahead of ``now``)."""
    return max(now - quote_time(q), timedelta(0))


def is_stale(q: QuoteLike, now: datetime) -> bool:
    """Whether the quote is stale at ``now`` (see the module docstring for the rule)."""
    record = MARKET.get(q.source)
    calendar = record.calendar if record is not None else None
    if calendar is None:
        return now - quote_time(q) > STALE_WITHOUT_CALENDAR
    banking_day = calendar.expected(now - STALE_GRACE)
    if banking_day is None:  # pragma: no cover - every market calendar has banking days
        return now - quote_time(q) > STALE_WITHOUT_CALENDAR
    return quote_time(q).astimezone(calendar.tz).date() < banking_day


def _identity(q: QuoteLike) -> tuple[str, str, str, str, str, Channel]:
    return (q.source, q.institution, q.city, q.base, q.quote, q.channel)


def latest_quotes(quotes: Iterable[Q]) -> list[Q]:
    """Each institution's newest quote per source, pair and channel (by quoted time, then
    fetched time), in the order first met: a history of quotes read as a board."""
    newest: dict[tuple[str, str, str, str, str, Channel], Q] = {}
    for q in quotes:
        key = _identity(q)
        held = newest.get(key)
        if held is None or (quote_time(q), q.fetched_at) > (quote_time(held), held.fetched_at):
            newest[key] = q
    return list(newest.values())


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The exact median (of an even count, the mean of the middle two, not rounded);
    None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    low, high = ordered[middle - 1], ordered[middle]
    # Wide enough for the exact sum and its half; a rounded result would raise.
    digits = max(low.adjusted(), high.adjusted()) - min(_exponent(low), _exponent(high)) + 3
    with localcontext(prec=max(digits, 28)) as ctx:
        ctx.traps[Inexact] = True
        return (low + high) / 2


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite prices only
    return exponent


def institution_key(q: QuoteLike) -> tuple[str, str, str]:
    """How institutions are ordered among equals: by name (case-blind), city, source."""
    return (q.institution.casefold(), q.city.casefold(), q.source)
