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
from ticker.i18n.words import _


def provider_names() -> list[str]:
    """Installed provider names, without importing any of them."""
    return sorted(registered())


def load_provider(name: str) -> type[Provider]:
    """The class registered as ``name``; ConfigError naming the installed ones if none."""
    try:
        return provider_class(name)
    except LookupError:
        installed = ", ".join(sorted(registered())) or _("none")
        said = _("unknown provider {name}; installed providers: {installed}")
        raise ConfigError(said.format(name=repr(name), installed=installed)) from None
    except TypeError as err:
        raise ConfigError(str(err)) from None


def build_provider(
    name: str,
    settings: Settings,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    references: bool = True,
) -> Provider:
    """An instance of provider ``name`` configured from ``settings``, asked for the other
    currencies the watched pairs need of it and, with ``references``, those of the
    enabled market boards' pairs whose official rate it is (:func:`asked_currencies`)."""
    from ticker.config import PROVIDERS

    cls = load_provider(name)
    conf = settings.providers[name]
    default = PROVIDERS[name].defaults if name in PROVIDERS else None
    fallback = conf.fallback_url
    mirrored = default is not None and conf.base_url != default.base_url
    if mirrored and default is not None and fallback == default.fallback_url:
        fallback = ""  # a mirror was configured: never fall back to the internet behind it
    extra = asked_currencies(settings, references).get(name, frozenset())
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
    references: bool = True,
) -> list[Provider]:
    """The named providers, or every enabled one of ``kinds``, in configuration order
    (``references``: see :func:`build_provider`; a backfill's leave them out)."""
    chosen = list(names) if names else [n for k in kinds for n in settings.enabled_providers(k)]
    return [build_provider(name, settings, now, references) for name in chosen]


def asked_currencies(settings: Settings, references: bool = True) -> dict[str, frozenset[str]]:
    """Per rate source, the other currencies it is asked for
    (:func:`ticker.model.pair_routes.extra_currencies`): those the ``[pairs] watch``
    pairs need, and with ``references`` each enabled market source's foreign currencies
    of its local central bank, so that every board pair has its official reference (NBT
    asked for EUR and RUB while ``nbt-banks`` is on: ``RUB/TJS`` is stored, not shown).
    The newest fixings only: a backfill leaves the references out (NBKR's history costs
    a page per currency, and nobody asked for those series)."""
    from providers.catalogue import SOURCES
    from ticker.model.pair_routes import board_pairs, extra_currencies

    boards = [SOURCES[n] for n in settings.enabled_providers("market") if n in SOURCES]
    return extra_currencies(
        settings.pairs.others,
        settings.routing,
        settings.enabled_providers("rates"),
        board_pairs(boards) if references else (),
    )
