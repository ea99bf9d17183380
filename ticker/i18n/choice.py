"""Which locale the user reads and which zone their clock is in: ``[display] language``
when set, else the locale the environment names (:mod:`ticker.i18n.tags`), else English;
``[display] timezone``, else the machine's zone."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from ticker.i18n.tags import from_environment, language_of, normalise

__all__ = ["known_language", "known_zone", "machine_words", "use"]


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
    """English words, Python's numbers and UTC for the while, in this thread or task only:
    for the texts a JSON document or a program's input carries (``health --json``'s
    reasons), the same bytes whatever the user's language, locale and zone."""
    from ticker.i18n.machine import MACHINE

    token = MACHINE.set(True)
    try:
        yield
    finally:
        MACHINE.reset(token)
