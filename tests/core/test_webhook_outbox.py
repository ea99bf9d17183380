"""Webhook deliveries survive a restart (issue 33, item 9): a delivery cut at shutdown is
kept in the store as pending and sent by the next collector that starts holding the
store's lease, once; a delivered or given-up one is never sent again; one pending for
more than a day is given up in one line. Against a real receiver on 127.0.0.1, on SQLite
and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.core.test_polling import Heard, settings_for, until
from tests.helpers.collecting import T0, Clock, Scripted, collector, ok
from tests.helpers.hookserver import HOLD, HookServer, Step
from ticker.config import Settings, WebhookSettings
from ticker.config.rules import rule_from_entry
from ticker.core.collector import Collector
from ticker.core.polling import LeasedCollector
from ticker.core.runtime import open_store
from ticker.model.pairs import Orientation
from ticker.storage.db import Database
from ticker.storage.lease import Identity
from ticker.storage.lease.sqlite import SqliteLease
from ticker.storage.repository import Repository


def with_webhook(settings: Settings, url: str) -> Settings:
    """One attempt of up to 30s: a held POST is still running when the collector stops."""
    return dataclasses.replace(settings, webhook=WebhookSettings(url, timedelta(seconds=30), 1))


def add_rule(repo: Repository, url: str) -> int:
    rule = rule_from_entry(
        {"pair": "USD/KZT", "kind": "above", "value": "480", "channels": ["webhook"]},
        Orientation.USD_PER,
        url,
    )
    return repo.add_alert_rule(rule, "cli", T0)


def one_collector(database: Database, clock: Clock, settings: Settings) -> Collector:
    return collector(database, Scripted([ok("481", 20)]), clock, settings)


async def fire_and_stop(c: Collector, server: HookServer, grace: float) -> None:
    """Poll (the rule fires, its webhook is posted), wait for the receiver to have the
    POST, and stop the collector, its deliveries getting ``grace`` seconds."""
    await c.poll("nbk")
    assert await asyncio.to_thread(server.wait_for, 1)
    await c.stop(grace=grace, hook_grace=grace)


async def restart(database: Database, clock: Clock, settings: Settings) -> None:
    """What a collector does at its start about deliveries; then it stops, its deliveries
    given all the time they need."""
    c = one_collector(database, clock, settings)
    c.alerts.resend_pending()
    await c.stop(grace=30)


async def test_a_delivery_cut_at_shutdown_is_sent_at_the_next_start_once(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    with HookServer(Step(HOLD), Step(204)).running() as server:
        settings = with_webhook(Settings(), server.url)
        rule_id = add_rule(Repository(database), server.url)
        with caplog.at_level(logging.INFO, logger="ticker.alerts"):
            await fire_and_stop(one_collector(database, clock, settings), server, 0.2)
            assert f"alert #{rule_id}: webhook to" in caplog.text
            assert "stopped at shutdown; kept, sent at the next start" in caplog.text
            (pending,) = Repository(database).pending_webhooks()
            server.release()  # the held POST ends without an answer

            clock.now += timedelta(hours=3)
            await restart(database, clock, settings)
            assert len(server.posted) == 2
            assert "webhook: sending 1 undelivered firing again" in caplog.text
            await restart(database, clock, settings)  # delivered: never again
    assert len(server.posted) == 2
    first, again = server.posted
    assert again.body == first.body  # the same event, byte for byte
    assert again.json()["event_id"] == pending.event_id == Repository(database).alert_events()[0].id
    assert Repository(database).pending_webhooks() == []


@pytest.mark.parametrize("answer", [204, 404])
async def test_a_delivery_taken_or_refused_is_never_sent_again(
    database: Database, answer: int
) -> None:
    clock = Clock()
    with HookServer(Step(answer)).running() as server:
        settings = with_webhook(Settings(), server.url)
        add_rule(Repository(database), server.url)
        await fire_and_stop(one_collector(database, clock, settings), server, 30)
        assert Repository(database).pending_webhooks() == []
        await restart(database, clock, settings)
    assert len(server.posted) == 1


async def test_a_delivery_pending_for_more_than_a_day_is_given_up_in_one_line(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    with HookServer(Step(HOLD), Step(204)).running() as server:
        settings = with_webhook(Settings(), server.url)
        add_rule(Repository(database), server.url)
        await fire_and_stop(one_collector(database, clock, settings), server, 0.2)
        server.release()
        clock.now += timedelta(days=1, minutes=1)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="ticker.alerts"):
            await restart(database, clock, settings)
            await restart(database, clock, settings)
    assert len(server.posted) == 1
    said = [r.getMessage() for r in caplog.records]
    assert said == ["webhook: 1 undelivered firing queued more than a day ago given up, not sent"]
    assert Repository(database).pending_webhooks() == []


def running_from(start: datetime) -> Callable[[], datetime]:
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


async def test_only_the_collector_holding_the_lease_sends_a_kept_delivery(tmp_path: Path) -> None:
    """End to end: a delivery cut at shutdown waits while another collector holds the
    store's lease, and goes when this one takes the lease over; a later start sends
    nothing."""
    with HookServer(Step(HOLD), Step(204)).running() as server:
        settings = with_webhook(settings_for(tmp_path / "t.db", nbk=True), server.url)
        repo = open_store(settings, lambda: T0, writes=True)
        try:
            add_rule(repo, server.url)
            await fire_and_stop(one_collector(repo.db, Clock(), settings), server, 0.2)
            server.release()
            other = SqliteLease(Identity("server-1", 4242, T0), "t.db", database=tmp_path / "t.db")
            assert other.acquire(T0)
            heard = Heard()
            now = running_from(T0 + timedelta(minutes=5))
            polling = LeasedCollector(
                settings, repo, now, transport=heard.transport(), **heard.callbacks()
            )
            await polling.start()
            try:
                assert heard.kinds() == ["standby"]
                await asyncio.sleep(1.0)
                assert len(server.posted) == 1  # standing by: not its to send
                other.release(now())
                await until(lambda: len(server.posted) == 2)
            finally:
                await polling.close()
            assert repo.pending_webhooks() == []

            again = LeasedCollector(settings, repo, now, transport=heard.transport())
            await again.start()
            await again.close()
        finally:
            repo.db.dispose()
    assert len(server.posted) == 2
    assert server.posted[1].body == server.posted[0].body
