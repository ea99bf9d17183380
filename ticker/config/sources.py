"""What the program knows about each source before any config is read: its kind and
its default ``[providers.NAME]`` settings (both read from the source's record in
:mod:`providers.catalogue`), and the default routing of each currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from providers.catalogue import SOURCES, Kind, Source


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
    """``"rates"``, ``"market"`` or ``"indicators"`` (the family of its record's kind)."""
    defaults: ProviderSettings


def _defaults(source: Source) -> ProviderSettings:
    """A built-in source's ``[providers.NAME]`` before any config is read: its record's."""
    return ProviderSettings(
        enabled=not (source.third_party and source.kind is Kind.MARKET),
        interval=source.interval,
        timeout=source.timeout,
        base_url=source.base_url,
        backfill_concurrency=source.backfill_concurrency,
        backfill_delay=source.backfill_delay,
        fallback_url=source.fallback_url,
        indicators=source.indicators,
    )


#: Every provider the program knows, with its built-in settings (from its record).
PROVIDERS: dict[str, ProviderSpec] = {
    name: ProviderSpec(source.kind.family, _defaults(source)) for name, source in SOURCES.items()
}

#: The indicators fetched unless ``[providers.NAME] indicators`` says otherwise.
DEFAULT_INDICATORS: dict[str, tuple[str, ...]] = {
    name: source.indicators for name, source in SOURCES.items() if source.indicators
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
