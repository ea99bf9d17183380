"""Locale names: what ``LANG=ru_RU.UTF-8`` or ``[display] language = "ru-RU"`` names,
read the one way (the POSIX order of the environment's variables: ``LC_ALL``, then
``LC_MESSAGES``, then ``LANG``; ``C`` and ``POSIX`` are English)."""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["ENGLISH", "from_environment", "language_of", "normalise"]

ENGLISH = "en"

#: ``ru``, ``ru_RU``, ``uz_Cyrl_UZ``: a language, an optional script and territory.
_TAG = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|\d{3}))?")


def normalise(text: str) -> str | None:
    """``ru_RU.UTF-8`` -> ``ru_RU``, ``ru-RU`` -> ``ru_RU``, ``RU`` -> ``ru``; ``C`` and
    ``POSIX`` -> ``en``; None for anything that is not a locale name."""
    plain = text.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if plain in ("C", "POSIX", ""):
        return ENGLISH if plain else None
    parts = plain.split("_")
    parts[0] = parts[0].lower()
    if len(parts) > 1 and len(parts[-1]) == 2:
        parts[-1] = parts[-1].upper()
    if len(parts) == 3 or (len(parts) == 2 and len(parts[1]) == 4):
        parts[1] = parts[1].title()
    tag = "_".join(parts)
    return tag if _TAG.fullmatch(tag) else None


def from_environment(environ: Mapping[str, str]) -> str:
    """The locale the environment names, English when it names none."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return normalise(value) or ENGLISH
    return ENGLISH


def language_of(tag: str) -> str:
    """``ru_RU`` -> ``ru``."""
    return tag.split("_", 1)[0]
