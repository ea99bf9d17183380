"""A provider another package registers is configured, routed and built like a built-in one."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from providers.registry import GROUP
from tests.helpers.acme import ENTRY_VALUE, Acme
from ticker.config import parse_config
from ticker.core.registry import build_provider
from ticker.errors import ConfigError


@pytest.fixture(autouse=True)
def acme_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    import providers.registry

    real = providers.registry.registered

    def with_acme() -> dict[str, EntryPoint]:
        return {**real(), "acme": EntryPoint("acme", ENTRY_VALUE, GROUP)}

    monkeypatch.setattr(providers.registry, "registered", with_acme)


def test_a_registered_provider_is_configured_routed_and_built() -> None:
    settings = parse_config(
        {
            "providers": {"acme": {"base_url": "https://fx.acme.test", "interval": "5m"}},
            "routing": {"KGS": ["nbkr", "acme"]},
        },
        "config.toml",
    )
    assert "acme" in settings.enabled_providers("rates")
    assert settings.routing["KGS"] == ("nbkr", "acme")
    provider = build_provider("acme", settings)
    assert isinstance(provider, Acme) and provider.base_url == "https://fx.acme.test"


def test_a_registered_provider_needs_its_base_url() -> None:
    with pytest.raises(ConfigError, match=r"providers.acme.base_url: expected a URL \(required"):
        parse_config({"providers": {"acme": {"enabled": True}}}, "config.toml")


def test_an_unknown_provider_is_still_refused() -> None:
    with pytest.raises(ConfigError, match="providers.nosuch: expected one of the keys"):
        parse_config({"providers": {"nosuch": {}}}, "config.toml")
