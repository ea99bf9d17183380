"""``[[alerts]]``: each rule's table checked by its kind's grammar (:data:`KINDS`), with
one-line errors (see :mod:`ticker.config.reader`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from providers.market_quote import Channel as MarketChannel
from ticker.config.hooks import NO_PROGRAM_WITH_A_RULE, rule_hook
from ticker.config.reader import MISSING, Key, Reader, expected_got
from ticker.config.release_rules import release_fields
from ticker.errors import ConfigError
from ticker.i18n.words import _
from ticker.model.pairs import LOCAL_CURRENCIES, Orientation, Pair, parse_pair
from ticker.model.rules import (
    ALERT_CHANNELS,
    ALERT_KINDS,
    COMMON_KEYS,
    KIND_KEYS,
    KINDS,
    SUBJECT_KEYS,
    AlertKind,
    AlertRuleConfig,
    Channel,
    Direction,
    board_pair,
    rule_fingerprint,
    unwatched,
)

_ALERT_FIELDS: dict[str, Callable[[Reader, object, str], Any]] = {
    "value": lambda r, v, p: r.positive_decimal(v, p),
    "percent": lambda r, v, p: r.positive_decimal(v, p, Decimal(1000)),
    "market_channel": lambda r, v, p: _market_channel(r, v, p),
    "window": lambda r, v, p: r.duration(v, p, timedelta(days=1), timedelta(days=3660)),
    "days": lambda r, v, p: r.integer(v, p, 1, 366),
    "cooldown": lambda r, v, p: r.duration(v, p, timedelta(0), timedelta(days=30)),
    "hysteresis": lambda r, v, p: r.decimal(v, p, Decimal(0), Decimal(100)),
    "label": lambda r, v, p: r.label(v, p),
}


def parse_alerts(
    r: Reader,
    data: object,
    orientation: Orientation,
    webhook_url: str = "",
    hooks: Mapping[str, object] | None = None,
    watch: Sequence[Pair] | None = None,
) -> list[AlertRuleConfig]:
    """``[[alerts]]``; ``webhook_url``: ``[webhook] url`` (the ``webhook`` channel needs
    one); ``hooks``: the ``[hooks]`` a rule's ``hook`` must be one of (None: any name);
    ``watch``: ``[pairs] watch``, which a rule's pair other than a dollar one must be
    among (None: any pair)."""
    if not isinstance(data, list):
        r.fail("alerts", _("an array of tables ([[alerts]])"), data)
    rules: list[AlertRuleConfig] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(data):
        rule = _alert(r, entry, f"alerts[{i}]", orientation, webhook_url, hooks, watch)
        first = seen.setdefault(rule_fingerprint(rule), i)
        if first != i:
            said = _("the same condition (pair, kind, thresholds) as {rule}").format(
                rule=f"alerts[{first}]"
            )
            where = f"{r.origin}: alerts[{i}]"
            raise ConfigError(expected_got(where, _("a rule not given before"), said))
        rules.append(rule)
    return rules


def _alert(
    r: Reader,
    entry: object,
    path: str,
    orientation: Orientation,
    webhook_url: str,
    hooks: Mapping[str, object] | None,
    watch: Sequence[Pair] | None = None,
) -> AlertRuleConfig:
    if isinstance(entry, dict) and "command" in entry:
        raise ConfigError(
            _('{where}: {refusal} and give the rule hook = "NAME"').format(
                where=f"{r.origin}: {path}.command", refusal=_(NO_PROGRAM_WITH_A_RULE)
            )
        )
    t = r.table(entry, path, (*COMMON_KEYS, *SUBJECT_KEYS, *KIND_KEYS))
    kind = _alert_kind(r, t, path)
    grammar = KINDS[kind]
    market = grammar.side is not None
    pair: Pair | None = None
    if grammar.subject == "pair":
        pair = _alert_pair(r, t, path, orientation, None if market else watch)
    expected = board_pair(pair) if market and pair is not None else None
    if expected is not None:
        r.fail(f"{path}.pair", expected, t["pair"])
    hook = rule_hook(r, t, path, hooks)
    channels = _alert_channels(r, t, path, hook, webhook_url)
    # A release rule's own keys first (its level is any number), then the others.
    fields = release_fields(r, t, path) if grammar.subject == "country" else {}
    for key, parse in _ALERT_FIELDS.items():
        if key in t and key not in fields:
            fields[key] = parse(r, t[key], f"{path}.{key}")
    if "direction" in t and "direction" not in fields:  # the kind's: up/down, above/below
        fields["direction"] = Direction(
            r.choice(t["direction"], f"{path}.direction", grammar.directions)
        )
    if grammar.side is not None:
        fields.setdefault("market_channel", MarketChannel.CASH)
    return AlertRuleConfig(
        pair=pair,
        kind=AlertKind(kind),
        channels=tuple(Channel(c) for c in channels),
        hook=hook,
        **fields,
    )


def _alert_kind(r: Reader, t: dict[str, Any], path: str) -> str:
    """The rule's kind, once its keys are those of that kind (:data:`KINDS`)."""
    if "pair" not in t and "country" not in t:
        r.fail(f"{path}.pair", _("a value (this key is required)"), MISSING)
    if "kind" not in t:
        r.fail(f"{path}.kind", _("a value (this key is required)"), MISSING)
    kind = r.choice(t["kind"], f"{path}.kind", ALERT_KINDS)
    grammar = KINDS[kind]
    subject = grammar.subject  # pair, or a release rule's country in its place
    allowed = (*(k if k != "pair" else subject for k in COMMON_KEYS), *grammar.keys)
    an = kind[0] in "aeiou"  # English's article: "an 'above' rule", "a 'level' rule"
    for key in t:
        if key not in allowed:
            expected = (
                _("one of the keys of an {kind} rule ({keys})")
                if an
                else _("one of the keys of a {kind} rule ({keys})")
            ).format(kind=repr(kind), keys=", ".join(allowed))
            r.fail(f"{path}.{key}", expected, Key(key))
    for key in (subject, *grammar.required):
        if key not in t:
            expected = (
                _("a value (required for an {kind} rule)")
                if an
                else _("a value (required for a {kind} rule)")
            ).format(kind=repr(kind))
            r.fail(f"{path}.{key}", expected, MISSING)
    return kind


def _alert_pair(
    r: Reader, t: dict[str, Any], path: str, orientation: Orientation, watch: Sequence[Pair] | None
) -> Pair:
    pair_text = r.string(t["pair"], f"{path}.pair")
    try:
        pair = parse_pair(pair_text, orientation, any_pair=True)
    except ValueError:
        expected = _("one of {currencies} or a pair like KZT/USD or RUB/TJS").format(
            currencies=", ".join(LOCAL_CURRENCIES)
        )
        r.fail(f"{path}.pair", expected, pair_text)
    missing = None if watch is None else unwatched(pair, watch)
    if missing is not None:
        r.fail(f"{path}.pair", missing, pair_text)
    return pair


def _market_channel(r: Reader, value: object, path: str) -> MarketChannel:
    """A market rule's channel: ``cash``, ``card`` ... (friendly spellings too). Imported
    here: a config without market rules loads no market module."""
    from ticker.model.market_channels import CHANNEL_ORDER, parse_channel

    text = r.string(value, path)
    try:
        return parse_channel(text)
    except ValueError:
        expected = _("one of {options}").format(options=", ".join(c.value for c in CHANNEL_ORDER))
        r.fail(path, expected, text)


def _alert_channels(
    r: Reader, t: dict[str, Any], path: str, hook: str, webhook_url: str
) -> tuple[str, ...]:
    if "channels" not in t:
        return ("toast", "bell", "command") if hook else ("toast", "bell")
    channels = r.unique_list(
        t["channels"], f"{path}.channels", lambda v, p: r.choice(v, p, ALERT_CHANNELS)
    )
    if not channels:
        expected = _("at least one of {options}").format(options=", ".join(ALERT_CHANNELS))
        r.fail(f"{path}.channels", expected, [])
    if "command" in channels and not hook:
        r.fail(f"{path}.hook", _('a hook (the "command" channel needs one)'), MISSING)
    if hook and "command" not in channels:
        expected = _('"command" among the channels (a hook is given; it would never run)')
        r.fail(f"{path}.channels", expected, ", ".join(channels))
    if "webhook" in channels and not webhook_url:
        expected = _('a [webhook] url to post to (the "webhook" channel needs one)')
        r.fail(f"{path}.channels", expected, ", ".join(channels))
    return channels
