"""Numbers as people should read them: one rule per kind of number, used by every place
that shows one (the rates table, the strip, the chart, the detail screen, the converter,
alert messages, the command line's words) and, for JSON, one exact form.

* **A rate** shows the significant digits of ``[display] significant_digits`` (5 by
  default), never a fixed count of decimals, and at least two decimals: the Uzbek sum in
  dollars is ``0.000082019``, not ``0.00008``; ``478.77``, ``12,050.47``. A trailing zero is
  not a digit: a value with fewer digits of its own is shown with the digits it has, never
  padded (``87.45`` at any number of digits), so equal values read the same whatever their
  source wrote: CBT's ``3.50`` and NBT's ``3.5000`` are both ``3.50`` (:func:`format_rate`).
* **A change of a rate** has the decimals of the rate it is the change of, as shown:
  ``+14.24`` for a ``478.77`` rate, ``+0.000022`` for a ``0.011435`` one; of the rate it
  is from, when that shows more (``87.2766`` to ``87.45`` is ``+0.1734``)
  (:func:`format_change`, :func:`format_rate_change`).
* **A percentage** has two decimals (:func:`format_percent`).

Changes carry an explicit sign, and a change of exactly zero is unsigned (``0.00%``,
``0.00``): never ``-0%``, never ``-0.00%``. A change too small for its decimals still
shows a digit (``-0.0031%``) rather than a signed zero.

* **JSON** carries every number exactly, normalised: every digit the value has and no
  trailing zeros, plain notation, no signed zero (``"0"``, ``"14.24"``,
  ``"0.000082005867..."``; :func:`json_decimal`).

Each text is written with Python's symbols, then in the user's locale
(:func:`ticker.i18n.numbers.localised`: ``12 050,47``, ``-0,12 %`` in Russian): only the
symbols change, never a digit. Display only: CSV export never goes through here (no
thousands separators there), nor does JSON (:func:`json_decimal` is the same everywhere).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from ticker.i18n.numbers import localised

__all__ = [
    "decimals_for",
    "format_change",
    "format_percent",
    "format_rate",
    "format_rate_change",
    "json_decimal",
    "own_decimals",
    "rate_decimals",
]

#: The decimals every rate keeps, however large (``12,050.47``).
RATE_MIN_DECIMALS = 2


def decimals_for(value: Decimal, significant: int, min_decimals: int = 0) -> int:
    """How many decimals show ``significant`` digits of ``value`` (at least ``min_decimals``)."""
    if value == 0:
        return min_decimals
    return max(significant - value.adjusted() - 1, min_decimals)


def rate_decimals(
    value: Decimal, significant: int = 5, min_decimals: int = RATE_MIN_DECIMALS
) -> int:
    """The decimals :func:`format_rate` shows ``value`` with: enough for ``significant``
    digits, at least ``min_decimals``, and no trailing zeros beyond the value's own digits
    (those would be made up)."""
    if not value.is_finite():
        raise ValueError(f"not a finite rate: {value!r}")
    wanted = decimals_for(abs(value), significant, min_decimals)
    return min(wanted, max(own_decimals(value), min_decimals))


def own_decimals(value: Decimal) -> int:
    """The decimals ``value`` has of its own, trailing zeros not counted: ``2`` for
    ``12050.47`` and for NBT's ``3.5000`` (it is 3.5), ``0`` for ``1E+3``."""
    if value.is_zero():
        return 0
    with localcontext(prec=len(value.as_tuple().digits)):  # normalising rounds nothing
        exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite values only
    return max(-exponent, 0)


def _rounded(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places."""
    # Enough precision for the integer digits plus the decimals we keep.
    with localcontext(prec=max(value.adjusted(), 0) + decimals + 2):
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _fixed(value: Decimal, decimals: int) -> str:
    """``value`` rounded half-up to ``decimals`` places, with thousands separators."""
    return format(_rounded(value, decimals), ",f")


def format_rate(value: Decimal, significant: int = 5, min_decimals: int = RATE_MIN_DECIMALS) -> str:
    """A rate with ``significant`` significant digits, or all its own when it has fewer.

    Large values keep every integer digit and at least ``min_decimals`` decimals, with
    thousands separators: ``12,050.47``, ``478.77``, ``87.45``, ``0.000082019``; a long
    value is rounded half-up (``0.0114351234`` -> ``0.011435``), a short one is never
    padded with zeros (``87.45`` stays ``87.45`` at any ``significant``). The text depends
    on the value alone, never on how its source wrote it: CBT's ``3.50`` and NBT's
    ``3.5000`` are both ``3.50``, NBKR's ``87.4500`` is ``87.45``.
    """
    return localised(_fixed(value, rate_decimals(value, significant, min_decimals)))


def format_change(delta: Decimal, decimals: int) -> str:
    """A change of a rate shown with ``decimals`` decimals (the rate's: see
    :func:`rate_decimals`), with an explicit sign: ``+14.24``, ``-0.000022``; zero is
    ``0.00`` (unsigned). A change that would round to zero shows two significant digits
    instead, so its sign is never attached to a zero."""
    return localised(_change(delta, decimals))


def _change(delta: Decimal, decimals: int) -> str:
    """:func:`format_change` with Python's symbols."""
    if not delta.is_finite():
        raise ValueError(f"not a finite change: {delta!r}")
    if delta == 0:
        return _fixed(Decimal(0), decimals)
    magnitude = abs(delta)
    if _rounded(magnitude, decimals) == 0:
        decimals = decimals_for(magnitude, 2)
    sign = "+" if delta > 0 else "-"
    return sign + _fixed(magnitude, decimals)


def format_rate_change(
    delta: Decimal, rate: Decimal, significant: int = 5, before: Decimal | None = None
) -> str:
    """The change ``delta`` of ``rate`` (from ``before``, when known), with the decimals
    ``rate`` is shown with at ``significant`` digits, or ``before``'s when it shows
    more: ``+14.24`` for ``478.77``, ``+0.1734`` from ``87.2766`` to ``87.45``."""
    decimals = rate_decimals(rate, significant)
    if before is not None:
        decimals = max(decimals, rate_decimals(before, significant))
    return format_change(delta, decimals)


def json_decimal(value: Decimal) -> str:
    """A Decimal as JSON carries it: exactly, normalised (every digit it has and no
    trailing zeros), plain notation, never an exponent, never a signed zero
    (``5.5E-5`` -> ``"0.000055"``, ``0E-20`` -> ``"0"``, ``14.240`` -> ``"14.24"``)."""
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    if value.is_zero():
        return "0"
    with localcontext(prec=len(value.as_tuple().digits)):  # normalising rounds nothing
        plain = value.normalize()
    return format(plain, "f")


#: A value's own precision is worth showing from this coarseness on (in percent).
COARSE_PRECISION = Decimal("0.05")


def format_precision(precision: Decimal | None) -> str:
    """``±0.7%`` for a value published with few digits (NBKR's ``0,0073`` som per sum);
    empty for a precise one (or unknown)."""
    if precision is None or precision < COARSE_PRECISION:
        return ""
    return localised(f"±{float(precision):.1g}%")


def format_percent(pct: Decimal, decimals: int = 2) -> str:
    """A percentage change with an explicit sign: ``+0.03%``, ``-0.12%``, ``0.00%``.

    Exactly zero (including ``Decimal("-0")``) is ``0.00%``. A non-zero change that
    would round to zero at ``decimals`` places is shown with two significant digits
    instead, so its sign is never attached to a zero.
    """
    if not pct.is_finite():
        raise ValueError(f"not a finite percentage: {pct!r}")
    return localised(_change(pct, decimals) + "%")
