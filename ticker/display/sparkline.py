"""Sparklines as text: one block character per value, scaled to the series' range."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[Decimal], width: int = 30) -> str:
    """The last ``width`` values as bars; a flat series is a flat middle line."""
    values = list(values)[-width:]
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return BARS[len(BARS) // 2 - 1] * len(values)
    span = high - low
    top = len(BARS) - 1
    return "".join(BARS[int((v - low) / span * top + Decimal("0.5"))] for v in values)
