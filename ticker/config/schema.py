"""The settings as typed values: one frozen dataclass per section, with defaults."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from providers.decision_calendar import DEFAULT_DECISIONS
from providers.monetary_records import MONETARY
from providers.record import Frozen
from ticker.config import locations
from ticker.config.pairs import PairsSettings
from ticker.config.sources import DEFAULT_ROUTING, PROVIDERS, ProviderSettings, polled
from ticker.model.pairs import LOCAL_CURRENCIES, Orientation, Pair

if TYPE_CHECKING:
    from dataclasses import dataclass

    from ticker.model.rules import AlertRuleConfig
else:  # the same dataclasses, their methods shared (:mod:`providers.record`)
    from providers.record import dataclass

ENV_CONFIG = "TICKER_CONFIG"
ENV_DB_URL = "TICKER_DB_URL"
#: Environment variables that give the Telegram channel's secrets (over config.toml's).
ENV_TELEGRAM_TOKEN = "TICKER_TELEGRAM_TOKEN"
ENV_TELEGRAM_CHAT = "TICKER_TELEGRAM_CHAT_ID"

#: Themes the dashboard can use (Textual's built-in themes; a TUI test keeps this in sync).
THEMES: tuple[str, ...] = (
    "ansi-dark",
    "ansi-light",
    "atom-one-dark",
    "atom-one-light",
    "catppuccin-frappe",
    "catppuccin-latte",
    "catppuccin-macchiato",
    "catppuccin-mocha",
    "dracula",
    "flexoki",
    "gruvbox",
    "monokai",
    "nord",
    "rose-pine",
    "rose-pine-dawn",
    "rose-pine-moon",
    "solarized-dark",
    "solarized-light",
    "textual-dark",
    "textual-light",
    "tokyo-night",
)

#: Dashboard actions and their default keys (Textual key names), remappable in [keys].
DEFAULT_KEYS: dict[str, str] = {
    "quit": "q",
    "help": "question_mark",
    "detail": "enter",
    "cycle_range": "c",
    "cycle_change": "w",
    "overlay": "o",
    "flip": "f",
    "add_alert": "a",
    "delete_alert": "d",
    "edit_alert": "E",
    "toggle_alert": "p",
    "snooze_alert": "z",
    "export": "e",
    "refresh": "r",
    "indicators": "i",
    "market": "m",
    "theme": "t",
    "convert": "x",
    "backfill": "b",
    "down": "j",
    "up": "k",
}


@dataclass(frozen=True, slots=True)
class DisplaySettings(Frozen):
    """``[display]``."""

    pairs: tuple[str, ...] = LOCAL_CURRENCIES
    """Local currencies shown, in order."""
    orientation: Orientation = Orientation.USD_PER
    """``usd-per`` (KGS/USD = 0.011435) or ``per-usd`` (USD/KGS = 87.45)."""
    significant_digits: int = 5
    """Significant digits of every rate shown."""
    theme: str = "textual-dark"
    """Dashboard theme."""
    language: str = ""
    """The locale words, numbers and dates are shown by (``ru``, ``ru_KZ``, ``en``);
    empty: the environment's (``LC_ALL``, ``LC_MESSAGES``, ``LANG``)."""
    timezone: str = ""
    """The zone every time is shown in (``Asia/Bishkek``); empty: the machine's."""

    def pair(self, local: str) -> Pair:
        return Pair("USD", local).oriented(self.orientation)


@dataclass(frozen=True, slots=True)
class StorageSettings(Frozen):
    """``[storage]``."""

    url: str = ""
    """SQLAlchemy URL of the history store; empty means the SQLite file in the data dir."""
    busy_timeout: timedelta = timedelta(seconds=5)
    """How long a write waits for another writer's lock before giving up."""


@dataclass(frozen=True, slots=True)
class Peg(Frozen):
    """An official fixed rate: local units per USD, in force from ``since``."""

    rate: Decimal
    since: date


@dataclass(frozen=True, slots=True)
class SanitySettings(Frozen):
    """``[sanity]``."""

    max_move: Decimal = Decimal(20)
    """A rate that moves more than this many percent from the same provider's previous
    value for the pair is quarantined, not stored as a normal point."""
    pegs: Mapping[str, Peg] = field(
        default_factory=lambda: {"TMT": Peg(Decimal("3.50"), date(2015, 1, 1))}
    )
    """Pegged currencies: a rate further than ``peg_tolerance`` from the peg is quarantined."""
    peg_tolerance: Decimal = Decimal(2)
    """Percent a pegged currency's rate may differ from its peg."""
    market_band: Decimal = Decimal(10)
    """A market quote whose sell (its buy, when it sells nothing) is more than this many
    percent from the official rate of its pair is quarantined, never shown as a price."""


@dataclass(frozen=True, slots=True)
class CollectorSettings(Frozen):
    """``[collector]``."""

    divergence: Decimal = Decimal(2)
    """Flag a pair when its shown rate and the median of the other sources differ by more
    than this many percent."""
    retries: int = 3
    """Attempts per poll when a source fails transiently (timeout, 5xx, 429)."""
    failing_after: int = 3
    """Consecutive failed polls after which a provider is "failing"."""
    failing_slowdown: int = 4
    """A failing provider is polled this many times less often until it recovers."""
    hook_timeout: timedelta = timedelta(seconds=10)
    """An alert's command hook still running after this long is killed."""


@dataclass(frozen=True, slots=True)
class WebhookSettings(Frozen):
    """``[webhook]``: where the ``webhook`` channel posts each firing."""

    url: str = ""
    """An http(s) URL each firing is POSTed to as JSON; empty: no webhook."""
    timeout: timedelta = timedelta(seconds=5)
    """One attempt gives up after this long (connecting, sending and the answer)."""
    attempts: int = 3
    """Attempts per firing, the first included (a timeout, no connection, 429 or 5xx is
    tried again, after 1s, 2s, 4s ...)."""
    format: str = "json"
    """The body: ``json`` (ticker's own), ``slack``, ``discord``, ``matrix`` or ``ntfy``
    (:data:`ticker.config.channels.WEBHOOK_FORMATS`)."""
    template: str = ""
    """A body of the user's own, with ``{message}`` and the other fields (``format`` is
    then ``json``); empty: the format's."""
    content_type: str = ""
    """The body's content type; empty: the format's (JSON, or plain text for ntfy)."""


@dataclass(frozen=True, slots=True)
class TelegramSettings(Frozen):
    """``[telegram]``: the bot the ``telegram`` channel writes with. The token and the
    chat id are never shown (not even by ``repr``)."""

    token: str = field(default="", repr=False)
    """The bot's token (from @BotFather); ``$TICKER_TELEGRAM_TOKEN`` overrides it."""
    chat_id: str = field(default="", repr=False)
    """The chat it writes to; ``$TICKER_TELEGRAM_CHAT_ID`` overrides it."""
    base_url: str = "https://api.telegram.org"
    """The Bot API's address (a local one for a test, or a Bot API server of your own)."""
    timeout: timedelta = timedelta(seconds=5)
    """One attempt gives up after this long."""
    attempts: int = 3
    """Attempts per firing, the first included."""

    @property
    def ready(self) -> bool:
        """Both the token and the chat are known."""
        return bool(self.token and self.chat_id)


@dataclass(frozen=True, slots=True)
class Settings(Frozen):
    """Everything configurable, validated."""

    display: DisplaySettings = field(default_factory=DisplaySettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    providers: Mapping[str, ProviderSettings] = field(
        default_factory=lambda: {name: spec.defaults for name, spec in PROVIDERS.items()}
    )
    routing: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_ROUTING))
    pairs: PairsSettings = field(default_factory=PairsSettings)
    """``[pairs] watch``: the watched pairs (the five against the dollar by default)."""
    alerts: tuple[AlertRuleConfig, ...] = ()
    sanity: SanitySettings = field(default_factory=SanitySettings)
    collector: CollectorSettings = field(default_factory=CollectorSettings)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    hooks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """``[hooks.NAME] command``: the programs this machine runs for a rule's ``hook``."""
    keys: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS))
    """Dashboard action -> key."""
    decisions: Mapping[str, tuple[date, ...]] = field(
        default_factory=lambda: dict(DEFAULT_DECISIONS)
    )
    """``[decisions]``: country (ISO3) -> its bank's policy-rate decision days, in order
    (:mod:`ticker.model.release_calendar`)."""
    path: Path | None = None
    """The file these settings were read from; ``None`` for the built-in defaults."""
    db_url_from_env: bool = False
    """True when ``$TICKER_DB_URL`` set the database URL."""

    @property
    def config_id(self) -> str:
        """The config file's absolute path (empty for the built-in defaults): which
        file's ``[[alerts]]`` these are, in a store several processes may share."""
        return str(self.path.resolve()) if self.path is not None else ""

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL of the store (the default SQLite file when none is set)."""
        if self.storage.url:
            return self.storage.url
        return "sqlite:///" + str(locations.db_path())

    @property
    def database_url_origin(self) -> str:
        """Where the database URL came from, for messages."""
        if self.db_url_from_env:
            return "$" + ENV_DB_URL
        if self.storage.url and self.path is not None:
            return f"{self.path}: storage.url"
        return "storage.url"

    @property
    def uses_default_database(self) -> bool:
        return not self.storage.url

    def enabled_providers(self, kind: str = "rates") -> list[str]:
        """The sources of ``kind`` (a family: rates, market, indicators) that are polled:
        enabled, and with the token they need (:func:`~ticker.config.sources.off_reason`)."""
        return polled(self.providers, kind)


def redacted_url(url: str, user_too: bool = False) -> str:
    """``url`` with the secrets it may carry masked, for a message: the password of its
    user information (all of it with ``user_too``: a token alone) and every query value."""
    masked = re.sub(r"([^:/?#@\s]*):[^/?#@\s]*@", r"\1:***@", url, count=1)
    if user_too:
        masked = re.sub(r"(//)[^/?#@]*@", r"\1***@", masked, count=1)
    return re.sub(r"([?&][^=&#]*=)[^&#]*", r"\1***", masked)


def describe_database(url: str) -> str:
    """A database URL as shown to a user: SQLite as a path, passwords masked."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///") or ":memory:"
    if url in ("sqlite://", "sqlite:///:memory:"):
        return ":memory:"
    masked = re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", masked, flags=re.IGNORECASE)


def configured(settings: Settings) -> list[tuple[str, str]]:
    """(source, indicator) of every enabled annual indicators source (not the monetary
    series: :func:`monetary_sources`), in configuration order."""
    return [
        (source, code)
        for source in settings.enabled_providers("indicators")
        if source not in MONETARY
        for code in settings.providers[source].indicators
    ]


def monetary_asked(settings: Settings) -> dict[str, tuple[str, ...]]:
    """Each enabled monetary source with the series its configuration asks of it (what
    :func:`ticker.model.monetary.monetary_view` takes as ``enabled``)."""
    return {source: settings.providers[source].indicators for source in monetary_sources(settings)}


def monetary_sources(settings: Settings) -> list[str]:
    """The enabled sources of monetary series (policy rates, monthly CPI, reserves), in
    configuration order."""
    return [source for source in settings.enabled_providers("indicators") if source in MONETARY]
