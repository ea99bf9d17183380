"""A collecting dashboard on a store whose lease another collector holds: it polls
nothing, says which collector feeds it, and takes over when that one is gone."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.helpers.dashboard import NOW, settle
from ticker.config import Settings
from ticker.storage.lease import Identity
from ticker.storage.lease.sqlite import SqliteLease
from ticker.tui.app import TickerApp


async def test_the_dashboard_stands_by_while_another_collector_holds_the_lease(
    seeded: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    other = SqliteLease(Identity("server-1", 4242, NOW), str(db), database=db)
    assert other.acquire(NOW)
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        return httpx.Response(503)

    app = TickerApp(
        seeded, collect=True, now=lambda: NOW, animate=False, transport=httpx.MockTransport(answer)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(100):  # until the first try of the lease has been answered
            if "fed by" in str(app.query_one("#status").render()):
                break
            await asyncio.sleep(0.05)
        status = str(app.query_one("#status").render())
        assert "fed by server-1 pid 4242 (standing by)" in status, status
        assert app.collector is None and calls == []  # it polls nothing
        other.release(NOW)  # the other collector stops: this one takes over
        for _ in range(200):
            if app.collector is not None and calls:
                break
            await asyncio.sleep(0.05)
        assert app.collector is not None and calls  # it polls now
        await settle(pilot)
        assert "fed by" not in str(app.query_one("#status").render())
