"""The read side: the store read on the driver's own connection gives exactly what the
write side's repository gives, on both backends, and hands every store it cannot read as
it is to the write side first."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import IndicatorValue
from tests.conftest import REPO
from tests.helpers.factories import obs
from tests.helpers.seeded import seed
from ticker.config import Settings
from ticker.errors import StorageError
from ticker.model.pairs import parse_pair
from ticker.model.records import IndicatorRefusal, NewEvent, Quarantined
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.db import Database, make_engine, normalize_url, open_database
from ticker.storage.migrations import upgrade
from ticker.storage.reader import StoreReader, address_of, open_reads, opened_reads
from ticker.storage.repository import Repository
from ticker.storage.version import HEAD

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def settings_at(url: str) -> Settings:
    base = Settings()
    return dataclasses.replace(base, storage=dataclasses.replace(base.storage, url=url))


def _fill(repo: Repository) -> None:
    seed(repo)
    repo.store(
        [obs("KZT", "478.80", date(2026, 11, 24), "nbk")],
        [Quarantined(obs("KZT", "4787.7", date(2026, 11, 23), "erapi", True), "x10 off", None)],
    )
    rule = AlertRuleConfig(parse_pair("USD/KZT"), AlertKind.ABOVE, value=Decimal("480.5"))
    rule_id = repo.add_alert_rule(rule, "cli", NOW)
    observation_id = repo.observation_id("KZT", "nbk", date(2026, 11, 24))
    repo.apply_alert(
        rule_id,
        lambda state, _muted: (
            state._replace(armed=False, last_fired_at=NOW),
            NewEvent(observation_id, "USD/KZT", Decimal("478.80"), "USD/KZT above 480.5"),
        ),
        NOW,
    )
    repo.store_indicators(
        [
            IndicatorValue("worldbank", "NY.GDP", "KAZ", "2024", Decimal("1.5e11"), False, NOW),
            IndicatorValue("worldbank", "NY.GDP", "KGZ", "2024", None, False, NOW),
        ]
    )
    repo.record_refusals("worldbank", {"FI.RES.GOLD.CD": "archived (error 175)"}, NOW)


def _answers(reads: object) -> dict[str, object]:
    """Every read the screens and commands make."""
    r = reads
    return {
        "latest": r.latest_per_provider(["KZT", "KGS", "TMT"], ["nbk", "nbkr", "cbr", "cbt"]),  # type: ignore[attr-defined]
        "last": r.last_fixings("KZT", "nbk", 5),  # type: ignore[attr-defined]
        "recent": r.recent_fixings([("KGS", "nbkr"), ("KZT", "cbr")], 3),  # type: ignore[attr-defined]
        "on": r.fixing_on("KZT", "nbk", date(2026, 11, 20)),  # type: ignore[attr-defined]
        "history": r.history("KZT", date(2026, 11, 1), date(2026, 11, 30)),  # type: ignore[attr-defined]
        "held": r.quarantined("KZT", limit=5),  # type: ignore[attr-defined]
        "health": r.load_health(),  # type: ignore[attr-defined]
        "rules": r.alert_rules(),  # type: ignore[attr-defined]
        "events": r.alert_events(10),  # type: ignore[attr-defined]
        "last_event": r.last_event_id(),  # type: ignore[attr-defined]
        "indicators": r.indicator_points(countries=["KAZ", "KGZ"]),  # type: ignore[attr-defined]
        "refusals": r.indicator_refusals(),  # type: ignore[attr-defined]
        "count": r.count_observations(),  # type: ignore[attr-defined]
        "providers": r.stored_providers(),  # type: ignore[attr-defined]
        "rule_ids": r.rule_ids(),  # type: ignore[attr-defined]
        "before": r.fixings_before(BEFORE),  # type: ignore[attr-defined]
        "ids": r.observation_ids(IDS),  # type: ignore[attr-defined]
    }


#: (local, provider, day): the last fixing before the day (none before the first).
BEFORE = [
    ("KZT", "nbk", date(2026, 11, 24)),
    ("KZT", "nbk", date(2026, 11, 20)),
    ("KZT", "nbk", date(2000, 1, 1)),
    ("KGS", "nbkr", date(2026, 11, 24)),
]
#: (local, provider, day): a stored fixing's id (none for a day without one).
IDS = [("KZT", "nbk", date(2026, 11, 24)), ("KZT", "nbk", date(2000, 1, 1))]


def test_the_reader_reads_what_the_repository_reads(database: Database) -> None:
    repo = Repository(database)
    _fill(repo)
    settings = settings_at(str(database.engine.url.render_as_string(hide_password=False)))
    expected = _answers(repo)
    with opened_reads(settings) as reads:
        assert isinstance(reads, StoreReader)
        got = _answers(reads)
    assert got == expected
    # And the values are what was stored: exact decimals, aware UTC times, real dates.
    latest = got["last"][-1]  # type: ignore[index]
    assert latest.rate == Decimal("478.80") and str(latest.rate) == "478.80"
    assert latest.as_of == date(2026, 11, 24)
    assert latest.fetched_at.tzinfo is UTC
    assert got["events"][0].provider == "nbk"  # type: ignore[index]
    assert got["indicators"][1].value is None  # type: ignore[index]
    assert got["held"][0].observation.rate == Decimal("4787.7")  # type: ignore[index]
    before = got["before"]
    assert set(before) == {BEFORE[0], BEFORE[1], BEFORE[3]}  # type: ignore[call-overload]
    assert before[BEFORE[0]].as_of == date(2026, 11, 23)  # type: ignore[index]
    assert before[BEFORE[1]].as_of == date(2026, 11, 19)  # type: ignore[index]
    assert before[BEFORE[3]].provider == "nbkr"  # type: ignore[index]
    assert got["ids"] == {IDS[0]: repo.observation_id("KZT", "nbk", date(2026, 11, 24))}
    assert got["refusals"] == [
        IndicatorRefusal("worldbank", "FI.RES.GOLD.CD", "archived (error 175)", NOW)
    ]


def test_a_store_that_needs_a_migration_is_migrated_once_then_read(tmp_path: Path) -> None:
    db_path = tmp_path / "old.db"
    engine = make_engine(normalize_url(f"sqlite:///{db_path}"), timedelta(seconds=2))
    upgrade(engine, target=3)  # a store as the schema 3 program left it
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO observation (provider, base, quote, as_of, rate, derived, fetched_at) "
            "VALUES ('nbk', 'USD', 'KZT', '2026-11-20', '478.77', 0, '2026-11-20 09:30:00')"
        )
    settings = settings_at(f"sqlite:///{db_path}")
    with opened_reads(settings) as reads:
        assert isinstance(reads, StoreReader)
        assert reads.count_observations() == 1
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version FROM ticker_schema").fetchall() == [(HEAD,)]


def test_a_newer_store_says_so(tmp_path: Path) -> None:
    db_path = tmp_path / "new.db"
    open_database(f"sqlite:///{db_path}").dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE ticker_schema SET version = ?", (HEAD + 1,))
    with pytest.raises(StorageError, match=f"schema version {HEAD + 1} is newer"):
        open_reads(settings_at(f"sqlite:///{db_path}"))


def test_not_a_database_is_refused_in_the_write_sides_words(tmp_path: Path) -> None:
    db_path = tmp_path / "notes.db"
    db_path.write_text("my notes\n")
    with pytest.raises(StorageError, match="not a SQLite database"):
        open_reads(settings_at(f"sqlite:///{db_path}"))
    assert db_path.read_text() == "my notes\n"


def test_a_read_only_file_is_read_as_it_is(tmp_path: Path) -> None:
    db_path = tmp_path / "ro.db"
    db = open_database(f"sqlite:///{db_path}")
    Repository(db).add_observations([obs()])
    db.dispose()
    db_path.chmod(0o444)
    before = db_path.read_bytes()
    try:
        with opened_reads(settings_at(f"sqlite:///{db_path}"), lambda: NOW) as reads:
            assert reads.count_observations() == 1
    finally:
        db_path.chmod(0o644)
    assert db_path.read_bytes() == before


def test_config_rules_are_brought_in_once_then_only_read(tmp_path: Path) -> None:
    db_path = tmp_path / "t.db"
    open_database(f"sqlite:///{db_path}").dispose()
    rule = AlertRuleConfig(parse_pair("KZT/USD"), AlertKind.BELOW, value=Decimal("0.002"))
    settings = dataclasses.replace(settings_at(f"sqlite:///{db_path}"), alerts=(rule,))
    with opened_reads(settings, lambda: NOW) as reads:
        (stored,) = reads.alert_rules()
        assert stored.rule == rule and stored.origin == "config"
    with sqlite3.connect(db_path) as conn:
        changes = conn.execute("SELECT total_changes()").fetchone()
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        with opened_reads(settings, lambda: NOW) as reads:
            assert [r.id for r in reads.alert_rules()] == [stored.id]
        assert conn.execute("PRAGMA data_version").fetchone()[0] == version  # nothing written
        assert conn.execute("SELECT total_changes()").fetchone() == changes


def test_an_in_memory_store_goes_through_the_write_side() -> None:
    reads = open_reads(settings_at("sqlite://"))
    try:
        assert isinstance(reads, Repository)
        assert reads.count_observations() == 0
    finally:
        reads.close()


@pytest.mark.parametrize(
    ("url", "dialect", "where"),
    [
        ("sqlite:////tmp/x.db", "sqlite", "/tmp/x.db"),
        ("sqlite:///rel/x.db", "sqlite", "rel/x.db"),
        ("postgresql://u:secret@h:5/db", "postgresql", "postgresql://u:***@h:5/db"),
        ("postgresql+psycopg://u@h/db?sslmode=require", "postgresql", None),
    ],
)
def test_plain_urls_are_read_directly(url: str, dialect: str, where: str | None) -> None:
    address = address_of(url)
    assert address is not None and address.dialect == dialect
    if where is not None:
        assert address.where == where
    if dialect == "postgresql":
        assert address.conninfo is not None and address.conninfo.startswith("postgresql://")


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "sqlite:///a%20b.db", "mysql://h/db", "nonsense"]
)
def test_other_urls_go_to_the_write_side(url: str) -> None:
    assert address_of(url) is None


def test_the_readers_load_no_orm(tmp_path: Path) -> None:
    """strip, rates, providers, alerts list/history, indicators and export read without
    SQLAlchemy, SQLModel or pydantic in the process."""
    db_path = tmp_path / "t.db"
    repo = Repository(open_database(f"sqlite:///{db_path}"))
    _fill(repo)
    repo.close()
    code = (
        "import sys, json\n"
        "from ticker.cli import main\n"
        "codes = [main(a.split()) for a in sys.argv[1:]]\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic', 'httpx') "
        "if m in sys.modules)\n"
        "print(json.dumps([codes, heavy]), file=sys.stderr)\n"
    )
    commands = [
        "strip",
        "rates --json",
        "providers",
        "alerts list",
        "alerts history",
        "indicators --json",
        f"export -o {tmp_path / 'out.csv'}",
        "export --best",
        "export --indicators",
        "convert 10000 KZT KGS",
    ]
    env = {"TICKER_DB_URL": f"sqlite:///{db_path}", "TICKER_NOW": "2026-11-23T09:00:00+00:00"}
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-c", code, command],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**_env(tmp_path), **env},
            timeout=60,
        )
        codes, heavy = json.loads(done.stderr.strip().splitlines()[-1])
        assert codes == [0], (command, done.stderr)
        assert heavy == [], command


def _env(tmp_path: Path) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env.pop("TICKER_CONFIG", None)
    return env


def test_the_readers_statements_are_timed_out_like_the_writers(tmp_path: Path) -> None:
    settings = settings_at(f"sqlite:///{tmp_path / 't.db'}")
    open_database(settings.database_url).dispose()
    with opened_reads(settings) as reads:
        assert isinstance(reads, StoreReader)
        assert reads.busy_timeout == settings.storage.busy_timeout
        assert reads.where == str(tmp_path / "t.db")


def test_a_postgresql_server_that_is_not_there_is_said_as_the_write_side_says_it() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = settings_at(f"postgresql://ticker:secret@127.0.0.1:{port}/ticker")
    with pytest.raises(StorageError) as read_side:
        open_reads(settings)
    from ticker.storage.repository import open_repository

    with pytest.raises(StorageError) as write_side:
        open_repository(settings)
    assert str(read_side.value) == str(write_side.value)
    message = str(read_side.value)
    assert message.startswith(f"postgresql://ticker:***@127.0.0.1:{port}/ticker: ")
    assert "secret" not in message and "\n" not in message
