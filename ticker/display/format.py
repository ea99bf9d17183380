"""Numbers as people should read them.

Rates are shown by significant digits, never by a fixed count of decimals: the Uzbek
sum in dollars is ``0.000082019``, not ``0.00008``. Digits are never made up: a value
with fewer digits of its own than asked for is shown with the digits it has, as the
source published them (``12,050.47`` at 15 significant digits, not
``12,050.4700000000``; NBKR's ``87.4500`` as ``87.4500``), save the two decimals every
rate keeps (``3.50``). Changes carry an explicit sign, and
a change of exactly zero is ``0.00%``: never ``-0%``, never ``-0.00%``. A change too
small for two decimals still shows a digit (``-0.0031%``) rather than a signed zero.

Display only: CSV export never goes through here (no thousands separators there).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "decimals_for",
    "format_change",
    "format_percent",
    "format_rate",
    "own_decimals",
    "shown_decimals",
]


def decimals_for(value: Decimal, significant: int, min_decimals: int = 0) -> int:
    """How many decimals show ``significant`` digits of ``value`` (at least ``min_decimals``)."""
    if value == 0:
        return min_decimals
    return max(significant - value.adjusted() - 1, min_decimals)


def own_decimals(value: Decimal) -> int:
    """The decimals ``value`` has of its own, as published or worked out: ``2`` for
    ``12050.47``, ``4`` for NBKR's ``87.4500``, ``0`` for ``1E+3``."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite values only
    return max(-exponent, 0)


def shown_decimals(value: Decimal, significant: int, min_decimals: int = 0) -> int:
    """The decimals to show: enough for ``significant`` digits, at least ``min_decimals``,
    and no trailing zeros beyond the value's own digits (those would be made up)."""
    wanted = decimals_for(value, significant, min_decimals)
    return min(wanted, max(own_decimals(value), min_decimals))


def _fixed(value: Decimal, decimals: int) -> str:
    """``value`` rounded half-up to ``decimals`` places, with thousands separators."""
    # Enough precision for the integer digits plus the decimals we keep.
    with localcontext(prec=max(value.adjusted(), 0) + decimals + 2):
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format(rounded, ",f")


def format_rate(value: Decimal, significant: int = 5, min_decimals: int = 2) -> str:
    """A rate with ``significant`` significant digits, or all its own when it has fewer.

    Large values keep every integer digit and at least ``min_decimals`` decimals, with
    thousands separators: ``12,050.47``, ``478.77``, ``87.45``, ``0.000082019``; a long
    value is rounded half-up (``0.0114351234`` -> ``0.011435``), a short one is never
    padded with zeros (``87.45`` stays ``87.45`` at any ``significant``, ``87.4500`` is
    ``87.450`` at 5 and ``87.4500`` at 15).
    """
    if not value.is_finite():
        raise ValueError(f"not a finite rate: {value!r}")
    return _fixed(value, shown_decimals(value, significant, min_decimals))


def format_change(delta: Decimal, significant: int = 2) -> str:
    """An absolute change with an explicit sign: ``+0.0000034``, ``-1.2``; zero is ``0``."""
    if not delta.is_finite():
        raise ValueError(f"not a finite change: {delta!r}")
    if delta == 0:
        return "0"
    sign = "+" if delta > 0 else "-"
    return sign + _fixed(abs(delta), shown_decimals(abs(delta), significant))


#: A value's own precision is worth showing from this coarseness on (in percent).
COARSE_PRECISION = Decimal("0.05")


def format_precision(precision: Decimal | None) -> str:
    """``±0.7%`` for a value published with few digits (NBKR's ``0,0073`` som per sum);
    empty for a precise one (or unknown)."""
    if precision is None or precision < COARSE_PRECISION:
        return ""
    return f"±{float(precision):.1g}%"


def format_percent(pct: Decimal, decimals: int = 2) -> str:
    """A percentage change with an explicit sign: ``+0.03%``, ``-0.12%``, ``0.00%``.

    Exactly zero (including ``Decimal("-0")``) is ``0.00%``. A non-zero change that
    would round to zero at ``decimals`` places is shown with two significant digits
    instead, so its sign is never attached to a zero.
    """
    if not pct.is_finite():
        raise ValueError(f"not a finite percentage: {pct!r}")
    if pct == 0:
        return _fixed(Decimal(0), decimals) + "%"
    magnitude = abs(pct)
    places = decimals
    if magnitude.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) == 0:
        places = decimals_for(magnitude, 2)
    sign = "+" if pct > 0 else "-"
    return f"{sign}{_fixed(magnitude, places)}%"
