"""An alert rule written anywhere (the command line, the dashboard's form) is checked
exactly as a config.toml ``[[alerts]]`` table is."""

from __future__ import annotations

from collections.abc import Sequence

from ticker.config import parse_config
from ticker.config.reader import expected_got, shown
from ticker.errors import ConfigError, UsageError
from ticker.model.pairs import Orientation, Pair
from ticker.model.rules import KINDS, AlertRuleConfig, unwatched


def rule_from_entry(
    entry: dict[str, object],
    orientation: Orientation,
    webhook_url: str = "",
    watch: Sequence[Pair] | None = None,
) -> AlertRuleConfig:
    """Check one rule exactly as a config.toml ``[[alerts]]`` table is checked, with
    ``webhook_url`` as ``[webhook] url`` (the ``webhook`` channel needs one) and
    ``watch`` as ``[pairs] watch`` (None: any pair).

    Raises :class:`UsageError` naming the key (``value: expected ..., got ...``).
    """
    data: dict[str, object] = {"display": {"orientation": orientation.value}, "alerts": [entry]}
    if webhook_url:
        data["webhook"] = {"url": webhook_url}
    try:
        rule = parse_config(data, "rule", any_hook=True).alerts[0]
    except ConfigError as err:
        raise UsageError(str(err).removeprefix("rule: alerts[0].")) from None
    # A market rule's pair is a board's: the boards are polled whatever is watched.
    market = KINDS[rule.kind].side is not None
    pair = rule.pair  # None: a release rule (a country's series, not a pair)
    missing = None if watch is None or market or pair is None else unwatched(pair, watch)
    if missing is not None:
        raise UsageError(expected_got("pair", missing, shown(entry["pair"])))
    return rule
