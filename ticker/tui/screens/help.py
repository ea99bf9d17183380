"""The help screen: every key, its word and what it does, as currently mapped (the words
and descriptions are :mod:`ticker.tui.keys`'s)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ticker.i18n.words import N_, _
from ticker.tui.keys import DESCRIPTIONS, WORDS, key_text

#: The chart's own keys, while it has focus (Tab): not remappable, like the arrows.
CHART_KEYS = (
    ("← → h l", N_("chart cursor: the date before / after (its value(s) read out)")),
    ("Home End", N_("chart cursor: the first / the last date of the range")),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", N_("Close"))]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 76; height: auto; max-height: 90%; border: round $accent;
                            background: $surface; padding: 1 2; }
    """

    def __init__(self, keys: Mapping[str, str]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        from rich.console import Group
        from rich.table import Table

        keys = Table.grid(padding=(0, 2))
        keys.add_column(justify="right", style="bold", no_wrap=True)
        keys.add_column()  # a long description wraps under itself
        for action, description in DESCRIPTIONS.items():
            what = Text.assemble((_(WORDS[action]), "bold"), "  ", _(description))
            keys.add_row(key_text(self.keys.get(action, "?")), what)
        for chart_keys, description in CHART_KEYS:
            keys.add_row(chart_keys, _(description))
        with VerticalScroll():
            yield Static(
                Group(
                    Text(_("ticker: keys") + "\n", style="bold"),
                    keys,
                    Text(
                        "\n"
                        + _(
                            "Tab: rates → chart → alerts · ctrl+p: the command palette (type a "
                            "word above) · ↑ ↓ PgUp PgDn scroll this help · Escape closes"
                        )
                    ),
                )
            )

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # the arrow keys scroll it
