from __future__ import annotations

from textual.theme import BUILTIN_THEMES

from ticker.config import THEMES


def test_config_themes_are_exactly_textuals_builtin_themes() -> None:
    assert sorted(THEMES) == sorted(BUILTIN_THEMES)
