"""What each built-in source covers, as data (no HTTP code): read by the providers
themselves and by the configuration, which checks ``[routing]`` against it without
importing any provider."""

from __future__ import annotations

_ALL_FIVE = frozenset({"KGS", "KZT", "TJS", "UZS", "TMT"})

#: Which of the five local currencies each built-in rate source yields against USD.
COVERS: dict[str, frozenset[str]] = {
    "nbkr": _ALL_FIVE,
    "nbk": frozenset({"KZT", "KGS", "TJS", "UZS"}),  # the NBK publishes no manat rate
    "nbt": _ALL_FIVE,
    "cbu": _ALL_FIVE,
    "cbt": _ALL_FIVE,
    "cbr": _ALL_FIVE,
    "frankfurter": _ALL_FIVE,
    "erapi": _ALL_FIVE,
    "currencyapi": _ALL_FIVE,
}
