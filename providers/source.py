"""What the HTTP providers share: requests under ``base_url`` and building batches.

Every central bank here quotes *local currency per N units of foreign*. A source whose
own currency is one of the five yields a direct ``USD/own`` quote and crosses for the
others; a source in another currency (CBR, in roubles) yields crosses only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

import httpx

from providers.base import Batch, Observation, Provider, ProviderResponseError, Rejected
from providers.http import Fetched, get
from providers.parsing import bad_response, cross, parse_decimal, parse_json, parse_xml, per_unit

USD = "USD"


class HTTPProvider(Provider):
    """A provider that reads its source over HTTP with the shared client."""

    #: Seconds to leave between two requests of this provider (set for backfills).
    request_delay: float = 0.0
    _last_request: float | None = None
    #: Responses that carried ETag/Last-Modified, for conditional GETs (newest last).
    _validated: dict[str, Fetched] | None = None
    VALIDATED_KEPT = 8

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
        cached = self._validated.get(key) if self._validated is not None else None
        if cached is not None:  # conditional GET: the source may answer 304 Not Modified
            if "etag" in cached.headers:
                headers["If-None-Match"] = cached.headers["etag"]
            if "last-modified" in cached.headers:
                headers["If-Modified-Since"] = cached.headers["last-modified"]
        await self._pace()
        try:
            fetched = await get(
                client,
                self.NAME,
                target,
                params=params,
                headers=headers or None,
                request_timeout=self.timeout,
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
            return parse_xml(fetched.body, root), fetched.url

    async def get_json(
        self,
        client: httpx.AsyncClient,
        path: str,
        params: Mapping[str, str] | None = None,
        *,
        url: str | None = None,
    ) -> tuple[Any, str]:
        fetched = await self.get(client, path, params, url=url)
        with bad_response(self.NAME, fetched.url):
            return parse_json(fetched.body), fetched.url

    def observation(self, local: str, as_of: date, rate: Decimal, derived: bool) -> Observation:
        return Observation(self.NAME, USD, local, as_of, rate, derived, self.now())

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
        for local in sorted(wanted):
            pair = f"USD/{local}"
            if local == own:
                batch.observations.append(self.observation(local, as_of, usd, derived=False))
                continue
            value, reason = _unit_value(rows, local)
            if value is None:
                batch.rejected.append(Rejected(pair, _raw(rows, local), reason))
                continue
            try:
                rate = cross(usd, value)
                batch.observations.append(self.observation(local, as_of, rate, derived=True))
            except (ArithmeticError, ValueError) as err:
                batch.rejected.append(Rejected(pair, _raw(rows, local), f"no usable cross: {err}"))
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
    batch.observations.append(provider.observation(local, as_of, rate, derived=False))


class DailyHistoryProvider(HTTPProvider):
    """A source whose history is read one published date per request."""

    HISTORY = "daily"

    async def fetch_day(self, client: httpx.AsyncClient, day: date) -> Batch:
        """The rates published for ``day``; raises as ``fetch_history`` does."""
        raise NotImplementedError

    async def fetch_history(self, client: httpx.AsyncClient, start: date, end: date) -> Batch:
        batch = Batch()
        day = start
        while day <= end:
            batch.extend(await self.fetch_day(client, day))
            day += timedelta(days=1)
        return batch
