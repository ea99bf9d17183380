"""Backfill by range (issue 32): a year of NBT in a request per currency, the plan's
request counts saying the truth, and time as an input (New Year, a leap day, weekends,
Dushanbe's today just after its midnight)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.helpers.feedserver import FeedServer, Reply
from tests.helpers.nbk import repository
from tests.helpers.nbt_range import range_answer, range_dates
from ticker.config import Settings
from ticker.core.backfill import Backfill, Unit, plan_units
from ticker.core.backfill_plan import a_year_back
from ticker.core.net import make_client
from ticker.core.registry import build_provider, build_providers

FIXTURES = Path(__file__).parents[1] / "fixtures" / "providers"
D = date


def _snapshot(day: date) -> bytes:
    """The recorded snapshot of 2026-05-18, re-dated to ``day``."""
    body = (FIXTURES / "nbt" / "export_xml_2026-05-18.xml").read_bytes()
    return body.replace(b'Date="2026-05-18"', f'Date="{day.isoformat()}"'.encode())


def nbt_route(provider: str, path: str, query: dict[str, str]) -> Reply:
    assert (provider, path) == ("nbt", "/en/kurs/export_xml_dynamic.php"), path
    return 200, range_answer(query["cs"], *range_dates(query), _snapshot)


def _plan(tmp_path: Path, now: datetime) -> dict[str, int]:
    """The requests the plan of ``ticker backfill --since 1y`` says, per source, at ``now``,
    on an empty store: the providers a backfill builds (the default config, no board
    references)."""
    settings = Settings()
    providers = build_providers(settings, now=lambda: now, references=False)
    until = now.date()
    repo = repository(tmp_path)
    job = Backfill(repo, None, settings, providers, a_year_back(until), until, now=lambda: now)  # type: ignore[arg-type]
    return {n: p.requests for n, p in asyncio.run(job.plan()).items()}


def test_a_years_plan_asks_nbt_once_per_currency_and_says_so(tmp_path: Path) -> None:
    # Friday 22 May 2026, 13:00 UTC: every source's fixing of the day is out.
    plan = _plan(tmp_path, datetime(2026, 5, 22, 13, 0, tzinfo=UTC))
    # 2025-05-22 to 2026-05-22: 366 days, no 29 February.
    assert plan["nbt"] == 5  # USD, KGS, KZT, UZS, TMT: a 366-day span each
    assert plan["nbkr"] == 5  # its history page, a currency a year
    assert plan["cbr"] == 6  # XML_dynamic, USD and the five
    assert plan["frankfurter"] == 1  # the five in one range
    assert plan["nbk"] == 366  # a file a day, every day dated
    assert plan["currencyapi"] == 366  # a file a day
    assert plan["erapi"] == 0  # no history
    # The rest is the day-by-day sources (NBK, CBU, CBT, currencyapi: no range known);
    # NBT a request a day was 366 more (the plan then said 1,676).
    daily = plan["nbk"] + plan["cbu"] + plan["cbt"] + plan["currencyapi"]
    assert sum(plan.values()) == daily + 5 + 5 + 6 + 1


def test_a_leap_year_is_still_one_nbt_span_but_two_nbkr_pages_a_currency(
    tmp_path: Path,
) -> None:
    # 10 March 2028: 2027-03-10 to 2028-03-10 is 367 days, 29 February 2028 among them.
    plan = _plan(tmp_path, datetime(2028, 3, 10, 13, 0, tzinfo=UTC))
    assert plan["nbt"] == 5  # 400 days a request
    assert plan["nbkr"] == 10  # 366 days a page: the 367th day is a second span
    assert (plan["cbr"], plan["frankfurter"]) == (6, 1)


def test_dushanbe_just_after_midnight_asks_up_to_yesterday() -> None:
    nbt = build_provider("nbt", Settings())
    # 19:05 UTC on 31 December is 00:05 on 1 January in Dushanbe (UTC+5): the new year's
    # first snapshot comes at 09:30 there, so the span ends on 31 December.
    night = datetime(2026, 12, 31, 19, 5, tzinfo=UTC)
    assert plan_units(nbt, D(2026, 12, 20), D(2027, 1, 1), set(), night) == [
        Unit(D(2026, 12, 20), D(2026, 12, 31))
    ]
    morning = datetime(2027, 1, 1, 4, 35, tzinfo=UTC)  # 09:35 in Dushanbe
    assert plan_units(nbt, D(2026, 12, 20), D(2027, 1, 1), set(), morning) == [
        Unit(D(2026, 12, 20), D(2027, 1, 1))
    ]


def test_a_backfill_across_new_year_and_a_leap_day_reads_each_currency_once(
    tmp_path: Path,
) -> None:
    """Through a 127.0.0.1 server: 20 Dec 2027 to 5 Mar 2028 (New Year, 29 February,
    eleven weekends) in five requests, every day stored, none asked again."""
    server = FeedServer(nbt_route)
    now = datetime(2028, 3, 5, 12, 0, tzinfo=UTC)
    first, last = D(2027, 12, 20), D(2028, 3, 5)
    base = Settings()
    conf = dataclasses.replace(
        base.providers["nbt"], base_url=server.base_url("nbt"), backfill_delay=timedelta(0)
    )
    settings = dataclasses.replace(base, providers={**base.providers, "nbt": conf})
    repo = repository(tmp_path)

    async def backfill() -> Backfill:
        nbt = build_provider("nbt", settings, lambda: now, references=False)
        async with make_client() as client:
            job = Backfill(repo, client, settings, [nbt], first, last, now=lambda: now)
            await job.run()
            return job

    with server.running():
        job = asyncio.run(backfill())
        asked = server.requests_of("nbt")
        again = asyncio.run(backfill())
    progress = job.progress["nbt"]
    assert (progress.requests, progress.failures) == (5, [])
    assert len(asked) == 5  # the plan said so
    assert Counter(s.query["cs"] for s in asked) == Counter(["USD", "KGS", "KZT", "UZS", "TMT"])
    assert {(s.query["d1"], s.query["d2"]) for s in asked} == {("2027-12-20", "2028-03-05")}
    span = (last - first).days + 1
    assert span == 77  # 12 days of December, 31 + 29 + 5
    stored = repo.stored_days_by_pair("nbt", first, last, ["TJS", "KGS", "KZT", "UZS", "TMT"])
    every_day = {first + timedelta(days=i) for i in range(span)}
    assert all(days == every_day for days in stored.values())
    assert {D(2027, 12, 31), D(2028, 1, 1), D(2028, 2, 29), D(2028, 3, 4)} <= stored["TJS"]
    assert repo.count_observations() == span * 5
    assert again.progress["nbt"].requests == 0  # resumable: all stored
    assert len(server.requests_of("nbt")) == 5


def test_the_progress_line_counts_a_range_sources_requests() -> None:
    from ticker.cli.progress import render
    from ticker.core.backfill_progress import ProviderProgress

    # One span of NBT's: five requests (a currency each); done, all five.
    p = ProviderProgress("nbt", total=1, done=1, requests=5, fetched=1830, stored=1830)
    assert " 5/5 requests " in render(p)
    assert " 0/5 requests " in render(ProviderProgress("nbt", total=1, requests=5))
