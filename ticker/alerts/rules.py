"""An alert rule's definition: checked one way wherever it is written (config.toml, the
command line, the dashboard's form), identified by its content when it comes from the
config file, and described in one line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ticker.config import AlertRuleConfig, format_duration, parse_config
from ticker.errors import ConfigError, UsageError
from ticker.pairs import Orientation

if TYPE_CHECKING:
    from ticker.storage.repository import StoredRule


def rule_from_entry(entry: dict[str, object], orientation: Orientation) -> AlertRuleConfig:
    """Check one rule exactly as a config.toml ``[[alerts]]`` table is checked.

    Raises :class:`UsageError` naming the key (``value: expected ..., got ...``).
    """
    data = {"display": {"orientation": orientation.value}, "alerts": [entry]}
    try:
        return parse_config(data, "rule").alerts[0]
    except ConfigError as err:
        raise UsageError(str(err).removeprefix("rule: alerts[0].")) from None


def rule_fingerprint(rule: AlertRuleConfig) -> str:
    """The rule's whole definition as canonical text: equal rules, equal fingerprints."""
    return json.dumps(
        {
            "pair": str(rule.pair),
            "kind": rule.kind,
            "value": None if rule.value is None else str(rule.value),
            "percent": None if rule.percent is None else str(rule.percent),
            "direction": rule.direction,
            "window": None if rule.window is None else int(rule.window.total_seconds()),
            "days": rule.days,
            "cooldown": int(rule.cooldown.total_seconds()),
            "hysteresis": str(rule.hysteresis),
            "channels": list(rule.channels),
            "command": list(rule.command),
            "label": rule.label,
        },
        sort_keys=True,
    )


def condition_text(rule: AlertRuleConfig) -> str:
    """``above 0.0021``, ``moves 2% up in 7d``, ``stale 3 business days`` ..."""
    direction = "" if rule.direction == "either" else f" {rule.direction}"
    window = format_duration(rule.window) if rule.window is not None else "?"
    return {
        "above": f"above {rule.value}",
        "below": f"below {rule.value}",
        "change": f"changes {rule.percent}%{direction}",
        "move": f"moves {rule.percent}%{direction} in {window}",
        "stale": f"stale {rule.days} business day{'s' if rule.days != 1 else ''}",
        "divergence": f"diverges {rule.percent}%",
    }[rule.kind]


def describe_rule(stored: StoredRule) -> str:
    """``#3 KZT/USD above 0.0021 "tenge up"``"""
    rule = stored.rule
    label = f' "{rule.label}"' if rule.label else ""
    return f"#{stored.id} {rule.pair} {condition_text(rule)}{label}"
