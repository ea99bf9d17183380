from __future__ import annotations

from decimal import Decimal

import pytest

from ticker.model.pairs import Orientation, Pair, convert, parse_pair


@pytest.mark.parametrize(
    ("text", "orientation", "expected"),
    [
        ("KZT", Orientation.USD_PER, Pair("KZT", "USD")),
        ("kzt", Orientation.PER_USD, Pair("USD", "KZT")),
        ("KZT/USD", Orientation.PER_USD, Pair("KZT", "USD")),
        (" usd/uzs ", Orientation.USD_PER, Pair("USD", "UZS")),
    ],
)
def test_parse_pair(text: str, orientation: Orientation, expected: Pair) -> None:
    assert parse_pair(text, orientation) == expected


@pytest.mark.parametrize("text", ["RUB", "KZT/EUR", "USD/USD", "KZT/KGS", "", "KZT/USD/X"])
def test_parse_pair_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="expected one of KGS, KZT, TJS, UZS, TMT"):
        parse_pair(text)


def test_orientation_and_conversion() -> None:
    kgs = Pair("KGS", "USD")
    assert str(kgs) == "KGS/USD" and kgs.local == "KGS" and kgs.canonical == Pair("USD", "KGS")
    assert kgs.oriented(Orientation.PER_USD) == Pair("USD", "KGS")
    assert Orientation.USD_PER.flipped() is Orientation.PER_USD
    assert convert(Decimal("87.45"), Pair("USD", "KGS")) == Decimal("87.45")
    assert convert(Decimal("87.45"), kgs).quantize(Decimal("0.000001")) == Decimal("0.011435")
