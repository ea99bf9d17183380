"""Two `ticker collect` processes on one store: one polls, the other stands by and takes
over when the first dies (kill -9, a frozen machine, PostgreSQL restarted), on SQLite and
on PostgreSQL, against the local feed server."""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.e2e import cbt_route
from tests.helpers.feedserver import FeedServer
from tests.helpers.leases import (
    HOST,
    Collect,
    active_rows,
    collectors,
    forget_schedules,
    requests_by_key,
    write_config,
)
from tests.helpers.pgserver import PostgresServer
from ticker.config import RATE_PROVIDERS


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ticker.db'}"
    return str(request.getfixturevalue("new_pg_database")())


def test_the_second_collector_stands_by_and_takes_over_after_kill_9(
    tmp_path: Path, store_url: str
) -> None:
    with FeedServer(cbt_route, latency=0.2).running() as server:
        cfg = write_config(tmp_path, server, store_url)
        with collectors(cfg, tmp_path) as start:
            first = start("first")
            first.wait_for("collecting from")
            second = start("second")
            second.wait_for(f"polled by {HOST} pid {first.pid} since")
            assert second.lines("standing by: nbkr, nbk, nbt, cbu, cbt")
            deadline = time.monotonic() + 30
            while len(server.seen) < len(RATE_PROVIDERS) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(3.0)  # the second had time to poll, were it to
            by_one = requests_by_key(list(server.seen))
            # Every request was made once: by one collector, not by two.
            assert by_one and max(by_one.values()) == 1, by_one
            assert {p for p, _path, _q in by_one} == set(RATE_PROVIDERS)
            assert not second.lines("collecting from")
            assert active_rows(store_url) == [(HOST, first.pid)]

            forget_schedules(store_url)  # the next holder polls at once
            before = len(server.seen)
            killed = time.monotonic()
            first.proc.kill()
            first.proc.wait()
            second.wait_for(f"took over from {HOST} pid {first.pid}")
            second.wait_for("collecting from")
            while len(server.seen) == before and time.monotonic() - killed < 60:
                time.sleep(0.02)
            took = time.monotonic() - killed
            assert len(server.seen) > before  # the standby polls now
            print(f"takeover, kill -9 to the first poll: {took:.2f}s")  # noqa: T201
            time.sleep(1.5)
            after = requests_by_key(list(server.seen)[before:])
            assert set(after) == set(by_one)  # the same round, once, by the new holder
            assert max(after.values()) == 1
            assert active_rows(store_url) == [(HOST, second.pid)]
            err = second.finish()
        assert "Traceback" not in err
        assert len(second.lines("took over")) == 1 and not second.lines("lost the lease")
        assert active_rows(store_url) == []  # a clean exit removes its row


def test_a_frozen_holder_is_replaced_and_stops_polling_when_it_wakes(
    tmp_path: Path, new_pg_database: Callable[[], str]
) -> None:
    # SIGSTOP: the machine froze (or lost power) but its TCP connection stays up, so the
    # server keeps its session and lock; the standby sees the heartbeat stand still.
    url = new_pg_database()
    with FeedServer(cbt_route).running() as server:
        cfg = write_config(tmp_path, server, url)
        with collectors(cfg, tmp_path) as start:
            first = start("first")
            first.wait_for("collecting from")
            second = start("second")
            second.wait_for("standing by")
            stopped = time.monotonic()
            first.proc.send_signal(signal.SIGSTOP)
            second.wait_for(f"took over from {HOST} pid {first.pid}", limit=60)
            took = time.monotonic() - stopped
            print(f"takeover of a frozen holder: {took:.2f}s")  # noqa: T201
            assert second.lines("its session was ended")
            first.proc.send_signal(signal.SIGCONT)
            first.wait_for("lost the lease")
            first.wait_for("standing by", count=1)
            time.sleep(1.0)
            assert len(first.lines("collecting from")) == 1  # it did not start again
            assert active_rows(url) == [(HOST, second.pid)]


def test_after_postgresql_restarts_exactly_one_collector_is_active(tmp_path: Path) -> None:
    pg = PostgresServer()
    pg.start()
    try:
        url = pg.url
        with FeedServer(cbt_route).running() as server:
            cfg = write_config(tmp_path, server, url)
            with collectors(cfg, tmp_path) as start:
                first = start("first")
                first.wait_for("collecting from")
                second = start("second")
                second.wait_for("standing by")
                pg.stop()
                first.wait_for("lost the lease")
                time.sleep(2.0)
                pg.start()
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    took = first.lines("took ") + second.lines("took ")
                    if len(took) >= 2 and len(active_rows(url)) == 1:
                        break
                    time.sleep(0.1)
                time.sleep(3.0)  # nothing changes any more
                rows = active_rows(url)
                assert len(rows) == 1, rows
                holder = first if rows[0][1] == first.pid else second
                other = second if holder is first else first
                # One line each way: the first lost the lease once; whoever holds it now
                # took it once more; the other stands by and polls nothing.
                assert len(first.lines("lost the lease")) == 1
                assert not second.lines("lost the lease")
                assert len(holder.lines("took ")) == 1 + (holder is first)
                assert len(other.lines("took ")) == (other is first)
                assert len(holder.lines("lease: the store does not answer")) <= 1
                for c in (first, second):
                    assert len(c.lines("lease: the store does not answer")) <= 1
                    assert "Traceback" not in c.log()
    finally:
        pg.remove()


def test_a_lock_file_that_is_a_symlink_is_refused_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "ticker.db"
    target = tmp_path / "elsewhere"
    target.write_text("keep me")
    (tmp_path / "ticker.db.collector.lock").symlink_to(target)
    with FeedServer(cbt_route).running() as server:
        cfg = write_config(tmp_path, server, f"sqlite:///{db}")
        c = Collect(cfg, tmp_path / "state")
        c.proc.wait(timeout=60)
        err = c.finish()
    assert c.proc.returncode == 2, err
    lines = [line for line in err.splitlines() if line.startswith("ticker: ")]
    assert len(lines) == 1 and re.search(r"symlink or not a regular file", lines[0]), err
    assert "Traceback" not in err
    assert target.read_text() == "keep me"
    assert not server.seen
