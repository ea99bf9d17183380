"""An alert rule's definition: what a rule says (pair, kind, thresholds, channels), the
vocabulary it is written in, and the fingerprint that identifies a config file's rule by
its content."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from providers.market_quote import Channel as MarketChannel
from providers.market_quote import Side
from ticker.i18n.words import N_, _, ngettext
from ticker.model.pairs import LOCAL_CURRENCIES, Pair


class AlertKind(StrEnum):
    """What a rule watches: a level, a change between fixings, a move over a window, a
    fixing that does not come, a divergence between sources, or the best market price
    (banks' and exchange offices' boards: :mod:`ticker.model.market`)."""

    ABOVE = "above"
    BELOW = "below"
    CHANGE = "change"
    MOVE = "move"
    STALE = "stale"
    DIVERGENCE = "divergence"
    MARKET_SELL = "market-sell"
    """The best (lowest) current sell of the pair on a channel: what buying the foreign
    currency costs."""
    MARKET_BUY = "market-buy"
    """The best (highest) current buy: what selling the foreign currency gets."""
    RELEASE = "release"
    """A new value of a country's monetary series (a policy-rate decision, a CPI print:
    :mod:`ticker.model.monetary`): every one (``changed``), or one above or below a
    level."""


class Channel(StrEnum):
    """Where a firing is delivered."""

    TOAST = "toast"
    BELL = "bell"
    DESKTOP = "desktop"
    COMMAND = "command"
    WEBHOOK = "webhook"
    TELEGRAM = "telegram"


class Direction(StrEnum):
    """Which way a ``change`` or ``move`` rule fires (``either``, ``up``, ``down``), on
    which side of its level a market or release rule fires (``above``, ``below``), or
    that a release rule fires on every new value (``changed``)."""

    EITHER = "either"
    UP = "up"
    DOWN = "down"
    ABOVE = "above"
    BELOW = "below"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class KindGrammar:
    """How a kind of rule is written (its ``[[alerts]]`` keys) and said (its words)."""

    keys: tuple[str, ...]
    """Its keys besides those every rule has (:data:`COMMON_KEYS`), as config.toml spells
    them (and the dashboard's form names its fields, the threshold apart)."""
    required: tuple[str, ...]
    """Those of :attr:`keys` a rule must give."""
    threshold: str
    """The key the command line's THRESHOLD and the form's Threshold stand for."""
    threshold_words: str
    """What the form says the threshold is (marked for the catalogue: said through
    ``_()`` where it is shown)."""
    phrase: str
    """The condition in words: a template of the rule's keys, filled in by
    :func:`ticker.display.rules.condition_text` (``{direction}`` is empty or `` up``,
    ``{s}`` the plural ending of ``{days}``, ``{market_channel}`` the channel's word).
    Marked for the catalogue (said through ``_()``), but a ``stale`` rule's, whose
    number needs its plural forms: :func:`stale_phrase` says that one."""
    directions: tuple[str, ...] = ("either", "up", "down")
    """The values its ``direction`` may take (when it has that key)."""
    side: Side | None = None
    """A market kind: the side of the boards it watches (None: not a market kind)."""
    subject: str = "pair"
    """The key that says what the rule watches: ``pair`` (a rate), or ``country`` (a
    release rule: a country's series)."""


#: Every kind of rule: its keys, which of them are required and which is the threshold,
#: and its words. Adding a kind is a row here, its reader in
#: :mod:`ticker.core.alerts.evaluate`, and nothing else.
KINDS: Mapping[str, KindGrammar] = {
    AlertKind.ABOVE: KindGrammar(
        ("value", "hysteresis"), ("value",), "value",
        N_("Level (in the pair's orientation)"), N_("above {value}"),
    ),
    AlertKind.BELOW: KindGrammar(
        ("value", "hysteresis"), ("value",), "value",
        N_("Level (in the pair's orientation)"), N_("below {value}"),
    ),
    AlertKind.CHANGE: KindGrammar(
        ("percent", "direction"), ("percent",), "percent",
        N_("Percent between two fixings"), N_("changes {percent}%{direction}"),
    ),
    AlertKind.MOVE: KindGrammar(
        ("percent", "window", "direction"), ("percent", "window"), "percent",
        N_("Percent over the window"), N_("moves {percent}%{direction} in {window}"),
    ),
    AlertKind.STALE: KindGrammar(
        ("days",), ("days",), "days",
        N_("Business days without a fixing"), "stale {days} business day{s}",
    ),
    AlertKind.DIVERGENCE: KindGrammar(
        ("percent",), ("percent",), "percent",
        N_("Percent off the other sources' median"), N_("diverges {percent}%"),
    ),
    AlertKind.MARKET_SELL: KindGrammar(
        ("value", "direction", "market_channel", "hysteresis"), ("value", "direction"), "value",
        N_("Price (local per one foreign, as boards)"),
        N_("best {market_channel} sell{direction} {value}"),
        ("above", "below"), Side.SELL,
    ),
    AlertKind.MARKET_BUY: KindGrammar(
        ("value", "direction", "market_channel", "hysteresis"), ("value", "direction"), "value",
        N_("Price (local per one foreign, as boards)"),
        N_("best {market_channel} buy{direction} {value}"),
        ("above", "below"), Side.BUY,
    ),
    # The series is what the rule watches (the command line's word after the country);
    # ``value`` is the level of an ``above``/``below`` rule (config: required with them).
    AlertKind.RELEASE: KindGrammar(
        ("series", "direction", "value"), ("series",), "series",
        N_("Series"), "{series} {release}", ("changed", "above", "below"), subject="country",
    ),
}  # fmt: skip

ALERT_KINDS: tuple[str, ...] = tuple(AlertKind)
#: The keys every rule has, whatever its kind (``pair``: a rate rule's subject; a
#: release rule has ``country`` in its place, :attr:`KindGrammar.subject`).
COMMON_KEYS: tuple[str, ...] = ("pair", "kind", "cooldown", "channels", "hook", "label")
#: The keys that say what a rule watches (one per rule: its kind's subject).
SUBJECT_KEYS: tuple[str, ...] = ("pair", "country")
#: Every key some kind has (sorted).
KIND_KEYS: tuple[str, ...] = tuple(sorted({k for g in KINDS.values() for k in g.keys}))
#: The keys a threshold is given in (``value``, ``percent``, ``days``).
THRESHOLD_KEYS: tuple[str, ...] = tuple(dict.fromkeys(g.threshold for g in KINDS.values()))
#: Keys whose values are whole numbers.
_WHOLE_KEYS = ("days",)
ALERT_CHANNELS: tuple[str, ...] = tuple(Channel)
#: The longest label an alert rule may carry.
LABEL_MAX = 80
#: What a market rule's firing says besides what every firing says: the channel it
#: watches (``cash``, ``noncash``: the config's word) and the institution whose price made
#: it fire (its webhook JSON's fields, a template's and a hook's placeholders).
MARKET_FIELDS: tuple[str, ...] = ("market_channel", "institution")
#: What a release rule's firing says besides: the country (ISO3), the series' code, the
#: new value's period, the value and the one before it (exact digits), and its release
#: (or effective) date (its webhook JSON's fields, a template's and a hook's placeholders;
#: ``value`` is every firing's JSON field already).
RELEASE_FIELDS: tuple[str, ...] = ("country", "series", "period", "value", "previous", "released")
#: What a hook's command may say about the firing (``{pair}``, ``{rate}``, ...; a market
#: or release rule's fields are empty in another rule's firing).
HOOK_PLACEHOLDERS: tuple[str, ...] = (
    "pair", "rate", "rule", "message", "as_of", *MARKET_FIELDS, *RELEASE_FIELDS,
)  # fmt: skip
#: The directions of ``change`` and ``move`` rules.
DIRECTIONS: tuple[str, ...] = KINDS[AlertKind.CHANGE].directions
#: The kinds that watch the best market price (:attr:`KindGrammar.side`).
MARKET_KINDS: tuple[str, ...] = tuple(k for k, g in KINDS.items() if g.side is not None)
#: The kinds that watch a country's series, not a pair.
RELEASE_KINDS: tuple[str, ...] = tuple(k for k, g in KINDS.items() if g.subject == "country")


@dataclass(frozen=True, slots=True)
class AlertRuleConfig:
    """One ``[[alerts]]`` entry."""

    pair: Pair | None
    """The pair in the orientation the user wrote it in; None for a release rule (it
    watches :attr:`country`'s :attr:`series`)."""
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
    hook: str = ""
    """The name of the hook the ``command`` channel runs: a ``[hooks.NAME]`` of the config
    of the machine that fires the rule (a rule never carries a program of its own)."""
    label: str = ""
    """Free text shown with the rule."""
    market_channel: MarketChannel | None = None
    """A market rule: the channel whose best price it watches (``cash`` unless given);
    None for every other kind."""
    country: str | None = None
    """A release rule: the country (ISO3, ``KAZ``) whose series it watches."""
    series: str | None = None
    """A release rule: the series' code (``policy-rate``, ``cpi-yoy``: the codes of
    :data:`providers.monetary_records.SERIES`)."""

    @property
    def subject(self) -> str:
        """What the rule watches, as written in its first column: ``KZT/USD``, ``KAZ``."""
        return str(self.pair) if self.pair is not None else self.country or "?"

    @property
    def watched_pair(self) -> Pair:
        """The pair of a rule on a rate (every kind but ``release``)."""
        if self.pair is None:
            raise ValueError(f"a {self.kind} rule watches no pair")
        return self.pair


def plain(value: Decimal) -> str:
    """A number's digits without exponent or trailing zeros: ``1E+3`` -> ``1000``."""
    return format(value.normalize(), "f")


def rule_fingerprint(rule: AlertRuleConfig) -> str:
    """The rule's condition (pair, kind, thresholds) as canonical text: a config rule is
    the same rule while these stay the same, whatever its label, channels or cooldown."""
    import json  # a rule's fingerprint: only where rules are compared

    condition: dict[str, object] = {
        "pair": rule.subject,
        "kind": rule.kind,
        "value": None if rule.value is None else plain(rule.value),
        "percent": None if rule.percent is None else plain(rule.percent),
        "direction": rule.direction,
        "window": None if rule.window is None else int(rule.window.total_seconds()),
        "days": rule.days,
        "hysteresis": plain(rule.hysteresis),
    }
    if rule.market_channel is not None:  # only there: the others' fingerprints stay
        condition["market_channel"] = rule.market_channel.value
    if rule.series is not None:
        condition["series"] = rule.series
    return json.dumps(condition, sort_keys=True)


def kinds_with(key: str) -> tuple[str, ...]:
    """The kinds that have ``key`` (``hysteresis``: ``above``, ``below``)."""
    return tuple(kind for kind, grammar in KINDS.items() if key in grammar.keys)


def stale_phrase(days: int | None) -> str:
    """A ``stale`` rule's condition in words, ``stale 3 business days`` (its number's
    plural form in the user's language)."""
    if days is None:
        return _("stale {days} business days").format(days="?")
    return ngettext("stale {days} business day", "stale {days} business days", days).format(
        days=days
    )


def typed_number(text: str, what: str = "THRESHOLD") -> str:
    """A level or a percent as a person typed it (``10 000``, ``0,5``: the locale's forms,
    :func:`ticker.i18n.numbers.read_number`) as the config file writes it (``10000``,
    ``0.5``), for the rule's check to read as it reads config.toml. Text that is no number
    is handed on as it is (the check says what was expected); a number that can be read
    two ways (``1,500`` where the decimal sign is a comma) is refused here, with both
    readings (:class:`~ticker.errors.UsageError`)."""
    from ticker.errors import UsageError
    from ticker.i18n.numbers import AmbiguousNumber, NotANumber, read_number

    text = text.strip()
    try:
        number = read_number(text, what)
    except AmbiguousNumber as err:
        raise UsageError(str(err)) from None
    except NotANumber:
        return text
    return format(number, "f")


def threshold_entry(kind: str, text: str, what: str = "THRESHOLD") -> tuple[str, object]:
    """The ``[[alerts]]`` key and value a threshold typed as ``text`` stands for in a rule
    of ``kind`` (whole digits for a whole-number key; a level or a percent in the locale's
    forms read as the config file writes it, :func:`typed_number`; for a kind that does
    not exist, a percent: the check then says what is wrong with the kind). ``what``
    names the threshold in a refusal (the command line's ``THRESHOLD``)."""
    grammar = KINDS.get(kind)
    key = grammar.threshold if grammar is not None else "percent"
    text = text.strip()
    if key in _WHOLE_KEYS and text.isascii() and text.isdigit():
        return key, int(text)
    if key in ("value", "percent"):
        return key, typed_number(text, what)
    return key, text


def threshold_text(rule: AlertRuleConfig) -> str:
    """The rule's threshold as written: ``0.0021``, ``2``, ``3`` (empty when unset); a
    release rule's, its level (empty for one that fires on every new value)."""
    key = "value" if rule.kind in RELEASE_KINDS else KINDS[rule.kind].threshold
    value = getattr(rule, key)
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else str(value)


def board_pair(pair: Pair) -> str | None:
    """What a market rule's pair is expected to be when ``pair`` is not written as the
    boards write it (None: it is): a foreign currency per local one, ``USD/TJS``, the
    price in local units per one foreign (``TJS/USD`` or ``TJS`` shown as ``TJS/USD`` is
    refused rather than turned round: its level would be in the other orientation)."""
    if pair.quote in LOCAL_CURRENCIES and pair.base not in LOCAL_CURRENCIES:
        return None
    if pair.base in LOCAL_CURRENCIES and pair.quote not in LOCAL_CURRENCIES:
        written = f"{pair.quote}/{pair.base}"
    else:
        written = "USD/TJS"
    return _(
        "a pair as the boards write it, {pair} (a price in local units per one foreign, "
        "whatever the display orientation)"
    ).format(pair=written)


def unwatched(pair: Pair, watch: Collection[Pair]) -> str | None:
    """What a rule's pair is expected to be when rules on ``pair`` cannot be judged
    (None: they can): a dollar pair (always collected) or one of the pairs in ``watch``
    (``[pairs] watch``, either way round): nothing else is collected."""
    if pair.is_usd or any(w.key == pair.key for w in watch):
        return None
    others = [str(w) for w in watch if not w.is_usd]
    if not others:
        return _("a dollar pair or a watched pair (pairs.watch)")
    return _("a dollar pair or a watched pair (pairs.watch: {pairs})").format(
        pairs=", ".join(others)
    )
