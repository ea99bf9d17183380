"""Reading ticker's ``--json`` output as its one rule says (README, "JSON output"):
every rate, change, percentage, amount and indicator value is a string holding the exact
decimal; a JSON number is only ever an integer (ids, counts, years)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

#: A plain decimal: no exponent, no thousands separator, no sign on a zero.
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _no_float(text: str) -> Any:
    raise AssertionError(f"a JSON number with a fraction or an exponent: {text}")


def load(text: str) -> Any:
    """The parsed output; fails on any non-integer JSON number (a float to a reader)."""
    return json.loads(text, parse_float=_no_float)


def number(value: Any) -> Decimal:
    """A decimal field: a string of plain digits, as a Decimal."""
    assert isinstance(value, str), f"expected a decimal string, got {value!r}"
    assert PLAIN_DECIMAL.fullmatch(value), f"not a plain decimal: {value!r}"
    assert not re.fullmatch(r"-0(\.0+)?", value), f"a signed zero: {value!r}"
    return Decimal(value)
