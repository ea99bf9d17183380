"""The errors a feed client raises (re-exported by :mod:`providers.base`).

Every error names the provider, the URL and the reason::

    ProviderError
    ├── ProviderUnavailable     transient: timeouts, connection errors, HTTP 5xx, 429
    ├── ProviderAuthError       HTTP 401/403, missing or rejected key
    └── ProviderResponseError   the response is not what the source documents
        ├── NoFixing            a dated request on a day the source publishes nothing
        └── StaleSource         the newest fixing the source has is older than its calendar allows

Its own module, without a dataclass or a feed client's import, so that
:mod:`ticker.errors` (on every command's path) costs next to nothing.
"""

from __future__ import annotations

__all__ = [
    "NoFixing",
    "ProviderAuthError",
    "ProviderError",
    "ProviderResponseError",
    "ProviderUnavailable",
    "StaleSource",
]


class ProviderError(Exception):
    """A feed could not be read. Carries the provider, the URL and the reason."""

    def __init__(self, provider: str, url: str, reason: str) -> None:
        super().__init__(f"{provider}: {reason} ({url})")
        self.provider = provider
        self.url = url
        self.reason = reason


class ProviderUnavailable(ProviderError):
    """Transient failure: worth retrying later (after ``retry_after`` seconds if given)."""

    def __init__(
        self, provider: str, url: str, reason: str, retry_after: float | None = None
    ) -> None:
        super().__init__(provider, url, reason)
        self.retry_after = retry_after


class ProviderAuthError(ProviderError):
    """The source refused us (401/403) or needs a key we do not have."""


class ProviderResponseError(ProviderError):
    """The response could not be parsed or does not match the documented format."""


class NoFixing(ProviderResponseError):
    """The source has no fixing for the date asked (a weekend, a holiday, or not published
    yet), which is not a fault."""


class StaleSource(ProviderResponseError):
    """The source answers, but its newest fixing is older than its calendar allows (or it
    has published nothing within the lookback)."""
