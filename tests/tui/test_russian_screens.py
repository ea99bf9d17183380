"""The dashboard in Russian: every screen at 80x24 and 100x30 with no English word left
and nothing cut (Russian words are longer than English ones: the columns must still fit).

Done-when of issue 31: ``[display] language = "ru"`` and ``LANG=ru_RU.UTF-8`` give the
same screens. What may stay Latin is named here, each for a reason: currency codes, pair
names, the sources' identifiers as config.toml writes them, ISO country codes, keys.
The one piece of stored data in English is the seed's last poll error of ``cbt``
("timed out after 20s", written by an English-speaking collector): data, taken out
before the scan."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

import pytest
from textual.app import App

from tests.helpers.dashboard import NOW, settle
from tests.tui.test_alerts_panel import add_rules
from ticker.config import Settings
from ticker.config.sources import PROVIDERS
from ticker.model.indicators import COUNTRIES
from ticker.model.pairs import FOREIGN_CURRENCIES, LOCAL_CURRENCIES
from ticker.tui.app import TickerApp

#: Latin words that are not English: codes and identifiers a Russian screen keeps.
KEPT = {
    *LOCAL_CURRENCIES,
    *FOREIGN_CURRENCIES,
    "USD",
    *PROVIDERS,
    *COUNTRIES,
    *(c[:2] for c in COUNTRIES),
    "UTC",
    "CSV",
    "ID",
    "tab",  # key names as the footer writes them
    "esc",
    "enter",
    "ctrl",
    "shift",
}
#: A Latin word of two letters or more (an English word, or a code to be kept).
LATIN = re.compile(r"[A-Za-z][A-Za-z\-]+")
STORED_ENGLISH = ("timed out after 20s",)


def screen_text(app: App[None]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def english_left(text: str) -> list[str]:
    for data in STORED_ENGLISH:
        text = text.replace(data, "")
    words = set()
    for word in LATIN.findall(text):
        parts = [p for p in word.split("-") if p]
        if all(p in KEPT or p.upper() in KEPT or p.lower() in KEPT for p in parts):
            continue
        words.add(word)
    return sorted(words)


def cut(text: str) -> list[str]:
    """Lines that end a word with Textual's ellipsis inside a number (``12 19…``)."""
    return [line for line in text.splitlines() if re.search(r"\d…", line)]


def russian(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings, display=dataclasses.replace(settings.display, language="ru")
    )


async def _screens(
    app: TickerApp, pilot: object, keys: Iterable[tuple[str, ...]]
) -> dict[str, str]:
    seen: dict[str, str] = {}
    for name, *pressed in keys:
        await settle(pilot)
        seen[name] = screen_text(app)
        if pressed:
            await pilot.press(*pressed)  # type: ignore[attr-defined]
    return seen


#: Each screen, and the keys from it to the next one.
TOUR = (
    ("dashboard", "question_mark"),
    ("help", "escape", "enter"),
    ("detail", "escape", "i"),
    ("indicators", "tab"),
    ("indicators, annual", "escape", "x"),
    ("converter", "escape", "a"),
    ("alert form", "escape", "m"),
    ("market board", "escape", "ctrl+p"),
    ("command palette", "escape", "d"),
    ("delete asks", "escape", "z"),
    ("snooze", "escape", "e"),
    ("export", "escape"),
    ("dashboard again",),
)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_every_screen_in_russian_has_no_english_word_and_nothing_cut(
    seeded: Settings, size: tuple[int, int]
) -> None:
    add_rules(seeded)
    app = TickerApp(russian(seeded), collect=False, now=lambda: NOW, animate=False)
    async with app.run_test(size=size) as pilot:
        seen = await _screens(app, pilot, TOUR)
    left = {name: english_left(text) for name, text in seen.items()}
    assert {name: words for name, words in left.items() if words} == {}
    assert {name: cut(text) for name, text in seen.items() if cut(text)} == {}
    assert "Курс" in seen["dashboard"] or "курс" in seen["dashboard"]


async def test_the_locale_environment_speaks_russian_too(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    app = TickerApp(seeded, collect=False, now=lambda: NOW, animate=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
    assert english_left(text) == []
    assert "0,011435" in text  # KGS/USD (NBKR 87.45), written the Russian way
