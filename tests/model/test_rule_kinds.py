"""Every kind of alert rule is one row of the grammar (its keys, its threshold, its words)
and one reader (its condition)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ticker.core.alerts.evaluate import READERS
from ticker.model.pairs import parse_pair
from ticker.model.rules import (
    KIND_KEYS,
    KINDS,
    THRESHOLD_KEYS,
    AlertKind,
    AlertRuleConfig,
    kinds_with,
    threshold_entry,
    threshold_text,
)


def test_every_kind_has_its_row_and_its_reader() -> None:
    assert list(KINDS) == list(AlertKind) == list(READERS)
    for grammar in KINDS.values():
        assert grammar.threshold in grammar.required
        assert set(grammar.required) <= set(grammar.keys)
        assert grammar.threshold_words and grammar.phrase


def test_the_keys_are_read_off_the_table() -> None:
    assert KIND_KEYS == (
        "days", "direction", "hysteresis", "market_channel", "percent", "series", "value",
        "window",
    )  # fmt: skip
    assert THRESHOLD_KEYS == ("value", "percent", "days", "series")
    assert kinds_with("hysteresis") == ("above", "below", "market-sell", "market-buy")
    assert kinds_with("market_channel") == ("market-sell", "market-buy")
    assert kinds_with("window") == ("move",)


@pytest.mark.parametrize(
    ("kind", "typed", "entry"),
    [
        ("above", " 0.0021 ", ("value", "0.0021")),
        ("move", "2", ("percent", "2")),
        ("stale", " 3 ", ("days", 3)),
        ("stale", "3.5", ("days", "3.5")),  # said by the check: not a whole number
        ("stale", "３", ("days", "３")),  # not ASCII digits: said by the check too
        ("sideways", "2", ("percent", "2")),  # the check says the kind is unknown
    ],
)
def test_a_typed_threshold_is_its_kinds_key(kind: str, typed: str, entry: object) -> None:
    assert threshold_entry(kind, typed) == entry


def test_a_threshold_is_written_back_as_given() -> None:
    pair = parse_pair("USD/KZT")
    assert threshold_text(AlertRuleConfig(pair, AlertKind.ABOVE, value=Decimal("1E+3"))) == "1000"
    assert threshold_text(AlertRuleConfig(pair, AlertKind.STALE, days=3)) == "3"
    assert threshold_text(AlertRuleConfig(pair, AlertKind.CHANGE)) == ""
