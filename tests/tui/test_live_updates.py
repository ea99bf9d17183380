"""Live dashboards: another process's round is on screen when PostgreSQL announces it (not
when a timer comes round), after a server restart too, and at the next one-second look
on SQLite."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from textual.message import Message

import ticker.tui.app
from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY, repo_for, rows, settle, until
from tests.helpers.pgcluster import postgres_cluster
from tests.helpers.seeded import seed
from ticker.config import Settings
from ticker.display.format import format_rate
from ticker.storage.changes import Listener
from ticker.storage.db import open_database
from ticker.storage.repository import Repository
from ticker.tui.app import TickerApp
from ticker.tui.messages import LiveUpdates, SnapshotLoaded, StoreAnnounced, WorkFailed

#: KGS/USD as the dashboard shows NBKR's next fixing of 88.10 som per dollar.
NEXT_KGS = format_rate(Decimal(1) / Decimal("88.10"), 5)


def _settings(url: str) -> Settings:
    base = Settings()
    return dataclasses.replace(base, storage=dataclasses.replace(base.storage, url=url))


def _seeded(url: str) -> Settings:
    repo = Repository(open_database(url))
    seed(repo)
    repo.close()
    return _settings(url)


def _listening(app: TickerApp) -> bool:
    watch = app.session._watch
    return isinstance(watch, Listener) and watch.listening


def _a_round(settings: Settings) -> None:
    """Another process's collector: NBKR's next fixing, then its health (two commits)."""
    other = repo_for(settings)
    try:
        day = TODAY + timedelta(days=1)
        other.store([Observation("nbkr", "USD", "KGS", day, Decimal("88.10"), False, NOW)])
        health = other.load_health()["nbkr"]
        other.save_health(dataclasses.replace(health, last_attempt=NOW + timedelta(seconds=5)))
    finally:
        other.close()


def _status(app: TickerApp) -> str:
    return str(app.query_one("#status").render())


async def test_on_postgresql_a_round_is_shown_when_it_is_announced(
    new_pg_database: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ticker.tui.app, "STORE_LOOK", 24 * 3600.0)  # no timer looks
    settings = _seeded(new_pg_database())
    messages: list[Message] = []
    app = TickerApp(settings, collect=False, now=lambda: NOW, animate=False)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await until(pilot, lambda: _listening(app))
        await settle(pilot)
        assert rows(app)[0]["Rate"] != NEXT_KGS
        loaded = sum(isinstance(m, SnapshotLoaded) for m in messages)
        announced = sum(isinstance(m, StoreAnnounced) for m in messages)
        _a_round(settings)
        await until(pilot, lambda: rows(app)[0]["Rate"] == NEXT_KGS)
        # The clock stands still and the timer never came: the announcement did it.
        assert sum(isinstance(m, StoreAnnounced) for m in messages) > announced
        assert sum(isinstance(m, SnapshotLoaded) for m in messages) == loaded + 1
        await settle(pilot)
        health = app.snapshot.health["nbkr"]  # type: ignore[union-attr]
        assert health.last_attempt == NOW + timedelta(seconds=5)  # the round's second commit


async def test_after_a_server_restart_the_dashboard_listens_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ticker.tui.app, "STORE_LOOK", 24 * 3600.0)
    messages: list[Message] = []
    with postgres_cluster() as server:
        settings = _seeded(server.url)
        app = TickerApp(settings, collect=False, now=lambda: NOW, animate=False)
        async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
            await until(pilot, lambda: _listening(app))
            await settle(pilot)
            server.stop()
            await until(pilot, lambda: "live updates lost" in _status(app))
            server.start()
            await until(pilot, lambda: "live updates lost" not in _status(app))
            assert _listening(app)
            _a_round(settings)
            await until(pilot, lambda: rows(app)[0]["Rate"] == NEXT_KGS)
            said = [m.lost for m in messages if isinstance(m, LiveUpdates)]
            assert len(said) == 2 and said[0] and said[1] is None  # once each way
            # The read side's connection was cut too: it connected again, unseen.
            assert not [m for m in messages if isinstance(m, WorkFailed)]


async def test_on_sqlite_another_connections_commit_is_shown_at_the_next_look(
    seeded: Settings,
) -> None:
    assert ticker.tui.app.STORE_LOOK == 1.0
    messages: list[Message] = []
    app = TickerApp(seeded, collect=False, now=lambda: NOW, animate=False)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await settle(pilot)
        assert rows(app)[0]["Rate"] != NEXT_KGS
        _a_round(seeded)
        await until(pilot, lambda: rows(app)[0]["Rate"] == NEXT_KGS)  # the timer's look
        assert not [m for m in messages if isinstance(m, StoreAnnounced)]
