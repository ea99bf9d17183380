"""A market source polled by the collector: on its schedule by banking hours in its own
zone, with the same rounds, retries, health and failure words as a rate source, and its
round recorded although the store keeps no quote of it here."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from providers.calendar import DUSHANBE
from providers.market_records import MARKET
from tests.core.test_collector import FakeScheduler
from tests.helpers.collecting import Clock
from tests.helpers.market import NBTBoard, board_server, join_market
from ticker.config import Settings
from ticker.core.collector import Collector, RoundDone
from ticker.core.pacing import Tide, held_after, next_poll, pace_of, tide
from ticker.core.watch import Verdict, market_warnings
from ticker.display.collectors import health_json, health_text
from ticker.model.health import FAILING, OK, UNSTABLE, ProviderHealth
from ticker.storage.db import Database
from ticker.storage.repository import Repository

# Dushanbe's banking week (UTC+5), Monday to Saturday from 08:00 for ten hours.
SAT, SUN, MON, TUE = date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7), date(2026, 12, 8)
CALENDAR = MARKET["nbt-banks"].calendar
assert CALENDAR is not None
HALF_HOUR = timedelta(minutes=30)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=DUSHANBE)


@pytest.fixture(autouse=True)
def joined(monkeypatch: pytest.MonkeyPatch) -> None:
    join_market(monkeypatch)


PACE = pace_of(NBTBoard("https://www.nbt.tj"), HALF_HOUR)


def plan(now: datetime, held: date | None) -> datetime:
    assert CALENDAR is not None
    return next_poll(CALENDAR, now, PACE.interval, held, PACE.lead_in)


def test_a_market_source_follows_its_banking_hours() -> None:
    assert PACE.market and PACE.follows_calendar and PACE.lead_in == timedelta(0)
    # A minute before the banks open: the next poll is at the opening, not at the interval.
    assert plan(local(MON, 7, 59), SAT) == local(MON, 8, 0)
    # A minute after: no board read today yet, at the interval.
    assert plan(local(MON, 8, 1), SAT) == local(MON, 8, 31)
    # Open, today's board in hand: still at the interval (quotes change during the day).
    assert plan(local(MON, 12, 0), MON) == local(MON, 12, 30)
    # Closed for the evening: every 3 hours at most until they open again.
    assert plan(local(MON, 18, 1), MON) == local(MON, 21, 1)
    assert plan(local(MON, 6, 0), SAT) == local(MON, 8, 0)


def test_saturday_is_a_banking_day_and_sunday_is_not() -> None:
    assert plan(local(SAT, 10, 0), SAT) == local(SAT, 10, 30)
    sunday = local(SUN, 10, 0)
    held = held_after(PACE, None, sunday)
    assert held == SUN
    assert CALENDAR is not None and tide(CALENDAR, sunday, held, PACE.lead_in) is Tide.QUIET
    assert plan(sunday, held) == local(SUN, 13, 0)
    assert plan(local(SUN, 23, 0), SUN) == local(MON, 2, 0)
    assert plan(local(MON, 6, 30), SUN) == local(MON, 8, 0)


def test_just_after_local_midnight_is_the_next_day_in_the_source_s_zone() -> None:
    # 19:05 UTC on Monday is 00:05 on Tuesday in Dushanbe.
    moment = datetime(2026, 12, 7, 19, 5, tzinfo=UTC)
    assert held_after(PACE, None, moment) == TUE
    # Monday's board in hand, Tuesday's banks not open: quiet, not "behind" all night.
    assert CALENDAR is not None and tide(CALENDAR, moment, MON, PACE.lead_in) is Tide.QUIET
    assert plan(moment, MON) == moment + timedelta(hours=3)


def board_collector(
    database: Database, clock: Clock, transport: httpx.MockTransport, **collector: object
) -> Collector:
    import dataclasses

    settings = Settings()
    settings = dataclasses.replace(
        settings,
        collector=dataclasses.replace(settings.collector, **collector),  # type: ignore[arg-type]
    )
    provider = NBTBoard(settings.providers["nbt-banks"].base_url, now=clock)
    client = httpx.AsyncClient(transport=transport)
    return Collector(
        settings,
        Repository(database),
        [provider],
        client,
        now=clock,
        sleep=clock.sleep,
        rand=lambda: 0.5,
    )


def test_a_board_is_polled_recorded_and_planned_by_banking_hours(database: Database) -> None:
    clock = Clock()
    clock.now = local(MON, 8, 1)
    transport, seen = board_server()
    c = board_collector(database, clock, transport)
    scheduler = FakeScheduler(clock)
    c.start(scheduler)  # type: ignore[arg-type]
    assert scheduler.calls[0] == ("every", "nbt-banks", None)  # never polled: at once
    heard: list[RoundDone] = []
    c.subscribe(heard.append)
    outcome = asyncio.run(c.poll("nbt-banks"))
    assert outcome.ok and outcome.quotes == 3
    assert [str(r.url) for r in seen] == ["https://www.nbt.tj/board.json"]
    health = c.health["nbt-banks"]
    assert (health.state, health.last_success) == (OK, clock.now)
    assert scheduler.next["nbt-banks"] == local(MON, 8, 31)  # open: at the interval
    assert heard[0].outcome is outcome and heard[0].health.state == OK
    assert Repository(database).load_health()["nbt-banks"].next_run == local(MON, 8, 31)
    clock.now = local(MON, 18, 30)  # closed: rarely
    asyncio.run(c.poll("nbt-banks"))
    assert scheduler.next["nbt-banks"] == local(MON, 21, 30)
    clock.now = local(SUN, 10, 0) + timedelta(days=7)  # Sunday 13 Dec: closed all day
    asyncio.run(c.poll("nbt-banks"))
    assert scheduler.next["nbt-banks"] == clock.now + timedelta(hours=3)


def test_a_failing_board_has_the_same_retries_health_and_words(database: Database) -> None:
    clock = Clock()
    clock.now = local(MON, 9, 0)
    transport, seen = board_server(status=503)
    c = board_collector(database, clock, transport, retries=2, failing_after=2)
    outcome = asyncio.run(c.poll("nbt-banks"))
    assert not outcome.ok and len(seen) == 2 and clock.slept == [2.0]
    assert outcome.error is not None and "503" in outcome.error.reason
    assert c.health["nbt-banks"].state == UNSTABLE
    asyncio.run(c.poll("nbt-banks"))
    health = c.health["nbt-banks"]
    assert health.state == FAILING and "503" in (health.last_error or "")


def test_an_empty_board_is_a_failure_in_words(database: Database) -> None:
    clock = Clock()
    clock.now = local(MON, 9, 0)
    transport, _seen = board_server(rows=[])
    c = board_collector(database, clock, transport)
    outcome = asyncio.run(c.poll("nbt-banks"))
    assert outcome.error is not None and outcome.error.reason == "no quotes: the board is empty"
    assert c.health["nbt-banks"].state == UNSTABLE


def test_a_restart_keeps_a_board_s_plan_and_says_it(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    clock.now = local(MON, 19, 0)
    last = local(MON, 17, 45)
    Repository(database).save_health(
        ProviderHealth("nbt-banks", OK, last, last, None, 0, local(MON, 21, 0))
    )
    transport, _seen = board_server()
    c = board_collector(database, clock, transport)
    scheduler = FakeScheduler(clock)
    with caplog.at_level(logging.INFO, logger="ticker.collector"):
        c.start(scheduler)  # type: ignore[arg-type]
    assert scheduler.calls[0] == ("every", "nbt-banks", local(MON, 21, 0))
    lines = [r.getMessage() for r in caplog.records if r.name == "ticker.collector"]
    assert lines == [
        "nbt-banks: next poll 16:00 UTC (banks closed, they open 8 Dec 03:00 UTC; "
        "checked every 3h until then)"
    ]
    # Its last good round was on Monday: Monday's board is in hand (not behind all night).
    assert c._newest["nbt-banks"] == MON


def test_a_failing_market_source_is_a_warning_not_a_reason() -> None:
    settings = Settings()
    now = local(MON, 12, 0)
    failing = ProviderHealth("nbt-banks", FAILING, now, None, "HTTP 503", 5, None)
    warnings = market_warnings({"nbt-banks": failing}, settings, now)
    assert warnings == [
        "nbt-banks: failing (HTTP 503); a market source, the official rates are not affected"
    ]
    # An opt-in source that is off is not judged at all.
    assert market_warnings({"fx-kg": ProviderHealth("fx-kg", FAILING)}, settings, now) == []
    verdict = Verdict([], [], [], None, warnings)
    assert verdict.ok  # `ticker health` exits 0 for it
    assert '"warnings": [\n    "nbt-banks: failing (HTTP 503)' in health_json(verdict)
    degraded = Verdict([], [], ["no collector holds the lease"], None, warnings)
    assert health_text(degraded, now).splitlines() == [
        "no collector holds the lease",
        "warning: " + warnings[0],
    ]


def test_a_board_s_round_counts_as_the_others_do_with_its_quotes() -> None:
    from prometheus_client import CollectorRegistry

    from ticker.core.collector import PollOutcome
    from ticker.core.ingest import IngestResult
    from ticker.core.metrics import RoundMetrics

    registry = CollectorRegistry()
    metrics = RoundMetrics(registry)
    metrics.start(["nbt-banks", "nbk"], {})
    health = ProviderHealth("nbt-banks", OK, local(MON, 9, 0), local(MON, 9, 0))
    outcome = PollOutcome("nbt-banks", IngestResult(), None, seconds=0.2, quotes=3)
    metrics.observe(RoundDone(outcome, health))

    def sample(name: str, **labels: str) -> float | None:
        return registry.get_sample_value(name, labels)

    assert sample("ticker_quotes_received_total", provider="nbt-banks") == 3
    assert sample("ticker_polls_total", provider="nbt-banks", outcome="ok") == 1
    assert sample("ticker_rows_stored_total", provider="nbt-banks") is None  # no rate rows
    assert sample("ticker_quotes_received_total", provider="nbk") is None  # a rate source
    assert sample("ticker_last_success_timestamp_seconds", provider="nbt-banks") == (
        local(MON, 9, 0).timestamp()
    )
