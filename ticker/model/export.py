"""The forms an export of the rate history takes."""

from __future__ import annotations

from enum import StrEnum


class ExportShape(StrEnum):
    """``long``: every stored observation; ``best``: the routed source's rate per pair and
    date; ``wide``: one row per date and one column per pair."""

    LONG = "long"
    BEST = "best"
    WIDE = "wide"
