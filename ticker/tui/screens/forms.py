"""Modal forms: add an alert rule, export to CSV. They validate; the app does the I/O."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from ticker.config.rules import rule_from_entry
from ticker.errors import UsageError
from ticker.model.export import ExportShape
from ticker.model.pairs import Orientation, pair_for
from ticker.model.rules import ALERT_KINDS, AlertRuleConfig

FORM_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 72; height: auto; border: round $accent; background: $surface;
                    padding: 1 2; }}
{name} Input, {name} Select {{ margin-bottom: 1; width: 1fr; }}
{name} Label {{ color: $text-muted; }}
{name} .error {{ color: $error; height: auto; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
"""


def validate_rule(
    pair: str, kind: str, threshold: str, window: str, label: str, orientation: Orientation
) -> AlertRuleConfig:
    """Check a rule exactly as config.toml's [[alerts]] are checked; UsageError if bad."""
    entry: dict[str, object] = {"pair": pair.strip(), "kind": kind}
    if kind in ("above", "below"):
        entry["value"] = threshold.strip()
    elif kind == "stale":
        days = threshold.strip()
        entry["days"] = int(days) if re.fullmatch("[0-9]+", days) else days
    else:
        entry["percent"] = threshold.strip()
    if kind == "move":
        entry["window"] = window.strip()
    if label.strip():
        entry["label"] = label.strip()
    return rule_from_entry(entry, orientation)


#: config.toml keys as the form labels them, for error messages.
_FORM_NAMES = {
    "pair": "Pair",
    "kind": "Kind",
    "value": "Threshold",
    "percent": "Threshold",
    "days": "Threshold",
    "window": "Window",
    "label": "Label",
}


def form_message(message: str) -> str:
    """``value: expected ...`` -> ``Threshold: expected ...`` (the field the user sees)."""
    key, sep, rest = message.partition(": ")
    return f"{_FORM_NAMES[key]}: {rest}" if sep and key in _FORM_NAMES else message


class AlertForm(ModalScreen[AlertRuleConfig | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = FORM_CSS.format(name="AlertForm")

    def __init__(self, pair: str, orientation: Orientation) -> None:
        super().__init__()
        self.default_pair = pair
        self.orientation = orientation

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Add an alert rule", classes="title")
            yield Label("Pair (KZT, KZT/USD or USD/KZT)")
            yield Input(self.default_pair, id="pair", compact=True)
            yield Label("Kind")
            yield Select(
                [(k, k) for k in ALERT_KINDS],
                value="above",
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield Label("Threshold: a level, a percent, or days (for stale)")
            yield Input(placeholder="e.g. 0.0021 or 2", id="threshold", compact=True)
            yield Label("Window, for move (e.g. 7d)")
            yield Input("7d", id="window", compact=True)
            yield Label("Label (optional)")
            yield Input(id="label", compact=True)
            yield Static("", classes="error", id="error")
            with Horizontal():
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save", variant="primary", id="save", compact=True)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        kind = self.query_one("#kind", Select).value
        try:
            rule = validate_rule(
                self.query_one("#pair", Input).value,
                str(kind),
                self.query_one("#threshold", Input).value,
                self.query_one("#window", Input).value,
                self.query_one("#label", Input).value,
                self.orientation,
            )
        except UsageError as err:
            self.query_one("#error", Static).update(form_message(str(err)))
            return
        self.dismiss(rule)


#: The export's forms, as the form offers them.
EXPORT_SHAPES = (
    ("Every source's rates (long)", ExportShape.LONG),
    ("Only the shown source's rate (best)", ExportShape.BEST),
    ("One column per pair (wide)", ExportShape.WIDE),
)


@dataclass(frozen=True, slots=True)
class ExportRequest:
    path: Path
    local: str | None
    """None: every pair."""
    force: bool
    shape: ExportShape = ExportShape.LONG
    """``long``, ``best`` or ``wide``."""
    indicators: bool = False
    """The economic indicators instead of the rates."""


class ExportForm(ModalScreen[ExportRequest | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = (
        FORM_CSS.format(name="ExportForm")
        + """
    ExportForm Switch { margin-bottom: 1; }
    """
    )

    def __init__(
        self,
        local: str | None,
        default_path: Path,
        orientation: Orientation,
        check_target: Callable[[Path, bool], object],
        indicators: bool = False,
    ) -> None:
        """``check_target(path, force)`` raises :class:`UsageError` for a target that
        cannot be written (the app passes the export's own check: the form does no I/O).
        With ``indicators``, the economic indicators (no pair, no form to choose)."""
        super().__init__()
        self.indicators = indicators
        self.local = local
        self.default_path = default_path
        self.orientation = orientation
        self.check_target = check_target

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.indicators:
                title = "Export every stored economic indicator value to CSV"
            elif self.local:
                pair = pair_for(self.local, self.orientation)
                title = f"Export rate history to CSV, as {pair} (f flips it before)"
            else:
                example = pair_for("XXX", self.orientation)
                title = f"Export rate history to CSV, each pair as {example} (f flips it before)"
            yield Static(title, classes="title")
            yield Label("File")
            yield Input(str(self.default_path), id="path", compact=True)
            if not self.indicators:
                only = f"Only the selected pair ({self.local})" if self.local else "Every pair"
                yield Label(only)
                yield Switch(value=self.local is not None, id="only", disabled=self.local is None)
                yield Label("Form")
                yield Select(
                    EXPORT_SHAPES,
                    value=ExportShape.LONG,
                    allow_blank=False,
                    id="shape",
                    compact=True,
                )
            yield Label("Overwrite if the file exists")
            yield Switch(value=False, id="force")
            yield Static("", classes="error", id="error")
            with Horizontal():
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Export", variant="primary", id="export", compact=True)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export")
    @on(Input.Submitted)
    def export(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if not raw or raw == "-":
            self.query_one("#error", Static).update("Give the path of a file to write.")
            return
        path = Path(raw).expanduser()
        force = self.query_one("#force", Switch).value
        only = not self.indicators and self.query_one("#only", Switch).value
        from ticker.errors import UsageError

        try:
            self.check_target(path, force)  # a few stat() calls: answers while it is open
        except UsageError as err:
            message = str(err).replace("use --force to overwrite it", "turn on Overwrite")
            self.query_one("#error", Static).update(message)
            return
        shape = ExportShape.LONG
        if not self.indicators:
            shape = ExportShape(str(self.query_one("#shape", Select).value))
        local = self.local if only else None
        self.dismiss(ExportRequest(path, local, force, shape, self.indicators))
