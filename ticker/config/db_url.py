"""A database URL, checked: the one ``[storage] url`` or ``$TICKER_DB_URL`` gives. A module
of its own, light to import: every command with ``$TICKER_DB_URL`` set checks it, before
any section parser is needed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NoReturn

from ticker.errors import ConfigError
from ticker.i18n.words import _


def check_db_url(url: str, fail: Callable[[str, object], NoReturn]) -> str:
    expected = _(
        'a SQLAlchemy URL like "sqlite:////var/lib/ticker/ticker.db" '
        'or "postgresql://user@host/ticker"'
    )
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", url):
        fail(expected, url)
    if url.lower().startswith("sqlite"):
        path = url.split("://", 1)[1].split("?", 1)[0]
        if path in ("", "/") or ":memory:" in path or "mode=memory" in url:
            fail(_("a SQLite URL naming a file (an in-memory database keeps no history)"), url)
        if not path.startswith("//"):
            fail(
                _(
                    "a SQLite URL with an absolute path, like "
                    '"sqlite:////var/lib/ticker/ticker.db" '
                    "(a relative one changes with the working directory)"
                ),
                url,
            )
    return url


def fail_env(name: str, expected: str, got: object) -> NoReturn:
    from ticker.config.reader import expected_got, shown

    raise ConfigError(expected_got(f"${name}", expected, shown(got)))
