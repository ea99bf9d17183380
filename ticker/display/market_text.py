"""The market as the command line prints it: a board as a table (who, where, buy, sell,
the distance from the official rate, the quote's age, the best marked, who publishes it),
and the rates reported by hand, each said as ``reported``. The words of each part are
:mod:`ticker.display.market`'s; this module lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from providers.market_quote import Channel, Side
from ticker.display.market import (
    board_cells,
    board_headers,
    channel_word,
    origin_word,
)
from ticker.display.views import exact_json, text_table, utc_text
from ticker.model.market import BoardLine, Origin, origin_of
from ticker.model.market_records import REPORTED, ReportedRate


def source_text(source: str) -> str:
    """``nbt-banks`` for an official source, ``fx-kg, third party`` for a third party."""
    origin = origin_of(source)
    return source if origin is Origin.OFFICIAL else f"{source}, {origin_word(origin)}"


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
    order = "highest first" if side is Side.BUY else "lowest first"
    title = f"{pair} {channel_word(channel)}, by {side.value}: {order}"
    rows = [[*board_headers(official_source), "Source"]]
    for line in lines:
        rows.append([*board_cells(line, now, significant), source_text(line.quote.source)])
    return f"{title}\n{text_table(rows, right={2, 3, 4})}"


def reported_line(r: ReportedRate) -> str:
    """``#3 USD/TMT 19.5 reported 2025-12-05T10:00:00Z: Ashgabat, cash``: the rate as
    typed (never rounded: it is what was heard)."""
    note = f": {r.note}" if r.note else ""
    return f"#{r.id} {r.pair} {r.rate} {REPORTED} {utc_text(r.reported_at)}{note}"


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
        "reported_at": utc_text(r.reported_at),
    }


def reported_json(rates: Sequence[ReportedRate]) -> str:
    return exact_json([reported_record(r) for r in rates])
