"""What the program knows about each source before any config is read: its kind and
its default ``[providers.NAME]`` settings, the default routing of each currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


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
