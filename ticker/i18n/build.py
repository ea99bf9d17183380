"""The catalogues' and the CLDR table's build (``make catalogues``; never imported by the
program itself).

1. Every message marked in ``ticker/`` (``_``, ``N_``, ``ngettext``, ``pgettext``) is
   extracted with Babel into ``ticker/i18n/po/ticker.pot``.
2. Each language's catalogue is one ``.po`` file per part of the program
   (``po/ru/cli.po``, ``po/ru/tui.po``, ...), so that the parts are translated apart; a
   new message is added, untranslated, to the part it first appears in; a message no
   longer in the program leaves every part.
3. The parts of each language are compiled together into
   ``locale/<language>/LC_MESSAGES/ticker.mo`` (what the program reads), the same bytes
   for the same catalogue.
4. ``cldr.py``, the locale table the fast paths read, is written from Babel's CLDR data.

``python -m ticker.i18n.build --check`` changes nothing and says what is missing or out
of date (the tests run the same checks).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
PO_DIR = HERE / "po"
LOCALE_DIR = HERE / "locale"
DOMAIN = "ticker"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
#: The languages ticker ships or is ready for; a catalogue exists for those translated.
TABLE_LOCALES = ("en", "ru", "kk", "ky", "uz", "tg", "tk")
#: A fixed date in every header: the compiled catalogue depends on the messages alone.
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
_FIELD = re.compile(r"\{([a-z_]*)[^{}]*\}")


def part_of(path: str) -> str:
    """``cli/alerts.py`` -> ``cli``, ``tui/screens/help.py`` -> ``tui_screens``; a module
    of the package's top (``errors.py``) -> ``core``."""
    head, _, rest = path.partition("/")
    if head == "tui" and rest.startswith("screens/"):
        return "tui_screens"
    return head if rest else "core"


def extract() -> Catalog:
    """Every marked message of the program, with where it is."""
    pot = Catalog(project="ticker", domain=DOMAIN, creation_date=STAMP, fuzzy=False)
    method_map = [("i18n/build.py", "ignore"), ("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        pot.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return pot


def _read(path: Path, language: str) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=language, domain=DOMAIN)


def languages() -> list[str]:
    return sorted(p.name for p in PO_DIR.iterdir() if p.is_dir()) if PO_DIR.is_dir() else []


def parts(language: str) -> dict[str, Catalog]:
    return {p.stem: _read(p, language) for p in sorted((PO_DIR / language).glob("*.po"))}


def _texts(value: object) -> tuple[str, ...]:
    """A message's id or string as its forms (one, or a plural's several)."""
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value) if isinstance(value, tuple | list) else ()


def _key(message: Message) -> tuple[str, str | None]:
    return _texts(message.id)[0], message.context


def update(language: str, pot: Catalog) -> dict[str, Catalog]:
    """The language's parts with every message of ``pot`` in one of them."""
    have = parts(language)
    wanted = {_key(m): m for m in pot if m.id}
    for catalog in have.values():
        for message in list(catalog):
            if message.id and _key(message) not in wanted:
                catalog.delete(message.id, message.context)
    _one_owner(have, wanted)
    held = {_key(m) for c in have.values() for m in c if m.id}
    for key, message in wanted.items():
        if key in held:
            continue
        part = part_of(message.locations[0][0]) if message.locations else "core"
        catalog = have.setdefault(part, Catalog(locale=language, domain=DOMAIN))
        catalog.add(message.id, None, message.locations, context=message.context)
    for catalog in have.values():
        for message in catalog:
            if message.id and _key(message) in wanted:
                message.locations = wanted[_key(message)].locations
    return have


def _one_owner(have: dict[str, Catalog], wanted: dict[tuple[str, str | None], Message]) -> None:
    """A message two parts translated alike stays only in the part it first appears in
    (else the first that holds it): one place to change its translation. Copies that say
    it differently are left for a person (:func:`problems` names them)."""
    holders: dict[tuple[str, str | None], list[str]] = {}
    for name, catalog in have.items():
        for message in catalog:
            if message.id:
                holders.setdefault(_key(message), []).append(name)
    for key, names in holders.items():
        if len(names) < 2 or key not in wanted:
            continue
        copies = [have[n].get(key[0], key[1]) for n in names]
        if len({_texts(m.string) if m is not None else () for m in copies}) != 1:
            continue
        locations = wanted[key].locations
        first = part_of(locations[0][0]) if locations else names[0]
        owner = first if first in names else names[0]
        for name in names:
            if name != owner:
                have[name].delete(key[0], key[1])


def _po_bytes(catalog: Catalog) -> bytes:
    catalog.project, catalog.version = "ticker", ""
    catalog.copyright_holder = "ticker's authors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "ticker's authors"
    catalog.creation_date = STAMP
    catalog.revision_date = STAMP
    catalog.fuzzy = False
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_previous=False)
    return out.getvalue()


def merged(language: str) -> Catalog:
    """The language's parts as one catalogue."""
    whole = Catalog(locale=language, domain=DOMAIN, creation_date=STAMP, fuzzy=False)
    whole.revision_date = STAMP
    for catalog in parts(language).values():
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                whole[message.id] = message
    return whole


def mo_bytes(language: str) -> bytes:
    out = io.BytesIO()
    write_mo(out, merged(language), use_fuzzy=False)
    return out.getvalue()


def problems(language: str, pot: Catalog) -> list[str]:
    """What keeps the language's catalogue from being complete and right: a message not
    translated, translated twice differently, or whose translation names other fields
    than the English (a ``{field}`` lost or made up would fail when shown)."""
    found: list[str] = []
    seen: dict[tuple[str, str | None], object] = {}
    for name, catalog in parts(language).items():
        for message in catalog:
            if not message.id:
                continue
            key = _key(message)
            if key in seen and seen[key] != message.string:
                found.append(f"{name}.po: {key[0]!r} translated differently in two parts")
            seen[key] = message.string
            wanted = {f for i in _texts(message.id) for f in _FIELD.findall(i)}
            for s in _texts(message.string):
                if s and set(_FIELD.findall(s)) != wanted:
                    found.append(f"{name}.po: {key[0]!r}: fields {sorted(wanted)} in English")
    for message in pot:
        if message.id and not seen.get(_key(message)):
            found.append(f"not translated: {_key(message)[0]!r}")
    return found


def cldr_source() -> str:
    from babel import __version__

    from ticker.i18n.locale_data import babel_row

    rows = "".join(f"    {tag!r}: {babel_row(tag)!r},\n" for tag in TABLE_LOCALES)
    head = (
        "CLDR data for the locales ticker has or is ready for: generated by ``make catalogues``\n"
        f"from Babel {__version__} (``python -m ticker.i18n.build``); tests/i18n check it."
    )
    fields = "decimal, group, minus, plus, percent prefix, percent suffix, months, months alone"
    return (
        f'"""{head}"""\n\nfrom __future__ import annotations\n\n'
        f"#: locale -> ({fields})\n"
        "TABLE: dict[str, tuple[str | tuple[str, ...], ...]] = {\n" + rows + "}\n"
    )


def _write(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def main(argv: Iterable[str] = ()) -> int:
    check = "--check" in argv
    pot = extract()
    status = 0
    if check:
        for language in languages():
            for problem in problems(language, pot):
                print(f"{language}: {problem}")
                status = 1
            if (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes() != mo_bytes(
                language
            ):
                print(f"{language}: ticker.mo is not compiled from the .po files: make catalogues")
                status = 1
        return status
    _write(PO_DIR / f"{DOMAIN}.pot", _po_bytes(pot))
    for language in languages():
        for name, catalog in update(language, pot).items():
            _write(PO_DIR / language / f"{name}.po", _po_bytes(catalog))
        _write(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo", mo_bytes(language))
        left = problems(language, pot)
        if left:
            print(f"{language}: {len(left)} to do, first: {left[0]}")
    _write(HERE / "cldr.py", cldr_source().encode())
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
