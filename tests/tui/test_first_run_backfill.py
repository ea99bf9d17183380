"""First run: the empty dashboard offers a backfill of a year (``b``, said on the screen and
in the help), shows it source by source while the table fills in, stops on Escape or ``b``
again, and refuses politely on a read-only store or while another backfill runs."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import re
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from rich.console import Console
from textual.widgets import Static

from tests.helpers.dashboard import NOW, rows, settle
from tests.helpers.nbk import nbk_for
from tests.helpers.seeded import settings_for
from ticker.config import Settings
from ticker.storage import db as db_module
from ticker.storage.backfill_lock import BackfillLock
from ticker.storage.db import open_database
from ticker.storage.repository import Repository
from ticker.tui.app import TickerApp
from ticker.tui.screens.help import HelpScreen
from ticker.tui.widgets.backfill import BackfillPanel
from ticker.tui.widgets.chart import Chart

SIZES = [(80, 24), (100, 30)]


def only_nbk(tmp_path: Path) -> Settings:
    """An empty store; NBK the only enabled source, asked without a pause."""
    base = settings_for(tmp_path / "empty.db")
    providers = {
        name: dataclasses.replace(conf, enabled=name == "nbk")
        for name, conf in base.providers.items()
    }
    providers["nbk"] = dataclasses.replace(
        providers["nbk"], base_url="https://nbk.test", backfill_delay=timedelta(0)
    )
    return dataclasses.replace(base, providers=providers)


class NBK:
    """A local NBK (MockTransport) answering any date; with ``hold_after``, the requests
    after that many wait until released."""

    def __init__(self, hold_after: int | None = None) -> None:
        self.asked: list[str] = []
        self.hold_after = hold_after
        self.release = asyncio.Event()

    async def answer(self, request: httpx.Request) -> httpx.Response:
        fdate = request.url.params["fdate"]
        self.asked.append(fdate)
        if self.hold_after is not None and len(self.asked) > self.hold_after:
            await self.release.wait()
        return httpx.Response(200, content=nbk_for(fdate))


def app_for(settings: Settings, nbk: NBK) -> TickerApp:
    transport = httpx.MockTransport(nbk.answer)
    return TickerApp(settings, collect=False, now=lambda: NOW, animate=False, transport=transport)


async def until(pilot, done, steps: int = 600) -> None:
    """Let the app run until ``done()`` (a bounded number of short pauses)."""
    for _ in range(steps):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("never happened")


def panel_text(app: TickerApp) -> str:
    return "\n".join(app.query_one(BackfillPanel).lines())


def stored(settings: Settings) -> int:
    path = settings.database_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM observation").fetchone()[0])


@pytest.mark.parametrize("size", SIZES)
async def test_the_empty_screen_and_the_help_offer_the_backfill(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(only_nbk(tmp_path), NBK())
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        note = app.query_one(Chart).empty_note
        assert "press b to backfill a year of history" in note
        assert "ticker backfill --since 1y" in note
        assert "2025-" not in note  # no date to copy: the span the README teaches
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=76, record=True, file=io.StringIO())
        console.print(app.screen.query_one(Static).content)
        help_text = console.export_text()
        assert re.search(r"b\s+Backfill\s+backfill a year of history", help_text)


@pytest.mark.parametrize("size", SIZES)
async def test_b_backfills_a_year_source_by_source_and_the_table_fills_in(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    settings = only_nbk(tmp_path)
    nbk = NBK(hold_after=30)
    app = app_for(settings, nbk)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert rows(app) == []
        await pilot.press("b")
        await until(pilot, lambda: len(nbk.asked) > 30 and app.query(BackfillPanel))
        # The rows fetched so far are stored and shown while the rest is still asked for.
        await until(pilot, lambda: any(r["Pair"] == "KZT/USD" for r in rows(app)))
        text = panel_text(app)
        assert "Backfill of a year, since 23 Nov 2025" in text
        total = re.search(r"about ([\d,]+) requests", text)
        assert total is not None and int(total.group(1).replace(",", "")) >= 365
        assert re.search(r"nbk 3\d/36\d", text), text
        assert "b or Esc stops" in text
        assert all(len(line) <= size[0] - 2 for line in app.query_one(BackfillPanel).lines())
        assert app.backfilling
        nbk.release.set()
        await until(pilot, lambda: not app.backfilling)
        await settle(pilot)
        assert not app.query(BackfillPanel)  # gone once done
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Backfill done: ") and "new rows stored" in m for m in said), said
    assert stored(settings) > 300
    assert min(nbk.asked[:1]) == "23.11.2025"


async def test_escape_or_b_again_stops_it_and_keeps_what_was_fetched(tmp_path: Path) -> None:
    settings = only_nbk(tmp_path)
    for key in ("escape", "b"):
        nbk = NBK(hold_after=20)
        app = app_for(settings, nbk)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            before = stored(settings)
            await pilot.press("b")
            await until(pilot, lambda nbk=nbk: len(nbk.asked) > 20)
            await pilot.press(key)
            await until(pilot, lambda app=app: not app.backfilling)
            await settle(pilot)
            assert not app.query(BackfillPanel)
            said = [n.message for n in app._notifications]
            assert any(m.startswith("Backfill stopped: ") for m in said), said
            assert any("b resumes where it stopped" in m for m in said)
            assert stored(settings) > before  # what was fetched is stored


async def test_a_read_only_store_is_refused_politely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = only_nbk(tmp_path)
    open_database(settings.database_url).dispose()  # the store exists
    monkeypatch.setattr(db_module, "read_only_mode", lambda path: "ro")
    nbk = NBK()
    app = app_for(settings, nbk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Not started: the store is read-only") for m in said), said
        assert not app.query(BackfillPanel) and nbk.asked == []


async def test_another_backfill_of_the_store_is_said_and_nothing_is_fetched(
    tmp_path: Path,
) -> None:
    settings = only_nbk(tmp_path)
    repo = Repository(open_database(settings.database_url))
    other = BackfillLock(repo)
    other.take(NOW)  # `ticker backfill` running in another process, as far as the lock says
    try:
        nbk = NBK()
        app = app_for(settings, nbk)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("b")
            await settle(pilot)
            said = [n.message for n in app._notifications]
            assert any("another backfill is running on this store" in m for m in said), said
            assert not app.query(BackfillPanel) and nbk.asked == []
    finally:
        other.release()
        repo.db.dispose()
