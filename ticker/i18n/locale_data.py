"""What the fast paths need of a locale: its number symbols and month names, from CLDR.

The languages ticker has or is ready for (English, Russian and the region's five) are in
the small table :mod:`ticker.i18n.cldr`, extracted from Babel's CLDR data (``make
catalogues`` writes it; a test checks it against Babel). Any other locale is read from
Babel when first asked for, once per process."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ticker.i18n.tags import ENGLISH, language_of

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

__all__ = ["LocaleData", "data_for"]


class LocaleData(NamedTuple):
    """How one locale writes numbers and dates (from CLDR)."""

    tag: str
    decimal: str
    """The decimal sign: ``.`` in English, ``,`` in Russian."""
    group: str
    """The thousands separator: ``,`` in English, a no-break space in Russian."""
    minus: str
    plus: str
    percent_prefix: str
    percent_suffix: str
    """``%`` in English, a no-break space and ``%`` in Russian (``-0,12 %``)."""
    months: tuple[str, ...]
    """The twelve abbreviated month names as said with a day: ``Dec``, ``дек.``."""
    months_alone: tuple[str, ...]
    """The same standing alone (a month and a year): ``Dec``, ``дек.``; ``мар.`` is
    ``март`` alone."""

    @property
    def plain(self) -> bool:
        """Numbers are written exactly as Python writes them (English)."""
        return (self.decimal, self.group, self.minus, self.plus) == (".", ",", "-", "+") and (
            self.percent_prefix,
            self.percent_suffix,
        ) == ("", "%")


def _from_row(tag: str, row: tuple[str | tuple[str, ...], ...]) -> LocaleData:
    decimal, group, minus, plus, prefix, suffix, months, alone = row
    assert isinstance(months, tuple) and isinstance(alone, tuple)
    assert isinstance(decimal, str) and isinstance(group, str) and isinstance(minus, str)
    assert isinstance(plus, str) and isinstance(prefix, str) and isinstance(suffix, str)
    return LocaleData(tag, decimal, group, minus, plus, prefix, suffix, months, alone)


@cache
def data_for(tag: str) -> LocaleData:
    """The data of locale ``tag`` (``ru_RU``): the table's row for it or its language,
    else Babel's, else English's."""
    from ticker.i18n.cldr import TABLE

    for key in (tag, language_of(tag)):
        if key in TABLE:
            return _from_row(tag, TABLE[key])
    row = babel_row(tag)
    return _from_row(tag, row if row is not None else TABLE[ENGLISH])


def babel_row(tag: str) -> tuple[str | tuple[str, ...], ...] | None:
    """A table row from Babel's CLDR data (None: Babel does not know ``tag``)."""
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # pragma: no cover - a dependency
        return None
    try:
        locale = Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return None
    symbols = locale.number_symbols.get("latn", {})
    pattern = locale.percent_formats[None].pattern.split(";", 1)[0]
    start = min((pattern.index(c) for c in "#0" if c in pattern), default=0)
    end = max((pattern.rindex(c) for c in "#0" if c in pattern), default=len(pattern) - 1)
    percent = symbols.get("percentSign", "%")
    prefix = pattern[:start].replace("%", percent)
    suffix = pattern[end + 1 :].replace("%", percent)
    fmt = locale.months["format"]["abbreviated"]
    alone = locale.months["stand-alone"]["abbreviated"]
    return (
        symbols.get("decimal", "."),
        symbols.get("group", ","),
        symbols.get("minusSign", "-"),
        symbols.get("plusSign", "+"),
        prefix,
        suffix,
        tuple(fmt[m] for m in range(1, 13)),
        tuple(alone[m] for m in range(1, 13)),
    )
