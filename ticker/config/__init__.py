"""config.toml -> typed, validated settings (:mod:`ticker.config.load` says how).

The names below are loaded when first asked for (``from ticker.config import Settings``
loads :mod:`ticker.config.schema` only): a one-shot read with no config file never loads
the parsers of the sections it has no file for (:mod:`ticker.config.load`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Each public name and the module that owns it.
_OWNER = {
    **dict.fromkeys(("find_config", "load_settings", "parse_config", "read_toml"), "load"),
    "PairsSettings": "pairs",
    **dict.fromkeys(("format_duration", "parse_duration"), "reader"),
    **dict.fromkeys(
        (
            "DEFAULT_KEYS",
            "ENV_CONFIG",
            "ENV_DB_URL",
            "THEMES",
            "CollectorSettings",
            "DisplaySettings",
            "Peg",
            "SanitySettings",
            "Settings",
            "StorageSettings",
            "TelegramSettings",
            "WebhookSettings",
            "configured",
            "describe_database",
            "monetary_asked",
            "monetary_sources",
        ),
        "schema",
    ),  # fmt: skip
    **dict.fromkeys(
        (
            "DEFAULT_INDICATORS",
            "DEFAULT_ROUTING",
            "POLLED_KINDS",
            "PROVIDERS",
            "RATE_PROVIDERS",
            "ProviderSettings",
            "ProviderSpec",
            "off_reason",
            "off_reason_said",
        ),
        "sources",
    ),  # fmt: skip
}

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


def __getattr__(name: str) -> Any:
    owner = _OWNER.get(name)
    if owner is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{owner}"), name)
    globals()[name] = value
    return value
