"""config.toml -> typed, validated settings.

Lookup order (first that applies wins):

1. ``--config PATH`` on the command line,
2. ``$TICKER_CONFIG``,
3. the platform config dir's ``ticker/config.toml`` (if it exists),
4. the built-in defaults, which equal the repository's ``config.toml`` (a test proves it).

A file only needs the keys it changes; everything else keeps its default.
``$TICKER_DB_URL`` overrides ``[storage] url``.

Every problem is one :class:`~ticker.errors.ConfigError` whose message is one line
naming the file, the key path, the bad value and what was expected::

    config.toml: providers.nbk.interval: expected a duration like "30m", got "soon"

This module must stay cheap to import: it runs before the first frame of the dashboard.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import stat
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from providers.catalogue import COVERS
from ticker.config import locations
from ticker.errors import ConfigError
from ticker.model.pairs import LOCAL_CURRENCIES, Orientation, Pair, parse_pair
from ticker.model.rules import (
    ALERT_CHANNELS,
    ALERT_KINDS,
    DIRECTIONS,
    HOOK_PLACEHOLDERS,
    LABEL_MAX,
    AlertRuleConfig,
)

T = TypeVar("T")

ENV_CONFIG = "TICKER_CONFIG"
ENV_DB_URL = "TICKER_DB_URL"

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
    "overlay": "o",
    "flip": "f",
    "add_alert": "a",
    "delete_alert": "d",
    "export": "e",
    "refresh": "r",
    "indicators": "i",
    "theme": "t",
    "down": "j",
    "up": "k",
}


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    """``[providers.NAME]``: one feed."""

    enabled: bool
    """Poll this provider at all."""
    interval: timedelta
    """Time between polls."""
    timeout: timedelta
    """Give up on one request after this long."""
    base_url: str
    """Scheme, host and optional path prefix; the source's real paths are appended."""
    backfill_concurrency: int = 1
    """``ticker backfill``: requests in flight at once to this source."""
    backfill_delay: timedelta = timedelta(milliseconds=200)
    """``ticker backfill``: pause between two requests to this source."""
    fallback_url: str = ""
    """currencyapi only: the mirror tried when jsDelivr fails (``{date}`` is filled in)."""
    indicators: tuple[str, ...] = ()
    """Indicator sources only: the indicator codes fetched."""


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """What the program knows about a provider before any config is read."""

    kind: str
    """``"rates"`` or ``"indicators"``."""
    defaults: ProviderSettings


def _spec(
    kind: str,
    base_url: str,
    interval: timedelta,
    timeout: int = 20,
    concurrency: int = 1,
    delay_ms: int = 200,
    fallback_url: str = "",
    indicators: tuple[str, ...] = (),
) -> ProviderSpec:
    return ProviderSpec(
        kind,
        ProviderSettings(
            True,
            interval,
            timedelta(seconds=timeout),
            base_url,
            concurrency,
            timedelta(milliseconds=delay_ms),
            fallback_url,
            indicators,
        ),
    )


#: The indicators fetched unless ``[providers.NAME] indicators`` says otherwise.
DEFAULT_INDICATORS: dict[str, tuple[str, ...]] = {
    "worldbank": (
        "FP.CPI.TOTL.ZG",
        "NY.GDP.MKTP.KD.ZG",
        "BX.TRF.PWKR.DT.GD.ZS",
        "BN.CAB.XOKA.GD.ZS",
        "SL.UEM.TOTL.ZS",
        "PA.NUS.FCRF",
        "NY.GDP.PCAP.CD",
        "FI.RES.TOTL.CD",
    ),
    "imf": ("NGDP_RPCH", "PCPIPCH", "BCA_NGDPD", "GGXWDG_NGDP"),
}


_HALF_HOUR = timedelta(minutes=30)

#: Every provider the program knows, with its built-in settings.
PROVIDERS: dict[str, ProviderSpec] = {
    # NBKR drops connections after ~20 TLS handshakes in quick succession: go slowly.
    "nbkr": _spec("rates", "https://www.nbkr.kg", _HALF_HOUR, delay_ms=500),
    "nbk": _spec("rates", "https://nationalbank.kz", _HALF_HOUR),
    "nbt": _spec("rates", "https://www.nbt.tj", _HALF_HOUR),
    "cbu": _spec("rates", "https://cbu.uz", _HALF_HOUR),
    "cbt": _spec("rates", "https://cbt.tm", _HALF_HOUR),
    "cbr": _spec("rates", "https://www.cbr.ru", _HALF_HOUR),
    "frankfurter": _spec("rates", "https://api.frankfurter.dev", timedelta(hours=1), concurrency=2),
    "erapi": _spec("rates", "https://open.er-api.com", timedelta(hours=6)),
    "currencyapi": _spec(
        "rates",
        "https://cdn.jsdelivr.net",
        timedelta(hours=3),
        concurrency=2,
        delay_ms=100,
        fallback_url="https://{date}.currency-api.pages.dev",
    ),
    "worldbank": _spec(
        "indicators",
        "https://api.worldbank.org",
        timedelta(days=1),
        60,
        indicators=DEFAULT_INDICATORS["worldbank"],
    ),
    "imf": _spec(
        "indicators",
        "https://www.imf.org",
        timedelta(days=1),
        60,
        indicators=DEFAULT_INDICATORS["imf"],
    ),
}

RATE_PROVIDERS: tuple[str, ...] = tuple(n for n, s in PROVIDERS.items() if s.kind == "rates")

_FALLBACKS = ("cbr", "frankfurter", "currencyapi", "erapi")

#: ``[routing]`` defaults: per local currency, providers in order of preference.
DEFAULT_ROUTING: dict[str, tuple[str, ...]] = {
    "KGS": ("nbkr", "nbt", "cbu", *_FALLBACKS),
    "KZT": ("nbk", "nbt", "cbu", *_FALLBACKS),
    "TJS": ("nbt", "cbu", "nbk", *_FALLBACKS),
    "UZS": ("cbu", "nbt", "nbk", *_FALLBACKS),
    "TMT": ("cbt", "nbt", "cbu", *_FALLBACKS),
}


@dataclass(frozen=True, slots=True)
class DisplaySettings:
    """``[display]``."""

    pairs: tuple[str, ...] = LOCAL_CURRENCIES
    """Local currencies shown, in order."""
    orientation: Orientation = Orientation.USD_PER
    """``usd-per`` (KGS/USD = 0.011435) or ``per-usd`` (USD/KGS = 87.45)."""
    significant_digits: int = 5
    """Significant digits of every rate shown."""
    theme: str = "textual-dark"
    """Dashboard theme."""

    def pair(self, local: str) -> Pair:
        return Pair("USD", local).oriented(self.orientation)


@dataclass(frozen=True, slots=True)
class StorageSettings:
    """``[storage]``."""

    url: str = ""
    """SQLAlchemy URL of the history store; empty means the SQLite file in the data dir."""
    busy_timeout: timedelta = timedelta(seconds=5)
    """How long a write waits for another writer's lock before giving up."""


@dataclass(frozen=True, slots=True)
class Peg:
    """An official fixed rate: local units per USD, in force from ``since``."""

    rate: Decimal
    since: date


@dataclass(frozen=True, slots=True)
class SanitySettings:
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


@dataclass(frozen=True, slots=True)
class CollectorSettings:
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
class Settings:
    """Everything configurable, validated."""

    display: DisplaySettings = field(default_factory=DisplaySettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    providers: Mapping[str, ProviderSettings] = field(
        default_factory=lambda: {name: spec.defaults for name, spec in PROVIDERS.items()}
    )
    routing: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_ROUTING))
    alerts: tuple[AlertRuleConfig, ...] = ()
    sanity: SanitySettings = field(default_factory=SanitySettings)
    collector: CollectorSettings = field(default_factory=CollectorSettings)
    keys: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS))
    """Dashboard action -> key."""
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
        return [
            name
            for name, spec in PROVIDERS.items()
            if spec.kind == kind and self.providers[name].enabled
        ]


def describe_database(url: str) -> str:
    """A database URL as shown to a user: SQLite as a path, passwords masked."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///") or ":memory:"
    if url in ("sqlite://", "sqlite:///:memory:"):
        return ":memory:"
    masked = re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", masked, flags=re.IGNORECASE)


# --------------------------------------------------------------------------- loading


def find_config(cli_path: str | None, env: Mapping[str, str]) -> tuple[Path | None, str]:
    """The config file to read and why: ``(path, "--config" | "$TICKER_CONFIG" | ...)``.

    ``(None, "defaults")`` when no file applies.
    """
    if cli_path is not None:
        return Path(cli_path), "--config"
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG]), "$" + ENV_CONFIG
    platform_file = locations.config_file()
    if platform_file.is_file() or platform_file.is_symlink() or platform_file.exists():
        return platform_file, "platform config dir"  # reading it reports what is wrong
    return None, "built-in defaults"


def load_settings(cli_path: str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Find, read and validate the configuration; apply environment overrides."""
    env = os.environ if env is None else env
    path, why = find_config(cli_path, env)
    if path is None:
        settings = Settings()
    else:
        try:
            data = read_toml(path)
        except ConfigError as err:
            if why.startswith("$"):
                raise ConfigError(f"{err} (named by {why})") from None
            raise
        settings = parse_config(data, str(path), path)
    db_url = env.get(ENV_DB_URL)
    if db_url:
        storage = StorageSettings(
            url=_check_db_url(db_url, lambda exp, got: _fail_env(ENV_DB_URL, exp, got)),
            busy_timeout=settings.storage.busy_timeout,
        )
        settings = Settings(
            settings.display,
            storage,
            settings.providers,
            settings.routing,
            settings.alerts,
            settings.sanity,
            settings.collector,
            settings.keys,
            settings.path,
            db_url_from_env=True,
        )
    return settings


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; every failure is a one-line :class:`ConfigError`."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a FIFO would block for ever
            raise ConfigError(
                f"{path}: not a regular file (a FIFO, a device), expected a config file"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, expected a config file") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read config file: {err.strerror}") from None
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")  # editors that add a BOM
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 text (at line {line})") from None
    import tomllib  # only when there is a file: not on the start-up path of the defaults

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None


def parse_config(data: Mapping[str, Any], origin: str, path: Path | None = None) -> Settings:
    """Validate parsed TOML against the schema; ``origin`` names the file in messages."""
    r = _Reader(origin)
    top = r.table(
        data,
        "",
        ("display", "storage", "providers", "routing", "sanity", "collector", "keys", "alerts"),
    )
    display = _display(r, top.get("display", {}))
    return Settings(
        display=display,
        storage=_storage(r, top.get("storage", {})),
        providers=_providers(r, top.get("providers", {})),
        routing=_routing(r, top.get("routing", {})),
        alerts=tuple(_alerts(r, top.get("alerts", []), display.orientation)),
        sanity=_sanity(r, top.get("sanity", {})),
        collector=_collector(r, top.get("collector", {})),
        keys=_keys(r, top.get("keys", {})),
        path=path,
    )


# --------------------------------------------------------------------------- sections


def _display(r: _Reader, data: object) -> DisplaySettings:
    d = DisplaySettings()
    t = r.table(data, "display", ("pairs", "orientation", "significant_digits", "theme"))
    pairs = d.pairs
    if "pairs" in t:
        pairs = r.unique_list(
            t["pairs"], "display.pairs", lambda v, p: r.choice(v, p, LOCAL_CURRENCIES)
        )
        if not pairs:
            r.fail("display.pairs", f"at least one of {', '.join(LOCAL_CURRENCIES)}", [])
    orientation = d.orientation
    if "orientation" in t:
        orientation = Orientation(
            r.choice(t["orientation"], "display.orientation", tuple(o.value for o in Orientation))
        )
    digits = d.significant_digits
    if "significant_digits" in t:
        digits = r.integer(t["significant_digits"], "display.significant_digits", 3, 15)
    theme = d.theme
    if "theme" in t:
        theme = r.choice(t["theme"], "display.theme", THEMES)
    return DisplaySettings(pairs, orientation, digits, theme)


def _storage(r: _Reader, data: object) -> StorageSettings:
    d = StorageSettings()
    t = r.table(data, "storage", ("url", "busy_timeout"))
    url = d.url
    if "url" in t:
        url = r.string(t["url"], "storage.url")
        if url:
            url = _check_db_url(url, lambda exp, got: r.fail("storage.url", exp, got))
    busy = d.busy_timeout
    if "busy_timeout" in t:
        busy = r.duration(t["busy_timeout"], "storage.busy_timeout", timedelta(0), _TEN_MINUTES)
    return StorageSettings(url, busy)


_TEN_MINUTES = timedelta(minutes=10)
_PROVIDER_KEYS = (
    "enabled",
    "interval",
    "timeout",
    "base_url",
    "backfill_concurrency",
    "backfill_delay",
)


def _providers(r: _Reader, data: object) -> dict[str, ProviderSettings]:
    t = r.table(data, "providers", tuple(PROVIDERS))
    result = {name: spec.defaults for name, spec in PROVIDERS.items()}
    for name, section in t.items():
        path = f"providers.{name}"
        d = PROVIDERS[name].defaults
        keys = (*_PROVIDER_KEYS, "fallback_url") if d.fallback_url else _PROVIDER_KEYS
        if PROVIDERS[name].kind == "indicators":
            keys = (*keys, "indicators")
        s = r.table(section, path, keys)
        fields: dict[str, Any] = {}
        if "enabled" in s:
            fields["enabled"] = r.boolean(s["enabled"], f"{path}.enabled")
        if "interval" in s:
            fields["interval"] = r.duration(
                s["interval"], f"{path}.interval", timedelta(seconds=10), timedelta(days=30)
            )
        if "timeout" in s:
            fields["timeout"] = r.duration(
                s["timeout"], f"{path}.timeout", timedelta(seconds=1), timedelta(minutes=5)
            )
        if "base_url" in s:
            fields["base_url"] = r.base_url(s["base_url"], f"{path}.base_url")
        if "backfill_concurrency" in s:
            fields["backfill_concurrency"] = r.integer(
                s["backfill_concurrency"], f"{path}.backfill_concurrency", 1, 2
            )
        if "backfill_delay" in s:
            fields["backfill_delay"] = r.duration(
                s["backfill_delay"], f"{path}.backfill_delay", timedelta(0), timedelta(minutes=1)
            )
        if "fallback_url" in s:
            fields["fallback_url"] = r.base_url(
                s["fallback_url"], f"{path}.fallback_url", template=True
            )
        if "indicators" in s:
            codes = r.unique_list(s["indicators"], f"{path}.indicators", r.indicator_code)
            if not codes:
                r.fail(f"{path}.indicators", "at least one indicator code", [])
            fields["indicators"] = codes
        result[name] = dataclasses.replace(d, **fields)
    return result


def _routing(r: _Reader, data: object) -> dict[str, tuple[str, ...]]:
    t = r.table(data, "routing", LOCAL_CURRENCIES)
    result = dict(DEFAULT_ROUTING)
    for code, value in t.items():
        path = f"routing.{code}"
        order = r.unique_list(value, path, lambda v, p: r.choice(v, p, RATE_PROVIDERS))
        if not order:
            r.fail(path, "at least one provider", [])
        for name in order:
            if code not in COVERS.get(name, frozenset({code})):
                covering = [n for n in RATE_PROVIDERS if code in COVERS.get(n, frozenset())]
                r.fail(path, f"providers that publish {code} ({', '.join(covering)})", name)
        result[code] = order
    return result


def _sanity(r: _Reader, data: object) -> SanitySettings:
    d = SanitySettings()
    t = r.table(data, "sanity", ("max_move", "pegs", "peg_tolerance"))
    fields: dict[str, Any] = {}
    if "max_move" in t:
        fields["max_move"] = r.positive_decimal(t["max_move"], "sanity.max_move", Decimal(1000))
    if "peg_tolerance" in t:
        fields["peg_tolerance"] = r.positive_decimal(
            t["peg_tolerance"], "sanity.peg_tolerance", Decimal(100)
        )
    if "pegs" in t:
        pegs = r.table(t["pegs"], "sanity.pegs", LOCAL_CURRENCIES)
        result = {}
        for code, entry in pegs.items():
            path = f"sanity.pegs.{code}"
            peg = r.table(entry, path, ("rate", "since"))
            for key in ("rate", "since"):
                if key not in peg:
                    r.fail(f"{path}.{key}", "a value (this key is required)", _MISSING)
            since = peg["since"]
            if not isinstance(since, date) or isinstance(since, datetime):
                r.fail(f"{path}.since", "a date like 2015-01-01 (unquoted)", since)
            result[code] = Peg(r.positive_decimal(peg["rate"], f"{path}.rate"), since)
        fields["pegs"] = result
    return dataclasses.replace(d, **fields)


def _keys(r: _Reader, data: object) -> dict[str, str]:
    t = r.table(data, "keys", tuple(DEFAULT_KEYS))
    keys = dict(DEFAULT_KEYS)
    for action, value in t.items():
        path = f"keys.{action}"
        key = r.string(value, path)
        if not re.fullmatch(r"[a-z0-9_+\-]+(,[a-z0-9_+\-]+)*", key):
            r.fail(path, 'a Textual key name like "x", "ctrl+e" or "question_mark"', value)
        keys[action] = key
    taken: dict[str, str] = {}
    for action, key in keys.items():
        for one in key.split(","):
            if one in taken:
                r.fail(f"keys.{action}", f"a key not already used by {taken[one]!r}", key)
            taken[one] = action
    return keys


def _collector(r: _Reader, data: object) -> CollectorSettings:
    t = r.table(
        data,
        "collector",
        ("divergence", "retries", "failing_after", "failing_slowdown", "hook_timeout"),
    )
    fields: dict[str, Any] = {}
    if "divergence" in t:
        fields["divergence"] = r.positive_decimal(
            t["divergence"], "collector.divergence", Decimal(100)
        )
    if "retries" in t:
        fields["retries"] = r.integer(t["retries"], "collector.retries", 1, 10)
    if "failing_after" in t:
        fields["failing_after"] = r.integer(t["failing_after"], "collector.failing_after", 1, 100)
    if "failing_slowdown" in t:
        fields["failing_slowdown"] = r.integer(
            t["failing_slowdown"], "collector.failing_slowdown", 1, 100
        )
    if "hook_timeout" in t:
        fields["hook_timeout"] = r.duration(
            t["hook_timeout"], "collector.hook_timeout", timedelta(seconds=1), timedelta(minutes=10)
        )
    return dataclasses.replace(CollectorSettings(), **fields)


_ALERT_COMMON = ("pair", "kind", "cooldown", "channels", "command", "label")
_ALERT_KEYS: dict[str, tuple[str, ...]] = {
    "above": ("value", "hysteresis"),
    "below": ("value", "hysteresis"),
    "change": ("percent", "direction"),
    "move": ("percent", "window", "direction"),
    "stale": ("days",),
    "divergence": ("percent",),
}
_ALERT_REQUIRED: dict[str, tuple[str, ...]] = {
    "above": ("value",),
    "below": ("value",),
    "change": ("percent",),
    "move": ("percent", "window"),
    "stale": ("days",),
    "divergence": ("percent",),
}


_ALERT_FIELDS: dict[str, Callable[[_Reader, object, str], Any]] = {
    "value": lambda r, v, p: r.positive_decimal(v, p),
    "percent": lambda r, v, p: r.positive_decimal(v, p, Decimal(1000)),
    "direction": lambda r, v, p: r.choice(v, p, DIRECTIONS),
    "window": lambda r, v, p: r.duration(v, p, timedelta(days=1), timedelta(days=3660)),
    "days": lambda r, v, p: r.integer(v, p, 1, 366),
    "cooldown": lambda r, v, p: r.duration(v, p, timedelta(0), timedelta(days=30)),
    "hysteresis": lambda r, v, p: r.decimal(v, p, Decimal(0), Decimal(100)),
    "label": lambda r, v, p: r.label(v, p),
}


def _alerts(r: _Reader, data: object, orientation: Orientation) -> list[AlertRuleConfig]:
    if not isinstance(data, list):
        r.fail("alerts", "an array of tables ([[alerts]])", data)
    return [_alert(r, entry, f"alerts[{i}]", orientation) for i, entry in enumerate(data)]


def _alert(r: _Reader, entry: object, path: str, orientation: Orientation) -> AlertRuleConfig:
    every_key = sorted({k for keys in _ALERT_KEYS.values() for k in keys})
    t = r.table(entry, path, (*_ALERT_COMMON, *every_key))
    for key in ("pair", "kind"):
        if key not in t:
            r.fail(f"{path}.{key}", "a value (this key is required)", _MISSING)
    kind = r.choice(t["kind"], f"{path}.kind", ALERT_KINDS)
    allowed = (*_ALERT_COMMON, *_ALERT_KEYS[kind])
    a_rule = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind!r} rule"
    for key in t:
        if key not in allowed:
            expected = f"one of the keys of {a_rule} ({', '.join(allowed)})"
            r.fail(f"{path}.{key}", expected, _Key(key))
    for key in _ALERT_REQUIRED[kind]:
        if key not in t:
            r.fail(f"{path}.{key}", f"a value (required for {a_rule})", _MISSING)
    pair_text = r.string(t["pair"], f"{path}.pair")
    try:
        pair = parse_pair(pair_text, orientation)
    except ValueError:
        expected = f"one of {', '.join(LOCAL_CURRENCIES)} or a pair like KZT/USD"
        r.fail(f"{path}.pair", expected, pair_text)
    command: tuple[str, ...] = ()
    if "command" in t:
        command = r.unique_list(t["command"], f"{path}.command", r.string, unique=False)
        if not command or not command[0]:
            expected = 'a program and its arguments, like ["notify-send", "{message}"]'
            r.fail(f"{path}.command", expected, t["command"])
        for arg in command:
            for name in re.findall(r"\{([^{}]*)\}", arg):
                if name not in HOOK_PLACEHOLDERS:
                    expected = "placeholders among " + " ".join(
                        f"{{{p}}}" for p in HOOK_PLACEHOLDERS
                    )
                    r.fail(f"{path}.command", expected, arg)
        if "/" in command[0] and not command[0].startswith("/"):
            expected = "a program on $PATH or an absolute path (a relative one breaks elsewhere)"
            r.fail(f"{path}.command", expected, command[0])
        if shutil.which(command[0]) is None:
            r.fail(
                f"{path}.command",
                "a program that exists (on $PATH, or a path to an executable file)",
                command[0],
            )
    channels: tuple[str, ...] = ("toast", "bell", "command") if command else ("toast", "bell")
    if "channels" in t:
        channels = r.unique_list(
            t["channels"], f"{path}.channels", lambda v, p: r.choice(v, p, ALERT_CHANNELS)
        )
        if not channels:
            r.fail(f"{path}.channels", f"at least one of {', '.join(ALERT_CHANNELS)}", [])
        if "command" in channels and not command:
            r.fail(f"{path}.command", 'a command (the "command" channel needs one)', _MISSING)
        if command and "command" not in channels:
            expected = '"command" among the channels (a command is given; it would never run)'
            r.fail(f"{path}.channels", expected, ", ".join(channels))
    fields = {
        key: parse(r, t[key], f"{path}.{key}") for key, parse in _ALERT_FIELDS.items() if key in t
    }
    return AlertRuleConfig(pair=pair, kind=kind, channels=channels, command=command, **fields)


def _check_db_url(url: str, fail: Callable[[str, object], NoReturn]) -> str:
    expected = (
        'a SQLAlchemy URL like "sqlite:////var/lib/ticker/ticker.db" '
        'or "postgresql://user@host/ticker"'
    )
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", url):
        fail(expected, url)
    if url.lower().startswith("sqlite"):
        path = url.split("://", 1)[1].split("?", 1)[0]
        if path in ("", "/") or ":memory:" in path or "mode=memory" in url:
            fail("a SQLite URL naming a file (an in-memory database keeps no history)", url)
        if not path.startswith("//"):
            fail(
                'a SQLite URL with an absolute path, like "sqlite:////var/lib/ticker/ticker.db" '
                "(a relative one changes with the working directory)",
                url,
            )
    return url


def _fail_env(name: str, expected: str, got: object) -> NoReturn:
    raise ConfigError(f"${name}: expected {expected}, got {_show(got)}")


# --------------------------------------------------------------------------- primitives

_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)")
_DURATION = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h|d))+")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """``"30m"``, ``"1h30m"``, ``"45s"``, ``"500ms"``, ``"7d"`` -> timedelta.

    Raises ``ValueError`` for anything else.
    """
    compact = text.strip().replace(" ", "")
    if not _DURATION.fullmatch(compact):
        raise ValueError(f"not a duration: {text!r}")
    seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(compact))
    if seconds > 100 * 365 * 86400:
        raise ValueError(f"duration too long: {text!r}")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """The inverse of :func:`parse_duration` for whole seconds: ``1h30m``."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


class _Key(str):
    """Marks a key name (not a value) in messages."""


_MISSING = object()


def _show(value: object) -> str:
    if value is _MISSING:
        return "nothing"
    if isinstance(value, _Key):
        return f"unknown key {json.dumps(str(value), ensure_ascii=False)}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        if not value:
            return "an empty array"
        return "an array"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return type(value).__name__


class _Reader:
    """Type checks that fail with one line naming the file, key path, value and expectation."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, path: str, expected: str, got: object) -> NoReturn:
        where = f"{self.origin}: {path}" if path else self.origin
        raise ConfigError(f"{where}: expected {expected}, got {_show(got)}")

    def table(self, value: object, path: str, allowed: Sequence[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, "a table", value)
        for key in value:
            if key not in allowed:
                key_path = f"{path}.{key}" if path else key
                self.fail(key_path, f"one of the keys {', '.join(allowed)}", _Key(key))
        return value

    def string(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            self.fail(path, "a string", value)
        return value

    def boolean(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, "true or false", value)
        return value

    def integer(self, value: object, path: str, minimum: int, maximum: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
            self.fail(path, f"a whole number from {minimum} to {maximum}", value)
        return value

    def choice(self, value: object, path: str, options: Sequence[str]) -> str:
        if not isinstance(value, str) or value not in options:
            self.fail(path, f"one of {', '.join(options)}", value)
        return value

    def unique_list(
        self,
        value: object,
        path: str,
        item: Callable[[object, str], T],
        unique: bool = True,
    ) -> tuple[T, ...]:
        if not isinstance(value, list):
            self.fail(path, "an array", value)
        items = tuple(item(v, f"{path}[{i}]") for i, v in enumerate(value))
        if unique:
            for i, v in enumerate(items):
                if v in items[:i]:
                    self.fail(f"{path}[{i}]", "each entry once", v)
        return items

    def indicator_code(self, value: object, path: str) -> str:
        code = self.string(value, path)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._]{0,63}", code):
            self.fail(path, 'an indicator code like "FP.CPI.TOTL.ZG" or "NGDP_RPCH"', code)
        return code

    def label(self, value: object, path: str) -> str:
        text = self.string(value, path)
        if len(text) > LABEL_MAX or any(unicodedata.category(c) == "Cc" for c in text):
            expected = f"one line of at most {LABEL_MAX} characters, without control characters"
            self.fail(path, expected, text)
        return text

    def duration(
        self, value: object, path: str, minimum: timedelta, maximum: timedelta
    ) -> timedelta:
        expected = 'a duration like "30m"'
        if not isinstance(value, str):
            self.fail(path, expected, value)
        try:
            parsed = parse_duration(value)
        except ValueError:
            self.fail(path, expected, value)
        if not minimum <= parsed <= maximum:
            self.fail(
                path,
                f"a duration from {format_duration(minimum)} to {format_duration(maximum)}",
                value,
            )
        return parsed

    def decimal(
        self, value: object, path: str, minimum: Decimal, maximum: Decimal = Decimal("1e9")
    ) -> Decimal:
        expected = f"a number from {minimum} to {maximum:f}"
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(path, expected, value)
        text = str(value).strip()
        if not text.isascii():  # Decimal reads "３０" as 30: a typo, not a number
            self.fail(path, expected, value)
        try:
            number = Decimal(text)
        except InvalidOperation:
            self.fail(path, expected, value)
        if not number.is_finite() or not minimum <= number <= maximum:
            self.fail(path, expected, value)
        return number

    def positive_decimal(
        self, value: object, path: str, maximum: Decimal = Decimal("1e9")
    ) -> Decimal:
        number = self.decimal(value, path, Decimal(0), maximum)
        if number == 0:
            self.fail(path, "a number greater than 0", value)
        return number

    def base_url(self, value: object, path: str, template: bool = False) -> str:
        expected = (
            'an http(s) URL of scheme, host and optional path prefix, like "https://www.nbkr.kg"'
        )
        host = r"([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])"
        if template:  # "{date}" may stand anywhere in the host or path
            host = r"([A-Za-z0-9.\-{}]+|\[[0-9A-Fa-f:.]+\])"
        if not isinstance(value, str) or not re.fullmatch(
            rf"https?://{host}(:\d{{1,5}})?(/[^\s?#]*)?", value
        ):
            self.fail(path, expected, value)
        authority = value.split("://", 1)[1].split("/", 1)[0]
        port = authority.rsplit(":", 1)[1] if re.search(r":\d+$", authority) else None
        hostname = authority[: -len(port) - 1] if port else authority
        if (port is not None and not 0 < int(port) < 65536) or not hostname.strip("."):
            self.fail(path, expected, value)
        return value.rstrip("/")


def configured(settings: Settings) -> list[tuple[str, str]]:
    """(source, indicator) of every enabled indicators source, in configuration order."""
    return [
        (source, code)
        for source in settings.enabled_providers("indicators")
        for code in settings.providers[source].indicators
    ]
