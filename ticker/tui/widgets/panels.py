"""The alerts panel and the provider-health panel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable, Static

from ticker.health import FAILING, OK, UNSTABLE, ProviderHealth
from ticker.storage.repository import StoredRule
from ticker.views import describe_rule, relative


class AlertsTable(DataTable[Text]):
    """Stored alert rules. Evaluation lands with the alerts feature: until then every
    rule is shown as stored, never as watched."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self.rules: list[StoredRule] = []

    def on_mount(self) -> None:
        self.add_column("Alert", key="rule")
        self.add_column("State", key="state")

    def show(self, rules: list[StoredRule]) -> None:
        self.rules = list(rules)
        self.clear()
        if not rules:
            self.add_row(Text("No alert rules; a adds one.", style="dim"), Text(""))
        for stored in rules:
            self.add_row(
                Text(describe_rule(stored)),
                Text("stored · not yet watched", style="dim"),
                key=str(stored.id),
            )

    @property
    def selected(self) -> StoredRule | None:
        if not self.rules or not 0 <= self.cursor_row < len(self.rules):
            return None
        return self.rules[self.cursor_row]


class ProvidersPanel(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.polling: set[str] = set()

    def show(
        self,
        names: list[str],
        health: Mapping[str, ProviderHealth],
        now: datetime,
        colors: dict[str, str],
    ) -> None:
        text = Text("Providers  ", style="bold")
        for i, name in enumerate(names):
            h = health.get(name, ProviderHealth(name))
            if i:
                text.append(" · ")
            if name in self.polling:
                text.append(f"{name} polling…", style=colors["warn"])
            elif h.state == OK:
                text.append(
                    f"{name} ok {relative(h.last_success, now, suffix=False)}", style=colors["ok"]
                )
            elif h.state in (FAILING, UNSTABLE):
                text.append(
                    f"{name} {h.state} ({h.last_error or 'unknown error'})", style=colors["down"]
                )
            else:
                text.append(f"{name} not polled yet", style="dim")
        self.update(text)
