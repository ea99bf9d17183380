"""What every feed client shares: the data it returns and the errors it raises.

Providers build requests and parse responses; they never store, never draw, and never
import ``ticker``.

The record of a published rate is :mod:`providers.observation`'s, the error tree
:mod:`providers.errors`'; both are re-exported here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Self

from providers.calendar import DEFAULT, Calendar
from providers.catalogue import History, Source
from providers.errors import (
    NoFixing,
    ProviderAuthError,
    ProviderError,
    ProviderResponseError,
    ProviderUnavailable,
    StaleSource,
)
from providers.market_quote import Channel, MarketQuote, Side
from providers.observation import Observation

if TYPE_CHECKING:
    import httpx

__all__ = [
    "Batch",
    "Channel",
    "History",
    "MarketQuote",
    "Side",
    "Provider",
    "Rejected",
    "IndicatorValue",
    "NoFixing",
    "StaleSource",
    "Observation",
    "ProviderOptions",
    "ProviderAuthError",
    "ProviderError",
    "ProviderResponseError",
    "ProviderUnavailable",
]


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """One value of an economic indicator for a country and period, at the series' own
    frequency: ``"2024"`` (a year), ``"2024-Q3"``, ``"2024-07"`` (a month) or
    ``"2024-07-12"`` (a decision day: see :mod:`providers.monetary_records`).

    ``value`` is ``None`` where the source publishes the period as missing; it is
    never replaced by zero. ``is_forecast`` marks projections (IMF WEO years at or
    after the current one).
    """

    source: str
    indicator: str
    country: str
    period: str
    value: Decimal | None
    is_forecast: bool
    fetched_at: datetime
    released: date | None = None
    """The release or effective date the source gives (a policy decision's effective
    day, a monthly CPI's publication day); None where it gives none (annual series)."""

    def __post_init__(self) -> None:
        if self.value is not None and not self.value.is_finite():
            raise ValueError(f"value must be finite or None, got {self.value!r}")
        if self.fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")


# --------------------------------------------------------------------------- providers


#: No fixing of the five can be older: they were introduced from 1993 on.
EARLIEST = date(1992, 1, 1)


@dataclass(frozen=True, slots=True)
class Rejected:
    """Part of a response that could not be used, and why: a row of a rate feed, or one
    indicator of an indicators source."""

    pair: str
    """What was rejected: ``USD/KZT``, or an indicator code."""
    value: str
    reason: str


@dataclass(slots=True)
class Batch:
    """What one fetch produced: observations (or indicator values) to store together,
    and what was rejected."""

    observations: list[Observation] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    indicators: list[IndicatorValue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What a response said that is not a fault but a person should know, in one line
    each: ``cbu: asked for 2020-07-15, the answer is dated 2020-07-14 ...``."""
    quotes: list[MarketQuote] = field(default_factory=list)
    """A market source's buy and sell quotes (:mod:`providers.market_quote`)."""

    def extend(self, other: Batch) -> None:
        self.observations.extend(other.observations)
        self.quotes.extend(other.quotes)
        self.rejected.extend(other.rejected)
        self.indicators.extend(other.indicators)
        self.notes.extend(other.notes)


@dataclass(frozen=True, slots=True)
class ProviderOptions:
    """What a source takes besides its URL and timeout (from its config section)."""

    fallback_url: str = ""
    """A mirror tried when the source fails (currencyapi: ``{date}`` is filled in)."""
    indicators: tuple[str, ...] = ()
    """An indicators source: the indicator codes fetched."""
    request_delay: float = 0.0
    """Seconds to leave between two requests to the source (a backfill's politeness)."""
    token: str = field(default="", repr=False)
    """A source's access token (fx.kg): from ``[providers.NAME] token`` or the
    environment variable its record names; never printed, logged or put in a URL."""
    places: tuple[str, ...] = ()
    """A market source with a page per city (kurs.kz): the cities asked for; empty: the
    source's default."""
    extra_currencies: frozenset[str] = frozenset()
    """Other currencies asked for besides the five against USD (ISO codes: ``RUB``,
    ``EUR``, ``KZT`` ...). A central bank's table gives ``X/own`` for each it publishes
    (NBT's ``RUB/TJS``; CBR's ``X/RUB``, and ``USD/RUB`` when RUB or USD is asked); an
    aggregator gives ``USD/X``. Empty: exactly the five against USD. See
    ``docs/dates-and-provenance.md``, "Other currencies"."""
    history_pairs: frozenset[str] | None = None
    """The pairs a history span is asked for, as the observations name them (``USD/KGS``,
    ``RUB/KGS``): a backfill limited to some (:meth:`Provider.narrowed`). A source that
    reads a request per currency (NBT, NBKR, CBR) asks only the currencies these need.
    None: every pair the source gives (its five and the extra currencies')."""


class Provider(ABC):
    """A feed client. Subclasses set the class metadata and implement :meth:`fetch`.

    The metadata comes from the source's record: ``class NBK(DailyHistoryProvider,
    source=SOURCES["nbk"])`` (:mod:`providers.catalogue`) sets ``NAME``, ``TITLE``,
    ``CURRENCIES``, ``CALENDAR`` and the ``HISTORY`` attributes from it. A third-party
    provider passes a :class:`~providers.catalogue.Source` of its own, or sets the
    attributes itself.

    A provider never builds its own HTTP client: the caller owns one
    ``httpx.AsyncClient`` for the life of the program and passes it in. Every request
    goes to ``base_url`` (scheme, host, optional path prefix) plus the source's real
    path and query parameters, so a local mirror or test server can stand in.
    """

    NAME: ClassVar[str]
    """Registry name, as in ``[providers.NAME]``."""
    TITLE: ClassVar[str]
    """Who publishes the data, for people."""
    CURRENCIES: ClassVar[frozenset[str]]
    """Which of the five local currencies this source yields against USD."""
    CALENDAR: ClassVar[Calendar] = DEFAULT
    """When the source publishes: its time zone, dated weekdays, usual hour, next-day
    stamping (see :mod:`providers.calendar`)."""
    HISTORY: ClassVar[History] = History.NONE
    """Not at all, one request per date, or date ranges."""
    HISTORY_START: ClassVar[date | None] = None
    """The first date the source's history covers."""
    HISTORY_STEP_DAYS: ClassVar[int] = 1
    """The longest span one :meth:`fetch_history` call should cover."""
    USER_AGENT: ClassVar[str | None] = None
    """A User-Agent this source demands (browser-like), instead of the client's own."""
    SOURCE: ClassVar[Source | None] = None
    """The record the metadata was read from (None: set by hand)."""

    def __init_subclass__(cls, source: Source | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if source is None:
            return
        cls.SOURCE = source
        cls.NAME = source.name
        cls.TITLE = source.title
        cls.CURRENCIES = source.currencies
        if source.calendar is not None:
            cls.CALENDAR = source.calendar
        cls.HISTORY = source.history
        cls.HISTORY_START = source.history_start
        cls.HISTORY_STEP_DAYS = source.history_step_days

    def __init__(
        self,
        base_url: str,
        timeout: float = 20.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        options: ProviderOptions | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.now = now
        self.options = options or ProviderOptions()
        self.request_delay = self.options.request_delay
        """Seconds to leave between two requests to the source (see :meth:`paced`)."""

    def paced(self, request_delay: float) -> Self:
        """This provider as a new instance that leaves ``request_delay`` seconds between
        two of its requests (a backfill's politeness); this one is left as it is."""
        return self._with(replace(self.options, request_delay=request_delay))

    def narrowed(self, pairs: Iterable[str]) -> Self:
        """This provider as a new instance whose history spans are asked only for
        ``pairs`` (``USD/KGS``, ``RUB/KGS``: a backfill limited to some); this one is left
        as it is. Only a source that reads a request per currency asks less for it (see
        its :meth:`history_requests`); the others answer as before, and the caller keeps
        what it asked for."""
        pairs = frozenset(pairs)
        return self._with(replace(self.options, history_pairs=pairs))

    def _with(self, options: ProviderOptions) -> Self:
        return type(self)(self.base_url, self.timeout, self.now, options)

    def wants_history_of(self, pair: str) -> bool:
        """Whether a history span is asked for ``pair`` (``USD/KGS``, ``RUB/KGS``): every
        pair, unless :meth:`narrowed`."""
        pairs = self.options.history_pairs
        return pairs is None or pair in pairs

    def history_requests(self) -> int:
        """The requests one history span costs (a backfill's estimate): one, unless the
        source reads a page per currency (NBKR, NBT, CBR: one for each currency the pairs
        asked need, the extra currencies' too)."""
        return 1

    def url(self, path: str) -> str:
        """The full URL of one of the source's real paths."""
        return self.base_url + path

    def today(self) -> date:
        """Today's date in the source's time zone."""
        return self.CALENDAR.today(self.now())

    def publishes_on(self, day: date) -> bool:
        """Whether the source dates a fixing ``day`` (its calendar's weekdays and holidays)."""
        return self.CALENDAR.is_dated(day)

    @abstractmethod
    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        """The latest published rates.

        Raises ``ProviderUnavailable`` (transient), ``ProviderAuthError`` (refused) or
        ``ProviderResponseError`` (the response is not what the source documents).
        """

    async def latest(self, client: httpx.AsyncClient) -> Batch:
        """:meth:`fetch`, with its dates checked against the world (what a poll uses).

        See :meth:`screen_dates`; besides, a newest fixing older than the calendar's
        lookback raises ``StaleSource``.
        """
        batch = self.screen_dates(await self.fetch(client))
        if not batch.observations:
            return batch
        newest = max(o.as_of for o in batch.observations)
        if newest < self.CALENDAR.oldest_acceptable(self.now()):
            raise StaleSource(
                self.NAME,
                self.base_url,
                f"stale: the newest fixing published is dated {newest}, "
                f"more than {self.CALENDAR.lookback_days} days old",
            )
        return batch

    async def history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        """:meth:`fetch_history`, with its dates checked (what a backfill uses)."""
        return self.screen_dates(await self.fetch_history(client, start, end))

    def screen_dates(self, batch: Batch) -> Batch:
        """Reject the rates no fixing can be dated with: after tomorrow in the source's
        time zone (or, for a source that stamps ahead, its next fixing day: CBU's Monday
        rate, set on Friday), or before its history starts (or before
        :data:`EARLIEST`). Each becomes a rejected row with its reason; when every rate of
        a response is, the response is refused.
        """
        if not batch.observations:
            return batch
        now = self.now()
        tomorrow = self.CALENDAR.today(now) + timedelta(days=1)
        limit = max(tomorrow, self.CALENDAR.newest_possible(now))
        first = self.HISTORY_START or EARLIEST
        kept: list[Observation] = []
        for o in batch.observations:
            if first <= o.as_of <= limit:
                kept.append(o)
                continue
            if o.as_of > limit:
                reason = (
                    f"dated {o.as_of}, after {limit} (the newest date the source's calendar "
                    "allows: tomorrow in its time zone, or its next fixing day)"
                )
            else:
                reason = f"dated {o.as_of}, before the source's history begins ({first})"
            batch.rejected.append(Rejected(f"{o.base}/{o.quote}", str(o.rate), reason))
        if not kept:
            reason = batch.rejected[-1].reason
            raise ProviderResponseError(
                self.NAME, self.base_url, f"no rate with a possible date: {reason}"
            )
        batch.observations = kept
        return batch

    async def fetch_history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        """Rates effective from ``start`` to ``end`` inclusive (at most HISTORY_STEP_DAYS).

        Raises as :meth:`fetch` does, and ``NoFixing`` for a date without a fixing.
        The default: this source has no history.
        """
        raise NotImplementedError(f"{self.NAME} has no history")
