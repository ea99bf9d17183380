"""PostgreSQL writers announce what moved (NOTIFY, delivered on commit only), and the
dashboards' listener hears it, and hears it again after the server restarted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import psycopg
import pytest

from tests.helpers.dashboard import NOW
from tests.helpers.factories import obs
from tests.helpers.pgcluster import postgres_cluster
from ticker.model.health import HealthState, ProviderHealth
from ticker.model.pairs import parse_pair
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.changes import CHANNEL, ChangeWatch, Listener
from ticker.storage.db import open_database
from ticker.storage.reader import StoreReader
from ticker.storage.repository import Repository

#: A hang guard for waits on the listener's thread, never a limit a test asserts.
PATIENCE = 60.0


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def pg_repo(new_pg_database) -> Iterator[Repository]:
    repo = Repository(open_database(new_pg_database(), timedelta(seconds=2)))
    yield repo
    repo.close()


def _heard(listener: psycopg.Connection) -> list[str]:
    """Every announcement delivered to ``listener`` so far (a round trip flushes them)."""
    listener.execute("SELECT 1")
    return [n.payload for n in listener.notifies(timeout=0.2) if n.channel == CHANNEL]


def test_each_write_that_moves_the_screen_is_announced_on_commit_only(
    pg_repo: Repository,
) -> None:
    url = pg_repo.listen_conninfo
    assert url is not None
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        assert pg_repo.store([obs(quote="KZT", rate="478.77")]) == 1
        assert _heard(listener) == ["nbk"]
        assert pg_repo.store([obs(quote="KZT", rate="478.77")]) == 0  # already stored
        assert _heard(listener) == []
        pg_repo.save_health(ProviderHealth("nbk", HealthState.OK, NOW, NOW, None, 0))
        assert _heard(listener) == ["nbk"]  # the round's end
        rule = AlertRuleConfig(parse_pair("USD/KZT"), AlertKind.ABOVE, value=Decimal("400"))
        rule_id = pg_repo.add_alert_rule(rule, "cli", NOW)
        pg_repo.set_alert_enabled(rule_id, False)
        assert _heard(listener) == ["rules", "rules"]
        assert pg_repo.delete_alert_rule(rule_id)
        assert not pg_repo.delete_alert_rule(rule_id)  # nothing left to remove
        assert _heard(listener) == ["rules"]
        with pytest.raises(RuntimeError), pg_repo._write() as conn:
            pg_repo._announce(conn, "rolled back")
            raise RuntimeError("the write fails before its commit")
        assert _heard(listener) == []


def test_sqlite_writes_announce_nothing(tmp_path) -> None:
    repo = Repository(open_database(f"sqlite:///{tmp_path / 't.db'}"))
    try:
        assert repo.listen_conninfo is None
        # The announcement is PostgreSQL's pg_notify: running it here would fail.
        repo.save_health(ProviderHealth("nbk", HealthState.OK, NOW, NOW, None, 0))
    finally:
        repo.close()


def _wait(event: threading.Event) -> None:
    assert event.wait(PATIENCE), "the listener's thread never got there"
    event.clear()


def test_the_listener_hears_another_connections_commit(pg_repo: Repository) -> None:
    heard = threading.Event()
    watch = ChangeWatch.of(pg_repo, heard.set)
    try:
        assert isinstance(watch, Listener)
        _wait(heard)  # listening: the first look is due (anything before it is unread)
        assert watch.listening and not watch.blind
        assert watch.changed()
        assert not watch.changed()
        other = Repository(open_database(pg_repo.listen_conninfo or ""))
        try:
            other.store([obs(quote="KZT", rate="478.77")])
        finally:
            other.close()
        _wait(heard)
        assert watch.changed()
        assert not watch.changed()
    finally:
        watch.close()


def test_the_listener_connects_again_after_the_server_restarts() -> None:
    said: list[str | None] = []
    heard, spoke = threading.Event(), threading.Event()

    def say(lost: str | None) -> None:
        said.append(lost)
        spoke.set()

    with postgres_cluster() as server:
        repo = Repository(open_database(server.url))  # the schema, then the store's writes
        reader_conn = psycopg.connect(_libpq(server.url), autocommit=True)
        watch = Listener(_libpq(server.url), heard.set, say, first_wait=0.05, longest_wait=0.2)
        try:
            _wait(heard)
            watch.changed()
            server.stop()
            _wait(spoke)
            assert watch.blind and watch.changed()  # away: every look says "perhaps"
            assert said[0] is not None and len(said) == 1
            server.start()
            _wait(spoke)  # back, after attempts that failed while it was down
            assert said[1:] == [None]  # one line each way, whatever the attempts between
            _wait(heard)  # what was committed meanwhile is looked at
            assert watch.listening and watch.connections == 2
            assert watch.changed() and not watch.changed()
            repo.store([obs(quote="KZT", rate="478.77")])  # the pool connects again itself
            _wait(heard)
            assert watch.changed()
        finally:
            watch.close()
            reader_conn.close()
            repo.close()


def test_the_read_side_connects_again_after_the_server_restarts() -> None:
    """The first read after a restart meets the connection the restart cut: it is asked
    once more on a new connection, and nobody is told the store failed."""
    import dataclasses

    from ticker.config import Settings
    from ticker.errors import StorageError
    from ticker.storage.reader import open_reads

    with postgres_cluster() as server:
        Repository(open_database(server.url)).close()
        base = Settings()
        settings = dataclasses.replace(
            base, storage=dataclasses.replace(base.storage, url=server.url)
        )
        reads = open_reads(settings)
        try:
            assert isinstance(reads, StoreReader)
            assert reads.data_mark() == ((None,) * 7 + (None,) * 22,)
            server.stop()
            server.start()
            assert reads.data_mark() == ((None,) * 7 + (None,) * 22,)
            with reads.reading():  # a read transaction on a cut connection, the same
                server.stop()
                server.start()
                with pytest.raises(StorageError):
                    reads.data_mark()  # inside a transaction: never asked twice
            assert reads.data_mark() == ((None,) * 7 + (None,) * 22,)
            server.stop()
            server.start()
            with reads.reading():
                assert reads.data_mark() == ((None,) * 7 + (None,) * 22,)
        finally:
            reads.close()
