"""A monetary source's pace around the central banks' policy-rate decisions: every hour
inside a decision window of a country it gives the rate of, at its interval otherwise;
at awkward moments with injected clocks (just after local midnight in Almaty on the
decision day, UTC still the day before; the Saturday before the NBK's Monday; two days
after; a year's end; a country without dates), at a restart and after a round."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from providers.base import ProviderOptions
from providers.calendar import ALMATY, TASHKENT
from providers.monetary_records import POLICY_RATE
from providers.nbk_data import NBKData
from tests.core.test_collector import FakeScheduler
from tests.helpers.collecting import Clock
from ticker.config import Settings
from ticker.core.collector import Collector
from ticker.core.pacing import DECISION_INTERVAL, Pace, decision_poll, first_run, pace_of
from ticker.core.registry import build_provider
from ticker.model.health import OK, ProviderHealth
from ticker.storage.db import Database
from ticker.storage.repository import Repository

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers" / "monetary"
SIX_HOURS = timedelta(hours=6)
HOUR = timedelta(hours=1)
FRIDAY = date(2026, 12, 4)  # NBK's last 2026 decision; in effect on Monday 7 December


def almaty(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


def nbk_data(settings: Settings, clock: Clock) -> NBKData:
    options = ProviderOptions(indicators=(POLICY_RATE,))
    return NBKData(settings.providers["nbk-data"].base_url, now=clock, options=options)


DEFAULTS = Settings()


def pace(name: str = "nbk-data", settings: Settings = DEFAULTS) -> Pace:
    provider = build_provider(name, settings)
    return pace_of(provider, settings.providers[name].interval, settings.decisions)


def test_only_a_monetary_source_giving_a_country_s_rate_gets_decision_windows() -> None:
    assert len(pace("nbk-data").decisions) == 8  # NBK's 2026 schedule
    assert len(pace("cbu-policy").decisions) == 3  # CBU's meetings to 29 April
    assert len(pace("imf-sdmx").decisions) == 11  # both: it gives every country's rate
    assert pace("siat").decisions == ()  # monthly CPI: no decision of its own
    assert pace("nbk").decisions == ()  # a rate source
    assert decision_poll(pace("nbk"), almaty(FRIDAY, 12), SIX_HOURS) is None


def test_hourly_from_just_after_midnight_in_almaty_while_utc_is_still_the_day_before() -> None:
    p = pace()
    # 23:30 on Thursday in Almaty (18:30 UTC): at the interval, but no later than the
    # window's opening at local midnight.
    thursday = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    assert decision_poll(p, thursday, SIX_HOURS) == datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    # 00:05 on Friday in Almaty, 19:05 on Thursday in UTC: the decision day, hourly.
    midnight = datetime(2026, 12, 3, 19, 5, tzinfo=UTC)
    assert decision_poll(p, midnight, SIX_HOURS) == midnight + HOUR
    assert decision_poll(p, almaty(FRIDAY, 12, 1), SIX_HOURS) == almaty(FRIDAY, 13, 1)


def test_hourly_over_the_weekend_before_the_nbk_s_monday_and_two_days_after() -> None:
    p = pace()
    saturday = almaty(date(2026, 12, 5), 9)
    assert decision_poll(p, saturday, SIX_HOURS) == saturday + HOUR
    monday = almaty(date(2026, 12, 7), 0, 30)  # the decision's effective day
    assert decision_poll(p, monday, SIX_HOURS) == monday + HOUR
    last = almaty(date(2026, 12, 9), 23, 30)  # Wednesday: two days after it took effect
    assert decision_poll(p, last, SIX_HOURS) == last + HOUR
    over = almaty(date(2026, 12, 10), 0, 0)
    assert decision_poll(p, over, SIX_HOURS) == over + SIX_HOURS  # at its interval again


def test_two_days_after_a_cbu_decision_the_window_closes() -> None:
    p = pace("cbu-policy")
    twelve = timedelta(hours=12)
    inside = datetime(2026, 5, 1, 23, 0, tzinfo=TASHKENT)
    assert decision_poll(p, inside, twelve) == inside + HOUR
    outside = datetime(2026, 5, 2, 0, 0, tzinfo=TASHKENT)
    assert decision_poll(p, outside, twelve) == outside + twelve


def test_a_year_s_end_and_a_country_without_dates() -> None:
    turn = Settings(decisions={**Settings().decisions, "KAZ": (date(2026, 12, 31),)})
    p = pace(settings=turn)
    eve = almaty(date(2026, 12, 30), 21)
    assert decision_poll(p, eve, SIX_HOURS) == almaty(date(2026, 12, 31), 0)
    new_year = almaty(date(2027, 1, 1), 0, 10)
    assert decision_poll(p, new_year, SIX_HOURS) == new_year + HOUR
    # Switched off ([decisions] KAZ = []): no window, the source is polled at its interval.
    off = Settings(decisions={**Settings().decisions, "KAZ": ()})
    assert pace(settings=off).decisions == ()
    assert decision_poll(pace(settings=off), almaty(FRIDAY, 12), SIX_HOURS) is None
    # Kyrgyzstan has no dates: the IMF source is hourly around Kazakhstan's and
    # Uzbekistan's decisions only.
    kgz_only = Settings(decisions={"KGZ": ()})
    assert pace("imf-sdmx", kgz_only).decisions == ()


def test_a_shorter_interval_than_an_hour_is_kept_around_a_decision() -> None:
    p = pace()
    assert decision_poll(p, almaty(FRIDAY, 12), timedelta(minutes=20)) == almaty(FRIDAY, 12, 20)
    assert DECISION_INTERVAL == HOUR


def polled(last: datetime, next_run: datetime) -> ProviderHealth:
    return ProviderHealth("nbk-data", OK, last, last, None, 0, next_run)


def test_a_restart_moves_a_plan_that_would_sleep_through_a_decision() -> None:
    p = pace()
    # Inside the window, a plan 5 hours ahead is moved to an hour after the last poll.
    now = almaty(FRIDAY, 11)
    first = first_run(polled(almaty(FRIDAY, 10, 30), almaty(FRIDAY, 16)), now, p, SIX_HOURS, 4)
    assert first.at == almaty(FRIDAY, 11, 30)
    assert first.why_now is not None and "policy-rate decision" in first.why_now
    # An hour after the last poll has passed: at once.
    first = first_run(polled(almaty(FRIDAY, 9), almaty(FRIDAY, 15)), now, p, SIX_HOURS, 4)
    assert first.at is None and first.why_now is not None
    # A plan within the hour (and its jitter) is kept.
    plan = almaty(FRIDAY, 11, 33)
    assert first_run(polled(almaty(FRIDAY, 10, 30), plan), now, p, SIX_HOURS, 4).at == plan
    # Before the window: a plan beyond its opening is moved to it.
    thursday = almaty(date(2026, 12, 3), 22)
    health = polled(almaty(date(2026, 12, 3), 21), almaty(FRIDAY, 3))
    first = first_run(health, thursday, p, SIX_HOURS, 4)
    assert first.at == almaty(FRIDAY, 0)
    # Away from any decision, the plan holds.
    quiet = almaty(date(2026, 11, 20), 12)
    plan = almaty(date(2026, 11, 20), 17)
    assert (
        first_run(polled(almaty(date(2026, 11, 20), 11), plan), quiet, p, SIX_HOURS, 4).at == plan
    )


def base_rate(request: httpx.Request) -> httpx.Response:
    assert request.url.path == "/api/v1/data/base-rate"
    return httpx.Response(200, content=(FIXTURES / "nbk-data" / "base_rate.json").read_bytes())


def test_after_a_good_round_the_collector_polls_hourly_around_the_decision(
    database: Database,
) -> None:
    clock = Clock()
    clock.now = almaty(date(2026, 12, 3), 21)  # Thursday evening in Almaty
    settings = Settings()
    settings = dataclasses.replace(
        settings,
        providers={
            **settings.providers,
            "nbk-data": dataclasses.replace(
                settings.providers["nbk-data"], indicators=(POLICY_RATE,)
            ),
        },
    )
    client = httpx.AsyncClient(transport=httpx.MockTransport(base_rate))
    c = Collector(
        settings, Repository(database), [nbk_data(settings, clock)], client,
        now=clock, sleep=clock.sleep, rand=lambda: 0.5,
    )  # fmt: skip
    scheduler = FakeScheduler(clock)
    c.start(scheduler)  # type: ignore[arg-type]
    scheduler.next["nbk-data"] = clock.now + SIX_HOURS  # as APScheduler plans the next run
    assert asyncio.run(c.poll("nbk-data")).ok
    # The window opens at midnight in Almaty, before the interval's 03:00.
    assert scheduler.next["nbk-data"] == almaty(FRIDAY, 0)
    clock.now = almaty(FRIDAY, 0, 2)
    scheduler.next["nbk-data"] = clock.now + SIX_HOURS
    assert asyncio.run(c.poll("nbk-data")).ok
    assert scheduler.next["nbk-data"] == almaty(FRIDAY, 1, 2)  # hourly
    clock.now = almaty(date(2026, 12, 10), 0, 5)  # the window is over
    scheduler.next["nbk-data"] = clock.now + SIX_HOURS
    assert asyncio.run(c.poll("nbk-data")).ok
    assert scheduler.next["nbk-data"] == clock.now + SIX_HOURS  # at its interval
