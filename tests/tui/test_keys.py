"""Every key findable: the footer fitted to the width (``? Help`` always), one word per key
in the footer, the help, the palette and the README, and the palette found by that word."""

from __future__ import annotations

import re

import pytest
from textual.command import CommandPalette
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from tests.helpers.dashboard import make_app, settle
from tests.helpers.paths import REPO
from ticker.config import DEFAULT_KEYS, Settings
from ticker.tui.app import TickerApp
from ticker.tui.keys import DESCRIPTIONS, KEYS, NOT_IN_PALETTE, WORDS, key_text
from ticker.tui.screens.converter import ConverterScreen
from ticker.tui.screens.help import HelpScreen
from ticker.tui.widgets.footer import FooterEntry, fitting

#: What the dashboard's footer shows at 80 columns: the first seven, and Help.
AT_80 = ["Quit", "Alert", "Export", "Flip", "Refresh", "Range", "Indicators", "Help"]


def footer(app: TickerApp) -> list[str]:
    """The words of the footer's keys wholly on the screen, left of the palette's key."""
    keys = list(app.screen.query(FooterKey))
    palette = next(k for k in keys if k.has_class("-command-palette"))
    assert palette.region.right <= app.size.width
    return [
        k.description
        for k in keys
        if k is not palette and k.region.width and k.region.right <= palette.region.x
    ]


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ((80, 24), AT_80),
        ((100, 30), [*AT_80[:-1], "Convert", "Detail", "Help"]),
        ((160, 48), [*AT_80[:-1], "Convert", "Detail", "Market", "Overlay", "Theme", "Help"]),
    ],
)
async def test_the_footer_holds_what_fits_and_always_help(
    seeded: Settings, size: tuple[int, int], shown: list[str]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert footer(app) == shown
        await pilot.press("tab")  # the focus elsewhere (the rates take enter for themselves)
        await settle(pilot)
        assert footer(app) == shown


async def test_the_footer_follows_a_resize(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Convert" in footer(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert footer(app) == AT_80
        await pilot.press("i")  # the indicators screen's own keys first, then the App's
        await settle(pilot)
        assert footer(app) == ["Back", "Export", "Refresh", "Theme", "Help"]


def test_fitting_drops_from_the_end_but_never_help() -> None:
    from textual.binding import Binding

    def entry(key: str, word: str, id: str | None = None) -> FooterEntry:
        return FooterEntry(Binding(key, word.lower(), word, id=id), key, True, "")

    keys = [entry("q", "Quit"), entry("a", "Alert"), entry("?", "Help", "help")]
    assert fitting(keys, 100) == (False, keys)  # " q Quit  a Alert  ? Help " is 25
    assert fitting(keys, 24) == (True, keys)  # "q Quit a Alert ? Help" (and a margin)
    assert fitting(keys, 15) == (True, [keys[0], keys[2]])
    assert fitting(keys, 7) == (True, [keys[2]])


def test_every_key_has_one_word_and_a_description() -> None:
    actions = [action for action, *_ in KEYS]
    assert len(actions) == len(set(actions))
    assert set(DESCRIPTIONS) == set(actions) == set(DEFAULT_KEYS)
    assert {action: key for action, key, *_ in KEYS} == DEFAULT_KEYS
    words = [word for *_, word, _show in KEYS]
    assert len(words) == len(set(words)), words


async def test_the_help_and_the_palette_say_each_key_s_word(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        # One entry per key that is a command, titled with its word, its key first in its
        # line; Textual's theme picker under its own title; not Textual's "Keys" panel.
        words = {WORDS[a] for a in WORDS if a not in NOT_IN_PALETTE}
        assert set(commands) - {"Pick theme", "Screenshot", "Maximize"} == words
        assert "Keys" not in commands
        for action, key in seeded.keys.items():
            if action not in NOT_IN_PALETTE:
                assert commands[WORDS[action]] == f"{key_text(key)} · {DESCRIPTIONS[action]}"
        assert commands["Disable alert"].startswith("p · disable the selected alert rule")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Static).content
        lines = [" ".join(line.split()) for line in _plain(text).splitlines()]
        for action, key in seeded.keys.items():
            row = f"{key_text(key)} {WORDS[action]} {DESCRIPTIONS[action]}"
            assert any(line.startswith(row[:60]) for line in lines), row


def _plain(renderable: object) -> str:
    import io

    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(renderable)
    return out.getvalue()


async def test_the_palette_finds_a_key_by_its_word(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"conv")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConverterScreen)


def test_the_readme_says_each_key_s_word() -> None:
    """The README's key list: one row per key, its word in the second column."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("| key | word | what it does |\n|---|---|---|\n")[1].split("\n\n")[0]
    lines = table.splitlines()
    found = [re.fullmatch(r"\| (.+?) \| ?(.*?) ?\| .+ \|", line) for line in lines]
    rows = [(m[1], m[2]) for m in found if m]
    assert len(rows) == len(lines)
    said = {word: key for key, word in rows if word}
    said.update(dict.fromkeys(("Up", "Down"), said.pop("Up, Down")))
    assert set(said) == set(WORDS.values())
    for action, word in WORDS.items():
        assert f"`{key_text(DEFAULT_KEYS[action])}`" in said[word], (word, said[word])
