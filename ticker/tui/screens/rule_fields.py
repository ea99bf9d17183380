"""What the alert form holds and how it is checked, apart from the widgets: the fields as
typed (:class:`RuleFields`), the rule they make (:func:`validate_rule`, exactly as
config.toml's ``[[alerts]]`` are checked) and the choices each kind offers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from providers.market_quote import Channel as MarketChannel
from providers.monetary_records import SERIES
from providers.records import COUNTRIES, COUNTRY_ALPHA2
from ticker.config.rules import rule_from_entry
from ticker.display.market import channel_word as board_channel_word
from ticker.i18n.numbers import localised
from ticker.i18n.words import N_, _
from ticker.model.monetary import SERIES_NAMES
from ticker.model.pairs import Orientation, Pair
from ticker.model.rules import (
    KINDS,
    MARKET_KINDS,
    RELEASE_KINDS,
    THRESHOLD_KEYS,
    AlertRuleConfig,
    kinds_with,
    threshold_entry,
    typed_number,
)


@dataclass(frozen=True, slots=True)
class RuleFields:
    """What the alert form holds, as typed: every key an ``[[alerts]]`` table has."""

    pair: str
    kind: str
    threshold: str = ""
    """The kind's threshold (a level, a percent, days: :data:`ticker.model.rules.KINDS`)."""
    direction: str = "either"
    window: str = "7d"
    hysteresis: str = "0.1"
    cooldown: str = "1h"
    channels: tuple[str, ...] = ("toast", "bell")
    command: str = ""
    """The hook's argv as a shell would split it (no shell runs it)."""
    label: str = ""
    market_channel: str = MarketChannel.CASH.value
    """A market rule's channel (cash unless chosen; an edited rule keeps its own)."""
    country: str = "KAZ"
    """A release rule's country (ISO3: its select's value)."""
    series: str = "policy-rate"
    """A release rule's series (its code)."""

    @classmethod
    def of(cls, rule: AlertRuleConfig) -> RuleFields:
        """A stored rule's fields, to edit it."""
        from ticker.config import format_duration
        from ticker.model.rules import plain, threshold_text

        return cls(
            rule.subject,
            str(rule.kind),
            threshold_text(rule),
            str(rule.direction),
            format_duration(rule.window) if rule.window is not None else "7d",
            plain(rule.hysteresis),
            format_duration(rule.cooldown),
            tuple(str(c) for c in rule.channels),
            rule.hook,
            rule.label,
            rule.market_channel.value if rule.market_channel is not None else "cash",
            rule.country or "KAZ",
            rule.series or "policy-rate",
        )


def validate_rule(
    fields: RuleFields,
    orientation: Orientation,
    webhook_url: str = "",
    watch: Sequence[Pair] | None = None,
) -> AlertRuleConfig:
    """Check a rule exactly as config.toml's [[alerts]] are checked (``webhook_url``: the
    config's ``[webhook] url``); UsageError if bad. Keys a kind does not use are left out
    (a level rule has no window)."""
    f = fields
    entry: dict[str, object] = {"pair": f.pair.strip(), "kind": f.kind}
    if is_release(f.kind):  # a country's series; the threshold field is its level
        entry = {"country": f.country, "kind": f.kind, "series": f.series}
        entry["direction"] = f.direction
        if f.threshold.strip():  # none: said as missing; one under changed: refused
            entry["value"] = typed_number(f.threshold, _("Level"))
    else:
        key, threshold = threshold_entry(f.kind, typed_number(f.threshold, _("Threshold")))
        entry[key] = threshold
    for key in form_fields(f.kind):
        if key not in ("threshold", *entry):  # a field named as its key: direction, window
            entry[key] = str(getattr(f, key)).strip()
    if "hysteresis" in entry:
        entry["hysteresis"] = typed_number(str(entry["hysteresis"]), _("Hysteresis"))
    entry["cooldown"] = f.cooldown.strip()
    if f.command.strip():  # the name of a hook ([hooks.NAME] of the collector's config)
        entry["hook"] = f.command.strip()
    entry["channels"] = list(f.channels)
    if f.label.strip():
        entry["label"] = f.label.strip()
    return rule_from_entry(entry, orientation, webhook_url, watch)


#: config.toml keys as the form labels them, for error messages.
_FORM_NAMES = {
    "pair": N_("Pair"),
    "kind": N_("Kind"),
    **dict.fromkeys(THRESHOLD_KEYS, N_("Threshold")),
    "window": N_("Window"),
    "direction": N_("Direction"),
    "market_channel": N_("Market channel"),
    "hysteresis": N_("Hysteresis"),
    "cooldown": N_("Cooldown"),
    "channels": N_("Channels"),
    "hook": N_("Hook"),
    "label": N_("Label"),
}


def form_message(message: str, kind: str = "") -> str:
    """``value: expected ...`` -> ``Threshold: expected ...`` (the field the user sees:
    ``Level`` for a release rule of ``kind``)."""
    key, sep, rest = message.partition(": ")
    key = key.split("[", 1)[0]  # channels[1]: ...
    names = {**_FORM_NAMES, "value": N_("Level")} if is_release(kind) else _FORM_NAMES
    if not sep or key not in names:
        return message
    return _("{field}: {problem}").format(field=_(names[key]), problem=rest)


#: The fields a kind may use besides the threshold, shown dimmed for a kind without
#: them (the form's fields are named as config.toml's keys). The market channel is not
#: among them: it is shown only for the market kinds (:func:`is_market`).
KIND_FIELDS = ("direction", "window", "hysteresis")
#: The fields a release rule never has, hidden for it (not merely dimmed).
RATE_ONLY_FIELDS = ("window", "hysteresis")


def form_fields(kind: str) -> tuple[str, ...]:
    """The fields ``kind`` uses, the threshold first (the others are shown dimmed and left
    out of the rule)."""
    grammar = KINDS.get(kind)
    if grammar is None:
        return ()
    if is_release(kind):  # the level, in the threshold's field, and when it fires
        return ("threshold", "direction")
    return ("threshold", *(key for key in grammar.keys if key != grammar.threshold))


#: What the threshold field is called for each kind (:attr:`KindGrammar.threshold_words`,
#: marked here to be said in the user's language).
_THRESHOLD_WORDS = {
    "above": N_("Level (in the pair's orientation)"),
    "below": N_("Level (in the pair's orientation)"),
    "change": N_("Percent between two fixings"),
    "move": N_("Percent over the window"),
    "stale": N_("Business days without a fixing"),
    "divergence": N_("Percent off the other sources' median"),
    "market-sell": N_("Price (local per one foreign, as boards)"),
    "market-buy": N_("Price (local per one foreign, as boards)"),
}


def threshold_words(kind: str) -> str:
    if is_release(kind):
        return _("Level (above/below only)")
    grammar = KINDS.get(kind)
    if grammar is None:
        return _("Threshold")
    return _(_THRESHOLD_WORDS.get(kind, grammar.threshold_words))


#: A release level's example in each unit of :data:`providers.monetary_records.SERIES`.
_LEVEL_EXAMPLES = {
    "% a year": N_("e.g. 15 (per cent)"),
    "% y/y": N_("e.g. 10 (per cent)"),
    "% m/m": N_("e.g. 1 (per cent)"),
    "USD m": N_("e.g. 50000 (USD m)"),
    "index": N_("e.g. 110 (an index)"),
}
_LEVEL_EXAMPLE = N_("e.g. 10")


def threshold_placeholder(kind: str, series: str) -> str:
    """The threshold field's example: a release rule's level in its ``series``' unit
    (``e.g. 10 (per cent)``, ``e.g. 50000 (USD m)``), else a rate's level or a percent."""
    if is_release(kind):
        return _(_LEVEL_EXAMPLES.get(SERIES.get(series, ""), _LEVEL_EXAMPLE))
    return _("e.g. {level} or {percent}").format(level=localised("0.0021"), percent=localised("2"))


def is_release(kind: str) -> bool:
    """Whether ``kind`` watches a country's series (the form then shows its country and
    series in the place of the pair, and its threshold field is the level)."""
    return kind in RELEASE_KINDS


#: The countries and the series a release rule may watch, as the form's selects list them.
COUNTRY_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (f"{code} ({COUNTRY_ALPHA2[code]})", code) for code in COUNTRIES
)
SERIES_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (name, code) for code, name in SERIES_NAMES.items()
)
#: The series' names (:data:`ticker.model.monetary.SERIES_NAMES`), marked here.
_SERIES_WORDS = {
    "Policy rate": N_("Policy rate"),
    "Corridor low": N_("Corridor low"),
    "Corridor high": N_("Corridor high"),
    "CPI y/y": N_("CPI y/y"),
    "CPI m/m": N_("CPI m/m"),
    "CPI index": N_("CPI index"),
    "Reserves": N_("Reserves"),
    "Remittances in": N_("Remittances in"),
    "Remittances out": N_("Remittances out"),
}


def country_choices() -> list[tuple[str, str]]:
    """The countries as the form's select lists them (codes: the same in any language)."""
    return list(COUNTRY_CHOICES)


def series_choices() -> list[tuple[str, str]]:
    """The series as the form's select lists them, named in the user's language."""
    return [(_(_SERIES_WORDS.get(name, name)), code) for name, code in SERIES_CHOICES]


#: Each kind of rule as the form's select names it (its value is config.toml's word).
KIND_WORDS = {
    "above": N_("above"),
    "below": N_("below"),
    "change": N_("change"),
    "move": N_("move"),
    "stale": N_("stale"),
    "divergence": N_("divergence"),
    "market-sell": N_("market-sell"),
    "market-buy": N_("market-buy"),
    "release": N_("release"),
}
#: Each direction as the form's select names it.
DIRECTION_WORDS = {
    "either": N_("either"),
    "up": N_("up"),
    "down": N_("down"),
    "above": N_("above"),
    "below": N_("below"),
    "changed": N_("changed"),
}
#: Each delivery channel as the form's checkboxes name it.
CHANNEL_WORDS = {
    "toast": N_("toast"),
    "bell": N_("bell"),
    "desktop": N_("desktop"),
    "command": N_("command"),
    "webhook": N_("webhook"),
    "telegram": N_("telegram"),
}


def kind_word(kind: str) -> str:
    return _(KIND_WORDS.get(kind, kind))


def kind_choices(kinds: Sequence[str]) -> list[tuple[str, str]]:
    return [(kind_word(k), k) for k in kinds]


def channel_word(channel: str) -> str:
    """A delivery channel (``toast``) in the user's language."""
    return _(CHANNEL_WORDS.get(channel, channel))


def used_by(key: str) -> str:
    """``above/below``: the kinds a field is for, as its label says (the market kinds
    as one word: ``above/below/market``)."""
    kinds = [kind_word(k) for k in kinds_with(key) if k not in MARKET_KINDS]
    market = any(k in MARKET_KINDS for k in kinds_with(key))
    return "/".join([*kinds, _("market")] if market else kinds)


def is_market(kind: str) -> bool:
    """Whether ``kind`` watches the boards (the form then shows the market channel)."""
    return kind in MARKET_KINDS


def direction_choices(kind: str) -> list[tuple[str, str]]:
    """The directions a rule of ``kind`` takes (its grammar's; a kind without a direction,
    or one that does not exist, the ``change`` rules' own), as the form's select lists
    them."""
    grammar = KINDS.get(kind)
    values = grammar.directions if grammar is not None else KINDS["change"].directions
    return [(_(DIRECTION_WORDS.get(value, value)), value) for value in values]


def kept_direction(kind: str, direction: str) -> str:
    """``direction`` if a rule of ``kind`` takes it, else the first it takes (``either``
    for a change, ``above`` for a market rule)."""
    values = [value for _, value in direction_choices(kind)]
    return direction if direction in values else values[0]


#: The market channels as the form offers them: the boards' words (``non-cash``), each
#: standing for its config value (``noncash``).
MARKET_CHANNEL_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (board_channel_word(c), c.value) for c in MarketChannel
)


def market_channel_choices() -> list[tuple[str, str]]:
    """The market channels in the user's language (the boards' words)."""
    return [(_(words), value) for words, value in MARKET_CHANNEL_CHOICES]
