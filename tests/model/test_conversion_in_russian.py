"""An amount or a currency that is not one, said in the frame every config value uses:
``ожидалось: ...; получено: ...`` (the English as it was)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ticker.errors import UsageError
from ticker.i18n.choice import use
from ticker.model.conversion import parse_amount, parse_currency


def said(call: Callable[..., object], *args: str) -> str:
    with pytest.raises(UsageError) as err:
        call(*args)
    return str(err.value)


def test_an_unknown_currency_in_english_as_before() -> None:
    assert said(parse_currency, "EUR", "FROM") == (
        "FROM: expected one of USD, KGS, KZT, TJS, UZS, TMT, got 'EUR'"
    )


def test_an_unknown_currency_in_russian() -> None:
    use("ru", {})
    assert said(parse_currency, "EUR", "FROM") == (
        "FROM: ожидалось: одно из значений USD, KGS, KZT, TJS, UZS, TMT; получено: 'EUR'"
    )


def test_an_amount_out_of_range_in_russian() -> None:
    use("ru", {})
    assert said(parse_amount, "0") == (
        "AMOUNT: ожидалось: число больше 0 и не больше 10^15; получено: '0'"
    )
