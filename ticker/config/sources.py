"""What the program knows about each source before any config is read: its kind and
its default ``[providers.NAME]`` settings (both read from the source's record in
:mod:`providers.catalogue`), and the default routing of each currency."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from datetime import timedelta
from typing import TYPE_CHECKING

from providers.catalogue import SOURCES, Kind, Source
from providers.record import Frozen
from ticker.i18n.words import N_, _

if TYPE_CHECKING:
    from dataclasses import dataclass
    from typing import NamedTuple
else:  # the same dataclasses, their methods shared (:mod:`providers.record`); the
    # same NamedTuple, made without compiling its annotations (:mod:`providers.tuples`)
    from providers.record import dataclass
    from providers.tuples import NamedTuple


@dataclass(frozen=True, slots=True)
class ProviderSettings(Frozen):
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
    token: str = field(default="", repr=False)
    """A market source whose record names a token variable (fx-kg): its access token,
    from ``[providers.NAME] token`` or that environment variable (which wins). Never
    shown: not in a message, a log line, nor this record's ``repr``."""
    places: tuple[str, ...] = ()
    """A market source with a page per city (kurs-kz): the cities asked for."""


class ProviderSpec(NamedTuple):
    """What the program knows about a provider before any config is read (a record, read
    only: a named tuple costs every start a quarter of what a frozen dataclass does)."""

    kind: str
    """``"rates"``, ``"market"`` or ``"indicators"`` (the family of its record's kind)."""
    defaults: ProviderSettings
    third_party: bool = False
    """A market source that is not a central bank's own publication: off by default."""
    token_env: str = ""
    """The environment variable of its access token (empty: it takes none)."""
    known_places: tuple[str, ...] = ()
    """The places it has pages for (its record's): ``places`` must be among them."""

    @property
    def takes_places(self) -> bool:
        return bool(self.defaults.places)


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
        places=source.places,
    )


def spec_of(source: Source) -> ProviderSpec:
    """What the configuration knows of a source: its record's kind and defaults."""
    third_party = source.third_party and source.kind is Kind.MARKET
    return ProviderSpec(
        source.kind.family, _defaults(source), third_party, source.token_env, source.known_places
    )


#: Every provider the program knows, with its built-in settings (from its record).
PROVIDERS: dict[str, ProviderSpec] = {name: spec_of(source) for name, source in SOURCES.items()}

#: The indicators fetched unless ``[providers.NAME] indicators`` says otherwise.
DEFAULT_INDICATORS: dict[str, tuple[str, ...]] = {
    name: source.indicators for name, source in SOURCES.items() if source.indicators
}

#: The families of sources the collector polls (``ticker collect``, the dashboard's).
POLLED_KINDS: tuple[str, ...] = ("rates", "indicators", "market")

RATE_PROVIDERS: tuple[str, ...] = tuple(n for n, s in PROVIDERS.items() if s.kind == "rates")


def kind_of(name: str) -> str:
    """A source's family: its record's; a third-party (registered) source's is ``rates``."""
    spec = PROVIDERS.get(name)
    return spec.kind if spec is not None else "rates"


def off_reason(name: str, conf: ProviderSettings) -> str | None:
    """Why a source is not polled, in English words (None: it is): ``off: third party,
    set [providers.fx-kg] enabled = true``, ``off: no token (set [providers.fx-kg] token
    or TICKER_FXKG_TOKEN)``. A value of the JSON outputs: the same bytes in every
    language (:func:`off_reason_said` is the same sentence in the user's)."""
    return _off(name, conf, str)


def off_reason_said(name: str, conf: ProviderSettings) -> str | None:
    """:func:`off_reason` in the user's language, for a person to read."""
    return _off(name, conf, _)


def _off(name: str, conf: ProviderSettings, say: Callable[[str], str]) -> str | None:
    """Why a source is not polled, worded by ``say``: ``str`` keeps the English of the
    messages (their msgids), ``_`` translates them. One place for the three reasons, so
    the English of the JSON and the words a person reads never drift apart; and no
    module-wide language is switched to get the English (:func:`ticker.i18n.choice.
    machine_words` would, for every thread reading words meanwhile)."""
    spec = PROVIDERS.get(name)
    if not conf.enabled:
        if spec is not None and spec.third_party:
            return say(N_("off: third party, set [providers.{name}] enabled = true")).format(
                name=name
            )
        return say(N_("off: set [providers.{name}] enabled = true")).format(name=name)
    if spec is not None and spec.token_env and not conf.token:
        return say(N_("off: no token (set [providers.{name}] token or {variable})")).format(
            name=name, variable=spec.token_env
        )
    return None


_FALLBACKS = ("cbr", "frankfurter", "currencyapi", "erapi")

#: ``[routing]`` defaults: per local currency, providers in order of preference.
DEFAULT_ROUTING: dict[str, tuple[str, ...]] = {
    "KGS": ("nbkr", "nbt", "cbu", *_FALLBACKS),
    "KZT": ("nbk", "nbt", "cbu", *_FALLBACKS),
    "TJS": ("nbt", "cbu", "nbk", *_FALLBACKS),
    "UZS": ("cbu", "nbt", "nbk", *_FALLBACKS),
    "TMT": ("cbt", "nbt", "cbu", *_FALLBACKS),
}


def polled(providers: Mapping[str, ProviderSettings], kind: str) -> list[str]:
    """The sources of ``kind`` among ``providers`` that are polled (not off), in order."""
    return [n for n, conf in providers.items() if kind_of(n) == kind and not off_reason(n, conf)]
