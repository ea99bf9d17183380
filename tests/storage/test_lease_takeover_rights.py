"""A standby connected to PostgreSQL as another role than the holder's may not end the
holder's session without ``pg_signal_backend``: it says so once, naming the grant, instead
of "the store does not answer" again and again; granted, it takes over."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from ticker.core.leadership import Leadership
from ticker.storage.db import open_database
from ticker.storage.lease import Identity, TakeoverForbidden
from ticker.storage.lease.postgres import PostgresLease

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
_roles = itertools.count()


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def two_roles(new_pg_database: Callable[[], str]) -> Iterator[tuple[str, dict[str, str]]]:
    """A migrated store and two login roles (neither a superuser) that may use it: their
    names and each one's conninfo; the admin's conninfo first."""
    url = new_pg_database()
    open_database(url).dispose()
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    n = next(_roles)
    names = [f"ticker_holder_{n}", f"ticker_standby_{n}"]
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f"CREATE ROLE {name} LOGIN")
            conn.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {name}")
            conn.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {name}")
    host, database = admin.rsplit("@", 1)[1].rsplit("/", 1)
    yield admin, {name: f"postgresql://{name}@{host}/{database}" for name in names}
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY(%s)",
            (names,),
        )
        conn.execute(f"DROP OWNED BY {', '.join(names)}")
        for name in names:
            conn.execute(f"DROP ROLE {name}")


def lease(conninfo: str, host: str, monotonic: Callable[[], float]) -> PostgresLease:
    return PostgresLease(Identity(host, 1, NOW), "pg", conninfo=conninfo, monotonic=monotonic)


def test_a_standby_without_the_right_says_what_to_grant_then_takes_over(two_roles) -> None:
    admin, conninfo = two_roles
    holder_role, standby_role = conninfo
    clock = Clock()
    holder = lease(conninfo[holder_role], "holder-host", clock)
    standby = lease(conninfo[standby_role], "standby-host", clock)
    try:
        assert holder.acquire(NOW)  # and then freezes: its heartbeat stands still
        assert not standby.acquire(NOW)
        clock.t += 9
        with pytest.raises(TakeoverForbidden) as refused:
            standby.acquire(NOW)
        message = str(refused.value)
        assert "holder-host pid 1" in message
        assert f"role {standby_role} may not end its session" in message
        assert f"GRANT pg_signal_backend TO {standby_role}" in message
        assert "does not answer" not in message and "\n" not in message
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"GRANT pg_signal_backend TO {standby_role}")
        assert not standby.acquire(NOW)  # it watches the heartbeat again
        clock.t += 9
        assert standby.acquire(NOW)
        assert standby.terminated is not None and standby.terminated.who == "holder-host pid 1"
    finally:
        standby.release(NOW)
        holder.abandon()


def test_a_superusers_session_no_grant_lets_it_end(two_roles) -> None:
    admin, conninfo = two_roles
    _holder_role, standby_role = conninfo
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"GRANT pg_signal_backend TO {standby_role}")
    clock = Clock()
    holder = lease(admin, "holder-host", clock)  # connected as the superuser postgres
    standby = lease(conninfo[standby_role], "standby-host", clock)
    try:
        assert holder.acquire(NOW)
        assert not standby.acquire(NOW)
        clock.t += 9
        with pytest.raises(TakeoverForbidden, match="only a superuser may end it"):
            standby.acquire(NOW)
    finally:
        standby.release(NOW)
        holder.abandon()


def test_leadership_says_the_missing_right_once(two_roles, caplog) -> None:
    _admin, conninfo = two_roles
    holder_role, standby_role = conninfo
    clock = Clock()
    holder = lease(conninfo[holder_role], "holder-host", clock)
    standby = lease(conninfo[standby_role], "standby-host", clock)
    leadership = Leadership(
        standby, lambda: NOW, on_active=_nothing, on_lost=_lost, polled=["nbk"], monotonic=clock
    )

    async def for_seconds(seconds: int) -> None:
        for _ in range(seconds):
            clock.t += 1
            await leadership.step()
            while leadership._pending is not None:
                await asyncio.sleep(0.01)
                await leadership.step()

    caplog.set_level(logging.INFO, logger="ticker.lease")
    try:
        assert holder.acquire(NOW)
        asyncio.run(for_seconds(40))  # four takeover tries at least
    finally:
        asyncio.run(leadership.release())
        holder.abandon()
    lines = [r.getMessage() for r in caplog.records]
    assert not leadership.active
    assert not [line for line in lines if "does not answer" in line or "answers again" in line]
    refused = [line for line in lines if "pg_signal_backend" in line]
    assert len(refused) == 1, lines
    assert f"GRANT pg_signal_backend TO {standby_role}" in refused[0]


async def _nothing() -> None:
    return None


async def _lost(_reason: str) -> Any:
    return None
