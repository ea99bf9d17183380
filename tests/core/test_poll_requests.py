"""Requests to poll now, through the store (:mod:`ticker.storage.poll_requests`): the
collector holding the lease hears one (SQLite's commit counter, PostgreSQL's
announcement), polls every source, and marks it answered; requests made before it held
the lease are not its own; whoever stands by or does not collect asks the holder, never
itself."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.helpers.dashboard import NOW
from ticker.config import Settings, StorageSettings
from ticker.core.polling import LeasedCollector, ask_for_poll
from ticker.core.runtime import open_store
from ticker.storage.lease import Identity
from ticker.storage.repository import Repository


def _settings(url: str) -> Settings:
    base = Settings()
    providers = {
        name: dataclasses.replace(p, enabled=name == "nbk") for name, p in base.providers.items()
    }
    return dataclasses.replace(
        base,
        storage=StorageSettings(url=url),
        providers=providers,
        collector=dataclasses.replace(base.collector, retries=1),
    )


async def _until(check: Callable[[], bool], limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit  # a hang guard
    while not check():
        assert time.monotonic() < deadline, "not in time"
        await asyncio.sleep(0.02)


def _clock() -> Callable[[], datetime]:
    start = time.monotonic()
    return lambda: NOW + timedelta(seconds=time.monotonic() - start)


async def test_the_collector_polls_when_asked_through_the_store(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ticker.collector")
    settings = _settings(db_url)
    repo = open_store(settings, lambda: NOW, writes=True)
    asked_earlier = repo.ask_for_poll("gone pid 1", NOW)  # of an earlier holder
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.host)
        return httpx.Response(503)

    now = _clock()
    polling = LeasedCollector(settings, repo, now, transport=httpx.MockTransport(answer))
    await polling.start()
    try:
        await _until(lambda: len(asked) == 1)  # the first round, at start
        await _until(lambda: polling.requests is not None and polling.requests.opened)
        await asyncio.sleep(1.5)  # a look or more: the earlier request is not answered
        assert len(asked) == 1
        assert repo.poll_request_answered(asked_earlier) is None

        other = Repository(open_store(settings, lambda: NOW).db)  # another process's
        request = other.ask_for_poll("server-2 pid 77", NOW)
        await _until(lambda: len(asked) == 2)  # polled now: every source, once
        await _until(lambda: repo.poll_request_answered(request) is not None)
        assert "asked to poll now by server-2 pid 77: polling every source" in caplog.text

        again = other.ask_for_poll("server-2 pid 77", NOW)  # and again: each is answered
        await _until(lambda: repo.poll_request_answered(again) is not None)
        assert len(asked) == 3
        other.close()
    finally:
        await polling.close()
        repo.close()
    assert set(asked) == {"nationalbank.kz"}


async def test_asking_names_the_holder_and_never_asks_itself(db_url: str) -> None:
    """On the real clock: PostgreSQL judges the heartbeats by the server's."""
    settings = _settings(db_url)

    def now() -> datetime:
        return datetime.now(UTC)

    repo = open_store(settings, now, writes=True)
    try:
        assert ask_for_poll(repo, now) == (None, False)  # nobody holds the lease
        assert repo.last_poll_request() == 0
        polling = LeasedCollector(
            settings, repo, now, transport=httpx.MockTransport(lambda r: httpx.Response(503))
        )
        await polling.start()  # this process holds it now
        try:
            # On PostgreSQL the holder is named by its row, written at its first beat.
            await _until(lambda: ask_for_poll(repo, now)[0] is not None)
            holder, asked = ask_for_poll(repo, now)
            me = Identity.here(now())
            assert holder is not None and (holder.host, holder.pid) == (me.host, me.pid)
            assert not asked and repo.last_poll_request() == 0
        finally:
            await polling.close()
    finally:
        repo.close()


def test_old_requests_go_when_another_is_made(db_url: str) -> None:
    settings = _settings(db_url)
    repo = open_store(settings, lambda: NOW, writes=True)
    try:
        first = repo.ask_for_poll("a pid 1", NOW - timedelta(days=2))
        kept = repo.ask_for_poll("b pid 2", NOW - timedelta(hours=1))
        repo.answer_poll_requests([kept], NOW - timedelta(minutes=59))
        latest = repo.ask_for_poll("c pid 3", NOW)
        assert [r.id for r in repo.poll_requests_after(0)] == [latest]  # unanswered, kept
        assert repo.poll_request_answered(first) is None  # gone
        assert repo.poll_request_answered(kept) == NOW - timedelta(minutes=59)
    finally:
        repo.close()
