"""config.toml -> typed, validated settings (:mod:`ticker.config.load` says how)."""

from __future__ import annotations

from ticker.config.load import find_config, load_settings, parse_config, read_toml
from ticker.config.pairs import PairsSettings
from ticker.config.reader import format_duration, parse_duration
from ticker.config.schema import (
    DEFAULT_KEYS,
    ENV_CONFIG,
    ENV_DB_URL,
    THEMES,
    CollectorSettings,
    DisplaySettings,
    Peg,
    SanitySettings,
    Settings,
    StorageSettings,
    TelegramSettings,
    WebhookSettings,
    configured,
    describe_database,
    monetary_asked,
    monetary_sources,
)
from ticker.config.sources import (
    DEFAULT_INDICATORS,
    DEFAULT_ROUTING,
    POLLED_KINDS,
    PROVIDERS,
    RATE_PROVIDERS,
    ProviderSettings,
    ProviderSpec,
    off_reason,
    off_reason_said,
)

__all__ = [
    "CollectorSettings",
    "DEFAULT_INDICATORS",
    "DEFAULT_KEYS",
    "DEFAULT_ROUTING",
    "DisplaySettings",
    "ENV_CONFIG",
    "ENV_DB_URL",
    "POLLED_KINDS",
    "PROVIDERS",
    "PairsSettings",
    "Peg",
    "ProviderSettings",
    "ProviderSpec",
    "RATE_PROVIDERS",
    "SanitySettings",
    "Settings",
    "StorageSettings",
    "THEMES",
    "TelegramSettings",
    "WebhookSettings",
    "configured",
    "describe_database",
    "find_config",
    "format_duration",
    "off_reason",
    "off_reason_said",
    "load_settings",
    "monetary_asked",
    "monetary_sources",
    "parse_config",
    "parse_duration",
    "read_toml",
]
