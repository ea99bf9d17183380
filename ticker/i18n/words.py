"""Every word a person reads goes through here: gettext, with ticker's catalogues.

``_("text")`` translates at the moment it is called, so a module-level constant is
marked with :func:`N_` (extracted, not translated) and translated where it is shown. A
sentence with values is one message with named fields, ``_("{pair} above {level}")
.format(...)``, never pieces glued together, so that a translation can reorder them.
English is the source language: with no catalogue the text is returned as written."""

from __future__ import annotations

import gettext
from pathlib import Path

__all__ = ["N_", "_", "catalogue_languages", "load", "ngettext", "pgettext"]

DOMAIN = "ticker"
#: Where the compiled catalogues are: ``locale/<language>/LC_MESSAGES/ticker.mo``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_translation: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` in the user's language."""
    return _translation.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for the marker
    """Marks ``message`` for the catalogue without translating it (a constant, said
    later through :func:`_`)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` (Russian has three: 1 минута, 2 минуты, 5 минут)."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in ``context``: one English word that two languages say apart
    (``pgettext("side", "buy")``)."""
    return _translation.pgettext(context, message)


def catalogue_languages() -> tuple[str, ...]:
    """The languages ticker has a compiled catalogue for (English needs none)."""
    if not LOCALE_DIR.is_dir():
        return ()
    return tuple(
        sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    )


def load(language: str) -> bool:
    """Speak ``language`` from now on (English: the words as written); False when ticker
    has no catalogue for it (English is spoken then)."""
    global _translation
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if language == "en" or not path.is_file():
        _translation = gettext.NullTranslations()
        return language == "en"
    with path.open("rb") as fp:
        _translation = gettext.GNUTranslations(fp)
    return True
