"""An alert rule's definition: checked one way wherever it is written (config.toml, the
command line, the dashboard's form), identified by its content when it comes from the
config file, and described in one line."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING

from ticker.config import AlertRuleConfig, format_duration, parse_config
from ticker.errors import ConfigError, UsageError
from ticker.model.pairs import Orientation

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


def plain(value: Decimal) -> str:
    """A number's digits without exponent or trailing zeros: ``1E+3`` -> ``1000``."""
    return format(value.normalize(), "f")


def rule_fingerprint(rule: AlertRuleConfig) -> str:
    """The rule's condition (pair, kind, thresholds) as canonical text: a config rule is
    the same rule while these stay the same, whatever its label, channels or cooldown."""
    return json.dumps(
        {
            "pair": str(rule.pair),
            "kind": rule.kind,
            "value": None if rule.value is None else plain(rule.value),
            "percent": None if rule.percent is None else plain(rule.percent),
            "direction": rule.direction,
            "window": None if rule.window is None else int(rule.window.total_seconds()),
            "days": rule.days,
            "hysteresis": plain(rule.hysteresis),
        },
        sort_keys=True,
    )


def number(value: Decimal | None) -> str:
    """A threshold as the user wrote it, never in exponent form (``1E+3`` -> ``1000``)."""
    return "?" if value is None else format(value, "f")


def condition_text(rule: AlertRuleConfig) -> str:
    """``above 0.0021``, ``moves 2% up in 7d``, ``stale 3 business days`` ..."""
    direction = "" if rule.direction == "either" else f" {rule.direction}"
    window = format_duration(rule.window) if rule.window is not None else "?"
    return {
        "above": f"above {number(rule.value)}",
        "below": f"below {number(rule.value)}",
        "change": f"changes {number(rule.percent)}%{direction}",
        "move": f"moves {number(rule.percent)}%{direction} in {window}",
        "stale": f"stale {rule.days} business day{'s' if rule.days != 1 else ''}",
        "divergence": f"diverges {number(rule.percent)}%",
    }[rule.kind]


def describe_rule(stored: StoredRule) -> str:
    """``#3 KZT/USD above 0.0021 "tenge up"``"""
    rule = stored.rule
    label = f' "{rule.label}"' if rule.label else ""
    return f"#{stored.id} {rule.pair} {condition_text(rule)}{label}"
