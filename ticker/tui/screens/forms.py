"""Modal forms: add an alert rule, export to CSV. They validate; the app does the I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from ticker.errors import UsageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import N_, _
from ticker.model.export import ExportShape
from ticker.model.pairs import Orientation, pair_for
from ticker.model.rules import ALERT_KINDS, AlertRuleConfig
from ticker.tui.screens.rule_fields import (
    KIND_FIELDS,
    RATE_ONLY_FIELDS,
    RuleFields,
    channel_word,
    country_choices,
    direction_choices,
    form_fields,
    form_message,
    is_market,
    is_release,
    kept_direction,
    kind_choices,
    market_channel_choices,
    series_choices,
    threshold_placeholder,
    threshold_words,
    used_by,
    validate_rule,
)

__all__ = ["AlertForm", "ExportForm", "ExportRequest", "RuleFields", "validate_rule"]


def shown_number(text: str) -> str:
    """A number written the config's way (``0.5``) as the user writes it (``0,5``);
    empty stays empty."""
    return localised(text) if text else text


FORM_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 72; height: auto; border: round $accent; background: $surface;
                    padding: 1 2; }}
{name} Input, {name} Select {{ margin-bottom: 1; width: 1fr; }}
{name} Label {{ color: $text-muted; }}
{name} .error {{ color: $error; height: auto; }}
{name} Horizontal {{ height: auto; align-horizontal: left; }}
"""
"""The buttons sit at the left: a toast (at most half the screen wide, at its right)
never covers them."""


class AlertForm(ModalScreen[AlertRuleConfig | None]):
    """Add a rule, or edit one (``fields`` given): every key ``[[alerts]]`` has."""

    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]
    DEFAULT_CSS = (
        FORM_CSS.format(name="AlertForm")
        + """
    AlertForm > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 100%;
                                 border: round $accent; background: $surface; padding: 0 1; }
    AlertForm Horizontal.pairs { height: auto; align-horizontal: left; }
    AlertForm Horizontal.pairs > Vertical { width: 1fr; height: auto; margin-right: 1; }
    AlertForm Horizontal.channels { height: auto; align-horizontal: left; margin-bottom: 1; }
    AlertForm Checkbox { width: auto; margin-right: 1; }
    AlertForm .unused { opacity: 50%; }
    AlertForm Input, AlertForm Select { margin-bottom: 0; }
    AlertForm Horizontal.pairs, AlertForm #pair, AlertForm #command { margin-bottom: 1; }
    """
    )

    def __init__(
        self,
        pair: str,
        orientation: Orientation,
        fields: RuleFields | None = None,
        title: str = "",
        webhook_url: str = "",
    ) -> None:
        super().__init__()
        self.webhook_url = webhook_url
        self.fields = fields or RuleFields(pair, "above")
        self.orientation = orientation
        self.title_text = title or _("Add an alert rule")

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll
        from textual.widgets import Checkbox

        from ticker.model.rules import Channel

        f = self.fields

        def field(name: str, label: str, widget: Input | Select[str]) -> Vertical:
            return Vertical(Label(label, id=f"{name}-label"), widget, id=f"{name}-field")

        with VerticalScroll() as box:
            box.border_title = self.title_text
            box.border_subtitle = _("Enter saves · Escape cancels")
            yield Label(_("Pair (KZT, KZT/USD, USD/KZT or a watched RUB/TJS)"), id="pair-label")
            yield Input(f.pair, id="pair", compact=True)
            with Horizontal(classes="pairs", id="release-row"):  # a release rule's, in its place
                yield field(
                    "country",
                    _("Country"),
                    Select(
                        country_choices(),
                        value=f.country,
                        allow_blank=False,
                        id="country",
                        compact=True,
                    ),  # fmt: skip
                )
                yield field(
                    "series",
                    _("Series (a new value fires)"),
                    Select(
                        series_choices(),
                        value=f.series,
                        allow_blank=False,
                        id="series",
                        compact=True,
                    ),  # fmt: skip
                )
            with Horizontal(classes="pairs"):
                yield field(
                    "kind",
                    _("Kind"),
                    Select(
                        kind_choices(ALERT_KINDS),
                        value=f.kind,
                        allow_blank=False,
                        id="kind",
                        compact=True,
                    ),
                )
                yield field(
                    "direction",
                    _("Direction"),
                    Select(
                        direction_choices(f.kind),
                        value=kept_direction(f.kind, f.direction),
                        allow_blank=False,
                        id="direction",
                        compact=True,
                    ),
                )
                yield field(  # shown for a market kind only (a third column: no new row)
                    "market_channel",
                    _("Market channel"),
                    Select(
                        market_channel_choices(),
                        value=f.market_channel,
                        allow_blank=False,
                        id="market_channel",
                        compact=True,
                    ),
                )
            with Horizontal(classes="pairs"):
                yield field(
                    "threshold",
                    threshold_words(f.kind),
                    Input(
                        shown_number(f.threshold),  # canonical (0.0021): the locale's (0,0021)
                        placeholder=threshold_placeholder(f.kind, f.series),
                        id="threshold",
                        compact=True,
                    ),
                )
                yield field(
                    "window",
                    _("Window ({kinds}: 7d, 12h)").format(kinds=used_by("window")),
                    Input(f.window, id="window", compact=True),
                )
            with Horizontal(classes="pairs"):
                yield field(
                    "hysteresis",
                    _("Hysteresis % ({kinds})").format(kinds=used_by("hysteresis")),
                    Input(shown_number(f.hysteresis), id="hysteresis", compact=True),
                )
                yield field(
                    "cooldown",
                    _("Cooldown between firings"),
                    Input(f.cooldown, id="cooldown", compact=True),
                )
            yield Label(_("Channels"))
            with Horizontal(classes="channels"):
                for channel in Channel:
                    yield Checkbox(
                        channel_word(str(channel)),
                        str(channel) in f.channels,
                        id=f"channel-{channel}",
                        compact=True,
                    )
            yield Label(_("Hook (a name: [hooks.NAME] in the collector's config runs on firing)"))
            yield Input(f.command, id="command", compact=True)
            yield Label(_("Label (optional)"))
            yield Input(f.label, id="label", compact=True)
            yield Static("", classes="error", id="error")
            with Horizontal():
                yield Button(_("Cancel"), id="cancel", compact=True)
                yield Button(_("Save"), variant="primary", id="save", compact=True)

    def on_mount(self) -> None:
        self._mark_unused(self.fields.kind)
        # Typing goes where input is needed: the pair when none is given, else the
        # threshold (its text selected, so typing replaces it).
        first = "#pair" if not self.fields.pair.strip() else "#threshold"
        self.query_one(first, Input).focus()

    @on(Select.Changed, "#kind")
    def kind_changed(self, event: Select.Changed) -> None:
        kind = str(event.value)
        self._mark_unused(kind)
        self.query_one("#threshold-label", Label).update(threshold_words(kind))
        # Only the directions the kind takes (above/below for a market kind), the one
        # chosen kept where the new kind takes it too.
        direction = self.query_one("#direction", Select)
        chosen = kept_direction(kind, str(direction.value))
        direction.set_options(direction_choices(kind))
        direction.value = chosen

    def _mark_unused(self, kind: str) -> None:
        used = form_fields(kind)
        for name in ("threshold", *KIND_FIELDS):
            self.query_one(f"#{name}-field").set_class(name not in used, "unused")
        self.query_one("#market_channel-field").display = is_market(kind)
        release = is_release(kind)  # a country and a series in the place of the pair
        for name in ("#pair-label", "#pair"):
            self.query_one(name).display = not release
        self.query_one("#release-row").display = release
        for name in RATE_ONLY_FIELDS:  # a release rule has no window, no hysteresis
            self.query_one(f"#{name}-field").display = not release
        series = str(self.query_one("#series", Select).value)
        self.query_one("#threshold", Input).placeholder = threshold_placeholder(kind, series)

    @on(Select.Changed, "#series")
    def series_changed(self, event: Select.Changed) -> None:
        kind = str(self.query_one("#kind", Select).value)
        self.query_one("#threshold", Input).placeholder = threshold_placeholder(
            kind, str(event.value)
        )

    def current(self) -> RuleFields:
        from textual.widgets import Checkbox

        def text(name: str) -> str:
            return self.query_one(f"#{name}", Input).value

        channels = tuple(
            box.id.removeprefix("channel-") for box in self.query(Checkbox) if box.value and box.id
        )
        return RuleFields(
            text("pair"),
            str(self.query_one("#kind", Select).value),
            text("threshold"),
            str(self.query_one("#direction", Select).value),
            text("window"),
            text("hysteresis"),
            text("cooldown"),
            channels,
            text("command"),
            text("label"),
            str(self.query_one("#market_channel", Select).value),
            str(self.query_one("#country", Select).value),
            str(self.query_one("#series", Select).value),
        )

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        try:
            settings = getattr(self.app, "settings", None)  # a watched pair: [pairs] watch
            watch = settings.pairs.watch if settings is not None else None
            rule = validate_rule(self.current(), self.orientation, self.webhook_url, watch)
        except UsageError as err:
            kind = str(self.query_one("#kind", Select).value)
            self.query_one("#error", Static).update(form_message(str(err), kind))
            return
        self.dismiss(rule)


#: The export's forms, as the form offers them.
EXPORT_SHAPES = (
    (N_("Every source's rates (long)"), ExportShape.LONG),
    (N_("The rate in force each day (best)"), ExportShape.BEST),
    (N_("One column per pair (wide)"), ExportShape.WIDE),
)


@dataclass(frozen=True, slots=True)
class ExportRequest:
    path: Path
    local: str | None
    """A dollar pair's local currency (``KZT``), another pair as written (``RUB/TJS``);
    None: every pair."""
    force: bool
    shape: ExportShape = ExportShape.LONG
    """``long``, ``best`` or ``wide``."""
    indicators: bool = False
    """The economic indicators instead of the rates."""


class ExportForm(ModalScreen[ExportRequest | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]
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
                title = _("Export every stored economic indicator value to CSV")
            elif self.local and "/" in self.local:  # a pair beyond the dollar, as written
                title = _("Export rate history to CSV, as {pair} (f flips it before)").format(
                    pair=self.local
                )
            elif self.local:
                pair = pair_for(self.local, self.orientation)
                title = _("Export rate history to CSV, as {pair} (f flips it before)").format(
                    pair=pair
                )
            else:
                example = pair_for("XXX", self.orientation)
                title = _(
                    "Export rate history to CSV, each pair as {pair} (f flips it before)"
                ).format(pair=example)
            yield Static(title, classes="title")
            yield Label(_("File"))
            yield Input(str(self.default_path), id="path", compact=True)
            if not self.indicators:
                only = (
                    _("Only the selected pair ({pair})").format(pair=self.local)
                    if self.local
                    else _("Every pair")
                )
                yield Label(only)
                yield Switch(value=self.local is not None, id="only", disabled=self.local is None)
                yield Label(_("Form"))
                yield Select(
                    [(_(words), shape) for words, shape in EXPORT_SHAPES],
                    value=ExportShape.LONG,
                    allow_blank=False,
                    id="shape",
                    compact=True,
                )
            yield Label(_("Overwrite if the file exists"))
            yield Switch(value=False, id="force")
            yield Static("", classes="error", id="error")
            with Horizontal():
                yield Button(_("Cancel"), id="cancel", compact=True)
                yield Button(_("Export"), variant="primary", id="export", compact=True)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export")
    @on(Input.Submitted)
    def export(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if not raw or raw == "-":
            self.query_one("#error", Static).update(_("Give the path of a file to write."))
            return
        path = Path(raw).expanduser()
        force = self.query_one("#force", Switch).value
        only = not self.indicators and self.query_one("#only", Switch).value
        from ticker.errors import UsageError

        try:
            self.check_target(path, force)  # a few stat() calls: answers while it is open
        except UsageError as err:
            message = str(err)
            if not force and "--force" in message:  # the command line's word: the form's
                message = _("{path}: already exists; turn on Overwrite").format(path=path)
            self.query_one("#error", Static).update(message)
            return
        shape = ExportShape.LONG
        if not self.indicators:
            shape = ExportShape(str(self.query_one("#shape", Select).value))
        local = self.local if only else None
        self.dismiss(ExportRequest(path, local, force, shape, self.indicators))
