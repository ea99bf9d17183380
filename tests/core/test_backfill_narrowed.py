"""A backfill of some pairs asks each source only for the series those pairs need (issue
32): NBT, NBKR and CBR read a request per currency, and ``--pair TJS`` is NBT's dollar
series alone, ``--pair KGS`` NBT's USD and KGS and NBKR's USD page; an extra currency the
watched pairs need (``RUB/KGS``) costs its page. The plan's estimate counts the same
requests. Against a 127.0.0.1 server answering from the recordings, at a fixed clock:
Friday 22 May 2026, 13:00 UTC, every source's fixing of the day out; a year back is
2025-05-22 to 2026-05-22 (366 days: one NBT span of 400 days, one NBKR page of 366)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from benchmarks.history_feeds import history_route
from tests.helpers.cli import ticker
from tests.helpers.e2e import E2E_ENV, E2E_NOW
from tests.helpers.feedserver import FeedServer, Reply
from tests.helpers.nbk import repository
from ticker.config import PairsSettings, Settings
from ticker.core.backfill import Backfill
from ticker.core.backfill_plan import a_year_back
from ticker.core.net import make_client
from ticker.core.registry import build_providers
from ticker.model.pairs import Pair
from ticker.storage.repository import Repository

UNTIL = E2E_NOW.date()
SINCE = a_year_back(UNTIL)
YEAR = (SINCE.isoformat(), UNTIL.isoformat())
#: NBKR's history page of RUB (valuta_id 44): the recorded daily.xml of 23 May 2026 says
#: 1,2263 som per rouble (``nbkr/daily.xml_fetched-2026-05-22_Date-23.05.2026.xml``).
NBKR_RUB = "1,2263"


def route(provider: str, path: str, query: dict[str, str]) -> Reply:
    """The sources' history from their recordings (the backfill bench's route), and
    NBKR's rouble page, which the bench does not ask."""
    if provider == "nbkr" and path == "/index1.jsp" and query["valuta_id"] == "44":
        first = date(int(query["beg_year"]), int(query["beg_month"]), int(query["beg_day"]))
        last = date(int(query["end_year"]), int(query["end_month"]), int(query["end_day"]))
        days = [last - timedelta(days=i) for i in range((last - first).days + 1)]
        rows = "".join(
            f"<tr><td><!--date-->{d:%d.%m.%Y}<!--date--></td>"
            f"<td><!--value-->{NBKR_RUB}<!--value--></td></tr>"
            for d in days
            if d.weekday() < 5
        )
        return 200, f"<table>{rows}</table>".encode()
    return history_route(provider, path, query)


def settings_for(server: FeedServer, watch: tuple[Pair, ...] = ()) -> Settings:
    base = Settings()
    providers = {
        name: dataclasses.replace(conf, base_url=server.base_url(name), backfill_delay=timedelta(0))
        for name, conf in base.providers.items()
    }
    return dataclasses.replace(base, providers=providers, pairs=PairsSettings(watch=watch))


def backfill(
    repo: Repository,
    settings: Settings,
    names: list[str],
    locals_: list[str] | None,
    pairs: list[Pair] | None = None,
) -> Backfill:
    """``ticker backfill --since 1y --provider NAME ... [--pair ...]`` at the fixed clock."""

    async def run() -> Backfill:
        providers = build_providers(settings, names, now=lambda: E2E_NOW, references=False)
        async with make_client() as client:
            job = Backfill(
                repo,
                client,
                settings,
                providers,
                SINCE,
                UNTIL,
                locals_,
                now=lambda: E2E_NOW,
                pairs=pairs,
            )
            await job.run()
            return job

    return asyncio.run(run())


def asked(server: FeedServer, provider: str, key: str) -> Counter[tuple[str, ...]]:
    """What ``provider`` was asked: the currency (``key``: its query parameter) and the
    window of each request."""
    found: Counter[tuple[str, ...]] = Counter()
    for seen in server.requests_of(provider):
        q = seen.query
        if provider == "nbkr":
            window = (
                f"{q['beg_year']}-{q['beg_month']}-{q['beg_day']}",
                f"{q['end_year']}-{q['end_month']}-{q['end_day']}",
            )
        elif provider == "cbr":
            window = (q["date_req1"], q["date_req2"])
        else:
            window = (q["d1"], q["d2"])
        found[(q[key], *window)] += 1
    return found


def dollar_rates(repo: Repository, provider: str, local: str) -> list[tuple[date, Decimal]]:
    return [
        (o.as_of, o.rate) for o in repo.pair_history(Pair("USD", local), SINCE, UNTIL, provider)
    ]


def test_a_year_of_tjs_asks_nbt_its_dollar_series_once_and_stores_what_a_full_one_does(
    tmp_path: Path,
) -> None:
    server = FeedServer(route)
    settings = settings_for(server)
    narrow_dir, full_dir = tmp_path / "narrow", tmp_path / "full"
    narrow_dir.mkdir()
    full_dir.mkdir()
    narrow, full = repository(narrow_dir), repository(full_dir)
    with server.running():
        job = backfill(narrow, settings, ["nbt"], ["TJS"])
        narrow_asked = asked(server, "nbt", "cs")
        server.seen.clear()
        whole = backfill(full, settings, ["nbt"], None)
        full_asked = asked(server, "nbt", "cs")
    # One range URL for the year's one span (400 days a request): the dollar's series.
    assert narrow_asked == Counter({("USD", *YEAR): 1})
    assert job.progress["nbt"].requests == 1  # the plan said so
    assert job.progress["nbt"].failures == []
    # A plain backfill asks what it always did: the dollar's and the four crosses' own.
    assert sorted(code for code, *_ in full_asked) == ["KGS", "KZT", "TMT", "USD", "UZS"]
    assert whole.progress["nbt"].requests == 5
    # The same somoni rates: 9.3450 a dollar every day of the year (the recorded
    # snapshot of 18 May 2026, re-dated: NBT dates every day).
    tjs = dollar_rates(narrow, "nbt", "TJS")
    assert tjs == dollar_rates(full, "nbt", "TJS")
    assert len(tjs) == 366 and {rate for _, rate in tjs} == {Decimal("9.3450")}
    assert narrow.count_observations() == 366  # nothing else asked, nothing else stored
    assert full.count_observations() == 366 * 5


def test_kgs_asks_nbt_usd_and_kgs_nbkr_its_usd_page_and_cbr_usd_and_kgs(tmp_path: Path) -> None:
    server = FeedServer(route)
    settings = settings_for(server)
    repo = repository(tmp_path)
    with server.running():
        job = backfill(repo, settings, ["nbt", "nbkr", "cbr"], ["KGS"])
    # KGS/USD via NBT is a cross: TJS per dollar over TJS per som.
    assert asked(server, "nbt", "cs") == Counter({("USD", *YEAR): 1, ("KGS", *YEAR): 1})
    # NBKR's own som: its USD page (valuta_id 15), one for the 366 days.
    assert asked(server, "nbkr", "valuta_id") == Counter({("15", "2025-05-22", "2026-05-22"): 1})
    # CBR's cross through the rouble: the dollar's file (R01235) and the som's (R01370).
    window = ("22/05/2025", "22/05/2026")
    assert asked(server, "cbr", "VAL_NM_RQ") == Counter(
        {("R01235", *window): 1, ("R01370", *window): 1}
    )
    # The estimate equals the requests made, source by source.
    assert {n: p.requests for n, p in job.progress.items()} == {"nbt": 2, "nbkr": 1, "cbr": 2}
    assert all(p.failures == [] for p in job.progress.values())
    # NBKR's own: 87,4500 som a dollar on each day it dates (recorded daily.xml).
    nbkr = dollar_rates(repo, "nbkr", "KGS")
    assert nbkr and {rate for _, rate in nbkr} == {Decimal("87.4500")}
    assert dollar_rates(repo, "nbt", "KGS") and dollar_rates(repo, "cbr", "KGS")
    assert dollar_rates(repo, "nbt", "TJS") == []  # not asked: not stored
    assert dollar_rates(repo, "nbkr", "KZT") == []


def test_an_extra_currency_the_watched_pairs_need_costs_its_page(tmp_path: Path) -> None:
    """``[pairs] watch = ["RUB/KGS"]`` and ``--pair KGS``: NBKR's rouble page besides its
    dollar's; nothing more of NBT."""
    server = FeedServer(route)
    settings = settings_for(server, (Pair("RUB", "KGS"),))
    repo = repository(tmp_path)
    with server.running():
        job = backfill(repo, settings, ["nbt", "nbkr"], ["KGS"])
    assert sorted(v for v, *_ in asked(server, "nbkr", "valuta_id")) == ["15", "44"]
    assert sorted(c for c, *_ in asked(server, "nbt", "cs")) == ["KGS", "USD"]
    assert {n: p.requests for n, p in job.progress.items()} == {"nbt": 2, "nbkr": 2}
    rub = repo.pair_history(Pair("RUB", "KGS"), SINCE, UNTIL, "nbkr")
    assert rub and {o.rate for o in rub} == {Decimal("1.2263")}
    assert all(o.as_of.weekday() < 5 for o in rub)


def test_the_command_says_the_requests_it_makes(tmp_path: Path) -> None:
    server = FeedServer(route)
    with server.running():
        cfg = tmp_path / "config.toml"
        cfg.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
            + "".join(
                f'[providers.{n}]\nbase_url = "{server.base_url(n)}"\nbackfill_delay = "0s"\n'
                for n in ("nbt", "nbkr")
            )
        )
        args = ["--config", str(cfg), "backfill", "--since", "1y", "-v", "--pair", "KGS"]
        result = ticker(*args, "--provider", "nbt", "--provider", "nbkr", env=E2E_ENV)
        assert result.returncode == 0, result.stderr
    assert len(server.requests_of("nbt")) == 2 and len(server.requests_of("nbkr")) == 1
    said = result.stderr
    assert ": about 3 requests, " in said  # the backfill's whole plan
    assert "ticker:   nbt   about 2 requests, " in said
    assert "ticker:   nbkr  about 1 request, " in said
    assert " 2/2 requests " in said and " 1/1 requests " in said
