"""What the dashboard screen's keys do that needs no drawing of its own: open the forms
and screens, ask the app's workers (the screen does no I/O), say what happened (the keys
that redraw: flip in :mod:`ticker.tui.screens.dashboard`, range and overlay in
:mod:`ticker.tui.screens.dashboard_chart`)."""

from __future__ import annotations

from datetime import timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ticker.display.rules import condition_text, describe_rule
from ticker.i18n.words import N_, _
from ticker.i18n.zone import in_zone
from ticker.tui.lazy import screens
from ticker.tui.screens.backfill import BackfillKeys
from ticker.tui.widgets.panels import AlertsTable
from ticker.tui.widgets.rates import RatesTable

if TYPE_CHECKING:
    from ticker.model.records import StoredRule
    from ticker.tui.app import TickerApp


class Verb(Enum):
    """What a key does to the selected rule (its sentences below, one per verb)."""

    DELETE = "delete"
    EDIT = "edit"
    TOGGLE = "toggle"
    SNOOZE = "snooze"


#: Said when the alerts panel has no rule to act on.
NO_RULE = {
    Verb.DELETE: N_("No alert rule to delete."),
    Verb.EDIT: N_("No alert rule to edit."),
    Verb.TOGGLE: N_("No alert rule to disable or enable."),
    Verb.SNOOZE: N_("No alert rule to snooze."),
}
#: Said when the panel was folded away and is opened for the user to pick a rule.
PICK_RULE = {
    Verb.DELETE: N_("Pick the rule to delete here (↑ ↓), then press the key again."),
    Verb.EDIT: N_("Pick the rule to edit here (↑ ↓), then press the key again."),
    Verb.TOGGLE: N_("Pick the rule to disable or enable here (↑ ↓), then press the key again."),
    Verb.SNOOZE: N_("Pick the rule to snooze here (↑ ↓), then press the key again."),
}
#: Said of a rule from ``[[alerts]]``: it is changed in its file.
IN_CONFIG = {
    Verb.DELETE: N_("Alert #{id} comes from {where} ([[alerts]]); remove it there."),
    Verb.EDIT: N_("Alert #{id} comes from {where} ([[alerts]]); edit it there."),
    Verb.TOGGLE: N_("Alert #{id} comes from {where} ([[alerts]]); change it there."),
    Verb.SNOOZE: N_("Alert #{id} comes from {where} ([[alerts]]); change it there."),
}


class DashboardActions(BackfillKeys):
    """The keys that open forms and screens or ask the workers."""

    @property
    def ticker(self) -> TickerApp:
        """The app: its settings, clock, store session and workers."""
        return cast("TickerApp", self.app)

    def action_detail(self) -> None:
        selected = self.query_one(RatesTable).selected
        if selected is not None and not selected.pair.is_usd:
            self.ticker.load_pair_detail(selected)
        elif selected is not None:
            self.ticker.load_detail(selected.local, selected.provider)

    def action_down(self) -> None:
        self.query_one(RatesTable).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(RatesTable).action_cursor_up()

    def action_convert(self) -> None:
        from ticker.model.conversion import watched_currencies

        selected = self.query_one(RatesTable).selected
        source, target = "USD", selected.local if selected is not None else "KGS"
        if selected is not None and not selected.pair.is_usd:
            source, target = selected.pair.base, selected.pair.quote
        known = watched_currencies(self.ticker.settings.pairs.watch)
        self.app.push_screen(screens().ConverterScreen(source, target, currencies=known))

    def _store_refuses(self, what: str) -> bool:
        """On a store this process cannot write: say why ``what`` (a sentence with a
        ``{reason}`` field: ``Cannot add an alert: {reason}.``) cannot be done, in the
        words the writing commands use (True), and do nothing."""
        refused = self.ticker.read_only
        if refused is None:
            return False
        self.notify(
            _(what).format(reason=refused),
            title=_("Read-only store"),
            severity="warning",
            timeout=10,
        )
        return True

    def action_add_alert(self) -> None:
        if self._store_refuses(N_("Cannot add an alert: {reason}.")):
            return
        selected = self.query_one(RatesTable).selected
        pair = str(selected.pair) if selected else ""
        app = self.ticker

        def saved(rule: Any) -> None:
            if rule is not None:
                app.store_rule(rule)  # said once stored, judged against the stored rates

        url = app.settings.webhook.url
        app.push_screen(screens().AlertForm(pair, app.orientation, webhook_url=url), saved)

    def action_delete_alert(self) -> None:
        if self._store_refuses(N_("Cannot delete an alert: {reason}.")):
            return
        selected = self._rule_to_change(Verb.DELETE)
        if selected is None or self._in_config_file(selected, Verb.DELETE):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.ticker.remove_rule(selected.id)

        question = _("Delete alert {rule}?\nIts firings stay in the history.").format(
            rule=describe_rule(selected)
        )
        self.app.push_screen(screens().ConfirmScreen(question, yes=_("Delete")), answered)

    def _rule_to_change(self, verb: Verb) -> StoredRule | None:
        """The rule the alerts panel has selected, when the panel is in sight; on a short
        terminal whose panels are folded away, the panel is opened first (focused) and
        nothing is changed: a key never acts on a rule the user cannot see."""
        table = self.query_one(AlertsTable)
        selected = table.selected
        if selected is None:
            self.notify(_(NO_RULE[verb]), severity="warning")
            return None
        if self.query_one("#body").has_class("-fold") and not table.has_focus:
            table.focus()
            self.notify(_(PICK_RULE[verb]), title=_("Alerts"))
            return None
        return selected

    def _in_config_file(self, rule: StoredRule, verb: Verb) -> bool:
        """A rule from ``[[alerts]]`` is changed in its file: say so (True) and do nothing."""
        if rule.origin != "config":
            return False
        where = rule.config_file or self.ticker.settings.path or "config.toml"
        self.notify(
            _(IN_CONFIG[verb]).format(id=rule.id, where=where),
            title=_("Alert"),
            severity="warning",
        )
        return True

    def action_edit_alert(self) -> None:
        if self._store_refuses(N_("Cannot edit an alert: {reason}.")):
            return
        selected = self._rule_to_change(Verb.EDIT)
        if selected is None or self._in_config_file(selected, Verb.EDIT):
            return
        forms = screens()
        app = self.ticker

        def saved(rule: Any) -> None:
            if rule is not None:
                done = _("Alert #{id} now: {subject} {condition}").format(
                    id=selected.id, subject=rule.subject, condition=condition_text(rule)
                )
                app.change_rule(selected.id, "edit", rule, done)

        fields = forms.RuleFields.of(selected.rule)
        title = _("Edit alert #{id}").format(id=selected.id)
        url = app.settings.webhook.url
        app.push_screen(forms.AlertForm("", app.orientation, fields, title, url), saved)

    def action_toggle_alert(self) -> None:
        if self._store_refuses(N_("Cannot disable or enable an alert: {reason}.")):
            return
        selected = self._rule_to_change(Verb.TOGGLE)
        if selected is None:
            return
        enable = not selected.enabled
        done = (_("Enabled alert {rule}") if enable else _("Disabled alert {rule}")).format(
            rule=describe_rule(selected)
        )
        self.ticker.change_rule(selected.id, "enable", enable, done)

    def action_snooze_alert(self) -> None:
        if self._store_refuses(N_("Cannot snooze an alert: {reason}.")):
            return
        selected = self._rule_to_change(Verb.SNOOZE)
        if selected is None:
            return
        from ticker.display.rules import RuleStanding, rule_status

        app = self.ticker
        status = rule_status(selected, app.now())
        snoozed = status.text if status.standing is RuleStanding.SNOOZED else None

        def picked(length: timedelta | None) -> None:
            if length is None:
                return
            if not length:
                done = _("Alert #{id} is no longer snoozed").format(id=selected.id)
                app.change_rule(selected.id, "snooze", None, done)
                return
            from ticker.display.rules import local_moment

            until = local_moment(app.now() + length, app.now())
            done = _("Snoozed alert {rule} until {moment}").format(
                rule=describe_rule(selected), moment=until
            )
            app.change_rule(selected.id, "snooze", length, done)

        app.push_screen(screens().SnoozeScreen(describe_rule(selected), snoozed), picked)

    def action_export(self) -> None:
        selected = self.query_one(RatesTable).selected
        # A dollar pair is named by its local currency (exported in the orientation shown);
        # any other pair as written (``RUB/TJS``), as ``export --pair`` takes it.
        local = None
        if selected is not None:
            local = selected.local if selected.pair.is_usd else str(selected.pair)
        today = in_zone(self.ticker.now()).date().isoformat()  # the user's day
        name = (
            f"ticker-{selected.pair.base}-{selected.pair.quote}-{today}.csv"
            if selected
            else f"ticker-{today}.csv"
        )
        self.ticker.ask_export(local, Path.home() / name)

    def action_market(self) -> None:
        """The board screen of the selected pair's local currency (the pair's foreign
        currency first where it is one a board quotes, else the dollar)."""
        from ticker.model.pairs import LOCAL_CURRENCIES

        selected = self.query_one(RatesTable).selected
        locals_ = list(self.ticker.settings.display.pairs) or list(LOCAL_CURRENCIES)
        local, foreign = (selected.local, "USD") if selected is not None else (locals_[0], "USD")
        if selected is not None and not selected.pair.is_usd:
            base, quote = selected.pair.base, selected.pair.quote
            local, foreign = (quote, base) if quote in LOCAL_CURRENCIES else (base, quote)
            if foreign in LOCAL_CURRENCIES:  # a cross of two local currencies
                foreign = "USD"
        self.app.push_screen(screens().MarketScreen(local, foreign, locals_))
