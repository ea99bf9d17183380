"""How long to snooze an alert rule: a list of lengths (and, for a snoozed rule, an end
to the snooze). The app works out the moment from its clock and stores it."""

from __future__ import annotations

from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ticker.i18n.words import N_, _

#: The lengths offered, as the list says them.
LENGTHS = (
    (N_("for 15 minutes"), timedelta(minutes=15)),
    (N_("for 1 hour"), timedelta(hours=1)),
    (N_("for 4 hours"), timedelta(hours=4)),
    (N_("for 1 day"), timedelta(days=1)),
    (N_("for 1 week"), timedelta(weeks=1)),
)
#: What the screen answers for "end the snooze".
UNSNOOZE = timedelta(0)


class SnoozeScreen(ModalScreen[timedelta | None]):
    """Answers a length (``UNSNOOZE`` to end a snooze), or None when closed."""

    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]
    DEFAULT_CSS = """
    SnoozeScreen { align: center middle; }
    SnoozeScreen > Vertical { width: 64; max-width: 100%; height: auto;
                              border: round $accent; background: $surface; padding: 0 1; }
    SnoozeScreen OptionList { height: auto; margin-top: 1; }
    """

    def __init__(self, rule: str, snoozed: str | None) -> None:
        """``rule`` in words; ``snoozed``: ``snoozed until 14:32`` when it is."""
        super().__init__()
        self.rule = rule
        self.snoozed = snoozed

    def compose(self) -> ComposeResult:
        options = [Option(_(words), id=str(i)) for i, (words, _length) in enumerate(LENGTHS)]
        if self.snoozed:
            options.append(
                Option(_("end the snooze (now {state})").format(state=self.snoozed), id="off")
            )
        with Vertical() as box:
            box.border_title = _("Snooze")
            box.border_subtitle = _("Enter picks · Escape cancels")
            yield Static(_("Snooze {rule}: it fires nothing until then.").format(rule=self.rule))
            yield OptionList(*options)

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.dismiss(UNSNOOZE if chosen == "off" else LENGTHS[int(chosen or 0)][1])
