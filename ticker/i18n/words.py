"""Every word a person reads goes through here: gettext, with ticker's catalogues.

``_("text")`` translates at the moment it is called, so a module-level constant is
marked with :func:`N_` (extracted, not translated) and translated where it is shown. A
sentence with values is one message with named fields, ``_("{pair} above {level}")
.format(...)``, never pieces glued together, so that a translation can reorder them.
English is the source language: with no catalogue the text is returned as written."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

from ticker.i18n.machine import MACHINE

__all__ = ["N_", "_", "catalogue_languages", "load", "ngettext", "pgettext"]

DOMAIN = "ticker"
#: Where the compiled catalogues are: ``locale/<language>/LC_MESSAGES/ticker.mo``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


class English:
    """The words as written (English, the source language): what the standard
    library's ``gettext.NullTranslations`` says, without loading ``gettext`` (a status
    bar in English never needs it)."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        return message


_translation: English = English()
_ENGLISH = English()


def _said() -> English:
    """The catalogue in use: English while writing for a machine (:mod:`.machine`)."""
    return _ENGLISH if MACHINE.get() else _translation


def _(message: str) -> str:
    """``message`` in the user's language."""
    return _said().gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for the marker
    """Marks ``message`` for the catalogue without translating it (a constant, said
    later through :func:`_`)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` (Russian has three: 1 минута, 2 минуты, 5 минут)."""
    return _said().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in ``context``: one English word that two languages say apart
    (``pgettext("side", "buy")``)."""
    return _said().pgettext(context, message)


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
        _translation = English()
        return language == "en"
    _translation = Catalogue(path.read_bytes())
    return True


class Catalogue(English):
    """A compiled catalogue (``.mo``) read as the standard library reads one, but lazily:
    loading indexes the original messages' bytes, and a translation is decoded only when
    it is first asked for. A status-bar command in Russian says a dozen of the catalogue's
    1,500 messages; it pays for those (``GNUTranslations`` decodes every one at load)."""

    _MAGIC = 0x950412DE

    def __init__(self, data: bytes) -> None:
        order = "<" if struct.unpack("<I", data[:4])[0] == self._MAGIC else ">"
        magic, _version, count, originals, translations = struct.unpack(order + "5I", data[:20])
        if magic != self._MAGIC:
            raise ValueError("not a compiled gettext catalogue")
        table = struct.unpack(f"{order}{2 * count}I", data[originals : originals + 8 * count])
        self._data = data
        self._translations_at = translations
        self._order = order
        self._index = {
            data[table[2 * i + 1] : table[2 * i + 1] + table[2 * i]]: i for i in range(count)
        }
        self._said: dict[bytes, tuple[str, ...]] = {}
        self._plural: Callable[[int], int] | None = None  # read when a plural is first said

    def _found(self, key: bytes) -> tuple[str, ...] | None:
        """The translation (its plural forms) of the original ``key``; None: none."""
        said = self._said.get(key)
        if said is None:
            at = self._index.get(key)
            if at is None:
                return None
            offset = self._translations_at + 8 * at
            length, start = struct.unpack(self._order + "2I", self._data[offset : offset + 8])
            said = tuple(self._data[start : start + length].decode("utf-8").split("\x00"))
            self._said[key] = said
        return said

    def gettext(self, message: str) -> str:
        found = self._found(message.encode("utf-8"))
        return found[0] if found and found[0] else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._found(f"{msgid1}\x00{msgid2}".encode())
        if not found:
            return msgid1 if n == 1 else msgid2
        if self._plural is None:
            header = self._found(b"")
            self._plural = _plural_of(header[0] if header else "")
        return found[min(self._plural(n), len(found) - 1)]

    def pgettext(self, context: str, message: str) -> str:
        found = self._found(f"{context}\x04{message}".encode())
        return found[0] if found and found[0] else message


def _plural_of(header: str) -> Callable[[int], int]:
    """The plural rule the catalogue's header names (``Plural-Forms: nplurals=3;
    plural=...``), as the standard library compiles it; English's without one."""
    for line in header.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "plural-forms" and "plural=" in value:
            expression = value.split("plural=", 1)[1].split(";", 1)[0]
            from gettext import c2py  # only here: English and most lines need no rule

            rule: Callable[[int], int] = c2py(expression)
            return rule
    return lambda n: int(n != 1)
