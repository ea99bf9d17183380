from __future__ import annotations

from textual.theme import BUILTIN_THEMES

from ticker.config import THEMES, DisplaySettings


def test_every_configurable_theme_exists_in_textual() -> None:
    # A subset, not equality: a newer Textual may add themes without breaking anything.
    assert set(THEMES) <= set(BUILTIN_THEMES)
    assert DisplaySettings().theme in THEMES
