from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Engine, Index, MetaData, String, Table, inspect, text
from sqlmodel import SQLModel

from tests.helpers.factories import obs
from ticker.errors import StorageError
from ticker.model.records import RuleState
from ticker.storage import migrations
from ticker.storage import tables as _tables  # noqa: F401  (registers the models)
from ticker.storage.db import make_engine, normalize_url, open_database
from ticker.storage.repository import Repository


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(normalize_url(db_url), timedelta(seconds=2))
    yield eng
    eng.dispose()


def _schema(engine: Engine) -> dict[str, object]:
    """What matters of a database's schema, in comparable form."""
    insp = inspect(engine)
    dialect = engine.dialect
    result: dict[str, object] = {}
    for name in sorted(insp.get_table_names()):
        if name == migrations.SCHEMA_TABLE:
            continue
        result[name] = {
            "columns": sorted(
                (c["name"], str(c["type"].compile(dialect=dialect)), c["nullable"])
                for c in insp.get_columns(name)
            ),
            "pk": sorted(insp.get_pk_constraint(name)["constrained_columns"]),
            "unique": sorted(
                (u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(name)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]))
                for i in insp.get_indexes(name)
                if str(i["name"]).startswith("ix_")
            ),
            "fks": sorted(
                (
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    (f.get("options") or {}).get("ondelete"),
                )
                for f in insp.get_foreign_keys(name)
            ),
        }
    return result


def test_migrations_build_exactly_the_schema_the_models_describe(
    engine: Engine, tmp_path, request: pytest.FixtureRequest
) -> None:
    migrations.upgrade(engine)
    # A second, empty database of the same backend gets the models' create_all.
    if engine.dialect.name == "sqlite":
        other_url = f"sqlite:///{tmp_path / 'models.db'}"
    else:
        other_url = request.getfixturevalue("new_pg_database")()
    other = make_engine(normalize_url(other_url), timedelta(seconds=2))
    try:
        SQLModel.metadata.create_all(other)
        assert _schema(engine) == _schema(other)
    finally:
        other.dispose()


def _insert_v1_rows(conn: Connection) -> None:
    """Rows written the way the first schema's program wrote them (plain SQL)."""
    conn.execute(
        text(
            "INSERT INTO observation (provider, base, quote, as_of, rate, derived, fetched_at) "
            "VALUES ('nbk', 'USD', 'KZT', :d1, '478.77', :f, :t), "
            "('cbr', 'USD', 'UZS', :d1, '0.0000539256', :tr, :t)"
        ),
        {"d1": "2026-11-20", "f": False, "tr": True, "t": "2026-11-20 09:30:15.123456"},
    )


def test_database_made_by_the_first_schema_opens_with_every_row(
    engine: Engine, db_url: str
) -> None:
    assert migrations.upgrade(engine, target=1) == (0, 1)
    with engine.begin() as conn:
        _insert_v1_rows(conn)
    engine.dispose()

    db = open_database(db_url)
    try:
        assert db.schema_before == 1
        with db.engine.connect() as conn:
            assert migrations.current_version(conn) == migrations.HEAD
        repo = Repository(db)
        assert repo.count_observations() == 2
        (kzt,) = repo.history("KZT")
        assert str(kzt.rate) == "478.77"
        (uzs,) = repo.history("UZS")
        assert str(uzs.rate) == "0.0000539256" and uzs.derived
    finally:
        db.dispose()


FROZEN = Path(__file__).resolve().parents[1] / "fixtures" / "db"


def _load_frozen_v1(engine: Engine) -> None:
    """Load the committed v1 database (made by the first schema) into an empty database."""
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            raw.execute("PRAGMA foreign_keys = OFF")  # the dump orders tables by name
            raw.executescript((FROZEN / "schema_v1.sqlite.sql").read_text())
        else:
            raw.cursor().execute((FROZEN / "schema_v1.postgresql.sql").read_text())
            raw.commit()
    finally:
        raw.close()


def test_the_frozen_first_schema_database_upgrades_keeping_every_row(
    engine: Engine, db_url: str
) -> None:
    _load_frozen_v1(engine)
    engine.dispose()
    db = open_database(db_url)
    try:
        assert db.schema_before == 1
        with db.engine.connect() as conn:
            assert migrations.current_version(conn) == migrations.HEAD
            counts = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in (
                    "observation",
                    "quarantined_observation",
                    "alert_rule",
                    "alert_event",
                    "provider_status",
                    "indicator_value",
                )
            }
        assert counts == {
            "observation": 3,
            "quarantined_observation": 1,
            "alert_rule": 1,
            "alert_event": 1,
            "provider_status": 1,
            "indicator_value": 1,
        }
        repo = Repository(db)
        (kzt,) = repo.history("KZT")
        assert (str(kzt.rate), kzt.derived, kzt.as_of.isoformat()) == (
            "478.77",
            False,
            "2026-04-01",
        )
        assert kzt.fetched_at.isoformat() == "2026-04-01T09:30:15.123456+00:00"
        (kgs,) = repo.history("KGS")
        assert str(kgs.rate) == "87.4500"
        (held,) = repo.quarantined("TMT")
        assert held.previous_rate == Decimal("3.50") and "13.71%" in held.reason
        # The v1 config rule is found again by its definition: same id, armed.
        (rule,) = repo.alert_rules()
        assert (rule.id, rule.origin, rule.state) == (1, "config", RuleState())
        repo.sync_config_rules([rule.rule], "/etc/ticker.toml", datetime(2026, 11, 22, tzinfo=UTC))
        assert [r.id for r in repo.alert_rules()] == [1]
        # New rows go in after the old ones (sequences and constraints intact).
        assert repo.add_observations([obs(as_of=date(2026, 4, 2))]) == 1
        assert repo.add_observations([obs(as_of=date(2026, 4, 1))]) == 0
    finally:
        db.dispose()


def _add_note_column(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE observation ADD COLUMN note VARCHAR"))


def _add_note_index(conn: Connection) -> None:
    md = MetaData()
    t = Table("observation", md, Column("note", String))
    Index("ix_observation_note", t.c.note).create(conn)


def _add_then_fail(conn: Connection) -> None:
    _add_note_column(conn)
    raise RuntimeError("migration bug")


def test_upgrade_runs_each_missing_migration_in_order(engine: Engine) -> None:
    future = (
        *migrations.MIGRATIONS,
        migrations.Migration(migrations.HEAD + 1, "note column", _add_note_column),
        migrations.Migration(migrations.HEAD + 2, "note index", _add_note_index),
    )
    migrations.upgrade(engine)
    with engine.begin() as conn:
        _insert_v1_rows(conn)
    assert migrations.upgrade(engine, future) == (migrations.HEAD, migrations.HEAD + 2)
    insp = inspect(engine)
    assert "note" in {c["name"] for c in insp.get_columns("observation")}
    assert "ix_observation_note" in {i["name"] for i in insp.get_indexes("observation")}
    with engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.HEAD + 2
        assert conn.execute(text("SELECT count(*) FROM observation")).scalar() == 2
    # Running again is a no-op.
    assert migrations.upgrade(engine, future) == (migrations.HEAD + 2, migrations.HEAD + 2)


def test_a_failing_migration_leaves_the_database_as_it_was(engine: Engine) -> None:
    migrations.upgrade(engine)
    with engine.begin() as conn:
        _insert_v1_rows(conn)
    broken = (
        *migrations.MIGRATIONS,
        migrations.Migration(migrations.HEAD + 1, "broken", _add_then_fail),
    )
    with pytest.raises(RuntimeError, match="migration bug"):
        migrations.upgrade(engine, broken)
    with engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.HEAD
        assert conn.execute(text("SELECT count(*) FROM observation")).scalar() == 2
    assert "note" not in {c["name"] for c in inspect(engine).get_columns("observation")}


def test_a_newer_schema_is_refused_untouched(engine: Engine, db_url: str) -> None:
    migrations.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(migrations.schema_table.update().values(version=migrations.HEAD + 5))
    engine.dispose()
    with pytest.raises(StorageError, match=r"schema version \d+ is newer than this program"):
        open_database(db_url)
    with engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.HEAD + 5


def test_ticker_tables_without_a_version_are_refused(engine: Engine, db_url: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE observation (id INTEGER PRIMARY KEY, junk VARCHAR)"))
    engine.dispose()
    with pytest.raises(StorageError, match="not a ticker database .*observation.*left untouched"):
        open_database(db_url)
    assert {c["name"] for c in inspect(engine).get_columns("observation")} == {"id", "junk"}


def test_another_programs_database_is_refused_untouched(engine: Engine, db_url: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE someone_elses (x INTEGER)"))
        conn.execute(text("INSERT INTO someone_elses VALUES (42)"))
    engine.dispose()
    with pytest.raises(StorageError, match=r"not a ticker database \(it holds other tables: "):
        open_database(db_url)
    assert inspect(engine).get_table_names() == ["someone_elses"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT x FROM someone_elses")).scalar() == 42


def test_a_version_table_without_its_row_is_refused(engine: Engine, db_url: str) -> None:
    migrations.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(migrations.schema_table.delete())
    engine.dispose()
    with pytest.raises(StorageError, match="ticker_schema has no version row"):
        open_database(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ticker_schema")).scalar() == 0


def test_fixings_with_impossible_dates_stored_by_older_versions_move_to_quarantine(
    engine: Engine,
) -> None:
    migrations.upgrade(engine, target=3)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO observation (provider, base, quote, as_of, rate, derived, fetched_at) "
                "VALUES ('erapi', 'USD', 'KGS', :future, '87', :f, :t), "
                "('erapi', 'USD', 'KGS', :today, '87.45', :f, :t), "
                "('nbkr', 'USD', 'KGS', :tomorrow, '87.40', :f, :t)"
            ),
            {
                "future": "2100-01-01", "today": "2026-11-20", "tomorrow": "2026-11-21",
                "f": False, "t": "2026-11-20 23:30:00",
            },
        )  # fmt: skip
        future_id = conn.execute(
            text("SELECT id FROM observation WHERE as_of = :d"), {"d": "2100-01-01"}
        ).scalar()
        conn.execute(
            text(
                "INSERT INTO alert_event (rule_id, observation_id, fired_at, pair, rate, message) "
                "VALUES (NULL, :o, :t, 'USD/KGS', '87', 'USD/KGS above 86')"
            ),
            {"o": future_id, "t": "2026-11-20 23:31:00"},
        )
    assert migrations.upgrade(engine) == (3, migrations.HEAD)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT provider, as_of FROM observation ORDER BY as_of"))
        assert [(p, str(d)) for p, d in kept] == [("erapi", "2026-11-20"), ("nbkr", "2026-11-21")]
        held = conn.execute(text("SELECT as_of, rate, reason FROM quarantined_observation")).all()
        assert [(str(d), r) for d, r, _ in held] == [("2100-01-01", "87")]
        assert held[0][2] == migrations.IMPOSSIBLE_DATE
        event = conn.execute(text("SELECT observation_id, message FROM alert_event")).one()
        assert tuple(event) == (None, "USD/KGS above 86")


def _insert_v4_rule(conn: Connection, enabled: bool = True) -> None:
    """A rule as the schema 4 program stored it (plain SQL)."""
    conn.execute(
        text(
            "INSERT INTO alert_rule (pair, kind, value, direction, cooldown_seconds, "
            "hysteresis, channels, command, label, origin, enabled, created_at, armed, "
            "last_fired_at) VALUES ('USD/KZT', 'above', '480', 'either', 3600, '0.1', "
            "'[\"toast\", \"bell\"]', '[]', 'weak tenge', 'cli', :e, :t, :f, :t)"
        ),
        {"e": enabled, "t": "2026-11-20 09:30:00", "f": False},
    )


def test_rules_of_a_schema_4_store_come_through_not_snoozed_and_can_be_snoozed(
    engine: Engine, db_url: str
) -> None:
    migrations.upgrade(engine, target=4)
    with engine.begin() as conn:
        _insert_v4_rule(conn)
    engine.dispose()
    db = open_database(db_url)
    try:
        assert db.schema_before == 4
        repo = Repository(db)
        (rule,) = repo.alert_rules()
        fired = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
        assert (rule.rule.label, rule.enabled, rule.snoozed_until) == ("weak tenge", True, None)
        assert rule.state == RuleState(False, fired, None)  # its state is kept
        until = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
        repo.snooze_alert_rule(rule.id, until)
        assert repo.alert_rules()[0].snoozed_until == until
    finally:
        db.dispose()


def test_a_schema_7_store_upgrades_and_keeps_webhook_deliveries_of_its_firings(
    engine: Engine, db_url: str
) -> None:
    migrations.upgrade(engine, target=7)
    with engine.begin() as conn:
        _insert_v4_rule(conn)
        conn.execute(
            text(
                "INSERT INTO alert_event (rule_id, fired_at, pair, rate, message) "
                "VALUES (1, :t, 'USD/KZT', '481.5', 'fired')"
            ),
            {"t": "2026-11-20 09:30:00"},
        )
    assert migrations.upgrade(engine) == (7, migrations.HEAD)
    engine.dispose()
    db = open_database(db_url)
    try:
        repo = Repository(db)
        (event,) = repo.alert_events()
        queued = datetime(2026, 11, 20, 9, 30, 1, tzinfo=UTC)
        repo.queue_webhook(event.id, '{"event_id": 1}', queued)
        repo.queue_webhook(event.id, '{"event_id": "again"}', queued)  # kept once, as first
        (pending,) = repo.pending_webhooks()
        assert pending == (event.id, '{"event_id": 1}', queued)
        repo.settle_webhook(event.id, True, "HTTP 204", queued)
        assert repo.pending_webhooks() == []
    finally:
        db.dispose()
