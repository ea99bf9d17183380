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
    "overlay": "chart: overlay every provider / the shown source only",
    "flip": "flip orientation everywhere (KGS/USD ↔ USD/KGS)",
    "add_alert": "add an alert rule",
    "delete_alert": "delete the selected alert rule (asks first)",
    "export": "export the selected pair or everything to CSV",
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
        text = Text("ticker: keys\n\n", style="bold")
        for action, description in DESCRIPTIONS.items():
            key = self.keys.get(action, "?").replace("question_mark", "?")
            text.append(f"{key:>10}  ", style="bold")
            text.append(description + "\n")
        for keys, description in CHART_KEYS:
            text.append(f"{keys:>10}  ", style="bold")
            text.append(description + "\n")
        text.append("\nTab: rates → chart → alerts · ctrl+p: command palette · Escape closes")
        with VerticalScroll():
            yield Static(text)
