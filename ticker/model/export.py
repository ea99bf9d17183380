"""The forms an export of the rate history takes."""

from __future__ import annotations

from enum import StrEnum


class ExportShape(StrEnum):
    """``long``: every stored observation; ``best``: the rate in force per pair and date
    (the official fixing, carried over dates without one); ``wide``: one row per date and
    one column per pair."""

    LONG = "long"
    BEST = "best"
    WIDE = "wide"
