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

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from providers.market_quote import Channel, Side
from ticker.display.columns import source_label
from ticker.display.format import format_percent, format_rate, format_rate_change
from ticker.display.market_json import (
    board_record,
    market_json,
    quote_record,
    summary_record,
    who_records,
)
from ticker.display.views import relative
from ticker.i18n.numbers import localised
from ticker.i18n.words import N_, _, ngettext, pgettext
from ticker.i18n.zone import in_zone
from ticker.model.market import BoardLine, MarketSummary, Origin, QuoteLike
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
    "market_legend",
    "market_line",
    "reported_line",
    "market_json",
    "seen_as",
    "side_word",
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
    Channel.CASH: N_("cash"),
    Channel.NONCASH: N_("non-cash"),
    Channel.CARD: N_("card"),
    Channel.EWALLET: N_("e-wallet"),
    Channel.TRANSFER: N_("transfer"),
    Channel.INTERBANK: N_("interbank"),
}

#: Who stands behind a price, in words (shown wherever its prices are).
ORIGIN_WORDS: dict[Origin, str] = {
    Origin.OFFICIAL: N_("official source"),
    Origin.THIRD_PARTY: N_("third party"),
    Origin.REPORTED: N_("reported"),
}

#: A table's cell without a value: a side not offered, a distance without an official rate.
EMPTY_CELL = "-"
#: The mark of a board line with the best price.
BEST_MARK = N_("best")
#: The rates table's mark of a market cell from a third party's board (:data:`MARKET_LEGEND`).
THIRD_PARTY_MARK = "*"
#: What the rates table's market column says, in words (the pair's detail shows it).
#: Said through :func:`market_legend`; its ``*`` is :data:`THIRD_PARTY_MARK`.
MARKET_LEGEND = N_(
    "Market: the best cash buy/sell among the banks and exchange offices now, in the "
    "row's terms; * a third party's board (not the central bank's "
    "publication); reported: a rate reported by hand, never official"
)


def market_legend() -> str:
    """:data:`MARKET_LEGEND` in the user's language."""
    return _(MARKET_LEGEND)


def channel_word(channel: Channel) -> str:
    """``cash``, ``non-cash``, ``card``, ``e-wallet``, ``transfer``, ``interbank``."""
    return _(CHANNEL_WORDS[channel])


def origin_word(origin: Origin) -> str:
    """``official source``, ``third party`` or ``reported``."""
    return _(ORIGIN_WORDS[origin])


def side_word(side: Side) -> str:
    """``buy`` or ``sell``: a board's side (Russian ``покупка``, ``продажа``)."""
    return pgettext("side", "buy") if side is Side.BUY else pgettext("side", "sell")


def versus_text(pct: Decimal | None, official_source: str) -> str:
    """``+0.40% vs NBT`` (the official rate's source, as the rates table names it); empty
    without an official rate."""
    if pct is None:
        return ""
    if not official_source:
        return _("{percent} vs official").format(percent=format_percent(pct))
    return _("{percent} vs {bank}").format(
        percent=format_percent(pct), bank=_official_name(official_source)
    )


def _official_name(official_source: str) -> str:
    return (
        source_label(official_source, False) if official_source else pgettext("versus", "official")
    )


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
        return _("outside the plausible {low} to {high}").format(low=lo, high=hi)
    if facts.kind is not HeldKind.OFFICIAL:
        return reason
    if facts.allowed is None:
        allowed = _("the band")
    else:
        allowed = localised(f"{facts.allowed.normalize():f}%")
    if official is None and official_source:
        return _("more than {allowed} from {bank}'s official rate").format(
            allowed=allowed, bank=_official_name(official_source)
        )
    if official is None:
        return _("more than {allowed} from the official rate").format(allowed=allowed)
    rate = format_rate(official, significant)
    if not official_source:
        return _("more than {allowed} from the {rate}").format(allowed=allowed, rate=rate)
    return _("more than {allowed} from {bank}'s {rate}").format(
        allowed=allowed, bank=_official_name(official_source), rate=rate
    )


def price_text(
    channel: Channel,
    side: Side,
    price: Decimal,
    vs_official: Decimal | None = None,
    official_source: str = "",
    significant: int = 5,
) -> str:
    """``cash sell 10.92, +0.40% vs NBT``; ``cash sell 10.92`` without an official rate."""
    text = _("{channel} {side} {price}").format(
        channel=channel_word(channel), side=side_word(side), price=format_rate(price, significant)
    )
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
        if not rate:
            return ""
        return _("reported {rate}").format(rate=format_rate(rate, significant))

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
        if price is None:
            words = _not_offered(side)
            if not parts:
                words = _("{channel} {words}").format(channel=channel_word(s.channel), words=words)
        elif not parts:  # the channel is said once
            words = price_text(s.channel, side, price, versus, official_source, significant)
        else:
            words = _side_price(side, price, versus, official_source, significant)
        if price is not None:
            words = f"{words} ({_names(named)})"
        parts.append(words)
    tail = [_institutions(s.institutions), _("quoted {age}").format(age=relative(s.newest, now))]
    if s.stale:
        tail.append(_("stale"))
    tail.append(origin_word(s.origin))
    return "; ".join(parts) + " · " + " · ".join(tail)


def seen_as(r: ReportedRate, pair: Pair | None, significant: int = 5) -> str:
    """A reported rate in ``pair``'s terms: ``USD/TMT 19.50`` as reported; turned round
    for the inverse pair, with the form it was given in after it (``TMT/USD 0.051282
    (given as USD/TMT 19.50)``)."""
    given = f"{r.pair} {format_rate(r.rate, significant)}"
    if pair is None or (pair.base, pair.quote) != (r.quote, r.base):
        return given
    return _("{pair} {rate} (given as {given})").format(
        pair=pair, rate=format_rate(invert(r.rate), significant), given=given
    )


def reported_line(r: ReportedRate, significant: int = 5, pair: Pair | None = None) -> str:
    """``reported USD/TMT 19.50 · Ashgabat, cash, heard 5 Dec · 2026-12-05``: a rate
    reported by hand (never official, never a source's market price), in ``pair``'s terms
    when given (:func:`seen_as`)."""
    words = [_("reported {rate}").format(rate=seen_as(r, pair, significant))]
    if r.note:
        words.append(r.note)
    words.append(in_zone(r.reported_at).date().isoformat())  # the user's day
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
            parts.append(_not_offered(side))
            continue
        said = _("{side} {price} ({institutions})").format(
            side=side_word(side), price=format_rate(price, significant), institutions=_names(named)
        )
        vs = versus_text(versus, official_source)
        parts.append(f"{said}, {vs}" if vs else said)
    medians = " / ".join(
        format_rate(m, significant) if m is not None else EMPTY_CELL
        for m in (s.median_buy, s.median_sell)
    )
    parts.append(_("median {medians}").format(medians=medians))
    if s.spread is not None and s.best_sell is not None and s.best_buy is not None:
        spread = format_rate_change(s.spread, s.best_sell, significant, before=s.best_buy)
        parts.append(_("spread {spread}").format(spread=spread))
    parts.append(_institutions(s.institutions))
    if s.stale:
        parts.append(_("stale"))
    elif s.left_out:
        parts.append(_stale_left_out(s.left_out))
    parts.append(origin_word(s.origin))
    return f"{s.pair} {channel_word(s.channel)} " + "; ".join(parts)


def _not_offered(side: Side) -> str:
    return _("buy not offered") if side is Side.BUY else _("sell not offered")


def _side_price(
    side: Side, price: Decimal, versus: Decimal | None, official_source: str, significant: int
) -> str:
    """``buy 10.85, -0.24% vs NBT`` (the channel said before)."""
    said = _("{side} {price}").format(side=side_word(side), price=format_rate(price, significant))
    vs = versus_text(versus, official_source)
    return f"{said}, {vs}" if vs else said


def _institutions(n: int) -> str:
    """``1 institution``, ``12 institutions`` (``12 организаций``)."""
    return ngettext("{n} institution", "{n} institutions", n).format(n=n)


def _stale_left_out(n: int) -> str:
    """``3 stale left out``."""
    return ngettext("{n} stale left out", "{n} stale left out", n).format(n=n)


def age_text(line: BoardLine[Any], now: datetime) -> str:
    """``3m ago``, ``1d ago, stale``."""
    text = relative(now - line.age, now)
    return _("{age}, stale").format(age=text) if line.stale else text


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
    if official_source:
        versus = _("vs {bank}").format(bank=_official_name(official_source))
    else:
        versus = _("vs official")
    return BoardCells(_("Institution"), _("City"), _("Buy"), _("Sell"), versus, _("Age"), "")


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
        best=_(BEST_MARK) if line.best else "",
    )
