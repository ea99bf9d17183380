"""Backfill: planning, politeness, resumption, and the command, against a local server."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.feedserver import FeedServer
from tests.helpers.nbk import NBKServer, nbk_for, repository, settings_for
from ticker.config import Settings
from ticker.core.backfill import Backfill, Unit, missing_spans, plan_units
from ticker.core.net import make_client
from ticker.core.registry import build_provider, load_provider
from ticker.storage.repository import Repository

D = date


def days(start: date, n: int) -> set[date]:
    return {start + timedelta(days=i) for i in range(n)}


def test_missing_spans_join_across_days_without_fixings() -> None:
    since, until = D(2026, 3, 1), D(2026, 3, 31)

    def weekday(d: date) -> bool:
        return d.weekday() < 5

    assert missing_spans(since, until, set(), weekday) == [(D(2026, 3, 2), D(2026, 3, 31))]
    stored = days(D(2026, 3, 2), 5) | days(D(2026, 3, 9), 5)  # two working weeks
    # Sunday the 1st is not a day to fetch; the weekend between the weeks is not missing.
    assert missing_spans(since, until, stored, weekday) == [(D(2026, 3, 16), D(2026, 3, 31))]
    # A gap of days that are all weekend days is no hole; one with a weekday is.
    gap = days(D(2026, 3, 2), 3) | days(D(2026, 3, 20), 12)
    assert missing_spans(since, until, gap, weekday) == [(D(2026, 3, 5), D(2026, 3, 19))]
    assert missing_spans(since, until, days(since, 31), weekday) == []


def _provider(name: str):  # an instance with a fixed clock, for planning only
    return load_provider(name)("http://127.0.0.1:9", 5.0)


def test_plan_units_follow_each_sources_calendar_and_history() -> None:
    cbu = plan_units(_provider("cbu"), D(2026, 3, 2), D(2026, 3, 15), set())
    assert [u.start for u in cbu] == sorted(d for d in days(D(2026, 3, 2), 14) if d.weekday() < 5)
    nbk = plan_units(_provider("nbk"), D(2026, 3, 2), D(2026, 3, 15), set())
    assert len(nbk) == 14  # NBK dates every day (its weekend files carry Friday's rate)
    nbt = plan_units(_provider("nbt"), D(2026, 3, 2), D(2026, 3, 15), set())
    assert nbt == [Unit(D(2026, 3, 2), D(2026, 3, 15))]  # NBT's range export: one span
    cbt = plan_units(_provider("cbt"), D(2026, 3, 2), D(2026, 3, 15), set())
    assert all(u.start.weekday() != 6 for u in cbt) and len(cbt) == 12
    cbr = plan_units(_provider("cbr"), D(2000, 1, 1), D(2022, 6, 30), set())
    assert [(u.start, u.end) for u in cbr] == [  # 3660 days a request at most
        (D(2000, 1, 1), D(2010, 1, 7)),
        (D(2010, 1, 8), D(2020, 1, 15)),
        (D(2020, 1, 16), D(2022, 6, 30)),
    ]
    early = plan_units(_provider("currencyapi"), D(2024, 2, 28), D(2024, 3, 3), set())
    assert [u.start for u in early] == [D(2024, 3, 2), D(2024, 3, 3)]  # history starts 2024-03-02
    assert plan_units(_provider("erapi"), D(2024, 1, 1), D(2024, 2, 1), set()) == []


async def _backfill(repo: Repository, settings: Settings, since: date, until: date) -> Backfill:
    async with make_client() as client:
        job = Backfill(repo, client, settings, [build_provider("nbk", settings)], since, until)
        await job.run()
        return job


def test_backfill_asks_the_dated_days_stores_everything_and_is_polite(tmp_path: Path) -> None:
    fake = NBKServer()
    with fake.server.running():
        settings = settings_for(fake.server, tmp_path, backfill_delay=timedelta(milliseconds=60))
        repo = repository(tmp_path)
        job = asyncio.run(_backfill(repo, settings, D(2026, 3, 2), D(2026, 3, 15)))
        seen = fake.server.requests_of("nbk")
    asked = [
        D(int(s.query["fdate"][6:]), int(s.query["fdate"][3:5]), int(s.query["fdate"][:2]))
        for s in seen
    ]
    assert sorted(asked) == sorted(days(D(2026, 3, 2), 14))  # NBK dates every day
    assert repo.count_observations() == 14 * 4  # KZT, KGS, TJS, UZS for each day
    assert job.progress["nbk"].stored == 56 and job.progress["nbk"].failures == []
    assert fake.server.max_in_flight["nbk"] == 1
    gaps = [b.started - a.finished for a, b in zip(seen, seen[1:], strict=False)]
    assert min(gaps) >= 0.05  # the configured delay between two requests
    repo.db.dispose()


def test_backfill_concurrency_setting_is_the_ceiling(tmp_path: Path) -> None:
    fake = NBKServer(latency=0.05)
    with fake.server.running():
        settings = settings_for(
            fake.server, tmp_path, backfill_concurrency=2, backfill_delay=timedelta(0)
        )
        repo = repository(tmp_path)
        asyncio.run(_backfill(repo, settings, D(2026, 3, 2), D(2026, 3, 13)))
    assert fake.server.max_in_flight["nbk"] == 2
    assert repo.count_observations() == 12 * 4
    repo.db.dispose()


def test_interrupted_backfill_keeps_what_it_fetched_and_resumes_without_duplicates(
    tmp_path: Path,
) -> None:
    fake = NBKServer()
    fake.stop_after = 4
    since, until = D(2026, 2, 2), D(2026, 2, 27)  # 26 days, each dated by NBK
    with fake.server.running():
        settings = settings_for(fake.server, tmp_path, backfill_delay=timedelta(milliseconds=20))
        repo = repository(tmp_path)

        async def interrupted() -> None:
            async with make_client() as client:
                job = Backfill(
                    repo, client, settings, [build_provider("nbk", settings)], since, until
                )
                task = asyncio.create_task(job.run())
                await asyncio.to_thread(fake.reached.wait, 30)
                task.cancel()  # what Ctrl-C does to the running command
                with pytest.raises(asyncio.CancelledError):
                    await task

        asyncio.run(interrupted())
        kept = repo.count_observations()
        assert 0 < kept < 104 and kept % 4 == 0  # whole responses only
        stored_days = {o.as_of for o in repo.history("KZT")}
        fake.stop_after = None
        resumed_at = time.monotonic()
        asyncio.run(_backfill(repo, settings, since, until))
        second = [s for s in fake.server.requests_of("nbk") if s.started >= resumed_at]
    assert repo.count_observations() == 104
    asked_again = {datetime.strptime(s.query["fdate"], "%d.%m.%Y").date() for s in second}
    assert asked_again == days(since, 26) - stored_days  # stored dates were not asked again
    repo.db.dispose()


def test_transient_failures_are_retried_and_no_fixing_days_are_not_errors(tmp_path: Path) -> None:
    calls: dict[str, int] = {}

    def route(provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        fdate = query["fdate"]
        calls[fdate] = calls.get(fdate, 0) + 1
        if fdate == "03.03.2026" and calls[fdate] == 1:
            return 503, b"busy"
        if fdate == "04.03.2026":  # a holiday: the source answers with no rates
            return (
                200,
                b'<?xml version="1.0" encoding="utf-8"?><rates><date>04.03.2026</date></rates>',
            )
        return 200, nbk_for(fdate)

    slept: list[float] = []

    async def no_wait(seconds: float) -> None:
        slept.append(seconds)

    server = FeedServer(route)
    with server.running():
        settings = settings_for(server, tmp_path)
        repo = repository(tmp_path)

        async def go() -> Backfill:
            async with make_client() as client:
                job = Backfill(
                    repo,
                    client,
                    settings,
                    [build_provider("nbk", settings)],
                    D(2026, 3, 2),
                    D(2026, 3, 6),
                    sleep=no_wait,
                )
                await job.run()
                return job

        job = asyncio.run(go())
    progress = job.progress["nbk"]
    assert calls["03.03.2026"] == 2 and 2.0 in slept  # retried after a backoff
    assert progress.no_fixing == 1 and progress.failures == []
    assert repo.count_observations() == 4 * 4
    repo.db.dispose()


def test_backfill_command(tmp_path: Path) -> None:
    fake = NBKServer()
    with fake.server.running():
        cfg = tmp_path / "config.toml"
        cfg.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
            f'[providers.nbk]\nbase_url = "{fake.server.base_url("nbk")}"\nbackfill_delay = "0s"\n'
        )
        args = ["--config", str(cfg), "backfill", "--since", "2026-03-02", "--until", "2026-03-06"]
        result = ticker(*args, "--provider", "nbk", "--pair", "KZT", "--pair", "USD/UZS")
        assert result.returncode == 0, result.stderr
        assert "nbk" in result.stderr and "10 new rows" in result.stderr
        assert result.stderr.strip().endswith("10 new rows stored from 2026-03-02 to 2026-03-06.")
        # Without --pair, the pairs not fetched yet (KGS, TJS) are fetched for those days.
        rest = ticker(*args, "--provider", "nbk")
        assert rest.returncode == 0, rest.stderr
        assert rest.stderr.strip().endswith("10 new rows stored from 2026-03-02 to 2026-03-06.")
        again = ticker(*args, "--provider", "nbk")
    assert again.returncode == 0
    assert "already stored" in again.stderr  # nothing left to ask for
    assert fake.count == 10


def test_a_day_that_failed_is_asked_for_again() -> None:
    stored = {D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 5), D(2026, 3, 6)}  # the 4th failed
    units = plan_units(_provider("nbk"), D(2026, 3, 2), D(2026, 3, 6), stored)
    assert [u.start for u in units] == [D(2026, 3, 4)]
    nbt = plan_units(_provider("nbt"), D(2026, 3, 2), D(2026, 3, 6), stored)
    assert [u.start for u in nbt] == [D(2026, 3, 4)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2030-01-01"], "--since 2030-01-01 is in the future"),
        (["--since", "2026-01-05", "--until", "2026-01-01"], "is after --until"),
        (["--since", "2026-01-01", "--provider", "nope"], "--provider: expected one of"),
        (
            ["--since", "1/1/2026"],
            "--since: expected a date like 2026-01-31, a month like 2026-01, a year "
            "like 2024, or a span back from today like 30d, 8w, 6m or 2y, got '1/1/2026'",
        ),
    ],
)
def test_backfill_bad_input_is_exit_2(args: list[str], message: str) -> None:
    result = ticker("backfill", *args)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_backfill_requires_since() -> None:
    result = ticker("backfill")
    assert result.returncode == 2
    assert "--since" in result.stderr


def test_progress_line() -> None:
    from ticker.cli.progress import render
    from ticker.core.backfill_progress import ProviderProgress

    p = ProviderProgress("cbr", total=10, done=5, fetched=25, stored=20, no_fixing=1)
    p.failures.append("2026-01-02: HTTP 500")
    line = render(p)
    assert line.startswith("cbr          [##########..........]  50% 5/10 requests ")
    assert "25 rates fetched, 20 new rows stored" in line
    assert line.endswith("(1 day without a fixing, 1 failed)")
    assert render(ProviderProgress("erapi", note="no history at this source")) == (
        "erapi        no history at this source"
    )


def test_days_without_a_fixing_are_recorded_and_never_asked_for_again(tmp_path: Path) -> None:
    """CBR lists only the days a new rate took effect: a backfill over its gaps exits
    clean, says how many days had no fixing, and a rerun asks nothing at all."""
    import httpx

    from ticker.core.registry import build_provider

    gap = {D(2026, 3, 4)}  # a Wednesday without a new rate (besides Sundays and Mondays)
    nominal = {"R01235": "1", "R01335": "100", "R01370": "100", "R01670": "10"}
    nominal |= {"R01710A": "1", "R01717": "10000"}
    value = {"R01235": "75,5", "R01335": "16,3", "R01370": "86,4", "R01670": "8,0"}
    value |= {"R01710A": "21,58", "R01717": "62,8"}
    asked: list[str] = []

    def reply(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        asked.append(str(request.url))
        first = datetime.strptime(params["date_req1"], "%d/%m/%Y").date()
        last = datetime.strptime(params["date_req2"], "%d/%m/%Y").date()
        cbr_id = params["VAL_NM_RQ"]
        records = "".join(
            f'<Record Date="{d:%d.%m.%Y}" Id="{cbr_id}"><Nominal>{nominal[cbr_id]}</Nominal>'
            f"<Value>{value[cbr_id]}</Value></Record>"
            for d in sorted(days(first, (last - first).days + 1))
            if 1 <= d.weekday() <= 5 and d not in gap
        )
        head = '<?xml version="1.0" encoding="windows-1251"?>'
        body = f'{head}<ValCurs ID="{cbr_id}">{records}</ValCurs>'
        return httpx.Response(200, content=body.encode())

    settings = Settings()
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    repo = repository(tmp_path)

    async def backfill() -> Backfill:
        transport = httpx.MockTransport(reply)
        async with httpx.AsyncClient(transport=transport) as client:
            cbr = build_provider("cbr", settings, now=lambda: now)
            cbr.request_delay = 0
            job = Backfill(
                repo, client, settings, [cbr], D(2026, 3, 2), D(2026, 3, 14), now=lambda: now
            )
            job.settings = dataclasses.replace(
                settings,
                providers={
                    **settings.providers,
                    "cbr": dataclasses.replace(
                        settings.providers["cbr"], backfill_delay=timedelta(0)
                    ),
                },
            )
            await job.run()
            return job

    first = asyncio.run(backfill())
    progress = first.progress["cbr"]
    assert progress.failures == [] and progress.no_fixing == 1  # the 4th; not Sun/Mon
    assert progress.stored == 9 * 5  # Tue-Sat of two weeks but the 4th, five pairs
    assert len(asked) == 6  # one span, one request per currency
    asked.clear()
    again = asyncio.run(backfill())
    assert asked == [] and again.progress["cbr"].note == "already stored"
    repo.db.dispose()
