"""Running the dashboard under Pilot at a fixed clock, and reading what it shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from textual.worker import WorkerCancelled, WorkerFailed

from ticker.config import Settings
from ticker.storage.db import open_database
from ticker.storage.repository import Repository
from ticker.tui.app import TickerApp
from ticker.tui.widgets.rates import RatesTable


def make_app(settings: Settings, collect: bool = False) -> TickerApp:
    return TickerApp(settings, collect=collect, now=lambda: NOW, animate=False)


async def settle(pilot) -> None:
    """Let workers (and the snapshot's reader thread) finish and their messages be
    handled (never a sleep)."""
    import asyncio

    reader = getattr(pilot.app, "snapshot_reader", None)
    for _ in range(3):
        if reader is not None:
            await asyncio.to_thread(reader.idle)
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one
            pass
        except WorkerFailed:  # a bug in a worker: the app names it (tests look for that)
            pass
        await pilot.pause()


def rows(app: TickerApp) -> list[dict[str, str]]:
    """Each row of the rates table as {column label: text}."""
    table = app.query_one(RatesTable)
    labels = [str(c.label) for c in table.columns.values()]
    return [
        dict(zip(labels, (cell.plain for cell in table.get_row_at(i)), strict=True))
        for i in range(table.row_count)
    ]


#: The fixed clock of every dashboard test: Monday 23 November 2026, 09:00 UTC.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


TODAY = NOW.date()


def repo_for(settings: Settings) -> Repository:
    return Repository(open_database(settings.database_url))


async def until(pilot: Any, done: Callable[[], bool]) -> None:
    """Let the app run until ``done`` (a hang guard, never a time limit)."""
    for _ in range(1200):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the dashboard never got there")
