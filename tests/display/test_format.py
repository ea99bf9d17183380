from __future__ import annotations

import re
from decimal import Context, Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ticker.display.format import (
    format_change,
    format_percent,
    format_rate,
    format_rate_change,
    json_decimal,
    rate_decimals,
)
from ticker.model.pairs import percent_change

# Positive rates over the whole range a currency pair can take, with up to 20 digits.
rates = st.decimals(
    min_value=Decimal("1e-12"), max_value=Decimal("1e9"), allow_nan=False, allow_infinity=False
).filter(lambda d: d > 0)
changes = st.decimals(
    min_value=Decimal("-1e6"), max_value=Decimal("1e6"), allow_nan=False, allow_infinity=False
)
digits = st.integers(min_value=3, max_value=15)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").rstrip("%"))


def _significant_shown(text: str) -> int:
    plain = text.replace(",", "").replace(".", "").lstrip("+-").rstrip("%")
    return len(plain.lstrip("0"))


def _own_significant(value: Decimal) -> int:
    """The significant digits the value itself has, as written (``87.4500``: 6)."""
    return len(value.as_tuple().digits)


@given(rates, digits)
@example(Decimal("0.000082019"), 5)
@example(Decimal("0.0000820190123"), 5)
@example(Decimal("9.99996"), 5)
def test_rate_shows_at_least_the_significant_digits_and_rounds_correctly(
    value: Decimal, significant: int
) -> None:
    text = format_rate(value, significant)
    assert _significant_shown(text) >= min(significant, _own_significant(value))
    decimals = len(text.split(".")[1]) if "." in text else 0
    # The shown number is the value rounded at its last shown place.
    assert abs(_number(text) - value) <= Decimal(1).scaleb(-decimals) / 2
    assert not text.startswith(("-", "+"))
    assert "E" not in text and "e" not in text


@given(rates)
def test_thousands_are_grouped_and_only_in_the_integer_part(value: Decimal) -> None:
    text = format_rate(value)
    integer, _, fraction = text.partition(".")
    assert "," not in fraction
    assert re.fullmatch(r"\d{1,3}(,\d{3})*", integer)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.000082019", "0.000082019"),  # never 0.00008
        ("0.0114350", "0.011435"),
        ("478.77", "478.77"),
        ("12050.47", "12,050.47"),  # large values keep their cents
        ("87.45", "87.45"),  # never padded: 87.450 would claim a digit it does not have
        ("87.4500", "87.45"),  # a trailing zero is no digit: 87.4500 is 87.45
        ("87.45003", "87.450"),  # a rounded digit is a real one
        ("3.5", "3.50"),  # two decimals at least
        ("3.50", "3.50"),  # CBT's peg as CBT writes it ...
        ("3.5000", "3.50"),  # ... and as NBT does: one number, one text (issue 27)
        ("1E+3", "1,000.00"),
        ("1234567.891", "1,234,567.89"),
        ("0.00002085", "0.00002085"),
        ("0.0000820195", "0.000082020"),  # half rounds up
    ],
)
def test_rate_examples(value: str, expected: str) -> None:
    assert format_rate(Decimal(value)) == expected


def test_rate_digits_setting() -> None:
    assert format_rate(Decimal("0.0114351234"), 3) == "0.0114"
    assert format_rate(Decimal("0.0114351234"), 8) == "0.011435123"


@given(rates, digits, st.integers(min_value=0, max_value=6))
@example(Decimal("3.50"), 5, 2)  # CBT's 3.50 beside NBT's 3.5000 (issue 27)
@example(Decimal("12050.47"), 15, 2)
@example(Decimal("512.34"), 6, 0)
def test_equal_values_read_equal_whatever_digits_their_source_wrote(
    value: Decimal, significant: int, zeros: int
) -> None:
    """One number, one text: a source that writes trailing zeros (NBT's ``3.5000``) and
    one that does not (CBT's ``3.50``) read the same on one screen."""
    sign, digits_, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    padded = Decimal((sign, digits_ + (0,) * zeros, exponent - zeros))
    assert padded == value
    assert format_rate(padded, significant) == format_rate(value, significant)
    # normalize() in the default context would round past 28 digits (Hypothesis finds
    # 67-digit values): a context as wide as the value strips its zeros and nothing else.
    stripped = value.normalize(Context(prec=max(28, len(digits_))))
    assert stripped == value
    assert format_rate(stripped, significant) == format_rate(value, significant)


@given(rates, digits)
@example(Decimal("12050.47"), 15)
@example(Decimal("12050.4700"), 15)
@example(Decimal("512.34"), 6)
def test_rate_never_pads_zeros_beyond_its_own_digits(value: Decimal, significant: int) -> None:
    text = format_rate(value, significant)
    fraction = text.partition(".")[2]
    # Never more decimals than the value has, past the two decimals every rate keeps.
    assert len(fraction) <= max(-int(value.as_tuple().exponent), 2)
    assert len(fraction) <= rate_decimals(value, significant)


def test_fifteen_significant_digits_of_a_short_value() -> None:
    assert format_rate(Decimal("12050.47"), 15) == "12,050.47"
    assert format_rate(Decimal("87.4500"), 15) == "87.45"  # as NBT's 87.45 would be
    assert format_rate(Decimal("0.000082019"), 15) == "0.000082019"
    # a long cross shows its fifteen digits
    assert format_rate(Decimal(1) / Decimal("87.45"), 15) == "0.0114351057747284"


@given(changes)
@example(Decimal(0))
@example(Decimal("-0"))
@example(Decimal("-0.0000001"))
@example(Decimal("0.004999"))
@example(Decimal("-0.005"))
def test_percent_sign_is_explicit_and_zero_is_never_signed(pct: Decimal) -> None:
    text = format_percent(pct)
    assert text.endswith("%")
    if pct == 0:
        assert text == "0.00%"
    else:
        assert text[0] == ("+" if pct > 0 else "-")
        assert _number(text) != 0  # a signed change always shows a non-zero digit
        shown = _number(text)
        assert (shown > 0) == (pct > 0)
    assert not re.search(r"-0(\.0+)?%$", text)


@pytest.mark.parametrize(
    ("pct", "expected"),
    [
        ("0", "0.00%"),
        ("-0", "0.00%"),
        ("0.00", "0.00%"),
        ("0.031", "+0.03%"),
        ("-0.12", "-0.12%"),
        ("0.55", "+0.55%"),
        ("-0.0031", "-0.0031%"),  # too small for two decimals: still a digit, not -0.00%
        ("12.345", "+12.35%"),
        ("1500", "+1,500.00%"),
    ],
)
def test_percent_examples(pct: str, expected: str) -> None:
    assert format_percent(Decimal(pct)) == expected


@given(changes, st.integers(min_value=0, max_value=12))
def test_change_sign_is_explicit(delta: Decimal, decimals: int) -> None:
    text = format_change(delta, decimals)
    if delta == 0:
        assert text == format(Decimal(0).scaleb(-decimals), "f")  # 0, 0.00, unsigned
    else:
        assert text[0] == ("+" if delta > 0 else "-")
        assert _number(text) != 0


@pytest.mark.parametrize(
    ("delta", "rate", "expected"),
    [
        ("14.24", "478.77", "+14.24"),  # was +14 (issue 27): the rate's two decimals
        ("-14.2", "478.77", "-14.20"),
        ("0.0187", "9.3450", "+0.019"),  # NBT's 9.3450 is 9.345
        ("0.17", "87.45", "+0.17"),
        ("0.17", "87.4500", "+0.17"),  # NBKR's 87.4500 is 87.45
        ("-0.0000215", "0.011435", "-0.000022"),
        ("0", "478.77", "0.00"),
        ("-0", "0.011435", "0.000000"),
        ("0.0000000034", "0.011435", "+0.0000000034"),  # too small: still a digit, never +0
        ("125.5", "12194.21", "+125.50"),
    ],
)
def test_a_change_has_the_decimals_of_its_rate(delta: str, rate: str, expected: str) -> None:
    assert format_rate_change(Decimal(delta), Decimal(rate)) == expected


def test_a_change_from_a_rate_with_more_decimals_keeps_them() -> None:
    # 87.277 -> 87.45 (NBKR's 87.4500): the screen shows both; the change is their difference.
    change = Decimal("0.1730")
    assert format_rate_change(change, Decimal("87.4500"), 5, Decimal("87.2770")) == "+0.173"
    assert format_rate_change(change, Decimal("87.4500"), 5) == "+0.17"
    assert format_rate_change(Decimal("0.17"), Decimal("87.45"), 5, Decimal("87.28")) == "+0.17"


@given(rates, changes, digits)
def test_a_change_lines_up_with_its_rate(rate: Decimal, delta: Decimal, significant: int) -> None:
    rate_text = format_rate(rate, significant)
    change_text = format_rate_change(delta, rate, significant)
    decimals = len(rate_text.partition(".")[2])
    if delta == 0 or abs(delta) >= Decimal(1).scaleb(-decimals) / 2:
        assert len(change_text.partition(".")[2]) == decimals
    else:  # too small for the rate's decimals: two significant digits, never a signed zero
        assert _significant_shown(change_text) == 2 and _number(change_text) != 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0E-20", "0"),  # was "0.00000000000000000000" beside a change_pct of "0"
        ("-0.00", "0"),
        ("0", "0"),
        ("14.2400", "14.24"),
        ("1E+3", "1000"),
        ("5.5E-5", "0.000055"),
        ("-0.0000215", "-0.0000215"),
        ("0.0000820058671358948484", "0.0000820058671358948484"),
        ("1234567890.12345678901234567890123450", "1234567890.1234567890123456789012345"),
    ],
)
def test_json_numbers_are_exact_and_normalised(value: str, expected: str) -> None:
    assert json_decimal(Decimal(value)) == expected


@given(changes)
def test_json_number_is_the_exact_value(value: Decimal) -> None:
    text = json_decimal(value)
    assert Decimal(text) == value
    assert "E" not in text and not re.fullmatch(r"-0(\.0+)?", text)
    assert not ("." in text and text.endswith("0"))


def test_percent_change() -> None:
    assert percent_change(Decimal("100"), Decimal("101")) == Decimal("1")
    assert percent_change(Decimal("3.50"), Decimal("3.50")) == 0
    assert format_percent(percent_change(Decimal("3.50"), Decimal("3.02"))) == "-13.71%"
    with pytest.raises(ValueError):
        percent_change(Decimal(0), Decimal(1))


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_numbers_are_refused(bad: Decimal) -> None:
    for fn in (format_rate, format_percent, json_decimal):
        with pytest.raises(ValueError):
            fn(bad)
    with pytest.raises(ValueError):
        format_change(bad, 2)
