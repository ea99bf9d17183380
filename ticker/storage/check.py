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
from ticker.i18n.words import _, ngettext
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
            return _("{where} (not created yet; made on first use)").format(where=where)
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
                return _("{where} (empty; ticker's tables are made on first use)").format(
                    where=where
                )
            if path is not None:
                quick_check(engine, where)
            with engine.connect() as conn:
                counts = tuple(conn.execute(_counts(version)).one())
    finally:
        engine.dispose()
    counted = _counted(counts)
    if read_only is not None:
        said = _(
            "{where} (schema v{version}; {counted}; read-only: reading works, "
            "writing needs a writable store)"
        )
    elif version != migrations.HEAD:
        said = _("{where} (schema v{version}, upgraded to v{head} on next use; {counted})")
    else:
        said = _("{where} (schema v{version}; {counted})")
    return said.format(where=where, version=version, head=migrations.HEAD, counted=counted)


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
    n = [int(c) for c in counts]
    said = [ngettext("{n} observation", "{n} observations", n[0]).format(n=n[0])]
    if len(n) > 1:
        said.append(ngettext("{n} market quote", "{n} market quotes", n[1]).format(n=n[1]))
    if len(n) > 2:
        said.append(ngettext("{n} reported rate", "{n} reported rates", n[2]).format(n=n[2]))
    return ", ".join(said)
