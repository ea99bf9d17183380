"""Numbers typed on the command line (``alerts add KZT/USD above 0,5``, ``--hysteresis
0,1``), read as people write them and handed on as config.toml writes them:
:func:`ticker.model.rules.typed_number` (the one reading of a typed number, the
dashboard's forms' too)."""

from __future__ import annotations

from ticker.model.rules import typed_number

__all__ = ["canonical", "canonical_or_none"]

#: ``0,5`` -> ``0.5``, ``10 000`` -> ``10000``; text that is no number as typed; ``1,500``
#: refused where it can be read two ways.
canonical = typed_number


def canonical_or_none(text: str | None, what: str) -> str | None:
    """:func:`canonical`, None kept."""
    return None if text is None else typed_number(text, what)
