"""Numbers in and out by the locale's rules: the symbols change, never a digit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ticker.display.format import format_change, format_percent, format_precision, format_rate
from ticker.i18n.choice import use
from ticker.i18n.numbers import AmbiguousNumber, NotANumber, read_number

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "rate", "change", "percent"),
    [
        ("en", "12,050.47", "-0.000022", "-0.12%"),
        ("ru", f"12{NBSP}050,47", "-0,000022", f"-0,12{NBSP}%"),
        ("kk", f"12{NBSP}050,47", "-0,000022", "-0,12%"),  # CLDR: Kazakh has no space
    ],
)
def test_numbers_out_by_the_locale(language: str, rate: str, change: str, percent: str) -> None:
    use(language, {})
    assert format_rate(Decimal("12050.47")) == rate
    assert format_change(Decimal("-0.000022"), 6) == change
    assert format_percent(Decimal("-0.12")) == percent


def test_the_significant_digits_are_the_same_in_every_locale() -> None:
    values = [Decimal("0.0000820191"), Decimal("87.45"), Decimal("478.77"), Decimal("3.5000")]
    english = [format_rate(v) for v in values]
    use("ru", {})
    russian = [format_rate(v) for v in values]
    assert russian == [e.replace(",", NBSP).replace(".", ",") for e in english]
    assert russian[0] == "0,000082019"
    assert format_percent(Decimal(0)) == f"0,00{NBSP}%"  # never a signed zero
    assert format_percent(Decimal("0.00001")) == f"+0,000010{NBSP}%"
    assert format_precision(Decimal("0.7")) == f"±0,7{NBSP}%"


def test_a_locale_outside_the_table_is_read_from_babel() -> None:
    use("de_DE", {})
    assert format_rate(Decimal("12050.47")) == "12.050,47"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10000", "10000"),
        ("10 000", "10000"),
        (f"10{NBSP}000", "10000"),
        ("10\u202f000,5", "10000.5"),
        ("12,194.21", "12194.21"),
        ("12 194,21", "12194.21"),
        ("0.5", "0.5"),
        ("0,5", "0.5"),
        ("0,500", "0.5"),  # no group starts with a zero: a decimal comma
        ("1,5", "1.5"),
        ("1,234,567", "1234567"),  # several groups: never a decimal
        ("1.234,5", "1234.5"),
        ("-3,5", "-3.5"),
    ],
)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_numbers_in_as_people_write_them(text: str, value: str, language: str) -> None:
    use(language, {})
    assert read_number(text, "AMOUNT") == Decimal(value)


def test_1_500_is_a_thousand_and_a_half_in_english_and_ambiguous_with_a_decimal_comma() -> None:
    assert read_number("1,500", "AMOUNT") == Decimal(1500)
    assert read_number("10,000", "AMOUNT") == Decimal(10000)
    assert read_number("1.500", "AMOUNT") == Decimal("1.5")
    use("ru", {})
    with pytest.raises(AmbiguousNumber) as said:
        read_number("1,500", "СУММА")
    assert str(said.value) == (
        "СУММА: '1,500' можно прочитать и как 1,5, и как 1500; напишите одно из двух"
    )
    assert read_number("1.500", "AMOUNT") == Decimal("1.5")  # no one here groups with a point
    use("de", {})
    with pytest.raises(AmbiguousNumber, match="1,5 or as 1500"):
        read_number("1.500", "AMOUNT")


@pytest.mark.parametrize(
    "text", ["", "abc", "1e5", "１２", "1,50,0", "10 00", "1 2345", "٣", "9" * 41]
)
def test_anything_else_is_not_a_number(text: str) -> None:
    with pytest.raises(NotANumber, match="expected a number like 10000, 10 000, 10,000"):
        read_number(text, "AMOUNT")


def test_an_empty_number_stays_empty() -> None:
    use("ru", {})
    from ticker.i18n.numbers import localised

    assert (localised(""), localised("%"), localised("+")) == ("", f"{NBSP}%", "+")
