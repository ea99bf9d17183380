"""What the dashboard says of its store and its collector: a store this process cannot
write is shown and never collected into, and every key that would write says why not;
``r`` on a dashboard that does not poll asks the collector that does, through the store;
the status line tells when a new rate arrived from when a source was last checked."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.dashboard import NOW, repo_for, settle
from tests.helpers.read_only import read_only_file
from ticker.config import Settings
from ticker.model.pairs import Pair
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.lease import Identity
from ticker.storage.lease.sqlite import SqliteLease
from ticker.tui.app import TickerApp
from ticker.tui.screens.dashboard import DashboardScreen
from ticker.tui.widgets.panels import AlertsTable

SIZES = [(80, 24), (100, 30)]
READ_ONLY = "read-only store: showing, not collecting"


def _status(app: TickerApp) -> str:
    return str(app.query_one("#status").render())


def _said(app: TickerApp) -> list[str]:
    return [n.message for n in app._notifications]


async def _until(pilot: Any, done: Any) -> None:
    for _ in range(200):  # a hang guard, never a time limit
        if done():
            return
        await pilot.pause(0.05)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("collect", [True, False])
async def test_a_read_only_store_is_shown_and_never_collected_into(
    seeded: Settings, tmp_path: Path, size: tuple[int, int], collect: bool
) -> None:
    repo = repo_for(seeded)
    rule = AlertRuleConfig(Pair("KZT", "USD"), AlertKind.ABOVE, value=Decimal("0.0021"))
    repo.add_alert_rule(rule, "cli", NOW)
    repo.close()
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        return httpx.Response(503)

    with read_only_file(tmp_path / "t.db") as db:
        app = TickerApp(
            seeded,
            collect=collect,
            now=lambda: NOW,
            animate=False,
            transport=httpx.MockTransport(answer),
        )
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            await _until(pilot, lambda: READ_ONLY in _status(app))
            status = _status(app)
            assert READ_ONLY in status and "collecting from" not in status, status
            assert "new rate 5m ago, checked 0s ago" in status  # all of it fits
            assert app.collector is None and calls == []  # nothing polled, nothing stored
            refusal = (
                f"{db}: is read-only (the file or its directory cannot be written); "
                "reading works, writing needs a writable store."
            )  # the writing commands' line
            await pilot.press("r")
            await settle(pilot)
            assert _said(app)[-1] == f"Nothing is polled here: {refusal}"
            app.query_one(AlertsTable).focus()
            for key, what in [
                ("a", "add an alert"),
                ("d", "delete an alert"),
                ("E", "edit an alert"),
                ("p", "disable or enable an alert"),
                ("z", "snooze an alert"),
            ]:
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, DashboardScreen), key  # no form, no question
                assert _said(app)[-1] == f"Cannot {what}: {refusal}", key
            assert not any("stored" in said.lower() for said in _said(app))
            assert calls == []
    repo = repo_for(seeded)
    assert len(repo.alert_rules()) == 1  # nothing was written
    repo.close()


@pytest.mark.parametrize("collect", [True, False])
async def test_r_on_a_dashboard_that_does_not_poll_asks_the_collector_through_the_store(
    seeded: Settings, tmp_path: Path, collect: bool
) -> None:
    """Standing by (another collector holds the lease) or started with --no-collect:
    ``r`` leaves a request in the store for the collector that polls, and says whom."""
    db = tmp_path / "t.db"
    other = SqliteLease(Identity("server-1", 4242, NOW), str(db), database=db)
    assert other.acquire(NOW)
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        return httpx.Response(503)

    app = TickerApp(
        seeded,
        collect=collect,
        now=lambda: NOW,
        animate=False,
        transport=httpx.MockTransport(answer),
    )
    try:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            if collect:
                await _until(pilot, lambda: "fed by" in _status(app))
                assert "fed by server-1 pid 4242 (standing by)" in _status(app)
            await pilot.press("r")
            await settle(pilot)
            assert _said(app)[-1] == (
                "Asked the collector (server-1 pid 4242) to poll now; "
                "new rates show as they arrive."
            )
            assert app.collector is None and calls == []  # this one polls nothing itself
    finally:
        other.release(NOW)
    repo = repo_for(seeded)
    (request,) = repo.poll_requests_after(0)
    repo.close()
    assert request.asked_by == f"{os.uname().nodename} pid {os.getpid()}"
    assert request.asked_at == NOW


async def test_the_status_line_tells_a_new_rate_from_a_check(seeded: Settings) -> None:
    """The seeded store: the newest rate was fetched 5 minutes ago, and the sources
    answered a poll just now (bringing nothing new): two facts, both said, at 80 columns."""
    for size in SIZES:
        app = TickerApp(seeded, collect=False, now=lambda: NOW, animate=False)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            assert _status(app) == (
                "new rate 5m ago, checked 0s ago  ·  no collector (--no-collect)  ·  09:00 UTC"
            )


async def test_a_standing_by_status_line_fits_80_columns(seeded: Settings, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    other = SqliteLease(Identity("server-1", 4242, NOW), str(db), database=db)
    assert other.acquire(NOW)
    app = TickerApp(
        seeded,
        collect=True,
        now=lambda: NOW,
        animate=False,
        transport=httpx.MockTransport(lambda r: httpx.Response(503)),
    )
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await _until(pilot, lambda: "fed by" in _status(app))
            assert _status(app) == (
                "new rate 5m ago, checked 0s ago  ·  fed by server-1 pid 4242 (standing by)"
            )
            await pilot.resize_terminal(100, 30)
            await settle(pilot)
            assert _status(app).endswith("(standing by)  ·  09:00 UTC")  # room for the clock
    finally:
        other.release(NOW)
