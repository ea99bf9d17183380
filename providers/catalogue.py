"""The facts every part of the program shares, as data (no HTTP code): the five
currencies and countries, and what each built-in source covers (read by the providers
themselves and by the configuration, which checks ``[routing]`` without importing any
provider)."""

from __future__ import annotations

#: The five local currencies, in display order.
LOCAL_CURRENCIES: tuple[str, ...] = ("KGS", "KZT", "TJS", "UZS", "TMT")

#: The five countries of the indicators (ISO 3166-1 alpha-3), in display order.
COUNTRIES: dict[str, str] = {
    "KGZ": "Kyrgyzstan",
    "KAZ": "Kazakhstan",
    "TJK": "Tajikistan",
    "UZB": "Uzbekistan",
    "TKM": "Turkmenistan",
}

_ALL_FIVE = frozenset(LOCAL_CURRENCIES)

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
