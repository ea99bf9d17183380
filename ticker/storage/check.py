"""A read-only look at the store, for ``ticker config check``.

Never creates, migrates or otherwise writes a database: it only says what is there, and
raises the same errors opening it for real would. It agrees with the commands: a SQLite
file that fails SQLite's quick check (the one every writing command runs first) is
refused in the same line, and a store on a read-only mount is read as the reading
commands read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Executable, ScalarSelect, func, select
from sqlmodel import SQLModel

from ticker.config import Settings, describe_database
from ticker.storage import migrations
from ticker.storage.db import (
    check_sqlite_file,
    make_engine,
    normalize_url,
    quick_check,
    read_only_mode,
    read_only_url,
    refuse_unreadable,
    sqlite_file,
    storage_errors,
)
from ticker.storage.tables import MarketQuoteRow, ObservationRow, ReportedRateRow, table_of
from ticker.storage.version import MARKET_SCHEMA


def describe_store(settings: Settings) -> str:
    """One phrase on the state of the configured store; raises StorageError if unusable."""
    url = normalize_url(settings.database_url, settings.database_url_origin)
    where = describe_database(settings.database_url)
    path = sqlite_file(url) if url.get_backend_name() == "sqlite" else None
    read_only: str | None = None
    if path is not None:
        where = str(path)
        if not path.exists():
            if not path.parent.is_dir() and not settings.uses_default_database:
                check_sqlite_file(path, create_parent=False)  # raises: no such directory
            return f"{where} (not created yet; made on first use)"
        check_sqlite_file(path, create_parent=False)
        read_only = read_only_mode(path)
        if read_only is not None:
            url = read_only_url(path, read_only)
    engine = make_engine(url, settings.storage.busy_timeout)
    try:
        with storage_errors(where, settings.storage.busy_timeout):
            version = migrations.check_ours(engine, where)
            if read_only is not None:
                refuse_unreadable(where, version)
            if version is None:
                return f"{where} (empty; ticker's tables are made on first use)"
            if path is not None:
                quick_check(engine, where)
            with engine.connect() as conn:
                counts = tuple(conn.execute(_counts(version)).one())
    finally:
        engine.dispose()
    upgrade = ""
    if read_only is None and version != migrations.HEAD:
        upgrade = f", upgraded to v{migrations.HEAD} on next use"
    fenced = "; read-only: reading works, writing needs a writable store" if read_only else ""
    return f"{where} (schema v{version}{upgrade}; {_counted(counts)}{fenced})"


def _counts(version: int) -> Executable:
    """One statement counting the observations and, in a schema that has them, the
    market quotes (every stored price) and the reported rates."""

    def count(row: type[SQLModel]) -> ScalarSelect[int]:
        return select(func.count()).select_from(table_of(row)).scalar_subquery()

    counted = [count(ObservationRow)]
    if version >= MARKET_SCHEMA:
        counted += [count(MarketQuoteRow), count(ReportedRateRow)]
    return select(*counted)


def _counted(counts: Sequence[Any]) -> str:
    """``2 observations, 40 market quotes, 1 reported rate``."""
    words = ("observation", "market quote", "reported rate")
    return ", ".join(
        f"{n} {word}{'' if n == 1 else 's'}" for n, word in zip(counts, words, strict=False)
    )
