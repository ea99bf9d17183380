"""Checks of parsed samples shared by the provider tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from providers.base import Batch, Observation

D = Decimal


def by_quote(batch: Batch) -> dict[str, Observation]:
    result = {o.quote: o for o in batch.observations}
    assert len(result) == len(batch.observations), "one observation per pair"
    return result


def assert_direct(o: Observation, published: str, as_of: date) -> None:
    assert (o.base, o.derived, o.as_of) == ("USD", False, as_of)
    assert format(o.rate, "f") == published  # the published digits, exactly


def assert_cross(
    o: Observation, usd: str, usd_nominal: str, x: str, x_nominal: str, as_of: date
) -> None:
    with localcontext(prec=50):
        expected = (D(usd) / D(usd_nominal)) / (D(x) / D(x_nominal))
        error = abs(o.rate - expected) / expected
    assert (o.base, o.derived, o.as_of) == ("USD", True, as_of)
    assert error < D("1e-17"), (o.quote, o.rate, expected)
    # Crosses keep at least 10 significant digits, unless the quotient is exact (3.5).
    assert o.rate == expected or len(o.rate.as_tuple().digits) >= 10


def assert_nbt_five(
    got: dict[str, Observation], day: date, usd: str, kgs: str, kzt: str, uzs: str, tmt: str
) -> None:
    """NBT's five against the dollar on ``day`` from its published somoni (per dollar, per
    10 som, per 10 tenge, per 100 sum, per manat): the dollar's rate as published, the
    others its crosses."""
    assert_direct(got["TJS"], usd, day)
    assert_cross(got["KGS"], usd, "1", kgs, "10", day)
    assert_cross(got["KZT"], usd, "1", kzt, "10", day)
    assert_cross(got["UZS"], usd, "1", uzs, "100", day)
    assert_cross(got["TMT"], usd, "1", tmt, "1", day)
