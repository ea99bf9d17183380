"""Market quotes in words: ``cash sell 10.92, +0.40% vs NBT``, a channel's word for people,
who stands behind a price (``official source``, ``third party``, ``reported``), a board
line's cells, and the JSON form of a summary and of a quote.

Numbers follow :mod:`ticker.display.format`, the one rule: prices as rates
(:func:`~ticker.display.format.format_rate`: ``10.9500`` is ``10.95``), distances from the
official rate as percentages with two decimals and a sign (``+0.40%``, ``0.00%``), ages as
everywhere (``3m ago``: :func:`~ticker.display.views.relative`). JSON carries every number
exactly and normalised, as every ``--json`` does (:func:`~ticker.display.views.exact_json`:
a published ``10.9500`` is ``"10.95"``); a quoted time is ISO 8601 with its source's offset
(``2025-12-05T09:14:00+05:00``), a fetched time UTC with ``Z``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from providers.market_quote import Channel, Side
from ticker.display.columns import source_label
from ticker.display.format import format_percent, format_rate, format_rate_change
from ticker.display.views import exact_json, relative, utc_text
from ticker.model.market import (
    BoardLine,
    MarketSummary,
    Origin,
    QuoteLike,
    local_time,
    origin_of,
)
from ticker.model.pairs import Pair, invert

if TYPE_CHECKING:
    from ticker.model.market_column import ColumnEntry
    from ticker.model.market_records import ReportedRate

__all__ = [
    "CHANNEL_WORDS",
    "EMPTY_CELL",
    "MARKET_LEGEND",
    "THIRD_PARTY_MARK",
    "ORIGIN_WORDS",
    "BoardCells",
    "age_text",
    "board_cells",
    "board_headers",
    "board_record",
    "channel_word",
    "institution_text",
    "market_cell",
    "market_line",
    "reported_line",
    "market_json",
    "seen_as",
    "origin_word",
    "price_text",
    "quote_record",
    "who_records",
    "summary_record",
    "summary_text",
    "versus_text",
]

#: Each channel's word for people.
CHANNEL_WORDS: dict[Channel, str] = {
    Channel.CASH: "cash",
    Channel.NONCASH: "non-cash",
    Channel.CARD: "card",
    Channel.EWALLET: "e-wallet",
    Channel.TRANSFER: "transfer",
    Channel.INTERBANK: "interbank",
}

#: Who stands behind a price, in words (shown wherever its prices are).
ORIGIN_WORDS: dict[Origin, str] = {
    Origin.OFFICIAL: "official source",
    Origin.THIRD_PARTY: "third party",
    Origin.REPORTED: "reported",
}

#: A table's cell without a value: a side not offered, a distance without an official rate.
EMPTY_CELL = "-"
#: The mark of a board line with the best price.
BEST_MARK = "best"
#: The rates table's mark of a market cell from a third party's board (:data:`MARKET_LEGEND`).
THIRD_PARTY_MARK = "*"
#: What the rates table's market column says, in words (the pair's detail shows it).
MARKET_LEGEND = (
    "Market: the best cash buy/sell among the banks and exchange offices now, in the "
    f"row's terms; {THIRD_PARTY_MARK} a third party's board (not the central bank's "
    "publication); reported: a rate reported by hand, never official"
)


def channel_word(channel: Channel) -> str:
    """``cash``, ``non-cash``, ``card``, ``e-wallet``, ``transfer``, ``interbank``."""
    return CHANNEL_WORDS[channel]


def origin_word(origin: Origin) -> str:
    """``official source``, ``third party`` or ``reported``."""
    return ORIGIN_WORDS[origin]


def versus_text(pct: Decimal | None, official_source: str) -> str:
    """``+0.40% vs NBT`` (the official rate's source, as the rates table names it); empty
    without an official rate."""
    if pct is None:
        return ""
    return f"{format_percent(pct)} vs {_official_name(official_source)}"


def _official_name(official_source: str) -> str:
    return source_label(official_source, False) if official_source else "official"


def held_quote_reason(
    reason: str, official: Decimal | None = None, official_source: str = "", significant: int = 5
) -> str:
    """Why a quote was held as implausible, from the facts the store keeps
    (``{"kind": "official", "allowed": "10"}``): ``more than 10% from NBT's 7.0000`` (the
    official rate, where known); an unknown reason as it was stored."""
    from ticker.model.quarantine import HeldKind, decode

    facts = decode(reason)
    if facts is None:
        return reason
    if facts.kind is HeldKind.IMPLAUSIBLE and facts.band is not None:
        lo, hi = (format_rate(edge, significant) for edge in facts.band)
        return f"outside the plausible {lo} to {hi}"
    if facts.kind is not HeldKind.OFFICIAL:
        return reason
    allowed = f"{facts.allowed.normalize():f}%" if facts.allowed is not None else "the band"
    who = f"{_official_name(official_source)}'s" if official_source else "the"
    rate = f" {format_rate(official, significant)}" if official is not None else " official rate"
    return f"more than {allowed} from {who}{rate}"


def price_text(
    channel: Channel,
    side: Side,
    price: Decimal,
    vs_official: Decimal | None = None,
    official_source: str = "",
    significant: int = 5,
) -> str:
    """``cash sell 10.92, +0.40% vs NBT``; ``cash sell 10.92`` without an official rate."""
    text = f"{channel_word(channel)} {side.value} {format_rate(price, significant)}"
    versus = versus_text(vs_official, official_source)
    return f"{text}, {versus}" if versus else text


def market_cell(entry: ColumnEntry | None, significant: int = 5) -> str:
    """The rates table's market cell: ``10.85/10.92`` (the best buy, the best sell; ``-``
    for a side nobody offers), ``10.85/10.92*`` from a third party's board, ``reported
    19.5`` for a rate reported by hand; empty without an entry. ``entry`` is in the row's
    terms already (:meth:`~ticker.model.market_column.ColumnEntry.seen_as`)."""
    if entry is None:
        return ""
    if entry.origin is Origin.REPORTED:
        rate = entry.buy if entry.buy is not None else entry.sell
        return f"{ORIGIN_WORDS[Origin.REPORTED]} {format_rate(rate, significant)}" if rate else ""

    def price(value: Decimal | None) -> str:
        return format_rate(value, significant) if value is not None else EMPTY_CELL

    mark = THIRD_PARTY_MARK if entry.origin is Origin.THIRD_PARTY else ""
    return f"{price(entry.buy)}/{price(entry.sell)}{mark}"


def market_line(
    s: MarketSummary[Any], official_source: str, now: datetime, significant: int = 5
) -> str:
    """One channel of a pair's market in a line, as the boards publish it (the pair's
    detail): ``cash sell 10.92, +0.40% vs NBT (Eskhata); buy 10.85, -0.24% vs NBT
    (Amonatbonk) · 12 institutions · quoted 3m ago · official source``; ``stale`` where
    every quote is, ``not offered`` for a side nobody offers."""
    parts: list[str] = []
    for side, price, named, versus in (
        (Side.SELL, s.best_sell, s.best_sell_from, s.best_sell_vs_official),
        (Side.BUY, s.best_buy, s.best_buy_from, s.best_buy_vs_official),
    ):
        words = f"{side.value} not offered"
        if price is not None:
            words = price_text(s.channel, side, price, versus, official_source, significant)
            words = f"{words} ({_names(named)})"
            if parts:  # the channel is said once
                words = words.removeprefix(f"{channel_word(s.channel)} ")
        elif not parts:
            words = f"{channel_word(s.channel)} {words}"
        parts.append(words)
    count = "institution" if s.institutions == 1 else "institutions"
    tail = [f"{s.institutions} {count}", f"quoted {relative(s.newest, now)}"]
    if s.stale:
        tail.append("stale")
    tail.append(origin_word(s.origin))
    return "; ".join(parts) + " · " + " · ".join(tail)


def seen_as(r: ReportedRate, pair: Pair | None, significant: int = 5) -> str:
    """A reported rate in ``pair``'s terms: ``USD/TMT 19.50`` as reported; turned round
    for the inverse pair, with the form it was given in after it (``TMT/USD 0.051282
    (given as USD/TMT 19.50)``)."""
    given = f"{r.pair} {format_rate(r.rate, significant)}"
    if pair is None or (pair.base, pair.quote) != (r.quote, r.base):
        return given
    return f"{pair} {format_rate(invert(r.rate), significant)} (given as {given})"


def reported_line(r: ReportedRate, significant: int = 5, pair: Pair | None = None) -> str:
    """``reported USD/TMT 19.50 · Ashgabat, cash, heard 5 Dec · 2026-12-05``: a rate
    reported by hand (never official, never a source's market price), in ``pair``'s terms
    when given (:func:`seen_as`)."""
    words = [f"{origin_word(Origin.REPORTED)} {seen_as(r, pair, significant)}"]
    if r.note:
        words.append(r.note)
    words.append(r.reported_at.date().isoformat())
    return " · ".join(words)


def institution_text(q: QuoteLike) -> str:
    """``Eskhata``, ``Kazkom (Almaty)`` where the source gives a city."""
    return f"{q.institution} ({q.city})" if q.city else q.institution


def _names(quotes: Sequence[QuoteLike]) -> str:
    return ", ".join(institution_text(q) for q in quotes)


def summary_text(s: MarketSummary[Any], official_source: str = "", significant: int = 5) -> str:
    """One pair and channel in a line: ``USD/TJS cash buy 10.85 (Amonatbonk), -0.24% vs
    NBT; sell 10.92 (Eskhata, Orienbank), +0.40% vs NBT; median 10.84 / 10.95; spread
    +0.07; 12 institutions; official source``, with ``stale`` (every quote is) or ``3 stale
    left out`` where it applies."""
    parts = []
    for side, price, named, versus in (
        (Side.BUY, s.best_buy, s.best_buy_from, s.best_buy_vs_official),
        (Side.SELL, s.best_sell, s.best_sell_from, s.best_sell_vs_official),
    ):
        if price is None:
            parts.append(f"{side.value} not offered")
            continue
        said = f"{side.value} {format_rate(price, significant)} ({_names(named)})"
        vs = versus_text(versus, official_source)
        parts.append(f"{said}, {vs}" if vs else said)
    medians = " / ".join(
        format_rate(m, significant) if m is not None else EMPTY_CELL
        for m in (s.median_buy, s.median_sell)
    )
    parts.append(f"median {medians}")
    if s.spread is not None and s.best_sell is not None and s.best_buy is not None:
        spread = format_rate_change(s.spread, s.best_sell, significant, before=s.best_buy)
        parts.append(f"spread {spread}")
    count = "institution" if s.institutions == 1 else "institutions"
    parts.append(f"{s.institutions} {count}")
    if s.stale:
        parts.append("stale")
    elif s.left_out:
        parts.append(f"{s.left_out} stale left out")
    parts.append(origin_word(s.origin))
    return f"{s.pair} {channel_word(s.channel)} " + "; ".join(parts)


def age_text(line: BoardLine[Any], now: datetime) -> str:
    """``3m ago``, ``1d ago, stale``."""
    text = relative(now - line.age, now)
    return f"{text}, stale" if line.stale else text


class BoardCells(NamedTuple):
    """A board line's cells, as a table shows them (all text)."""

    institution: str
    city: str
    buy: str
    sell: str
    vs_official: str
    age: str
    best: str


def board_headers(official_source: str = "") -> BoardCells:
    """The column titles: ``vs NBT`` for the distance column (``vs official`` unnamed)."""
    versus = f"vs {_official_name(official_source)}"
    return BoardCells("Institution", "City", "Buy", "Sell", versus, "Age", "")


def board_cells(line: BoardLine[Any], now: datetime, significant: int = 5) -> BoardCells:
    """``Eskhata | Dushanbe | 10.85 | 10.92 | +0.40% | 3m ago | best``; a side not
    offered is ``-``, as is the distance without an official rate."""
    q = line.quote

    def price(value: Decimal | None) -> str:
        return format_rate(value, significant) if value is not None else EMPTY_CELL

    return BoardCells(
        institution=q.institution,
        city=q.city,
        buy=price(q.buy),
        sell=price(q.sell),
        vs_official=format_percent(line.vs_official)
        if line.vs_official is not None
        else EMPTY_CELL,
        age=age_text(line, now),
        best=BEST_MARK if line.best else "",
    )


def quote_record(q: QuoteLike) -> dict[str, Any]:
    """A quote as JSON values (Decimals stay exact until :func:`market_json`)."""
    return {
        "source": q.source,
        "origin": origin_of(q.source).value,
        "institution": q.institution,
        "city": q.city or None,  # null where the source gives none
        "pair": f"{q.base}/{q.quote}",
        "base": q.base,
        "quote": q.quote,
        "channel": q.channel.value,
        "buy": q.buy,
        "sell": q.sell,
        "quoted_at": local_time(q).isoformat() if q.quoted_at is not None else None,
        "fetched_at": utc_text(q.fetched_at),
    }


def board_record(line: BoardLine[Any]) -> dict[str, Any]:
    """A board line as JSON values: its quote's, with the chosen side's ``price``, ``best``,
    ``stale``, ``age_seconds`` and ``vs_official_pct``."""
    return {
        **quote_record(line.quote),
        "price": line.price,
        "best": line.best,
        "stale": line.stale,
        "age_seconds": int(line.age.total_seconds()),
        "vs_official_pct": line.vs_official,
    }


def who_records(quotes: Sequence[QuoteLike]) -> list[dict[str, str | None]]:
    """Who gives a price, as JSON values (``city`` null where the source gives none)."""
    return [
        {"institution": q.institution, "city": q.city or None, "source": q.source} for q in quotes
    ]


def summary_record(s: MarketSummary[Any], official_source: str | None = None) -> dict[str, Any]:
    """A summary as JSON values, its quotes included; ``official_source``: the provider of
    the official rate it is measured against (``nbt``)."""
    return {
        "pair": s.pair,
        "base": s.base,
        "quote": s.quote,
        "channel": s.channel.value,
        "origin": s.origin.value,
        "sources": list(s.sources),
        "institutions": s.institutions,
        "stale_left_out": s.left_out,
        "stale": s.stale,
        "best_buy": s.best_buy,
        "best_buy_from": who_records(s.best_buy_from),
        "best_sell": s.best_sell,
        "best_sell_from": who_records(s.best_sell_from),
        "median_buy": s.median_buy,
        "median_sell": s.median_sell,
        "spread": s.spread,
        "median_spread": s.median_spread,
        "official": s.official,
        "official_source": official_source if s.official is not None else None,
        "best_buy_vs_official_pct": s.best_buy_vs_official,
        "best_sell_vs_official_pct": s.best_sell_vs_official,
        "median_buy_vs_official_pct": s.median_buy_vs_official,
        "median_sell_vs_official_pct": s.median_sell_vs_official,
        "newest": s.newest.isoformat(),
        "quotes": [quote_record(q) for q in s.quotes],
    }


def market_json(
    summaries: Sequence[MarketSummary[Any]], official_sources: Mapping[str, str] | None = None
) -> str:
    """The summaries as ``--json`` writes them (:func:`~ticker.display.views.exact_json`);
    ``official_sources``: each pair's official provider, by pair text (``USD/TJS``: ``nbt``)."""
    named = official_sources or {}
    return exact_json([summary_record(s, named.get(s.pair)) for s in summaries])
