"""The dashboard's look at the store (headless): after someone's commit, one statement (the
data mark) says whether anything shown moved, and the screen is read only when it did. A
collector's heartbeat commits every few seconds and moves nothing shown."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY
from tests.helpers.looks import look, looking, seeded_store, statements
from tests.helpers.seeded import seed
from ticker.config import Settings
from ticker.core.session import STATE_REREAD, StoreSession
from ticker.model.pairs import Orientation, parse_pair
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.db import open_database
from ticker.storage.repository import Repository
from ticker.storage.sql import DATA_MARK

PATIENCE = 60.0
"""A hang guard for the listener's thread, never a limit a test asserts."""


def _tomorrow_from(provider: str, rate: str) -> Observation:
    return Observation(provider, "USD", "KGS", TODAY + timedelta(days=1), Decimal(rate), False, NOW)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Settings:
    return seeded_store(tmp_path / "t.db")


def test_commits_that_move_nothing_shown_cost_one_statement(sqlite_store: Settings) -> None:
    with looking(sqlite_store) as (session, other, shown):  # other: a collector
        with statements(session) as seen:
            assert look(session, shown) is None
        assert seen == []  # no commit: not even the mark
        # A heartbeat: a collector's lease table written every couple of seconds.
        raw = sqlite3.connect(sqlite_store.database_url.removeprefix("sqlite:///"))
        raw.execute("CREATE TABLE scratch (beat INTEGER)")
        raw.commit()
        for beat in range(3):
            raw.execute("INSERT INTO scratch VALUES (?)", (beat,))
            raw.commit()
            with statements(session) as seen:
                assert session.worth_a_look(shown)  # SQLite counted a commit
                assert look(session, shown) is None
            assert seen == [DATA_MARK]  # the mark, nothing more
        raw.close()
        with statements(session) as seen:
            assert look(session, shown) is None
        assert seen == []  # and a commit is not counted twice
        # A provider's health written again, unchanged (SQLite may not even count it).
        other.save_health(other.load_health()["nbk"])
        with statements(session) as seen:
            assert look(session, shown) is None
        assert set(seen) <= {DATA_MARK}


def test_a_commit_that_moves_the_data_is_read_at_the_next_look(sqlite_store: Settings) -> None:
    with looking(sqlite_store) as (session, other, shown):
        other.store([_tomorrow_from("nbkr", "88.10")])
        with statements(session) as seen:
            fresh = look(session, shown)
        # The mark, what was stored since it, then that pair's fixings alone (not the
        # snapshot's four: tests/core/test_changed_rows.py).
        assert fresh is not None and len(seen) == 1 + 2
        assert seen[0] == DATA_MARK
        (kgs,) = [v for v in fresh.views if v.local == "KGS"]
        assert kgs.rate == Decimal("88.10")  # USD/KGS, as stored
        assert look(session, fresh) is None  # read once
        # A rule edited in place from the shell (its id and the row count stay).
        rule = AlertRuleConfig(parse_pair("USD/KZT"), AlertKind.ABOVE, value=Decimal("400"))
        rule_id = other.add_alert_rule(rule, "cli", NOW)
        ruled = look(session, fresh)
        assert ruled is not None and [r.enabled for r in ruled.rules] == [True]
        other.set_alert_enabled(rule_id, False)
        paused = look(session, ruled)
        assert paused is not None and [r.enabled for r in paused.rules] == [False]
        other.snooze_alert_rule(rule_id, NOW + timedelta(hours=1))
        snoozed = look(session, paused)
        assert snoozed is not None
        assert [r.snoozed_until for r in snoozed.rules] == [NOW + timedelta(hours=1)]
        # A new health state from a failing round: the provider's last attempt moved.
        health = other.load_health()["nbkr"]
        later = NOW + timedelta(minutes=1)
        other.save_health(dataclasses.replace(health, last_attempt=later, last_error="down"))
        failed = look(session, snoozed)
        assert failed is not None and failed.health["nbkr"].last_error == "down"


def test_the_state_is_read_again_after_a_while_whatever_was_committed(
    sqlite_store: Settings,
) -> None:
    clock = [NOW]
    session = StoreSession(sqlite_store, lambda: clock[0])
    try:
        shown = session.snapshot(Orientation.PER_USD, None)
        assert shown is not None
        clock[0] = NOW + STATE_REREAD - timedelta(seconds=1)
        assert look(session, shown) is None
        clock[0] = NOW + STATE_REREAD
        with statements(session) as seen:
            again = look(session, shown)
        assert again is not None and again.loaded_at == NOW + STATE_REREAD
        assert len(seen) == 1 + 4
    finally:
        session.close()


def _pg_settings(url: str) -> Settings:
    base = Settings()
    return dataclasses.replace(base, storage=dataclasses.replace(base.storage, url=url))


def _wait(event: threading.Event) -> None:
    assert event.wait(PATIENCE), "the listener never reported"
    event.clear()


def _pg_session(url: str, heard: Callable[[], None]) -> StoreSession:
    repo = Repository(open_database(url))
    seed(repo)
    repo.close()
    return StoreSession(_pg_settings(url), lambda: NOW, heard=heard)


def test_on_postgresql_a_look_waits_for_an_announcement(new_pg_database) -> None:
    url = new_pg_database()
    heard = threading.Event()
    session = _pg_session(url, heard.set)
    other = Repository(open_database(url))
    try:
        shown = session.snapshot(Orientation.PER_USD, None)
        assert shown is not None
        _wait(heard)  # listening (what was committed before it is looked at once)
        assert look(session, shown) is None
        with statements(session) as seen:
            assert not session.worth_a_look(shown)  # nothing announced: no statement
            assert look(session, shown) is None
        assert seen == []
        # A commit nobody announces (a heartbeat's table) is not even looked at.
        with other.db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE scratch (beat integer)")
            conn.exec_driver_sql("INSERT INTO scratch VALUES (1)")
        assert not session.worth_a_look(shown)
        # An announced write that moves nothing shown: the mark, nothing more.
        other.save_health(other.load_health()["nbk"])
        _wait(heard)
        with statements(session) as seen:
            assert look(session, shown) is None
        assert len(seen) == 1
        # A round: its fixing and its health (two commits, one look).
        other.store([_tomorrow_from("nbkr", "88.10")])
        other.save_health(other.load_health()["nbkr"])
        _wait(heard)
        with statements(session) as seen:
            fresh = look(session, shown)
        assert fresh is not None and len(seen) == 1 + 2  # its health did not move
        (kgs,) = [v for v in fresh.views if v.local == "KGS"]
        assert kgs.rate == Decimal("88.10")  # USD/KGS, as stored
    finally:
        other.close()
        session.close()
