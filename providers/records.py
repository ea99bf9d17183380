"""What a source *is*, as a type: the :class:`Source` record, the kinds of data and of
history, and the five currencies and countries every part of the program shares.

The built-in records themselves are in :mod:`providers.catalogue` (the rate and indicator
sources) and :mod:`providers.market_records` (banks' and exchange offices' boards); the
catalogue gathers them all in ``SOURCES``. Standard library only.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from providers.calendar import Calendar

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

__all__ = [
    "COUNTRIES",
    "COUNTRY_ALPHA2",
    "COUNTRY_CURRENCY",
    "History",
    "Kind",
    "LOCAL_CURRENCIES",
    "Source",
]

#: The five local currencies, in display order.
LOCAL_CURRENCIES: tuple[str, ...] = ("KGS", "KZT", "TJS", "UZS", "TMT")

#: The five countries of the indicators (ISO 3166-1 alpha-3), in display order.
COUNTRIES: dict[str, str] = {
    "KGZ": "Kyrgyzstan",
    "KAZ": "Kazakhstan",
    "TJK": "Tajikistan",
    "UZB": "Uzbekistan",
    "TKM": "Turkmenistan",
}

#: Each country's currency (the one its central bank issues).
COUNTRY_CURRENCY: dict[str, str] = {
    "KGZ": "KGS",
    "KAZ": "KZT",
    "TJK": "TJS",
    "UZB": "UZS",
    "TKM": "TMT",
}

#: Each country's two-letter code (ISO 3166-1 alpha-2), as people write it (``KZ``).
COUNTRY_ALPHA2: dict[str, str] = {
    "KGZ": "KG",
    "KAZ": "KZ",
    "TJK": "TJ",
    "UZB": "UZ",
    "TKM": "TM",
}


class Kind(StrEnum):
    """What kind of data a source gives."""

    FIXINGS = "fixings"
    """Official fixings: a reference rate per currency and date (the central banks, and
    the services that republish or blend theirs)."""
    MARKET = "market"
    """Market quotes: banks' and exchange offices' buy and sell, during the day."""
    MONETARY = "monetary"
    """Monetary indicators: policy-rate decisions, monthly inflation."""
    ANNUAL = "annual"
    """Annual indicators: the World Bank's and the IMF's yearly series."""

    @property
    def family(self) -> str:
        """What the configuration calls the source's data: ``rates`` (routed, and polled
        by ``ticker poll``), ``market`` or ``indicators``."""
        return _FAMILIES[self]


_FAMILIES = {
    Kind.FIXINGS: "rates",
    Kind.MARKET: "market",
    Kind.MONETARY: "indicators",
    Kind.ANNUAL: "indicators",
}


class History(StrEnum):
    """How a source's history is read: not at all, one date per request, or ranges."""

    NONE = "none"
    DAILY = "daily"
    RANGE = "range"


class Source(NamedTuple):
    """What one source is, before any configuration is read."""

    name: str
    """The registry's name, as in ``[providers.NAME]``."""
    title: str
    """Who publishes the data, for people."""
    kind: Kind
    base_url: str
    """The default ``base_url``: scheme, host and optional path prefix."""
    interval: timedelta
    """The default time between two polls."""
    poll_floor: timedelta = timedelta(minutes=1)
    """The politeness floor: never polled more often, whatever ``interval`` says."""
    currencies: frozenset[str] = frozenset()
    """Which of the five local currencies the source yields against USD."""
    calendar: Calendar | None = None
    """When the source publishes; None: no publication calendar (annual series)."""
    timeout: timedelta = timedelta(seconds=20)
    """The default limit of one request."""
    history: History = History.NONE
    """How its history is read."""
    history_start: date | None = None
    """The first date its history covers."""
    history_step_days: int = 1
    """The longest span one history request covers."""
    indicators: tuple[str, ...] = ()
    """An indicators source: the indicator codes fetched by default."""
    backfill_concurrency: int = 1
    """``ticker backfill``'s default requests in flight at once."""
    backfill_delay: timedelta = timedelta(milliseconds=200)
    """``ticker backfill``'s default pause between two requests."""
    fallback_url: str = ""
    """The default mirror tried when the source fails (``{date}`` is filled in)."""
    third_party: bool = False
    """Not a central bank's own publication (an aggregator's or a bank board's site):
    opt-in for a market source (``enabled = false`` until the config says otherwise),
    and labelled as such wherever its data is shown."""
    terms: str = ""
    """One line on what the source is and its terms of use (the config file's comment)."""
    token_env: str = ""
    """The source takes an access token: ``[providers.NAME] token`` or this environment
    variable (never printed or logged). Empty: no token."""
    places: tuple[str, ...] = ()
    """A market source with a page per city: the cities asked for by default
    (``[providers.NAME] places``). Empty: the source takes no places."""
    known_places: tuple[str, ...] = ()
    """The places such a source has pages for, as ``places`` spells them: the only ones
    accepted (``ticker config check`` refuses any other, naming these, before a poll)."""
    quoted_in: str | None = None
    """The currency its table is in (NBT: ``TJS``; CBR: ``RUB``); None: an aggregator,
    quoting units per US dollar."""
    others: frozenset[str] = frozenset()
    """Other currencies it publishes, given when asked (``ProviderOptions.extra_currencies``):
    ``X/quoted_in`` for a central bank's table (``USD/RUB`` for CBR's dollar, asked as
    RUB), ``USD/X`` for an aggregator. The ones the recorded files show; a table's other
    rows are given too when asked."""

    def pair_of(self, code: str) -> tuple[str, str] | None:
        """The pair (base, quote) asking for ``code`` gives, or None when it gives none:
        NBT's ``RUB`` is ``RUB/TJS``, CBR's ``RUB`` (or ``USD``) ``USD/RUB``, an
        aggregator's ``RUB`` ``USD/RUB``."""
        code = code.upper()
        own = self.quoted_in
        if own is None:
            return ("USD", code) if code in self.others else None
        if own not in LOCAL_CURRENCIES and code in (own, "USD"):
            return ("USD", own) if "USD" in self.others else None
        return (code, own) if code in self.others and code != own else None
