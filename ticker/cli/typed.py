"""Numbers typed on the command line, read as people write them and handed on canonical.

A threshold, a level or a band (``alerts add KZT/USD above 0,5``, ``--hysteresis 0,1``)
is read by :func:`ticker.i18n.numbers.read_number` (``10 000``, ``0,5``; ``1,500``
refused where the locale writes a decimal comma, both readings said) and written on the
way Python writes it (``0.5``), so that a rule and config.toml never depend on the
locale. Text that is no number is handed on as typed: the rule's check says what it
expected, as it always has."""

from __future__ import annotations

from ticker.errors import UsageError


def canonical(text: str, what: str) -> str:
    """``text`` as a plain number (``0,5`` -> ``0.5``, ``10 000`` -> ``10000``); as typed
    when it is no number; UsageError when it can be read two ways (``1,500``)."""
    from ticker.i18n.numbers import AmbiguousNumber, NotANumber, read_number

    try:
        value = read_number(text, what)
    except AmbiguousNumber as err:
        raise UsageError(str(err)) from None
    except NotANumber:
        return text
    return format(value, "f")


def canonical_or_none(text: str | None, what: str) -> str | None:
    """:func:`canonical`, None kept."""
    return None if text is None else canonical(text, what)
