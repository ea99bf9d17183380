"""Which locale the user reads: ``[display] language`` when set, else the locale the
environment names (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``: the POSIX order),
else English. ``C`` and ``POSIX`` are English."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC

__all__ = [
    "ENGLISH",
    "from_environment",
    "known_language",
    "known_zone",
    "language_of",
    "machine_words",
    "normalise",
    "use",
]

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


def use(language: str | None, environ: Mapping[str, str], timezone: str = "") -> str:
    """Speak and write numbers by ``language`` (``[display] language``, a locale name),
    else by the environment's locale, and show times in ``timezone`` (``[display]
    timezone``; empty: the machine's zone); returns the locale chosen. Words fall back to
    English for a language ticker has no catalogue for; numbers and dates follow the
    locale's CLDR rules whatever its language."""
    from ticker.i18n.numbers import use_locale
    from ticker.i18n.words import load
    from ticker.i18n.zone import use_zone

    tag = normalise(language) if language else None
    tag = tag or from_environment(environ)
    load(language_of(tag))
    use_locale(tag)
    if timezone:
        from zoneinfo import ZoneInfo

        use_zone(ZoneInfo(timezone))
    else:
        use_zone(None)
    return tag


def known_language(text: str) -> str | None:
    """``text`` as a locale name ticker can use (``ru``, ``ru_KZ``, ``kk``), or None."""
    from ticker.i18n.cldr import TABLE

    tag = normalise(text)
    return tag if tag is not None and language_of(tag) in TABLE else None


def known_zone(text: str) -> bool:
    """``text`` names a time zone of the IANA database (``Asia/Bishkek``, ``UTC``)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not text or text.startswith(("/", ".")) or ".." in text:
        return False
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@contextmanager
def machine_words() -> Iterator[None]:
    """English words, Python's numbers and UTC for the while: for the few texts a JSON
    document carries (``health --json``'s reasons), which are the same bytes whatever the
    user's language, locale and zone. What was in use is back after."""
    from ticker.i18n import numbers, words, zone

    saved = (words._translation, numbers._data, numbers._table, zone._zone)
    words.load(ENGLISH)
    numbers.use_locale(ENGLISH)
    zone.use_zone(UTC)
    try:
        yield
    finally:
        words._translation, numbers._data, numbers._table, zone._zone = saved
