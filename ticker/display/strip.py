"""The strip: every shown pair on one line, as the news sites' tickers show it."""

from __future__ import annotations

from collections.abc import Sequence

from ticker.display.format import format_percent, format_rate
from ticker.model.routing import PairView


def strip_line(views: Sequence[PairView], significant: int) -> str:
    """``KGS/USD = 0.011448 +0.03% NBKR • KZT/USD = 0.0019518 -0.12% NBK • ...``

    The news sites' strip, plus what theirs never says: each rate's source, and its
    state when it is not ok.
    """
    parts = []
    for v in views:
        text = f"{v.pair} = {format_rate(v.rate, significant)}"
        if v.change_pct is not None:
            text += f" {format_percent(v.change_pct)}"
        text += f" {v.provider.upper()}"
        if v.state != "ok":
            text += f" ({v.state})"
        parts.append(text)
    return " • ".join(parts)
