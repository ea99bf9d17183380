"""Numbers in the user's way of writing them, out and in.

Out: every number shown is first written by :mod:`ticker.display.format`'s rules (its
significant digits, its signs) with Python's symbols, then :func:`localised` swaps the
symbols for the locale's: ``12,050.47`` is ``12 050,47`` in Russian, ``-0.12%`` is
``-0,12 %``. Only the symbols change, never a digit.

In: :func:`read_number` reads an amount or a level as people type it: ``10000``,
``10,000``, ``10 000`` (a space, a no-break space or a thin space between groups of
three), ``0.5``, ``0,5``, ``12 194,21``, ``12,194.21``. ``1,500`` is 1500 where the
locale writes a decimal point, and refused as ambiguous where it writes a decimal comma
(the message says both readings); a point is a decimal point (``1.500`` is 1.5) except
where the locale groups with a point, where ``1.500`` is ambiguous in the same way."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING

from ticker.i18n.locale_data import LocaleData, data_for
from ticker.i18n.machine import MACHINE
from ticker.i18n.tags import ENGLISH
from ticker.i18n.words import _

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

__all__ = ["AmbiguousNumber", "NotANumber", "localised", "locale", "read_number", "use_locale"]

_data: LocaleData | None = None
_table: dict[int, str] | None = None  # None: Python's own symbols (English)


def use_locale(tag: str) -> None:
    """Write numbers by locale ``tag`` (``ru_RU``) from now on."""
    global _data, _table
    _data = data_for(tag)
    _table = None if _data.plain else str.maketrans({",": _data.group, ".": _data.decimal})


def locale() -> LocaleData:
    """The locale numbers and dates are written by."""
    global _data
    if MACHINE.get():
        return data_for(ENGLISH)
    if _data is None:
        _data = data_for(ENGLISH)
    return _data


def localised(text: str) -> str:
    """A number Python's way (``-12,050.47``, ``+0.03%``, ``±0.7%``) in the locale's."""
    if _table is None or MACHINE.get():
        return text
    data = locale()
    if text.endswith("%"):
        text = text[:-1]
        sign = text[:1] if text[:1] in ("+", "-", "±") else ""
        body = text[len(sign) :].translate(_table)
        return _signed(sign, data) + data.percent_prefix + body + data.percent_suffix
    sign = text[:1] if text[:1] in ("+", "-") else ""
    return _signed(sign, data) + text[len(sign) :].translate(_table)


def _signed(sign: str, data: LocaleData) -> str:
    return data.minus if sign == "-" else data.plus if sign == "+" else sign


class NotANumber(ValueError):
    """Text that is no number as people write them; the message says what was expected."""


class AmbiguousNumber(NotANumber):
    """``1,500`` where it may be 1.5 or 1500; the message names both readings."""


_SPACES = "\u0020\u00a0\u202f\u2009"


class _Shapes(NamedTuple):
    """The shapes of a typed number, compiled when a number is first read (the commands
    that only write numbers never compile them)."""

    spaced: re.Pattern[str]
    """Digits in groups of three between spaces (``10 000``), then a decimal part."""
    plain: re.Pattern[str]
    """Plain digits, then a decimal part with a point or a comma (``0,5``, ``12.5``)."""
    comma_grouped: re.Pattern[str]
    """Digits grouped by a comma, then a point decimal (``12,194.21``)."""
    point_grouped: re.Pattern[str]
    """Digits grouped by a point, then a comma decimal (``12.194,21``)."""


@cache
def _shapes() -> _Shapes:
    return _Shapes(
        re.compile(rf"(\d{{1,3}}(?:[{_SPACES}]\d{{3}})+)(?:[.,](\d+))?"),
        re.compile(r"(\d+)(?:[.,](\d+))?"),
        re.compile(r"(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?"),
        re.compile(r"(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?"),
    )


#: A longest sensible number as typed (a longer one is a slip).
_LONGEST = 40


def read_number(text: str, what: str) -> Decimal:
    """The number ``text`` is, as people type it (see the module's words); NotANumber
    (AmbiguousNumber for ``1,500`` where it can be read two ways) naming ``what``."""
    plain = text.strip()
    negative = plain[:1] in ("-", "\u2212")
    body = plain[1:] if negative else plain
    if not body or len(body) > _LONGEST or not all(c.isascii() or c in _SPACES for c in body):
        raise NotANumber(_expected(what, text))
    whole, decimals = _digits(body, what, text)
    try:
        value = Decimal(f"{'-' if negative else ''}{whole}.{decimals or '0'}")
    except InvalidOperation:  # pragma: no cover - the patterns admit only digits
        raise NotANumber(_expected(what, text)) from None
    return value if decimals else value.to_integral_value()


def _digits(body: str, what: str, text: str) -> tuple[str, str | None]:
    """The whole digits and the decimal digits (None: none) of ``body``."""
    data = locale()
    shapes = _shapes()
    spaced = shapes.spaced.fullmatch(body)
    if spaced is not None:
        return "".join(c for c in spaced.group(1) if c.isdigit()), spaced.group(2)
    for pattern, sign in ((shapes.comma_grouped, ","), (shapes.point_grouped, ".")):
        found = pattern.fullmatch(body)
        if found is None or body.startswith("0"):  # 0,500: no group starts with a zero
            continue
        whole, decimals = found.group(1), found.group(2)
        if decimals is None and whole.count(sign) == 1:  # 1,500 or 1.500
            if (sign == "," and data.decimal == ",") or (sign == "." and data.group == "."):
                raise AmbiguousNumber(_both(what, text, whole, sign))
            if sign == ".":
                break  # a decimal point where no one groups with one: 1.500 is 1.5
        return whole.replace(sign, ""), decimals
    found = shapes.plain.fullmatch(body)
    if found is None:
        raise NotANumber(_expected(what, text))
    return found.group(1), found.group(2)


def _expected(what: str, text: str) -> str:
    return _("{what}: expected a number like 10000, 10 000, 10,000, 0.5 or 0,5, got {text}").format(
        what=what, text=repr(text)
    )


def _both(what: str, text: str, whole: str, sign: str) -> str:
    """``1,500`` can be 1.5 or 1500: both said, each as it is written unambiguously here
    (the fraction with the locale's decimal sign, the thousands as bare digits)."""
    head, tail = whole.split(sign)
    tail = tail.rstrip("0")
    fraction = head + (locale().decimal + tail if tail else "")
    return _(
        "{what}: {text} can be read as {fraction} or as {thousands}; "
        "write one of those to say which"
    ).format(what=what, text=repr(text), fraction=fraction, thousands=head + whole.split(sign)[1])
