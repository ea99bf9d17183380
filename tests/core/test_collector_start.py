"""A collector's start: one line per source with its next poll and why, read from the
source's calendar at awkward moments (just after local midnight, a weekend, before and
after a bank's publication); an interval the user chose takes effect at once, within the
source's politeness floor; the default interval follows the calendar."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from providers.base import Batch, Provider
from providers.catalogue import SOURCES
from tests.core.test_collector import FakeScheduler
from tests.helpers.collecting import Clock, Scripted
from tests.helpers.factories import obs
from tests.helpers.paths import REPO
from ticker.config import Settings, load_settings
from ticker.core.collector import Collector
from ticker.core.registry import build_providers
from ticker.model.health import FAILING, OK, ProviderHealth
from ticker.storage.db import Database
from ticker.storage.repository import Repository

# The week of these tests: Monday 30 Nov to Monday 7 Dec 2026.
FRI, SAT, SUN, MON = date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def settings_of(tmp_path: Path, toml: str = "") -> Settings:
    """Settings read from a config file, as a user writes it."""
    path = tmp_path / "config.toml"
    path.write_text(toml)
    return load_settings(str(path))


def polled(name: str, last: datetime, next_run: datetime, state: str = OK) -> ProviderHealth:
    """A source as an earlier collector left it: polled at ``last``, next at ``next_run``."""
    failures = 4 if state == FAILING else 0
    return ProviderHealth(
        name, OK if state == OK else FAILING, last, last, None, failures, next_run
    )


def start(
    database: Database,
    settings: Settings,
    clock: Clock,
    providers: list[Provider],
    caplog: pytest.LogCaptureFixture,
) -> tuple[Collector, FakeScheduler, list[str]]:
    """A collector started on the store as it is: its scheduler and its start lines."""
    for p in providers:
        p.now = clock
    c = Collector(settings, Repository(database), providers, httpx.AsyncClient(), now=clock)
    scheduler = FakeScheduler(clock)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="ticker.collector"):
        c.start(scheduler)  # type: ignore[arg-type]
    lines = [r.getMessage() for r in caplog.records if r.name == "ticker.collector"]
    return c, scheduler, lines


def held(database: Database, *stored: tuple[str, date], health: list[ProviderHealth]) -> None:
    repo = Repository(database)
    repo.add_observations([obs("KZT", "478.77", day, provider) for provider, day in stored])
    for h in health:
        repo.save_health(h)


@pytest.mark.parametrize(
    ("name", "now", "fixing", "planned", "line"),
    [
        pytest.param(
            # 00:05 on Thursday in Almaty (19:05 UTC on Wednesday): Thursday's fixing,
            # out on Wednesday afternoon, is today's there, not tomorrow's.
            "nbk", at(date(2026, 12, 2), 19, 5), date(2026, 12, 3), at(date(2026, 12, 2), 22),
            "nbk: next poll 22:00 UTC (today's fixing in hand; next publication 3 Dec 11:00 "
            "UTC; checked every 3h until then)",
            id="just-after-local-midnight",
        ),
        pytest.param(
            "frankfurter", at(SUN, 9), FRI, at(SUN, 11),
            "frankfurter: next poll 11:00 UTC (Friday's fixing in hand; next publication "
            "7 Dec 16:00 UTC; checked every 3h until then)",
            id="a-weekend",
        ),
        pytest.param(
            # 14:00 in Moscow on Monday: Tuesday's rate appears at 15:30; Saturday's, for
            # Sunday and Monday, is the one due.
            "cbr", at(MON, 11), SAT, at(MON, 12),
            "cbr: next poll 12:00 UTC (Saturday's fixing in hand; next publication 12:30 UTC)",
            id="before-a-publication",
        ),
        pytest.param(
            # 18:00 in Tashkent on Monday: Tuesday's rate was due at 17:30.
            "cbu", at(date(2026, 11, 30), 13), date(2026, 11, 30), at(date(2026, 11, 30), 13, 20),
            "cbu: next poll 13:20 UTC (tomorrow's fixing due since 12:30 UTC, not in hand: "
            "every 30m)",
            id="after-a-publication-not-in-hand",
        ),
        pytest.param(
            "nbt", at(MON, 5), MON, at(MON, 5, 20),
            "nbt: next poll 05:20 UTC (today's fixing in hand; in its publication window: "
            "every 30m)",
            id="in-the-window",
        ),
    ],
)  # fmt: skip
def test_each_source_says_its_next_poll_and_why_at_start(
    database: Database,
    caplog: pytest.LogCaptureFixture,
    name: str,
    now: datetime,
    fixing: date,
    planned: datetime,
    line: str,
) -> None:
    held(database, (name, fixing), health=[polled(name, now - timedelta(minutes=5), planned)])
    clock = Clock()
    clock.now = now
    settings = Settings()
    c, scheduler, lines = start(
        database, settings, clock, build_providers(settings, [name], clock), caplog
    )
    assert lines == [line]
    assert scheduler.calls[0] == ("every", name, planned)  # the plan is kept
    asyncio.run(c.client.aclose())


def test_a_source_polled_at_once_says_why(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    now = at(MON, 9)
    held(
        database,
        ("nbt", MON),
        health=[
            polled("nbt", now - timedelta(minutes=40), now - timedelta(minutes=10)),
            polled("cbt", now - timedelta(hours=1), now + timedelta(hours=1), FAILING),
            polled("cbr", now + timedelta(days=1), now + timedelta(days=1, minutes=30)),
        ],
    )
    clock = Clock()
    clock.now = now
    settings = Settings()
    names = ["nbkr", "nbt", "cbt", "cbr"]
    _c, scheduler, lines = start(
        database, settings, clock, build_providers(settings, names, clock), caplog
    )
    assert lines == [
        "nbkr: polling now (never polled)",
        "nbt: polling now (the poll planned for 08:50 UTC is due)",
        "cbt: next poll 10:00 UTC (failing: every 2h, 4 times less often until it recovers)",
        "cbr: polling now (the poll planned for 8 Dec 09:30 UTC is not believed: it was "
        "planned by a clock that was ahead)",
    ]
    assert [r.levelname for r in caplog.records][-1] == "WARNING"  # a plan not believed
    assert [call[2] for call in scheduler.calls[:4]] == [None, None, now + timedelta(hours=1), None]


class Frankfurter(Scripted, source=SOURCES["frankfurter"]):
    """Frankfurter's record and calendar, answering what its script says."""


class ERAPI(Scripted, source=SOURCES["erapi"]):
    """ExchangeRate-API's record and calendar, answering what its script says."""


def fridays(provider: str) -> Batch:
    return Batch([obs(code, "1", FRI, provider) for code in ("KGS", "KZT")])


def test_an_interval_set_in_the_config_takes_effect_at_once_and_holds(
    tmp_path: Path, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # Saturday morning: a collector at the default interval holds Friday's fixing and has
    # planned its next poll three hours on (nothing is published before Monday).
    clock = Clock()
    clock.now = at(SAT, 10, 46)
    first, scheduler, _ = start(
        database, Settings(), clock, [Frankfurter([lambda: fridays("frankfurter")])], caplog
    )
    asyncio.run(first.poll("frankfurter"))
    assert first.health["frankfurter"].next_run == at(SAT, 13, 46)
    asyncio.run(first.client.aclose())

    # The user sets `interval = "1m"` and restarts two minutes later.
    clock.now = at(SAT, 10, 48)
    settings = settings_of(tmp_path, '[providers.frankfurter]\ninterval = "1m"\n')
    provider = Frankfurter([lambda: fridays("frankfurter")])
    c, scheduler, lines = start(database, settings, clock, [provider], caplog)
    assert lines == [
        "frankfurter: polling now (the poll planned for 13:46 UTC was for another interval; "
        "every 1m, as configured)"
    ]
    assert scheduler.calls[0] == ("every", "frankfurter", None)
    assert scheduler.intervals["frankfurter"] == timedelta(minutes=1)
    # A poll with Friday's fixing in hand on a weekend: still every minute, as configured
    # (APScheduler has moved the next run a minute on; the calendar does not move it).
    scheduler.next["frankfurter"] = clock.now + timedelta(minutes=1)
    asyncio.run(c.poll("frankfurter"))
    assert c.health["frankfurter"].next_run == at(SAT, 10, 49)
    assert [call for call in scheduler.calls if call[0] == "run_at"] == []
    asyncio.run(c.client.aclose())

    # A restart within the minute keeps the plan: the interval is already the one in force.
    clock.now += timedelta(seconds=30)
    _c, scheduler, lines = start(database, settings, clock, [Frankfurter([])], caplog)
    assert lines == ["frankfurter: next poll 10:49 UTC (every 1m, as configured)"]
    assert scheduler.calls[0] == ("every", "frankfurter", at(SAT, 10, 49))
    asyncio.run(_c.client.aclose())


def test_an_interval_under_the_politeness_floor_is_raised_to_it_and_said(
    tmp_path: Path, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    clock.now = at(SAT, 10)
    held(database, health=[polled("erapi", at(SAT, 9, 30), at(SAT, 15, 30))])
    settings = settings_of(tmp_path, '[providers.erapi]\ninterval = "1m"\n')

    async def started() -> tuple[Collector, FakeScheduler, list[str]]:
        begun = start(database, settings, clock, [ERAPI([])], caplog)  # in the loop
        await begun[0].stop()
        await begun[0].client.aclose()
        return begun

    c, scheduler, lines = asyncio.run(started())
    assert lines == [
        "erapi: next poll 10:30 UTC (the poll planned for 15:30 UTC was for another "
        "interval; every 1h, erapi's politeness floor (1m configured))"
    ]
    assert scheduler.intervals["erapi"] == timedelta(hours=1)
    assert scheduler.calls[0] == ("every", "erapi", at(SAT, 10, 30))
    # The moved plan is stored at once: `ticker providers` shows it before the first poll.
    assert Repository(database).load_health()["erapi"].next_run == at(SAT, 10, 30)


def test_the_repository_config_keeps_every_source_on_its_calendar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.helpers.market import join_market
    from ticker.core.pacing import pace_of

    join_market(monkeypatch)  # the market sections: a no-op once SOURCES has them

    # config.toml spells out every default: a copy of it changes no source's pace.
    settings = load_settings(str(REPO / "config.toml"))
    clock = Clock()
    for provider in build_providers(settings, now=clock, kinds=("rates", "indicators", "market")):
        pace = pace_of(provider, settings.providers[provider.NAME].interval)
        assert not pace.chosen and not pace.raised, provider.NAME
        assert pace.follows_calendar == (provider.SOURCE is not None and bool(provider.CURRENCIES))


def test_a_one_off_poll_keeps_the_next_run_the_running_collector_planned(
    database: Database,
) -> None:
    from tests.helpers.collecting import T0, collector, ok

    repo = Repository(database)
    c = collector(database, Scripted([ok()]), Clock())  # `ticker poll`: nothing scheduled
    # The running collector planned its next poll after this one read the store.
    planned = T0 + timedelta(hours=2, minutes=57)
    last = T0 - timedelta(minutes=3)
    repo.save_health(ProviderHealth("nbk", OK, last, last, None, 0, planned))
    asyncio.run(c.poll("nbk"))
    stored = repo.load_health()["nbk"]
    assert (stored.last_success, stored.next_run) == (T0, planned)  # polled, plan kept
    asyncio.run(c.client.aclose())


def test_a_third_party_source_follows_its_calendar_at_the_config_default() -> None:
    from tests.helpers.acme import Acme
    from ticker.config.sections import THIRD_PARTY
    from ticker.core.pacing import pace_of

    acme = Acme("https://fx.acme.test")
    assert pace_of(acme, THIRD_PARTY.interval).follows_calendar
    chosen = pace_of(acme, timedelta(minutes=5))
    assert chosen.chosen and not chosen.follows_calendar
    assert chosen.interval == timedelta(minutes=5)  # it declares no floor
