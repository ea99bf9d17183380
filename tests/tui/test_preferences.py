"""The dashboard remembers the theme chosen with ``t`` and the orientation chosen with ``f``,
each until config.toml names another."""

from __future__ import annotations

import dataclasses
import json

from tests.helpers.dashboard import make_app, rows, settle
from ticker.config import Settings
from ticker.core.preferences import preferences_file, remember, remembered, remembered_theme
from ticker.model.pairs import Orientation


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


async def test_a_flip_is_there_at_the_next_start_with_the_theme(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert rows(app)[0]["Pair"] == "KGS/USD"  # [display] orientation: usd-per
        await pilot.press("t", "f")
        await settle(pilot)
        assert rows(app)[0]["Pair"] == "USD/KGS"
        chosen = app.theme
    assert json.loads(preferences_file().read_text()) == {
        "theme": chosen, "configured": seeded.display.theme,
        "orientation": "per-usd", "orientation_configured": "usd-per",
    }  # fmt: skip
    again = make_app(seeded)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert (rows(again)[0]["Pair"], again.theme) == ("USD/KGS", chosen)
        await pilot.press("f")  # flipped back: remembered too, the theme kept
        await settle(pilot)
    assert remembered("orientation", "usd-per") == "usd-per"
    assert remembered_theme(seeded.display.theme) == chosen
    third = make_app(seeded)
    async with third.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert rows(third)[0]["Pair"] == "KGS/USD"


async def test_with_nothing_remembered_the_config_s_orientation_is_the_start(
    seeded: Settings,
) -> None:
    display = dataclasses.replace(seeded.display, orientation=Orientation.PER_USD)
    app = make_app(dataclasses.replace(seeded, display=display))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert rows(app)[0]["Pair"] == "USD/KGS"
    assert not preferences_file().exists()
    # A flip made under usd-per is not applied once config.toml says per-usd.
    remember("orientation", "usd-per", "usd-per")
    app = make_app(dataclasses.replace(seeded, display=display))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert rows(app)[0]["Pair"] == "USD/KGS"
