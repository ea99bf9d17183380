"""A rule's words in the user's language, and a threshold typed the locale's way."""

from __future__ import annotations

import pytest

from ticker.errors import UsageError
from ticker.i18n.choice import use
from ticker.model.pairs import parse_pair
from ticker.model.rules import stale_phrase, threshold_entry


@pytest.mark.parametrize(
    ("kind", "typed", "entry"),
    [
        ("above", "0,5", ("value", "0.5")),
        ("below", "10 000", ("value", "10000")),
        ("above", "12\u00a0194,21", ("value", "12194.21")),
        ("move", "2,5", ("percent", "2.5")),
        ("stale", "3", ("days", 3)),
        ("above", "lots", ("value", "lots")),  # no number: the rule's check says so
    ],
)
def test_a_threshold_typed_the_russian_way(kind: str, typed: str, entry: object) -> None:
    use("ru", {})
    assert threshold_entry(kind, typed) == entry


def test_an_ambiguous_threshold_is_refused_with_both_readings() -> None:
    use("ru", {})
    with pytest.raises(UsageError) as err:
        threshold_entry("above", "1,500")
    message = str(err.value)
    assert message.startswith("THRESHOLD: ")
    assert "1,5" in message and "1500" in message


def test_in_english_a_comma_groups_thousands() -> None:
    assert threshold_entry("above", "1,500") == ("value", "1500")
    assert threshold_entry("above", "0.0021") == ("value", "0.0021")


def test_a_pair_that_is_none_says_so_in_russian() -> None:
    use("ru", {})
    with pytest.raises(ValueError) as err:
        parse_pair("XYZ")
    assert str(err.value) == (
        "ожидалось: одна из валют KGS, KZT, TJS, UZS, TMT или пара вида KZT/USD или USD/KZT; "
        "получено: 'XYZ'"
    )


@pytest.mark.parametrize(
    ("days", "english", "russian"),
    [
        (1, "stale 1 business day", "устарел на 1 рабочий день"),
        (3, "stale 3 business days", "устарел на 3 рабочих дня"),
        (5, "stale 5 business days", "устарел на 5 рабочих дней"),
        (21, "stale 21 business days", "устарел на 21 рабочий день"),
    ],
)
def test_a_stale_rules_days_take_their_plural(days: int, english: str, russian: str) -> None:
    assert stale_phrase(days) == english
    use("ru", {})
    assert stale_phrase(days) == russian
