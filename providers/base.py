"""What every feed client shares: the data it returns and the errors it raises.

Providers build requests and parse responses; they never store, never draw, and never
import ``ticker``.

Error tree (every error names the provider, the URL and the reason)::

    ProviderError
    ├── ProviderUnavailable     transient: timeouts, connection errors, HTTP 5xx, 429
    ├── ProviderAuthError       HTTP 401/403, missing or rejected key
    └── ProviderResponseError   the response is not what the source documents
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

__all__ = [
    "IndicatorValue",
    "Observation",
    "ProviderAuthError",
    "ProviderError",
    "ProviderResponseError",
    "ProviderUnavailable",
]


@dataclass(frozen=True, slots=True)
class Observation:
    """One published rate: ``rate`` units of ``quote`` for one ``base``.

    ``rate`` has already been divided by the source's nominal. ``as_of`` is the
    effective date the source declares; ``fetched_at`` is when we received it (UTC,
    timezone-aware). ``derived`` marks a cross computed from two quotes of another
    currency rather than a direct quote of the pair.
    """

    provider: str
    base: str
    quote: str
    as_of: date
    rate: Decimal
    derived: bool
    fetched_at: datetime

    def __post_init__(self) -> None:
        if not isinstance(self.rate, Decimal) or not self.rate.is_finite() or self.rate <= 0:
            raise ValueError(f"rate must be a positive finite Decimal, got {self.rate!r}")
        if self.fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        if self.base == self.quote:
            raise ValueError(f"base and quote are both {self.base}")


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """One value of an economic indicator for a country and period (``"2024"``).

    ``value`` is ``None`` where the source publishes the period as missing; it is
    never replaced by zero. ``is_forecast`` marks projections (IMF WEO years at or
    after the current one).
    """

    source: str
    indicator: str
    country: str
    period: str
    value: Decimal | None
    is_forecast: bool
    fetched_at: datetime

    def __post_init__(self) -> None:
        if self.value is not None and not self.value.is_finite():
            raise ValueError(f"value must be finite or None, got {self.value!r}")
        if self.fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")


class ProviderError(Exception):
    """A feed could not be read. Carries the provider, the URL and the reason."""

    def __init__(self, provider: str, url: str, reason: str) -> None:
        super().__init__(f"{provider}: {reason} ({url})")
        self.provider = provider
        self.url = url
        self.reason = reason


class ProviderUnavailable(ProviderError):
    """Transient failure: worth retrying later."""


class ProviderAuthError(ProviderError):
    """The source refused us (401/403) or needs a key we do not have."""


class ProviderResponseError(ProviderError):
    """The response could not be parsed or does not match the documented format."""
