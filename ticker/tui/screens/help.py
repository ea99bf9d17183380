"""The help screen: every key and what it does, as currently mapped."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

DESCRIPTIONS: dict[str, str] = {
    "up": "select the pair above (also ↑)",
    "down": "select the pair below (also ↓)",
    "detail": "pair detail: every source's value, deviations, quarantined values",
    "cycle_range": "chart range: 1M → 3M → 1Y → 5Y → All",
    "cycle_change": "changes over: the previous fixing → 1W → 1M → YTD → 1Y",
    "overlay": "chart: overlay every provider / the shown source only",
    "flip": "flip orientation everywhere (KGS/USD ↔ USD/KGS)",
    "add_alert": "add an alert rule",
    "delete_alert": "delete the selected alert rule (asks first)",
    "edit_alert": "edit the selected alert rule (the form, filled in)",
    "toggle_alert": "disable the selected alert rule, or enable it again",
    "snooze_alert": "snooze the selected alert rule (15 minutes to a week), or end its snooze",
    "export": "export the selected pair or everything to CSV",
    "convert": "convert an amount between the five currencies and USD",
    "refresh": "poll every source now",
    "indicators": "economic indicators of the five countries (Escape returns)",
    "theme": "next theme",
    "help": "this help",
    "quit": "quit",
}

#: The chart's own keys, while it has focus (Tab): not remappable, like the arrows.
CHART_KEYS = (
    ("← → h l", "chart cursor: the date before / after (its value(s) read out)"),
    ("Home End", "chart cursor: the first / the last date of the range"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]
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
            keys.add_row(self.keys.get(action, "?").replace("question_mark", "?"), description)
        for chart_keys, description in CHART_KEYS:
            keys.add_row(chart_keys, description)
        with VerticalScroll():
            yield Static(
                Group(
                    Text("ticker: keys\n", style="bold"),
                    keys,
                    Text(
                        "\nTab: rates → chart → alerts · ctrl+p: command palette · "
                        "↑ ↓ PgUp PgDn scroll this help · Escape closes"
                    ),
                )
            )

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # the arrow keys scroll it
