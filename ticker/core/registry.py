"""Finding provider classes through the ``ticker.providers`` entry points.

Three levels of cost: :func:`provider_names` imports nothing, :func:`load_provider`
imports one, :func:`build_providers` imports the enabled ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from providers.base import Provider, ProviderOptions
from providers.registry import provider_class, registered
from ticker.config import Settings
from ticker.errors import ConfigError


def provider_names() -> list[str]:
    """Installed provider names, without importing any of them."""
    return sorted(registered())


def load_provider(name: str) -> type[Provider]:
    """The class registered as ``name``; ConfigError naming the installed ones if none."""
    try:
        return provider_class(name)
    except LookupError:
        installed = ", ".join(sorted(registered())) or "none"
        raise ConfigError(f"unknown provider {name!r}; installed providers: {installed}") from None
    except TypeError as err:
        raise ConfigError(str(err)) from None


def build_provider(
    name: str, settings: Settings, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Provider:
    """An instance of provider ``name`` configured from ``settings``."""
    from ticker.config import PROVIDERS

    cls = load_provider(name)
    conf = settings.providers[name]
    default = PROVIDERS[name].defaults if name in PROVIDERS else None
    fallback = conf.fallback_url
    mirrored = default is not None and conf.base_url != default.base_url
    if mirrored and default is not None and fallback == default.fallback_url:
        fallback = ""  # a mirror was configured: never fall back to the internet behind it
    from ticker.model.pair_routes import extra_currencies

    extra = extra_currencies(
        settings.pairs.others, settings.routing, settings.enabled_providers("rates")
    ).get(name, frozenset())
    options = ProviderOptions(
        fallback_url=fallback,
        indicators=tuple(conf.indicators),
        token=conf.token,
        places=conf.places,
        extra_currencies=extra,
    )
    return cls(conf.base_url, conf.timeout.total_seconds(), now, options)


def build_providers(
    settings: Settings,
    names: Sequence[str] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    kinds: Sequence[str] = ("rates",),
) -> list[Provider]:
    """The named providers, or every enabled one of ``kinds``, in configuration order."""
    chosen = list(names) if names else [n for k in kinds for n in settings.enabled_providers(k)]
    return [build_provider(name, settings, now) for name in chosen]
