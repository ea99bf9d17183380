"""A yes/no question before something that cannot be undone (deleting an alert rule)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ticker.i18n.words import N_, _


class ConfirmScreen(ModalScreen[bool]):
    """``question`` with Yes / No; ``y`` and Enter on Yes say yes, ``n`` and Escape no."""

    BINDINGS = [
        Binding("y", "dismiss(True)", N_("Yes")),
        Binding("n,escape", "dismiss(False)", N_("No")),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 64; height: auto; border: round $warning;
                               background: $surface; padding: 1 2; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmScreen Button { margin-left: 2; }
    """

    def __init__(self, question: str, yes: str = "") -> None:
        super().__init__()
        self.question = question
        self.yes = yes or _("Yes")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            with Horizontal():
                yield Button(_("No (n)"), id="no")
                yield Button(_("{answer} (y)").format(answer=self.yes), id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe answer is the one Enter gives

    @on(Button.Pressed)
    def answered(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
