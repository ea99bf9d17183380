"""An alert rule's definition: what a rule says (pair, kind, thresholds, channels), the
vocabulary it is written in, and the fingerprint that identifies a config file's rule by
its content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from ticker.model.pairs import Pair


class AlertKind(StrEnum):
    """What a rule watches: a level, a change between fixings, a move over a window, a
    fixing that does not come, a divergence between sources."""

    ABOVE = "above"
    BELOW = "below"
    CHANGE = "change"
    MOVE = "move"
    STALE = "stale"
    DIVERGENCE = "divergence"


class Channel(StrEnum):
    """Where a firing is delivered."""

    TOAST = "toast"
    BELL = "bell"
    DESKTOP = "desktop"
    COMMAND = "command"
    WEBHOOK = "webhook"


class Direction(StrEnum):
    """Which way a ``change`` or ``move`` rule fires."""

    EITHER = "either"
    UP = "up"
    DOWN = "down"


ALERT_KINDS: tuple[str, ...] = tuple(AlertKind)
ALERT_CHANNELS: tuple[str, ...] = tuple(Channel)
#: The longest label an alert rule may carry.
LABEL_MAX = 80
#: What an alert's command may say about the firing (``{pair}``, ``{rate}``, ...).
HOOK_PLACEHOLDERS: tuple[str, ...] = ("pair", "rate", "rule", "message", "as_of")
DIRECTIONS: tuple[str, ...] = tuple(Direction)


@dataclass(frozen=True, slots=True)
class AlertRuleConfig:
    """One ``[[alerts]]`` entry."""

    pair: Pair
    """The pair in the orientation the user wrote it in."""
    kind: AlertKind
    value: Decimal | None = None
    """The level of an ``above``/``below`` rule, in ``pair``'s orientation."""
    percent: Decimal | None = None
    """The threshold of a ``change``/``move``/``divergence`` rule, in percent."""
    direction: Direction = Direction.EITHER
    """``change``/``move``: ``either``, ``up`` or ``down``."""
    window: timedelta | None = None
    """``move``: the window the move is measured over."""
    days: int | None = None
    """``stale``: business days without a new fixing."""
    cooldown: timedelta = timedelta(hours=1)
    """Minimum time between two firings of this rule."""
    hysteresis: Decimal = Decimal("0.1")
    """Level rules re-arm only once the rate is this many percent back past the level."""
    channels: tuple[Channel, ...] = (Channel.TOAST, Channel.BELL)
    """Where a firing is delivered."""
    command: tuple[str, ...] = ()
    """argv of a hook run (without a shell) on firing."""
    label: str = ""
    """Free text shown with the rule."""


def plain(value: Decimal) -> str:
    """A number's digits without exponent or trailing zeros: ``1E+3`` -> ``1000``."""
    return format(value.normalize(), "f")


def rule_fingerprint(rule: AlertRuleConfig) -> str:
    """The rule's condition (pair, kind, thresholds) as canonical text: a config rule is
    the same rule while these stay the same, whatever its label, channels or cooldown."""
    import json  # a rule's fingerprint: only where rules are compared

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
