"""How core's messages name a source: a central bank by its abbreviation in the user's
language (``NBKR``, ``НБКР``), any other source by its id in capitals (``FRANKFURTER``).
The lowercase provider ids (``nbkr``) are identifiers and never translated."""

from __future__ import annotations

from ticker.i18n.words import N_, _

__all__ = ["BANKS", "source_abbreviation"]

#: The central banks' abbreviations, keyed by provider id.
BANKS = {
    "nbkr": N_("NBKR"),
    "nbk": N_("NBK"),
    "nbt": N_("NBT"),
    "cbu": N_("CBU"),
    "cbt": N_("CBT"),
    "cbr": N_("CBR"),
}


def source_abbreviation(provider: str) -> str:
    """``NBKR`` (``НБКР`` in Russian) for ``nbkr``; ``FRANKFURTER`` for ``frankfurter``."""
    bank = BANKS.get(provider)
    return _(bank) if bank is not None else provider.upper()
