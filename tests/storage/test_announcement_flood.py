"""A flood of NOTIFY on the store's channel (anyone who may connect can send one) never
starves the dashboards' listener: payloads that are not the store's are ignored, the
store's own are coalesced, and a real commit is heard through the flood."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest

from tests.helpers.factories import obs
from ticker.storage.changes import CHANNEL, NOTE_GAP, ChangeWatch, Listener
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

#: A hang guard for waits on the listener's thread, never a limit a test asserts.
PATIENCE = 60.0


@pytest.fixture
def pg_repo(new_pg_database) -> Iterator[Repository]:
    repo = Repository(open_database(new_pg_database(), timedelta(seconds=2)))
    yield repo
    repo.close()


@contextmanager
def flood(conninfo: str, payloads: list[str]) -> Iterator[list[int]]:
    """Another connection announcing ``payloads`` without pause, each statement its own
    transaction (the server folds equal payloads of one transaction together)."""
    sent = [0]
    stop = threading.Event()

    def run() -> None:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            while not stop.is_set():
                conn.execute(
                    "SELECT pg_notify(%s, p) FROM unnest(%s::text[]) AS p", (CHANNEL, payloads)
                )
                sent[0] += len(payloads)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        while sent[0] < 1000:
            time.sleep(0.05)
        yield sent
    finally:
        stop.set()
        thread.join(PATIENCE)


class Counted:
    def __init__(self) -> None:
        self.count = 0
        self.event = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.event.set()

    def wait(self) -> None:
        assert self.event.wait(PATIENCE), "the listener's thread never got there"
        self.event.clear()


def _listening(repo: Repository, heard: Counted) -> Listener:
    watch = ChangeWatch.of(repo, heard)
    assert isinstance(watch, Listener)
    heard.wait()  # listening: the first look is due
    assert watch.changed() and not watch.changed()
    return watch


@pytest.mark.parametrize(
    "payload",
    ["", "junk", "ticker", "rules ", "RULES", "x" * 7000],
    ids=["empty", "a", "b", "c", "d", "long"],
)
def test_announcements_that_are_not_the_stores_are_ignored_and_a_commit_is_heard_through_them(
    pg_repo: Repository, payload: str
) -> None:
    conninfo = pg_repo.listen_conninfo
    assert conninfo is not None
    heard = Counted()
    watch = _listening(pg_repo, heard)
    try:
        with flood(conninfo, [f"{payload}{n}" if payload else "" for n in range(1000)]) as sent:
            before = sent[0]
            while sent[0] < before + 20000:
                time.sleep(0.05)
            assert heard.count == 1 and not watch.changed()  # none of it was the store's
            other = Repository(open_database(conninfo))
            try:
                other.store([obs(quote="KZT", rate="478.77")])
            finally:
                other.close()
            heard.wait()  # the commit, heard in the middle of the flood
            assert watch.changed()
    finally:
        watch.close()


def test_a_flood_of_the_stores_own_words_is_heard_coalesced(pg_repo: Repository) -> None:
    conninfo = pg_repo.listen_conninfo
    assert conninfo is not None
    heard = Counted()
    watch = _listening(pg_repo, heard)
    try:
        with flood(conninfo, ["rules"]) as sent:
            heard.wait()  # heard during the flood, not after it
            start, count = time.monotonic(), heard.count
            before = sent[0]
            while sent[0] < before + 2000 or time.monotonic() - start < 4 * NOTE_GAP:
                time.sleep(0.05)
            reports = heard.count - count
            took = time.monotonic() - start
            assert watch.changed()
        # Thousands of announcements, a handful of reports: one per NOTE_GAP.
        assert 1 <= reports <= took / NOTE_GAP + 2, (reports, took)
    finally:
        watch.close()
