"""Where ticker keeps its files, per platform (XDG on Linux).

Nothing here creates directories; callers that write make what they need.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "ticker"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The platform's config file; used when neither --config nor $TICKER_CONFIG is set."""
    return config_dir() / "config.toml"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def db_path() -> Path:
    """The default SQLite history store."""
    return data_dir() / "ticker.db"


def state_dir() -> Path:
    """Logs and other state that is not history."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))
