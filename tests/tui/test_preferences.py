"""The dashboard remembers the theme chosen with ``t`` until config.toml names another."""

from __future__ import annotations

import dataclasses
import json

from tests.helpers.dashboard import make_app, settle
from ticker.config import Settings
from ticker.core.preferences import preferences_file, remembered_theme


def _with_theme(settings: Settings, theme: str) -> Settings:
    return dataclasses.replace(settings, display=dataclasses.replace(settings.display, theme=theme))


async def test_a_chosen_theme_is_there_at_the_next_start(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        started = app.theme
        assert started == seeded.display.theme
        await pilot.press("t")
        await settle(pilot)
        chosen = app.theme
    assert chosen != started
    assert json.loads(preferences_file().read_text()) == {
        "theme": chosen, "configured": seeded.display.theme,
    }  # fmt: skip
    again = make_app(seeded)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == chosen
    # config.toml names another theme since: its word wins, the choice is forgotten.
    edited = _with_theme(seeded, "nord")
    third = make_app(edited)
    async with third.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert third.theme == "nord"


async def test_starting_alone_writes_nothing(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert not preferences_file().exists()


def test_a_damaged_or_foreign_file_is_no_choice() -> None:
    path = preferences_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    for text in ("{not json", "[1, 2]", '{"theme": 5, "configured": "textual-dark"}',
                 '{"theme": "nord"}', "\udcff"):  # fmt: skip
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        assert remembered_theme("textual-dark") is None
    path.write_text('{"theme": "nord", "configured": "textual-dark"}')
    assert remembered_theme("textual-dark") == "nord"
    assert remembered_theme("gruvbox") is None
