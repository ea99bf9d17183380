"""An alert rule written anywhere (the command line, the dashboard's form) is checked
exactly as a config.toml ``[[alerts]]`` table is."""

from __future__ import annotations

from ticker.config import parse_config
from ticker.errors import ConfigError, UsageError
from ticker.model.pairs import Orientation
from ticker.model.rules import AlertRuleConfig


def rule_from_entry(
    entry: dict[str, object], orientation: Orientation, webhook_url: str = ""
) -> AlertRuleConfig:
    """Check one rule exactly as a config.toml ``[[alerts]]`` table is checked, with
    ``webhook_url`` as ``[webhook] url`` (the ``webhook`` channel needs one).

    Raises :class:`UsageError` naming the key (``value: expected ..., got ...``).
    """
    data: dict[str, object] = {"display": {"orientation": orientation.value}, "alerts": [entry]}
    if webhook_url:
        data["webhook"] = {"url": webhook_url}
    try:
        return parse_config(data, "rule", any_hook=True).alerts[0]
    except ConfigError as err:
        raise UsageError(str(err).removeprefix("rule: alerts[0].")) from None
