"""A backfill by the sources' calendars: a day not published yet is neither asked for nor a
failure, a source whose history starts later says so, an estimate comes before the run,
and one backfill at a time holds a store."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.cli import ticker
from tests.helpers.feedserver import FeedServer
from ticker.cli.args import parse_date
from ticker.config import Settings
from ticker.core.backfill import Backfill, plan_units
from ticker.core.backfill_plan import REQUEST_SECONDS, a_year_back, estimated_seconds
from ticker.core.registry import build_provider, load_provider
from ticker.display.backfill import about_duration, counted, estimate_text, panel_lines
from ticker.storage.backfill_lock import BackfillLock, BackfillRunning
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

D = date
TODAY = D(2026, 11, 23)


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def currencyapi_body(tag: str) -> bytes:
    usd = {"kgs": 87.45, "kzt": 478.77, "tjs": 9.345, "uzs": 12049.37, "tmt": 3.5}
    return json.dumps({"date": tag, "usd": usd}).encode()


def test_a_day_the_calendar_has_not_published_by_now_is_not_asked_for() -> None:
    api = load_provider("currencyapi")("http://127.0.0.1:9", 5.0)
    since = TODAY - timedelta(days=2)
    before = plan_units(api, since, TODAY, set(), now=at(2))  # out around 04:00 UTC
    assert [u.start for u in before] == [since, since + timedelta(days=1)]
    after = plan_units(api, since, TODAY, set(), now=at(4, 30))
    assert [u.start for u in after][-1] == TODAY


def _settings(tmp_path: Path, **changes: Any) -> Settings:
    import dataclasses

    base = Settings()
    providers = dict(base.providers)
    providers["currencyapi"] = dataclasses.replace(
        providers["currencyapi"], base_url="https://api.test", fallback_url="", **changes
    )
    storage = dataclasses.replace(base.storage, url=f"sqlite:///{tmp_path / 't.db'}")
    return dataclasses.replace(base, providers=providers, storage=storage)


async def _run(settings: Settings, since: date, now: datetime, answer: object) -> Backfill:
    repo = Repository(open_database(settings.database_url))
    transport = httpx.MockTransport(answer)  # type: ignore[arg-type]

    async def no_wait(_seconds: float) -> None:
        return None

    try:
        async with httpx.AsyncClient(transport=transport) as client:
            provider = build_provider("currencyapi", settings, now=lambda: now)
            job = Backfill(
                repo, client, settings, [provider], since, now.date(), sleep=no_wait,
                now=lambda: now,
            )  # fmt: skip
            await job.run()
            return job
    finally:
        repo.db.dispose()


async def test_todays_file_not_out_at_its_hour_is_not_a_failure(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        tag = request.url.path.split("@")[2].split("/")[0]
        if tag == TODAY.isoformat():
            return httpx.Response(503)  # jsDelivr: the version is not built yet
        return httpx.Response(200, content=currencyapi_body(tag))

    since = TODAY - timedelta(days=2)
    job = await _run(_settings(tmp_path), since, at(4, 30), answer)
    p = job.progress["currencyapi"]
    assert p.failures == [] and p.unpublished == [str(TODAY)]
    assert p.stored == 10  # the two days before, five pairs each
    # A day settled by its calendar that fails is a failure as before.
    job = await _run(_settings(tmp_path), since, at(4, 30, TODAY + timedelta(days=2)), answer)
    assert [f.split(":")[0] for f in job.progress["currencyapi"].failures] == [str(TODAY)]


async def test_the_plan_says_requests_estimate_and_where_history_starts(tmp_path: Path) -> None:
    settings = _settings(tmp_path, backfill_concurrency=2, backfill_delay=timedelta(seconds=0.1))
    repo = Repository(open_database(settings.database_url))
    try:
        async with httpx.AsyncClient() as client:
            providers = [build_provider(n, settings) for n in ("currencyapi", "cbt", "erapi")]
            job = Backfill(repo, client, settings, providers, D(2019, 1, 1), D(2024, 3, 10))
            progress = await job.plan()
    finally:
        repo.db.dispose()
    api, cbt, erapi = progress["currencyapi"], progress["cbt"], progress["erapi"]
    assert api.clipped_from == D(2024, 3, 2) and api.total == 9
    assert api.estimate == pytest.approx(9 * max(0.1, (0.1 + REQUEST_SECONDS) / 2))
    assert cbt.clipped_from == D(2020, 4, 17)  # CBT's XML archive begins then
    assert erapi.total == 0 and erapi.clipped_from is None and erapi.note


def test_estimate_words() -> None:
    assert counted(1, "request") == "1 request" and counted(1583, "request") == "1,583 requests"
    assert estimate_text(1583, 355) == "about 1,583 requests, ~6 min"
    assert [about_duration(s) for s in (4, 40, 3600, 3900)] == [
        "~4 s",
        "~40 s",
        "~1 h",
        "~1 h 5 min",
    ]
    assert estimated_seconds(10, 1, 0.5) == 10 * (0.5 + REQUEST_SECONDS)


def test_the_panel_packs_whole_cells_into_the_width() -> None:
    class P:
        def __init__(self, name: str, done: int, total: int) -> None:
            self.provider, self.done, self.total = name, done, total
            self.stored, self.finished, self.note, self.failed = 0, False, "", 0

    sources = [P(n, 12, 366) for n in ("nbkr", "nbk", "nbt", "cbu", "cbt", "cbr", "currencyapi")]
    lines = panel_lines(["Backfill of a year, since 2025-11-23", "b or Esc stops"], sources, 40)
    assert all(len(line) <= 40 for line in lines)
    cells = " ".join(lines[2:]).split()
    assert cells[:2] == ["nbkr", "12/366"] and "currencyapi" in cells


@pytest.mark.parametrize("today", [TODAY, D(2028, 2, 29), D(2026, 3, 31), D(2026, 1, 1)])
def test_a_year_back_is_since_1y(today: date) -> None:
    assert parse_date("1y", "--since", today) == a_year_back(today)


def test_one_backfill_at_a_time_per_store(tmp_path: Path) -> None:
    repo = Repository(open_database(f"sqlite:///{tmp_path / 't.db'}"))
    first, second = BackfillLock(repo), BackfillLock(repo)
    try:
        first.take(at(9))
        with pytest.raises(BackfillRunning, match=r"another backfill is running .* pid \d+"):
            second.take(at(9))
        first.release()
        second.take(at(9))  # free again
    finally:
        second.release()
        repo.db.dispose()


BROKEN: list[str] = []


def _route(provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
    tag = path.split("@")[2].split("/")[0]
    if tag == "2024-03-04" and len(BROKEN) < 3:  # fails for good once (three tries)
        BROKEN.append(tag)
        return 500, b"broken"
    return 200, currencyapi_body(tag)


def test_the_command_says_its_plan_clips_and_counts_in_words(tmp_path: Path) -> None:
    with FeedServer(_route).running() as server:
        cfg = tmp_path / "config.toml"
        cfg.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
            f'[providers.currencyapi]\nbase_url = "{server.base_url("currencyapi")}"\n'
            'backfill_delay = "0s"\n'
        )
        env = {"TICKER_NOW": "2024-03-08T02:00:00+00:00"}
        argv = ["--config", str(cfg), "backfill", "--provider", "currencyapi"]
        done = ticker(*argv, "--since", "2024-01-01", "--until", "2024-03-06", "-v", env=env)
        assert done.returncode == 1, done.stderr
        lines = done.stderr.splitlines()
        assert "ticker: backfill from 2024-01-01 to 2024-03-06: about 5 requests, ~1 s" in lines
        assert "ticker:   currencyapi  about 5 requests, ~1 s" in lines
        assert "ticker: currencyapi: history starts 2024-03-02; asked from 2024-01-01" in lines
        assert any(
            line.startswith("ticker: currencyapi: 1 request failed: 2024-03-04: ") for line in lines
        )
        # --since 1y, rerun before today's file is out: it is not asked for, nothing
        # fails, exit 0.
        year = ticker(*argv, "--since", "1y", env=env)
        assert year.returncode == 0, year.stderr
        assert "about" not in year.stderr  # not a terminal, no -v: no estimate
        asked = {s.path.split("@")[2].split("/")[0] for s in server.requests_of("currencyapi")}
        assert "2024-03-08" not in asked and "2024-03-07" in asked
