"""Alert rules in words: ``#3 KZT/USD above 0.0021 "tenge up"``."""

from __future__ import annotations

from decimal import Decimal

from ticker.config import format_duration
from ticker.model.records import StoredRule
from ticker.model.rules import AlertRuleConfig


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
