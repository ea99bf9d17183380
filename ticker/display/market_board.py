"""The dashboard's board screen (``m``) in words: which boards quote a local currency and
against which foreign ones, the header's lines (the source and who stands behind it, the
best buy and sell with who gives them, the median, the spread, the distance from the
official rate), a reported rate's line, and the sentence saying why a board is empty.

Pure: the settings say which sources are on; the quotes are handed in. The cells of a
board line are :func:`ticker.display.market.board_cells`'; the screen fits them to its
width (:mod:`ticker.tui.screens.market`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from providers.market_quote import Channel, Side
from providers.market_records import MARKET_SOURCES
from providers.records import Source
from ticker.config import Settings, off_reason_said
from ticker.display.chart import day_label
from ticker.display.format import format_rate, format_rate_change
from ticker.display.market import (
    channel_word,
    institution_text,
    origin_word,
    seen_as,
    versus_text,
)
from ticker.display.names import bank_word
from ticker.display.views import relative
from ticker.i18n.words import _, ngettext
from ticker.model.market import MarketSummary, QuoteLike, origin_of
from ticker.model.market_records import ReportedRate
from ticker.model.pairs import KNOWN_CURRENCIES, Pair

#: The foreign currency a board opens on.
FIRST_FOREIGN = "USD"


def board_sources(local: str) -> list[Source]:
    """The market sources quoting ``local`` (``nbt-banks`` for TJS; none for TMT)."""
    return [s for s in MARKET_SOURCES if local in s.currencies]


def board_foreign(
    local: str, reported: Sequence[ReportedRate] = (), quotes: Sequence[QuoteLike] = ()
) -> list[str]:
    """The currencies ``local``'s boards quote it against: those the records say (USD,
    EUR, RUB; the tenge too on fx.kg's), those of the stored ``quotes`` of ``local`` and
    those of the rates reported for it; the dollar first, the foreign ones in their
    order, then the local ones (``KZT/KGS``)."""
    found = {c for s in board_sources(local) for c in s.others}
    found |= {q.base for q in quotes if q.quote == local}
    found |= {
        r.base if r.quote == local else r.quote for r in reported if local in (r.base, r.quote)
    }
    found.discard(local)
    order = [*KNOWN_CURRENCIES]
    return [FIRST_FOREIGN] + sorted(
        found - {FIRST_FOREIGN}, key=lambda c: (order.index(c) if c in order else len(order), c)
    )


def board_pairs(local: str) -> list[tuple[str, str]]:
    """What the board screen reads for ``local``: (other, local) for every currency a
    board may quote it against (the foreign ones and the other four: a bounded read that
    finds a board's quote of a currency its record does not name)."""
    return [(other, local) for other in KNOWN_CURRENCIES if other != local]


def source_label(sources: Sequence[str]) -> str:
    """``nbt-banks · official source``, ``kurs-kz · third party`` (several: each)."""
    return " · ".join(f"{s} · {origin_word(origin_of(s))}" for s in sources)  # id · words


def title_line(pair: str, channel: Channel, side: Side, sources: Sequence[str]) -> str:
    """``USD/TJS cash · nbt-banks · official source · by sell (buying USD costs)``: the
    board's bank side, and what it means for a customer."""
    foreign = pair.split("/")[0]
    label = source_label(sources) if sources else _("no market source")
    template = (
        _("{pair} {channel} · {sources} · by sell (buying {currency} costs)")
        if side is Side.SELL
        else _("{pair} {channel} · {sources} · by buy (selling {currency} gets)")
    )
    return template.format(
        pair=pair, channel=channel_word(channel), sources=label, currency=foreign
    )


def best_lines(
    s: MarketSummary[Any], official_source: str, digits: int, first: Side = Side.SELL
) -> list[str]:
    """One line per side, ``first`` first, the numbers before the names (a narrow screen
    cuts names, never numbers): ``best sell 9.36, +0.16% vs NBT: Orienbonk``; ``best buy
    not offered``. Ties name two and count the rest (``Amonatbonk, Eskhata +2``)."""
    lines = []
    sides = {
        Side.BUY: (s.best_buy, s.best_buy_from, s.best_buy_vs_official),
        Side.SELL: (s.best_sell, s.best_sell_from, s.best_sell_vs_official),
    }
    for side in (first, Side.BUY if first is Side.SELL else Side.SELL):
        price, named, versus = sides[side]
        if price is None:
            lines.append(
                _("best buy not offered") if side is Side.BUY else _("best sell not offered")
            )
            continue
        who = ", ".join(institution_text(q) for q in named[:2])
        more = f" +{len(named) - 2}" if len(named) > 2 else ""
        vs = versus_text(versus, official_source)
        figure = f"{format_rate(price, digits)}, {vs}" if vs else format_rate(price, digits)
        template = (
            _("best buy {price}: {who}") if side is Side.BUY else _("best sell {price}: {who}")
        )
        lines.append(template.format(price=figure, who=who + more))
    return lines


def official_text(rate: Decimal | None, source: str, as_of: date | None, digits: int) -> str:
    """``official 9.3288 (NBT, 24 Sep)``: the rate the distances are from, its central
    bank and the date of its fixing; ``no official rate stored`` without one."""
    if rate is None:
        return _("no official rate stored")
    bank = bank_word(source.upper()) if source else ""
    said = ", ".join(w for w in (bank, day_label(as_of) if as_of else "") if w)
    official = _("official {rate}").format(rate=format_rate(rate, digits))
    return official + (f" ({said})" if said else "")


def figures_parts(s: MarketSummary[Any], digits: int) -> list[str]:
    """``median 10.85 / 10.97``, ``spread +0.10``, ``12 institutions``, ``3 stale left
    out``: the summary's figures, each said whole."""
    medians = " / ".join(
        format_rate(m, digits) if m is not None else "-" for m in (s.median_buy, s.median_sell)
    )
    parts = [_("median {medians}").format(medians=medians)]
    if s.spread is not None and s.best_sell is not None and s.best_buy is not None:
        spread = format_rate_change(s.spread, s.best_sell, digits, before=s.best_buy)
        parts.append(_("spread {spread}").format(spread=spread))
    parts.append(
        ngettext("{n} institution", "{n} institutions", s.institutions).format(n=s.institutions)
    )
    if s.stale:
        parts.append(_("every quote stale"))
    elif s.left_out:
        parts.append(
            ngettext("{n} stale left out", "{n} stale left out", s.left_out).format(n=s.left_out)
        )
    return parts


def reported_line(r: ReportedRate, now: datetime, digits: int, pair: Pair | None = None) -> str:
    """``reported USD/TMT 19.50 · Ashgabat, cash, heard 5 Dec · 2d ago``: in ``pair``'s
    terms when given (a rate reported the other way round is turned, and its reported form
    said in brackets)."""
    note = f" · {r.note}" if r.note else ""
    said = _("reported {rate}").format(rate=seen_as(r, pair, digits))
    return f"{said}{note} · {relative(r.reported_at, now)}"


def empty_reason(
    local: str, pair: str, channel: Channel, settings: Settings, any_stored: bool
) -> str:
    """Why the board of ``pair`` on ``channel`` has no line: no board source for ``local``
    (TMT: a rate can be reported), every one off (and how to turn it on), none stored yet,
    or nobody quoting this pair and channel (``any_stored``: other boards of ``local`` are)."""
    sources = board_sources(local)
    if not sources:
        return _(
            "No market source for {currency}: no bank or office board is published; "
            "report a rate with `ticker market report {currency} RATE`."
        ).format(currency=local)
    if any_stored:
        return _(
            "Nobody quotes {pair} {channel} on the stored boards "
            "(c: the next channel, u: the next currency)."
        ).format(pair=pair, channel=channel_word(channel))
    offs = []
    for s in sources:
        conf = settings.providers.get(s.name)
        off = off_reason_said(s.name, conf) if conf is not None else _("off: not configured")
        if off is None:
            return _(
                "No {currency} board stored yet: {source} is polled in its banking hours "
                "(r polls every source now)."
            ).format(currency=local, source=s.name)
        offs.append(_("{source} is {off}").format(source=s.name, off=off))
    return _("No {currency} board: {reasons}.").format(currency=local, reasons="; ".join(offs))
