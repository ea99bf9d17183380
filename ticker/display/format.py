"""Numbers as people should read them.

Rates are shown by significant digits, never by a fixed count of decimals: the Uzbek
sum in dollars is ``0.000082019``, not ``0.00008``. Changes carry an explicit sign, and
a change of exactly zero is ``0.00%``: never ``-0%``, never ``-0.00%``. A change too
small for two decimals still shows a digit (``-0.0031%``) rather than a signed zero.

Display only: CSV export never goes through here (no thousands separators there).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = ["decimals_for", "format_change", "format_percent", "format_rate"]


def decimals_for(value: Decimal, significant: int, min_decimals: int = 0) -> int:
    """How many decimals show ``significant`` digits of ``value`` (at least ``min_decimals``)."""
    if value == 0:
        return min_decimals
    return max(significant - value.adjusted() - 1, min_decimals)


def _fixed(value: Decimal, decimals: int) -> str:
    """``value`` rounded half-up to ``decimals`` places, with thousands separators."""
    # Enough precision for the integer digits plus the decimals we keep.
    with localcontext(prec=max(value.adjusted(), 0) + decimals + 2):
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format(rounded, ",f")


def format_rate(value: Decimal, significant: int = 5, min_decimals: int = 2) -> str:
    """A rate with at least ``significant`` significant digits.

    Large values keep every integer digit and at least ``min_decimals`` decimals, with
    thousands separators: ``12,050.47``, ``478.77``, ``87.450``, ``0.000082019``.
    """
    if not value.is_finite():
        raise ValueError(f"not a finite rate: {value!r}")
    return _fixed(value, decimals_for(value, significant, min_decimals))


def format_change(delta: Decimal, significant: int = 2) -> str:
    """An absolute change with an explicit sign: ``+0.0000034``, ``-1.2``; zero is ``0``."""
    if not delta.is_finite():
        raise ValueError(f"not a finite change: {delta!r}")
    if delta == 0:
        return "0"
    sign = "+" if delta > 0 else "-"
    return sign + _fixed(abs(delta), decimals_for(abs(delta), significant))


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
