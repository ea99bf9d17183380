"""The alerts panel and the provider-health panel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from ticker.display.rules import RuleStanding, describe_rule, rule_status
from ticker.display.states import HEALTH_SYMBOL
from ticker.display.views import relative
from ticker.model.health import FAILING, OK, UNSTABLE, ProviderHealth
from ticker.tui.widgets.readout import Readout

if TYPE_CHECKING:
    from ticker.model.records import StoredRule


class AlertsTable(DataTable[Text]):
    """Stored alert rules and where each stands: ``armed``; ``cooling down until 14:32``
    after a firing; ``fired 14:02`` until the condition clears and the rule re-arms;
    ``snoozed until 15:00``; ``disabled``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self.rules: list[StoredRule] = []
        self.warn_style = "yellow"
        self._shown: list[tuple[int, str, str]] = []

    def on_mount(self) -> None:
        # State first: on a narrow screen a long rule is cut at the right, never its state.
        self.add_column("State", key="state")
        self.add_column("Alert", key="rule")

    def show(self, rules: list[StoredRule], now: datetime) -> None:
        """Redraw only when what the rows say changed (a rule, or where it stands at
        ``now``: a cooldown ends with the clock); the cursor stays on the same rule."""
        shown = [(r.id, describe_rule(r), rule_status(r, now).text) for r in rules]
        if shown == self._shown and self.row_count:
            self.rules = list(rules)
            return
        keep = self.selected.id if self.selected is not None else None
        self.rules = list(rules)
        self._shown = shown
        self.clear()
        if not rules:
            self.add_row(Text(""), Text("No alerts yet (a adds one)", style="dim"))
        for stored in rules:
            self.add_row(self._state(stored, now), Text(describe_rule(stored)), key=str(stored.id))
        ids = [r.id for r in rules]
        if keep in ids:
            self.move_cursor(row=ids.index(keep))

    def _state(self, stored: StoredRule, now: datetime) -> Text:
        status = rule_status(stored, now)
        style = {
            RuleStanding.DISABLED: "dim",
            RuleStanding.SNOOZED: "dim",
            RuleStanding.COOLING: self.warn_style,
            RuleStanding.FIRED: self.warn_style,
        }.get(status.standing, "")
        return Text(status.text, style=style)

    @property
    def selected(self) -> StoredRule | None:
        if not self.rules or not 0 <= self.cursor_row < len(self.rules):
            return None
        return self.rules[self.cursor_row]


class ProvidersPanel(Readout):
    """One short entry per provider: ``nbk ✓ 3m, next 27m`` or ``cbt ✖ timed out …``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.polling: set[str] = set()

    def show_health(
        self,
        names: list[str],
        health: Mapping[str, ProviderHealth],
        now: datetime,
        colors: dict[str, str],
    ) -> None:
        text = Text()
        for i, name in enumerate(names):
            h = health.get(name, ProviderHealth(name))
            if i:
                text.append(" · ", style="dim")
            if name in self.polling:
                text.append(f"{name} polling…", style=colors["warn"])
            elif h.state == OK:
                age = relative(h.last_success, now, suffix=False)
                text.append(f"{name} {HEALTH_SYMBOL[OK]} {age}", style=colors["ok"])
                if h.next_run is not None and h.next_run > now:
                    text.append(f", next {relative(h.next_run, now, suffix=False)}", style="dim")
            elif h.state in (FAILING, UNSTABLE):
                mark = HEALTH_SYMBOL[h.state]
                text.append(f"{name} {mark} {h.last_error or 'failed'}", style=colors["down"])
            else:
                text.append(f"{name} not polled yet", style="dim")
        self.show(text)  # redrawn only when it changed
