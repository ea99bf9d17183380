"""kurs.kz: Kazakh exchange offices' cash buy and sell, one page per city (a third party).

``GET /site/index?city=<slug>`` is a city's page (``https://kurs.kz/`` itself is
Almaty's). Its offices are embedded in a ``<script>`` as ``var punkts = [...];``: one
JSON object per office with ``id``, ``name``, ``mainaddress`` (and a longer ``address``),
``actualTime`` (Unix seconds: when the office last set its rates) and ``data``, a map of
currency code to ``[buy, sell]`` in tenge for one unit, where ``0`` means the office does
not offer that side. Almaty's page carries a second list, ``var punktsFromInternet``
(by its name, rates taken from the internet rather than set by the offices): not read.

Since September 2025 Kazakh exchange offices may not show rate boards in the street, so
aggregators like this one are where people compare them. Public clients read the page
with plain HTTP libraries' own User-Agents, so this one sends the program's own.
The evidence, the fields and the rules are in ``docs/market-sources.md`` (``kurs-kz``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from providers.base import Batch, Channel, ProviderError, ProviderResponseError, Rejected
from providers.calendar import ALMATY
from providers.market_records import KURS_KZ_CITIES, MARKET
from providers.market_source import MarketProvider
from providers.parsing import bad_response, parse_decimal, parse_json

__all__ = ["CITIES", "DEFAULT_CITIES", "KursKZ", "check_places", "embedded_offices"]

#: The city pages (the ``city`` parameter) and each city's name: the record's.
CITIES: dict[str, str] = KURS_KZ_CITIES

#: Read when no city is given: the record's default places (Almaty and Astana), the
#: config's default too.
DEFAULT_CITIES: tuple[str, ...] = MARKET["kurs-kz"].places

#: A city page listing more offices than this is not believed (Almaty's has a few hundred).
MAX_OFFICES = 600

PATH = "/site/index"
MARKER = "var punkts"

_CURRENCIES = tuple(sorted(MARKET["kurs-kz"].others))
_LOCAL = "KZT"
_IDENTIFIER = re.compile(r"[A-Za-z0-9_$]")
_TITLE = re.compile(r"<title[^>]{0,200}>([^<]{0,200})", re.IGNORECASE)


def check_places(places: tuple[str, ...]) -> tuple[str, ...]:
    """The city pages to read for ``places`` (the configured cities; empty: the default),
    lower-cased, each once. Raises ``ValueError`` naming an unknown city and the known ones."""
    asked = tuple(dict.fromkeys(p.strip().lower() for p in places)) or DEFAULT_CITIES
    unknown = [p for p in asked if p not in CITIES]
    if unknown:
        raise ValueError(
            f"kurs.kz has no page for {', '.join(map(repr, unknown))}; "
            f"its cities are {', '.join(CITIES)}"
        )
    return asked


def embedded_offices(body: bytes) -> list[Any]:
    """The offices a city page embeds (``var punkts = [...]``), numbers exact.

    Raises ``ValueError`` when the page has no such list (the site's layout changed), when
    the list is not valid JSON or is empty, or when it holds more than :data:`MAX_OFFICES`.
    """
    text = body.decode("utf-8", errors="replace")
    start = _array_start(text)
    if start is None:
        title = _TITLE.search(text[:65536])
        shown = f" ({' '.join(title.group(1).split())[:120]!r})" if title else ""
        raise ValueError(
            f"no '{MARKER} = [...]' list of exchange offices in the page{shown}: "
            "the site's layout has changed"
        )
    try:  # the standard decoder finds where the array ends: linear, no pattern matching
        _, end = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError) as err:
        raise ValueError(f"the '{MARKER}' list is not valid JSON: {err}") from None
    offices = parse_json(text[start:end].encode("utf-8"))
    if not isinstance(offices, list):  # pragma: no cover - the text starts with "["
        raise ValueError(f"the '{MARKER}' list is not a list")
    if not offices:
        raise ValueError(f"the page lists no exchange offices ('{MARKER} = []')")
    if len(offices) > MAX_OFFICES:
        raise ValueError(f"{len(offices)} exchange offices listed, more than {MAX_OFFICES}")
    return offices


def _array_start(text: str) -> int | None:
    """Where the array assigned by ``var punkts =`` begins (not ``var punktsFromInternet``)."""
    at = text.find(MARKER)
    while at != -1:
        after = at + len(MARKER)
        if not _IDENTIFIER.match(text, after):
            rest = text[after : after + 64].lstrip()
            if rest.startswith("="):
                value = rest[1:].lstrip()
                if value.startswith("["):
                    return text.index("[", after)
        at = text.find(MARKER, after)
    return None


class KursKZ(MarketProvider, source=MARKET["kurs-kz"]):
    """Exchange offices' cash USD, EUR and RUB in tenge, per configured city."""

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        try:
            cities = check_places(self.options.places)
        except ValueError as unknown:
            raise ProviderResponseError(self.NAME, self.base_url, str(unknown)) from None
        batch = Batch()
        failed: list[ProviderError] = []
        for city in cities:  # one request per city, one after another
            try:
                batch.extend(await self.fetch_city(client, city))
            except ProviderError as err:
                failed.append(err)
        if len(failed) == len(cities):
            raise failed[0]
        for failure in failed:
            batch.notes.append(f"{self.NAME}: not read this time: {failure.reason} ({failure.url})")
        return batch

    async def fetch_city(self, client: httpx.AsyncClient, city: str) -> Batch:
        """One city page's offices as cash quotes, each bad row rejected with its reason."""
        fetched = await self.get(client, PATH, {"city": city})
        with bad_response(self.NAME, fetched.url):
            offices = await self.parsed(fetched, embedded_offices, fetched.body)
        batch = Batch()
        rows: list[tuple[str, str, str, dict[str, Any], datetime | None]] = []
        for office in offices:
            try:
                rows.append(_office(office))
            except ValueError as err:
                label = office.get("name") if isinstance(office, dict) else None
                shown = label[:80] if isinstance(label, str) and label.strip() else "?"
                batch.rejected.append(Rejected(_LOCAL, shown, f"{CITIES[city]}: {err}"))
        for institution, (_, _, _, prices, quoted_at) in zip(_labels(rows), rows, strict=True):
            for code in _CURRENCIES:
                if code not in prices:
                    continue
                try:
                    buy, sell = _sides(prices[code])
                except ValueError as err:
                    label = f"{code}/{_LOCAL} {Channel.CASH}"
                    batch.rejected.append(Rejected(label, institution, str(err)))
                    continue
                if buy is None and sell is None:  # neither side offered: no quote at all
                    continue
                self.quote(
                    batch,
                    institution,
                    (code, _LOCAL),
                    Channel.CASH,
                    buy,
                    sell,
                    quoted_at,
                    city=CITIES[city],
                )
        return batch


def _office(office: Any) -> tuple[str, str, str, dict[str, Any], datetime | None]:
    """(name, address, id, prices, quoted time) of one office; ``ValueError`` saying why not."""
    if not isinstance(office, dict):
        raise ValueError(f"an office entry is not an object: {str(office)[:40]!r}")
    name = office.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("an office without a name")
    address = office.get("mainaddress") or office.get("address") or ""
    if not isinstance(address, str):
        raise ValueError(f"address is {type(address).__name__}, not text")
    prices = office.get("data")
    if not isinstance(prices, dict):
        raise ValueError("no 'data' map of currency to [buy, sell]")
    ident = office.get("id")
    shown_id = str(ident)[:20] if isinstance(ident, (int, str, Decimal)) else ""
    return " ".join(name.split()), " ".join(address.split()), shown_id, prices, _time(office)


def _time(office: dict[str, Any]) -> datetime | None:
    """``actualTime`` (Unix seconds) in Almaty's zone; None when the office gives none."""
    raw = office.get("actualTime")
    if raw is None:
        return None
    try:
        seconds = parse_decimal(raw)
        return datetime.fromtimestamp(float(seconds), tz=ALMATY)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"actualTime {str(raw)[:40]!r} is not a time in Unix seconds") from None


def _sides(pair: Any) -> tuple[Decimal | None, Decimal | None]:
    """``[buy, sell]`` -> exact numbers; zero -> None (that side not offered)."""
    if not isinstance(pair, list) or len(pair) != 2:
        raise ValueError(f"expected [buy, sell], got {str(pair)[:40]!r}")
    buy, sell = (_price(value) for value in pair)
    return buy, sell


def _price(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    number = parse_decimal(value)
    return None if number == 0 else number


def _labels(rows: list[tuple[str, str, str, dict[str, Any], datetime | None]]) -> list[str]:
    """Each office's institution: its name, with its address where two share the name
    (a chain's branches), and its id where even that is shared."""
    names = Counter(name for name, *_ in rows)
    places = Counter((name, address) for name, address, *_ in rows)
    labels: list[str] = []
    for name, address, ident, *_ in rows:
        label = name
        if names[name] > 1 and address:
            label = f"{name}, {address}"
        if places[(name, address)] > 1 and ident:
            label = f"{label} (#{ident})"
        labels.append(label)
    return labels
