"""Textual's command palette with its own words in the user's language: the search
field's placeholder and the line saying nothing matched (the commands themselves are
the app's: :meth:`ticker.tui.app.TickerApp.get_system_commands`)."""

from __future__ import annotations

from typing import Any

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from ticker.i18n.words import _


class TranslatedPalette(CommandPalette):
    def __init__(self, *args: Any, placeholder: str | None = None, **kwargs: Any) -> None:
        super().__init__(
            *args,
            placeholder=placeholder if placeholder is not None else _("Search for commands…"),
            **kwargs,
        )

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, saying "No matches found" in the user's words."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
