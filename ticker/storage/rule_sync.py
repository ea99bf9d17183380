"""How config.toml's ``[[alerts]]`` are matched with the stored rules, without writing:
the write side acts on the plan (:meth:`ticker.storage.alert_store.AlertStore.
sync_config_rules`), the read side only asks whether there is anything to do
(a reader lists config rules as stored only when they are already in step)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from ticker.model.rules import AlertRuleConfig, rule_fingerprint
from ticker.storage.decode import RuleRecord


class SyncPlan(NamedTuple):
    add: list[AlertRuleConfig]
    update: list[tuple[int, dict[str, Any]]]
    """(rule id, the columns to set)."""
    remove: list[int]

    @property
    def empty(self) -> bool:
        return not (self.add or self.update or self.remove)


def rule_attributes(rule: AlertRuleConfig) -> dict[str, Any]:
    """The columns of a rule that are not its condition (updated in place)."""
    return {
        "cooldown_seconds": int(rule.cooldown.total_seconds()),
        "channels": json.dumps(list(rule.channels)),
        "command": json.dumps(rule.hook),
        "label": rule.label,
    }


def plan_sync(
    records: Sequence[RuleRecord], rules: Sequence[AlertRuleConfig], config_file: str
) -> SyncPlan:
    """What makes the stored rules of ``config_file`` exactly ``rules``. ``records``: the
    stored config rules not removed, of this file or of none (``sql.CONFIG_RULES``).

    A rule is found again by its condition (its fingerprint): it keeps its id and state,
    and a changed label, cooldown, channel list or hook is updated in place."""
    add: dict[str, AlertRuleConfig] = {}
    for wanted in rules:
        add.setdefault(rule_fingerprint(wanted), wanted)
    update: list[tuple[int, dict[str, Any]]] = []
    remove: list[int] = []
    for record in records:
        # A row stored before fingerprints existed (schema v1) is fingerprinted here.
        fp = record.fingerprint or rule_fingerprint(record.stored.rule)
        rule: AlertRuleConfig | None = add.pop(fp, None)
        if rule is None:
            if record.config_file == config_file:
                remove.append(record.stored.id)
            continue
        attributes = rule_attributes(rule)
        if attributes != record.attributes or (
            record.config_file != config_file or record.fingerprint != fp
        ):
            update.append(
                (record.stored.id, {**attributes, "config_file": config_file, "fingerprint": fp})
            )
    return SyncPlan(list(add.values()), update, remove)
