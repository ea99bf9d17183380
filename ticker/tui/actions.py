"""What the dashboard's keys do that needs no drawing of its own: open the forms and
screens, ask the workers, say what happened (the app's own keys redraw: flip, range,
overlay, theme)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import SystemCommand
from textual.screen import Screen

from ticker.display.rules import condition_text, describe_rule
from ticker.tui.lazy import screens
from ticker.tui.messages import AlertDeleted, ConversionDone, ConversionWanted, RuleChanged
from ticker.tui.screens.help import DESCRIPTIONS, HelpScreen
from ticker.tui.widgets.panels import AlertsTable
from ticker.tui.widgets.rates import RatesTable
from ticker.tui.workers import DashboardWorkers

if TYPE_CHECKING:
    from ticker.model.records import StoredRule
    from ticker.tui.screens.forms import ExportRequest


#: The keys that act on the main screen's rates, chart and alerts: they do nothing while
#: another screen (the indicators, a form, the help) is in front of it.
MAIN_SCREEN_ONLY = frozenset(
    {
        "add_alert",
        "delete_alert",
        "edit_alert",
        "toggle_alert",
        "snooze_alert",
        "export",
        "flip",
        "cycle_range",
        "overlay",
        "detail",
        "down",
        "up",
        "convert",
        "indicators",
    }
)


class DashboardActions(DashboardWorkers):
    """The keys that open forms and screens or ask the workers."""

    collect: bool

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_SCREEN_ONLY and len(self.screen_stack) > 1:
            return False  # the screen in front has its own keys (or none for this)
        return super().check_action(action, parameters)

    def action_detail(self) -> None:
        selected = self.query_one(RatesTable).selected
        if selected is not None:
            self.load_detail(selected.local, selected.provider)

    def action_down(self) -> None:
        self.query_one(RatesTable).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(RatesTable).action_cursor_up()

    def action_convert(self) -> None:
        selected = self.query_one(RatesTable).selected
        local = selected.local if selected is not None else "KGS"
        self.push_screen(screens().ConverterScreen("USD", local))

    @on(ConversionWanted)
    def conversion_wanted(self, message: ConversionWanted) -> None:
        self.load_conversion(message.amount, message.source, message.target)

    @on(ConversionDone)
    def conversion_done(self, message: ConversionDone) -> None:
        show = getattr(self.screen, "show_conversion", None)
        if show is not None:
            show(message.request, message.text, message.ok)

    def action_add_alert(self) -> None:
        selected = self.query_one(RatesTable).selected
        pair = str(selected.pair) if selected else ""

        def saved(rule: Any) -> None:
            if rule is not None:
                self.store_rule(rule)
                watcher = (
                    "watched from the next poll"
                    if self.collect
                    else "watched by whichever collector runs ('ticker collect', a dashboard)"
                )
                self.notify(
                    f"Alert stored: {rule.pair} {condition_text(rule)}; {watcher}.",
                    title="Alert",
                )

        url = self.settings.webhook.url
        self.push_screen(screens().AlertForm(pair, self.orientation, webhook_url=url), saved)

    def action_delete_alert(self) -> None:
        selected = self._rule_to_change("delete")
        if selected is None or self._in_config_file(selected, "remove"):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_rule(selected.id)

        question = f"Delete alert {describe_rule(selected)}?\nIts firings stay in the history."
        self.push_screen(screens().ConfirmScreen(question, yes="Delete"), answered)

    def _rule_to_change(self, verb: str) -> StoredRule | None:
        selected = self.query_one(AlertsTable).selected
        if selected is None:
            self.notify(f"No alert rule to {verb}.", severity="warning")
        return selected

    def _in_config_file(self, rule: StoredRule, verb: str) -> bool:
        """A rule from ``[[alerts]]`` is changed in its file: say so (True) and do nothing."""
        if rule.origin != "config":
            return False
        where = rule.config_file or self.settings.path or "config.toml"
        self.notify(
            f"Alert #{rule.id} comes from {where} ([[alerts]]); {verb} it there.",
            title="Alert",
            severity="warning",
        )
        return True

    def action_edit_alert(self) -> None:
        selected = self._rule_to_change("edit")
        if selected is None or self._in_config_file(selected, "edit"):
            return
        forms = screens()

        def saved(rule: Any) -> None:
            if rule is not None:
                done = f"Alert #{selected.id} now: {rule.pair} {condition_text(rule)}"
                self.change_rule(selected.id, "edit", rule, done)

        fields = forms.RuleFields.of(selected.rule)
        title = f"Edit alert #{selected.id}"
        url = self.settings.webhook.url
        self.push_screen(forms.AlertForm("", self.orientation, fields, title, url), saved)

    def action_toggle_alert(self) -> None:
        selected = self._rule_to_change("disable or enable")
        if selected is None:
            return
        enable = not selected.enabled
        done = f"{'Enabled' if enable else 'Disabled'} alert {describe_rule(selected)}"
        self.change_rule(selected.id, "enable", enable, done)

    def action_snooze_alert(self) -> None:
        selected = self._rule_to_change("snooze")
        if selected is None:
            return
        from ticker.display.rules import RuleStanding, rule_status

        now = self.now()
        status = rule_status(selected, now)
        snoozed = status.text if status.standing is RuleStanding.SNOOZED else None

        def picked(length: timedelta | None) -> None:
            if length is None:
                return
            if not length:
                done = f"Alert #{selected.id} is no longer snoozed"
                self.change_rule(selected.id, "snooze", None, done)
                return
            from ticker.display.rules import local_moment

            until = local_moment(self.now() + length, self.now())
            done = f"Snoozed alert {describe_rule(selected)} until {until}"
            self.change_rule(selected.id, "snooze", length, done)

        self.push_screen(screens().SnoozeScreen(describe_rule(selected), snoozed), picked)

    @on(RuleChanged)
    def rule_changed(self, message: RuleChanged) -> None:
        self.notify(message.words, title="Alert")

    @on(AlertDeleted)
    def alert_deleted(self, message: AlertDeleted) -> None:
        if message.removed:
            self.notify(f"Deleted alert #{message.rule_id}", title="Alert")

    def action_export(self) -> None:
        selected = self.query_one(RatesTable).selected
        local = selected.local if selected else None
        today = self.now().date().isoformat()
        name = (
            f"ticker-{selected.pair.base}-{selected.pair.quote}-{today}.csv"
            if selected
            else f"ticker-{today}.csv"
        )
        default = Path.home() / name

        orientation = self.orientation

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.export(request, orientation)

        from ticker.core.export.target import check_target

        self.push_screen(screens().ExportForm(local, default, orientation, check_target), chosen)

    def action_export_indicators(self) -> None:
        """The indicators screen's ``e``: every stored indicator value to CSV."""
        today = self.now().date().isoformat()
        default = Path.home() / f"ticker-indicators-{today}.csv"
        orientation = self.orientation

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.export(request, orientation)

        from ticker.core.export.target import check_target

        form = screens().ExportForm(None, default, orientation, check_target, indicators=True)
        self.push_screen(form, chosen)

    def action_refresh(self) -> None:
        if self.collector is None:
            self.notify(
                "This dashboard does not collect (--no-collect or collector not started); "
                "run `ticker poll` or `ticker collect`.",
                severity="warning",
            )
            self.load_snapshot()
            return
        self.poll_now()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.settings.keys))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, then ours; one entry per title (Textual's "Theme"
        picker and "Quit" stand for ours)."""
        built_in = list(super().get_system_commands(screen))
        yield from built_in
        taken = {command.title.lower() for command in built_in}
        main = screen is self.screen_stack[0]
        for action, description in DESCRIPTIONS.items():
            title = action.replace("_", " ").capitalize()
            if action in ("up", "down") or title.lower() in taken:
                continue
            if action in MAIN_SCREEN_ONLY and not main:
                continue  # it would act on the screen behind
            taken.add(title.lower())
            yield SystemCommand(title, description, lambda action=action: self.run_action(action))
