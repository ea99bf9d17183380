"""What the HTTP providers share: requests under ``base_url`` and building batches.

Every central bank here quotes *local currency per N units of foreign*. A source whose
own currency is one of the five yields a direct ``USD/own`` quote and crosses for the
others; a source in another currency (CBR, in roubles) yields crosses only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from xml.etree.ElementTree import Element

import httpx

from providers.base import (
    Batch,
    History,
    NoFixing,
    Observation,
    Provider,
    ProviderError,
    ProviderResponseError,
    Rejected,
    StaleSource,
)
from providers.catalogue import LOCAL_CURRENCIES
from providers.http import Fetched, get
from providers.parsing import (
    bad_response,
    cross,
    markup_message,
    parse_decimal,
    parse_json,
    parse_xml,
    per_unit,
    precision_of,
)

USD = "USD"

#: Bodies larger than this are parsed in a worker thread (the real feeds are smaller).
PARSE_IN_THREAD = 64 * 1024

T = TypeVar("T")


class HTTPProvider(Provider):
    """A provider that reads its source over HTTP with the shared client."""

    _last_request: float | None = None
    #: Responses that carried ETag/Last-Modified, for conditional GETs (newest last).
    _validated: dict[str, Fetched] | None = None
    VALIDATED_KEPT = 8
    #: Decimals the source always publishes (trailing zeros stripped or not), for the
    #: precision of its values; None: as many as each value shows.
    DECIMALS: int | None = None

    def request_headers(self) -> dict[str, str]:
        """Headers every request to this source carries besides the client's own (a
        source's ``Authorization``: never part of a URL, so never in a message)."""
        return {}

    def refusal(self, status: int, said: str, url: str) -> ProviderError | None:
        """This source's own error for a 4xx answer, from its ``status`` and ``said``, the
        start of its body (decoded, at most ``providers.http.REFUSAL_BYTES``, control
        characters blanked); None: the shared one (``providers.http``). The body is read
        only for a provider that overrides this; never quote ``said`` whole, nor log it
        (a refusal may echo what was sent)."""
        return None

    async def _pace(self) -> None:
        if self.request_delay <= 0:
            return
        loop = asyncio.get_running_loop()
        if self._last_request is not None:
            wait = self._last_request + self.request_delay - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
        self._last_request = loop.time()

    async def get(
        self,
        client: httpx.AsyncClient,
        path: str,
        params: Mapping[str, str] | None = None,
        *,
        url: str | None = None,
    ) -> Fetched:
        target = url or self.url(path)
        key = str(httpx.URL(target, params=params))
        headers = {"User-Agent": self.USER_AGENT} if self.USER_AGENT else {}
        headers.update(self.request_headers())
        cached = self._validated.get(key) if self._validated is not None else None
        if cached is not None:  # conditional GET: the source may answer 304 Not Modified
            if "etag" in cached.headers:
                headers["If-None-Match"] = cached.headers["etag"]
            if "last-modified" in cached.headers:
                headers["If-Modified-Since"] = cached.headers["last-modified"]
        reads_refusals = type(self).refusal is not HTTPProvider.refusal
        await self._pace()
        try:
            fetched = await get(
                client,
                self.NAME,
                target,
                params=params,
                headers=headers or None,
                request_timeout=self.timeout,
                refusal=self.refusal if reads_refusals else None,
            )
        finally:
            if self.request_delay > 0:  # the pause counts from the end of a request
                self._last_request = asyncio.get_running_loop().time()
        if fetched.status == 304 and cached is not None:
            return cached
        if "etag" in fetched.headers or "last-modified" in fetched.headers:
            self._remember(key, fetched)
        return fetched

    def _remember(self, key: str, fetched: Fetched) -> None:
        if self._validated is None:
            self._validated = {}
        self._validated.pop(key, None)
        self._validated[key] = fetched
        while len(self._validated) > self.VALIDATED_KEPT:
            self._validated.pop(next(iter(self._validated)))

    async def get_xml(
        self,
        client: httpx.AsyncClient,
        path: str,
        root: str,
        params: Mapping[str, str] | None = None,
    ) -> tuple[Element, str]:
        fetched = await self.get(client, path, params)
        with bad_response(self.NAME, fetched.url):
            tree = await self.parsed(fetched, parse_xml, fetched.body, root)
        said = (tree.text or "").strip()
        if said and len(tree) == 0:  # <ValCurs>Error in parameters</ValCurs>
            raise ProviderResponseError(
                self.NAME, fetched.url, f"the source says {said[:200]!r} instead of rates"
            )
        return tree, fetched.url

    async def get_json(
        self,
        client: httpx.AsyncClient,
        path: str,
        params: Mapping[str, str] | None = None,
        *,
        url: str | None = None,
    ) -> tuple[Any, str]:
        fetched = await self.get(client, path, params, url=url)
        said = markup_message(fetched.body)
        if said is not None:  # a maintenance page, an XML error: the source's own words
            raise ProviderResponseError(self.NAME, fetched.url, said)
        with bad_response(self.NAME, fetched.url):
            return await self.parsed(fetched, parse_json, fetched.body), fetched.url

    async def parsed(self, fetched: Fetched, parse: Callable[..., T], *args: Any) -> T:
        """``parse(*args)``; for a large body in a worker thread, within the provider's
        timeout, so that the event loop keeps answering signals and keys meanwhile."""
        if len(fetched.body) <= PARSE_IN_THREAD:
            return parse(*args)
        try:
            async with asyncio.timeout(self.timeout):
                return await asyncio.to_thread(parse, *args)
        except TimeoutError:
            reason = (
                f"parsing the {len(fetched.body) // 1024} kB answer took over {self.timeout:g}s"
            )
            raise ProviderResponseError(self.NAME, fetched.url, reason) from None

    def observation(
        self,
        local: str,
        as_of: date,
        rate: Decimal,
        derived: bool,
        precision: Decimal | None = None,
    ) -> Observation:
        return Observation(self.NAME, USD, local, as_of, rate, derived, self.now(), precision)

    def dated(self, as_of: date, asked: date, url: str, latest: bool) -> str | None:
        """Check the date a response declares against the date asked for; the declared
        date is the effective date, and values are only ever stored under it.

        * later than asked: the response contradicts the request (a failure, naming both
          dates; nothing is stored);
        * earlier: the source has no fixing of its own for ``asked`` (not yet, or not on
          that day) and answered with the one in force then. For the latest poll that
          *is* the newest fixing (unless it is older than the calendar's lookback: the
          source is stale); for a dated request (backfill) it is a real fixing, kept
          under its own date, and the one line returned says so (``asked`` is then a
          day without a fixing of its own).
        """
        if as_of > asked:
            raise ProviderResponseError(
                self.NAME,
                url,
                f"asked for {asked}, the answer is dated {as_of} (later than asked): "
                "nothing stored",
            )
        if as_of == asked:
            return None
        if not latest:
            return (
                f"{self.NAME}: asked for {asked}, the answer is dated {as_of}: kept under "
                f"{as_of}, the date it declares; none is dated {asked}"
            )
        oldest = self.CALENDAR.oldest_acceptable(self.now())
        if as_of < oldest:
            raise StaleSource(
                self.NAME,
                url,
                f"stale: the newest fixing published is dated {as_of}, "
                f"more than {self.CALENDAR.lookback_days} days old",
            )
        return None

    def noted(self, batch: Batch, note: str | None) -> Batch:
        """``batch`` with ``note`` (from :meth:`dated`) among its notes."""
        if note is not None:
            batch.notes.append(note)
        return batch

    def from_local_quotes(
        self,
        own: str | None,
        rows: Mapping[str, tuple[str, str]],
        as_of: date,
        wanted: frozenset[str] | None = None,
    ) -> Batch:
        """Observations from a table of ``code -> (value, nominal)`` texts, where ``value``
        is units of ``own`` currency for ``nominal`` units of ``code``, as DESIGN.md §3 says:

        * ``USD/own`` directly from the USD row (when ``own`` is one of the five);
        * ``USD/X = (own per USD) / (own per X)`` for the others, marked derived.

        A row that is missing, not a number, zero or negative becomes a rejected row with
        its reason; the others still make observations.
        """
        batch = Batch()
        wanted = self.CURRENCIES if wanted is None else wanted
        usd, reason = _unit_value(rows, USD)
        if usd is None:
            for local in sorted(wanted):
                batch.rejected.append(Rejected(f"USD/{local}", _raw(rows, USD), reason))
            return batch
        usd_precision = precision_of(rows[USD][0], self.DECIMALS)
        for local in sorted(wanted):
            pair = f"USD/{local}"
            if local == own:
                batch.observations.append(
                    self.observation(local, as_of, usd, derived=False, precision=usd_precision)
                )
                continue
            value, reason = _unit_value(rows, local)
            if value is None:
                batch.rejected.append(Rejected(pair, _raw(rows, local), reason))
                continue
            try:
                rate = cross(usd, value)
                # A cross is as precise as its two quotes together.
                precision = usd_precision + precision_of(rows[local][0], self.DECIMALS)
                batch.observations.append(
                    self.observation(local, as_of, rate, derived=True, precision=precision)
                )
            except (ArithmeticError, ValueError) as err:
                batch.rejected.append(Rejected(pair, _raw(rows, local), f"no usable cross: {err}"))
        return batch

    @property
    def extra(self) -> frozenset[str]:
        """The other currencies asked for (``ProviderOptions.extra_currencies``), upper-case."""
        return frozenset(code.strip().upper() for code in self.options.extra_currencies)

    def table_codes(self, own: str) -> list[str]:
        """The currencies ``X`` whose ``X/own`` rate is asked of a table in ``own``: every
        one asked but ``own``. The dollar's rate of one of the five is given anyway
        (``USD/own``); that of another currency (CBR's ``USD/RUB``) only when asked, as
        ``RUB`` or as ``USD``."""
        asked = self.extra
        codes = asked - {own}
        if own in LOCAL_CURRENCIES:
            codes -= {USD}
        elif own in asked:
            codes |= {USD}
        return sorted(codes)

    def from_own_table(
        self,
        own: str,
        rows: Mapping[str, tuple[str, str]],
        as_of: date,
        codes: Iterable[str] | None = None,
    ) -> Batch:
        """``X/own`` for each currency asked (:meth:`table_codes`, or ``codes``) from a
        table of ``code -> (value, nominal)`` texts: the source's own quote, ``value``
        divided by ``nominal`` exactly (NBT's ``RUB/TJS``, CBR's ``EUR/RUB``), not derived.
        A row that is missing, not a number, zero or negative becomes a rejected row with
        its reason."""
        batch = Batch()
        for code in self.table_codes(own) if codes is None else codes:
            value, reason = _unit_value(rows, code)
            if value is None:
                batch.rejected.append(Rejected(f"{code}/{own}", _raw(rows, code), reason))
                continue
            precision = precision_of(rows[code][0], self.DECIMALS)
            batch.observations.append(
                Observation(self.NAME, code, own, as_of, value, False, self.now(), precision)
            )
        return batch

    def require_some(self, batch: Batch, url: str) -> Batch:
        """Refuse a response that yielded nothing usable at all."""
        if not batch.observations:
            reasons = "; ".join(f"{r.pair}: {r.reason}" for r in batch.rejected[:3])
            raise ProviderResponseError(self.NAME, url, f"no usable rates ({reasons or 'empty'})")
        return batch


def _raw(rows: Mapping[str, tuple[str, str]], code: str) -> str:
    return rows[code][0] if code in rows else ""


def _unit_value(rows: Mapping[str, tuple[str, str]], code: str) -> tuple[Decimal | None, str]:
    """The value of one unit of ``code``, or ``None`` and why not."""
    if code not in rows:
        return None, f"{code} missing from the response"
    value_text, nominal_text = rows[code]
    try:
        value = per_unit(parse_decimal(value_text), parse_decimal(nominal_text))
    except (ValueError, ArithmeticError) as err:
        return None, str(err) or type(err).__name__
    if value <= 0:
        return None, f"not a positive number: {value_text!r}"
    return value, ""


def add_direct(provider: HTTPProvider, batch: Batch, local: str, raw: object, as_of: date) -> None:
    """Append the aggregator's own ``USD/local`` quote, or a rejected row saying why not."""
    pair = f"USD/{local}"
    try:
        rate = parse_decimal(raw)  # type: ignore[arg-type]
    except (ValueError, ArithmeticError) as err:
        batch.rejected.append(Rejected(pair, str(raw), str(err)))
        return
    if rate <= 0:
        batch.rejected.append(Rejected(pair, str(raw), f"not a positive number: {raw}"))
        return
    # An aggregator's number says nothing of its precision (JSON drops trailing zeros).
    batch.observations.append(provider.observation(local, as_of, rate, derived=False))


def add_extras(
    provider: HTTPProvider, batch: Batch, rates: Mapping[str, object], as_of: date, lower: bool
) -> None:
    """Append an aggregator's ``USD/X`` for each other currency asked (its own quotes, as
    for the five), or a rejected row saying why not; ``lower``: its keys are lower-case."""
    for code in sorted(provider.extra - provider.CURRENCIES - {USD}):
        key = code.lower() if lower else code
        if key not in rates:
            batch.rejected.append(Rejected(f"USD/{code}", "", "missing from the response"))
        else:
            add_direct(provider, batch, code, rates[key], as_of)


class DatedProvider(HTTPProvider):
    """A source asked for the file of a date (its latest rates: the newest date that can
    exist, then back); its history is read by :class:`DailyHistoryProvider`, one date per
    request, or by a range of its own (NBT's)."""

    async def fetch_day(self, client: httpx.AsyncClient, day: date, latest: bool = False) -> Batch:
        """The rates published for ``day``; raises as ``fetch_history`` does.

        With ``latest``, an answer dated earlier than ``day`` is the source's newest
        fixing and is returned as such (see :meth:`HTTPProvider.dated`).
        """
        raise NotImplementedError

    async def fetch_latest(self, client: httpx.AsyncClient) -> Batch:
        """The newest published fixing: the newest date that can exist now first, then
        back over the calendar's dated days, within its lookback.

        "Nothing for this date yet" (an empty list, a 404 for the day's file) moves on to
        the day before; an earlier-dated snapshot is the newest fixing. Raises
        ``StaleSource`` when nothing was published within the lookback.
        """
        asked: list[date] = []
        last: NoFixing | None = None
        for day in self.CALENDAR.recent(self.now()):
            try:
                return await self.fetch_day(client, day, latest=True)
            except NoFixing as err:
                asked.append(day)
                last = err
        url = last.url if last is not None else self.base_url
        span = f"{asked[-1]} to {asked[0]}" if asked else "the lookback"
        detail = f"; last answer: {last.reason}" if last is not None else ""
        raise StaleSource(
            self.NAME,
            url,
            f"stale: no fixing published from {span} ({len(asked)} dates asked){detail}",
        )


class DailyHistoryProvider(DatedProvider):
    """A source whose history is read one published date per request."""

    HISTORY = History.DAILY

    async def fetch_history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        batch = Batch()
        day = start
        while day <= end:
            batch.extend(await self.fetch_day(client, day))
            day += timedelta(days=1)
        return batch
