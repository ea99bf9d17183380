"""The market as the command line prints it: a board as a table (who, where, buy, sell,
the distance from the official rate, the quote's age, the best marked, who publishes it),
and the rates reported by hand, each said as ``reported``. The words of each part are
:mod:`ticker.display.market`'s; this module lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from providers.catalogue import CENTRAL_BANKS
from providers.market_quote import Channel, Side
from ticker.display.market import (
    board_cells,
    board_headers,
    channel_word,
    origin_word,
)
from ticker.display.views import exact_json, text_table, utc_text
from ticker.i18n.numbers import localised
from ticker.i18n.words import _, ngettext
from ticker.i18n.zone import in_zone
from ticker.model.market import BoardLine, Origin, origin_of
from ticker.model.market_records import REPORTED, HeldQuote, ReportedRate


def source_text(source: str) -> str:
    """``nbt-banks`` for an official source, ``fx-kg, third party`` for a third party."""
    origin = origin_of(source)
    return source if origin is Origin.OFFICIAL else f"{source}, {origin_word(origin)}"  # id, words


def board_text(
    pair: str,
    channel: Channel,
    side: Side,
    lines: Sequence[BoardLine[Any]],
    now: datetime,
    official_source: str = "",
    significant: int = 5,
) -> str:
    """A title (``USD/TJS cash, by sell: lowest first``) and the board's table."""
    title = (
        _("{pair} {channel}, by buy: highest first")
        if side is Side.BUY
        else _("{pair} {channel}, by sell: lowest first")
    ).format(pair=pair, channel=channel_word(channel))
    rows = [[*board_headers(official_source), _("Source")]]
    for line in lines:
        rows.append([*board_cells(line, now, significant), source_text(line.quote.source)])
    right = {2, 3, 4}
    if not any(line.quote.city for line in lines):  # a source without cities (NBT's)
        rows = [[row[0], *row[2:]] for row in rows]
        right = {1, 2, 3}
    return f"{title}\n{text_table(rows, right=right)}"


def reported_line(r: ReportedRate) -> str:
    """``#3 USD/TMT 19.5 reported 2025-12-05T10:00:00Z: Ashgabat, cash``: the rate as
    typed (never rounded: it is what was heard)."""
    note = f": {r.note}" if r.note else ""
    return (
        _("#{id} {pair} {rate} reported {at}").format(
            id=r.id, pair=r.pair, rate=localised(plain(r.rate)), at=reported_here(r)
        )
        + note
    )


def reported_at(r: ReportedRate) -> str:
    """When ``r`` was reported, to the second (``2026-09-24T12:30:00Z``)."""
    return utc_text(r.reported_at.replace(microsecond=0))


def reported_here(r: ReportedRate) -> str:
    """When ``r`` was reported, to the second, on the user's clock with its offset
    (``2026-09-24T18:30:00+06:00``; ``Z`` in UTC, as :func:`reported_at`)."""
    shown = in_zone(r.reported_at.replace(microsecond=0))
    return shown.isoformat().replace("+00:00", "Z")


def plain(rate: Decimal) -> str:
    """A rate as typed, in plain notation (``1000``, ``19.50``: never ``1E+3``)."""
    return format(rate, "f")


def reported_record(r: ReportedRate) -> dict[str, Any]:
    """A reported rate as JSON values (the rate exact)."""
    return {
        "id": r.id,
        "pair": r.pair,
        "base": r.base,
        "quote": r.quote,
        "rate": r.rate,
        "origin": Origin.REPORTED.value,
        "source": REPORTED,
        "note": r.note,
        "reported_at": reported_at(r),
    }


def reported_json(rates: Sequence[ReportedRate]) -> str:
    return exact_json([reported_record(r) for r in rates])


def held_words(held: Sequence[HeldQuote], significant: int = 5) -> str:
    """Why a board shows nothing though quotes came: ``3 quotes from nbt-banks were held
    as implausible (more than 10% from NBT's 7.00)``, per source, each with the reason of
    its newest held quote (``held`` newest first)."""
    counts: dict[str, int] = {}
    reasons: dict[str, str] = {}
    for h in held:
        counts[h.quote.source] = counts.get(h.quote.source, 0) + 1
        reasons.setdefault(h.quote.source, held_reason(h, significant))
    parts = []
    for source, count in counts.items():
        parts.append(
            ngettext(
                "{n} quote from {source} was held as implausible ({why})",
                "{n} quotes from {source} were held as implausible ({why})",
                count,
            ).format(n=count, source=source, why=reasons[source])
        )
    return "; ".join(parts)


def held_reason(h: HeldQuote, significant: int = 5) -> str:
    """``more than 10% from NBT's 7.00``; a reason without facts as stored (the words are
    :func:`~ticker.display.market.held_quote_reason`'s)."""
    from ticker.display.market import held_quote_reason

    source = CENTRAL_BANKS.get(h.quote.quote, "")
    return held_quote_reason(h.reason, h.official, source, significant)
