"""The catalogues are complete and compiled, and the CLDR table is Babel's."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from ticker.i18n import build
from ticker.i18n.cldr import TABLE
from ticker.i18n.locale_data import babel_row


def test_the_cldr_table_is_babels() -> None:
    for tag, row in TABLE.items():
        assert babel_row(tag) == row, tag
    assert set(TABLE) == set(build.TABLE_LOCALES)


def test_every_message_is_translated_and_compiled() -> None:
    pot = build.extract()
    assert len(pot) > 0
    for language in build.languages():
        assert build.problems(language, pot) == []
        shipped = build.LOCALE_DIR / language / "LC_MESSAGES" / "ticker.mo"
        assert shipped.read_bytes() == build.mo_bytes(language), "run make catalogues"


def test_a_translation_that_loses_a_field_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part = tmp_path / "ru"
    part.mkdir()
    (part / "cli.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "{n} rows"\nmsgstr "строк: {count}"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(build, "PO_DIR", tmp_path)
    pot = Catalog()
    pot.add("{n} rows")
    pot.add("untranslated")
    assert build.problems("ru", pot) == [
        "cli.po: '{n} rows': fields ['n'] in English",
        "not translated: 'untranslated'",
    ]


def test_the_lazy_catalogue_says_what_the_standard_library_says() -> None:
    """ticker reads its .mo lazily (:class:`ticker.i18n.words.Catalogue`); every message,
    every plural form at every count and every context reads as ``GNUTranslations`` does."""
    import gettext

    from ticker.i18n.words import Catalogue

    for language in build.languages():
        path = build.LOCALE_DIR / language / "LC_MESSAGES" / "ticker.mo"
        ours = Catalogue(path.read_bytes())
        with path.open("rb") as fp:
            theirs = gettext.GNUTranslations(fp)
        checked = 0
        for message in build.merged(language):
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                one, many = message.id[0], message.id[1]
                for n in (0, 1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111):
                    assert ours.ngettext(one, many, n) == theirs.ngettext(one, many, n)
            elif message.context:
                said = ours.pgettext(message.context, str(message.id))
                assert said == theirs.pgettext(message.context, str(message.id))
            else:
                assert ours.gettext(str(message.id)) == theirs.gettext(str(message.id))
            checked += 1
        assert checked > 1000
        assert ours.gettext("not in the catalogue") == "not in the catalogue"
        assert ours.ngettext("{n} thing", "{n} things", 2) == "{n} things"


def test_each_message_has_one_part() -> None:
    """A message is translated in one place: the part it first appears in (make
    catalogues moves a copy translated alike there)."""
    for language in build.languages():
        holders: dict[tuple[str, str | None], list[str]] = {}
        for name, catalog in build.parts(language).items():
            for message in catalog:
                if message.id:
                    msgid = message.id if isinstance(message.id, str) else message.id[0]
                    holders.setdefault((msgid, message.context), []).append(name)
        assert {k: v for k, v in holders.items() if len(v) > 1} == {}
