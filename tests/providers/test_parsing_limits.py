"""The parsers' limits: what they refuse, and what they must still read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from providers.parsing import DEPTH_CHECKED_FROM, MAX_NUMBER_CHARS, parse_json, parse_xml


def test_a_long_run_of_digits_inside_a_string_is_read() -> None:
    body = b'{"id": "' + b"7" * 500 + b'", "rate": 87.45}'
    assert parse_json(body) == {"id": "7" * 500, "rate": Decimal("87.45")}


@pytest.mark.parametrize("number", [b"9" * (MAX_NUMBER_CHARS + 1), b"1." + b"5" * 100])
def test_a_number_longer_than_the_limit_is_refused(number: bytes) -> None:
    with pytest.raises(ValueError, match=r"digits in JSON \(at most 64\)"):
        parse_json(b'{"id": "' + b"7" * 500 + b'", "rate": ' + number + b"}")


def test_numbers_within_the_limit_stay_exact() -> None:
    assert parse_json(b'{"t": 1779494552, "r": 0.0000539256}') == {
        "t": Decimal(1779494552),
        "r": Decimal("0.0000539256"),
    }


def test_deep_xml_beyond_the_size_where_depth_matters_is_refused() -> None:
    depth = DEPTH_CHECKED_FROM // 7 + 1
    body = b"<ValCurs>" + b"<a>" * depth + b"</a>" * depth + b"</ValCurs>"
    assert len(body) > DEPTH_CHECKED_FROM
    with pytest.raises(ValueError, match="nested more than 32 levels"):
        parse_xml(body, "ValCurs")


def test_a_large_flat_document_is_read() -> None:
    rows = b"".join(
        b'<Record Date="01.03.2026"><Value>63,3058</Value></Record>' for _ in range(3000)
    )
    tree = parse_xml(b"<ValCurs>" + rows + b"</ValCurs>", "ValCurs")
    assert len(tree) == 3000
