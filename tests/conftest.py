from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings

from tests.helpers.pgserver import postgres_server
from ticker.i18n.choice import use
from ticker.storage.db import Database, open_database

REPO = Path(__file__).resolve().parent.parent
# CI runs the property tests with a fixed seed (a red CI must be reproducible); local runs
# keep exploring new examples.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test reads or writes the real user's config, data or state, nor depends on the
    machine's locale or zone: English and UTC unless the test says otherwise (a test in
    Russian or at ``TZ=Asia/Bishkek`` sets it; the words and the zone are reset after)."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    for var in ("TICKER_CONFIG", "TICKER_DB_URL", "TICKER_DEBUG", "TICKER_FXKG_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    for var in ("LC_ALL", "LC_MESSAGES", "LC_NUMERIC", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    use(None, {})
    yield home
    use(None, {})


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


_db_names = itertools.count()


@pytest.fixture
def new_pg_database(postgres_url: str) -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty PostgreSQL databases, dropped after the test."""
    admin = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    made: list[str] = []

    def make() -> str:
        name = f"ticker_test_{next(_db_names)}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return postgres_url.rsplit("/", 1)[0] + "/" + name

    yield make
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in made:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ticker.db'}"
    return str(request.getfixturevalue("new_pg_database")())


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """An opened, migrated store on each backend."""
    db = open_database(db_url, timedelta(seconds=2))
    yield db
    db.dispose()
