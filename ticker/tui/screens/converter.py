"""The converter: an amount of one currency in another, through each side's official rate
against the dollar. The screen checks what is typed and asks for the conversion with a
message; the app's worker reads the store and the answer comes back to :meth:`show`."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ticker.display.conversion import amount_text
from ticker.errors import UsageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import N_, _
from ticker.model.conversion import CURRENCIES, parse_amount
from ticker.model.pairs import LOCAL_CURRENCIES, is_local
from ticker.tui.messages import ConversionWanted


class ConverterScreen(ModalScreen[None]):
    """Amount, from, to; the result line updates as they change. ``ctrl+r`` swaps the two
    currencies, Escape closes."""

    BINDINGS = [
        Binding("escape", "dismiss", N_("Close")),
        Binding("ctrl+r", "swap", N_("Swap")),
    ]
    DEFAULT_CSS = """
    ConverterScreen { align: center middle; }
    ConverterScreen > Vertical { width: 76; max-width: 100%; height: auto;
                                 border: round $accent; background: $surface; padding: 0 1; }
    ConverterScreen Label { color: $text-muted; }
    ConverterScreen Horizontal { height: auto; }
    ConverterScreen Select { width: 1fr; }
    ConverterScreen #swap { margin: 0 1; min-width: 10; }
    ConverterScreen #result { margin: 1 0; height: auto; text-style: bold; }
    ConverterScreen #result.problem { color: $warning; text-style: none; }
    """

    def __init__(
        self,
        source: str,
        target: str,
        amount: str = "100",
        currencies: Sequence[str] = CURRENCIES,
    ) -> None:
        """``currencies``: those offered (USD and the five, then the watched pairs'
        foreign currencies: :func:`ticker.model.conversion.watched_currencies`)."""
        super().__init__()
        self.currencies = tuple(currencies)
        self.source = source
        self.target = target
        self.amount = amount
        self.asked: tuple[str, str, str] | None = None
        """The request the result line is waiting for (the newest one)."""

    def compose(self) -> ComposeResult:
        options = [(code, code) for code in self.currencies]
        with Vertical() as box:
            box.border_title = _("Convert")
            box.border_subtitle = (
                _("via each side's official USD rate · ctrl+r swaps · Esc")
                if self.currencies == CURRENCIES
                else _("a pair's own official rate, else via USD · ctrl+r swaps · Esc")
            )
            yield Label(_("Amount"))
            yield Input(localised(self.amount), id="amount")
            with Horizontal():
                yield Select(options, value=self.source, allow_blank=False, id="from")
                yield Button(_("⇄ Swap"), id="swap")
                yield Select(options, value=self.target, allow_blank=False, id="to")
            yield Static("", id="result")

    def on_mount(self) -> None:
        self.query_one("#amount", Input).focus()
        self.ask()

    @on(Input.Changed, "#amount")
    @on(Select.Changed)
    def changed(self) -> None:
        self.ask()

    @on(Button.Pressed, "#swap")
    def action_swap(self) -> None:
        source, target = self.query_one("#from", Select), self.query_one("#to", Select)
        source.value, target.value = target.value, source.value  # each change asks again

    def ask(self) -> None:
        source = str(self.query_one("#from", Select).value)
        target = str(self.query_one("#to", Select).value)
        try:
            amount = parse_amount(self.query_one("#amount", Input).value, _("Amount"))
        except UsageError as err:
            self.asked = None
            self._say(str(err), problem=True)
            return
        if source == target:
            self.asked = None
            self._say(
                _("From and To are the same currency ({currency})").format(currency=source),
                problem=True,
            )
            return
        if not (is_local(source) or is_local(target)):
            self.asked = None
            self._say(
                _("From or To must be one of {currencies}").format(
                    currencies=", ".join(LOCAL_CURRENCIES)
                ),
                problem=True,
            )
            return
        request = (amount_text(amount), source, target)
        if request == self.asked:
            return
        self.asked = request
        self._say(_("converting…"), problem=True)
        self.post_message(ConversionWanted(amount, source, target))

    def show_conversion(self, request: tuple[str, str, str], text: str, ok: bool) -> None:
        """The answer to ``request``; an answer to an older request is dropped."""
        if request == self.asked:
            self._say(text, problem=not ok)

    def _say(self, text: str, problem: bool) -> None:
        result = self.query_one("#result", Static)
        result.update(text)
        result.set_class(problem, "problem")
