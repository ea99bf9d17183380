"""Errors the user can see.

Every failure that reaches the command line is one of these, and the CLI turns it into
one line on stderr and an exit code; no traceback reaches a user.

    TickerError(message)            base; ``str(err)`` is the one line shown
    ├── UsageError                  bad command-line input            (exit 2)
    ├── ConfigError                 bad or unreadable configuration   (exit 2)
    └── StorageError                database missing, corrupt, locked (exit 2)

Feed failures live in :mod:`providers.errors` (``ProviderError`` and its subclasses),
because ``providers`` never imports ``ticker``; they are re-exported here so the rest
of the program can catch everything from one module.
"""

from __future__ import annotations

from providers.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderResponseError,
    ProviderUnavailable,
)

__all__ = [
    "ConfigError",
    "ProviderAuthError",
    "ProviderError",
    "ProviderResponseError",
    "ProviderUnavailable",
    "StorageError",
    "TickerError",
    "UsageError",
    "internal_error",
]


class TickerError(Exception):
    """Base of every error with a message meant for the user."""

    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(TickerError):
    """The command line asked for something invalid."""


class ConfigError(TickerError):
    """The configuration file or an environment override is invalid or unreadable."""


class StorageError(TickerError):
    """The database cannot be opened, read or written (corrupt, locked, wrong schema)."""


def internal_error(err: BaseException) -> str:
    """What a bug of ours is called where it is shown instead of stopping the program
    (a source's round, a backfill request): ``internal error: KeyError: 'x'``."""
    from ticker.i18n.words import _

    return _("internal error: {kind}: {error}").format(kind=type(err).__name__, error=err)
