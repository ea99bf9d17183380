"""One record per built-in source: the classes, the config defaults and the calendars
all read it, and a third-party provider can still declare its own."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import httpx
import pytest

from providers.base import Batch, History
from providers.calendar import DEFAULT, MON_FRI, Calendar
from providers.catalogue import CALENDARS, COVERS, SOURCES, Kind, Source
from providers.registry import provider_class
from providers.source import DailyHistoryProvider, HTTPProvider
from ticker.config import DEFAULT_INDICATORS, PROVIDERS, RATE_PROVIDERS, Settings
from ticker.model.freshness import calendar_for


@pytest.mark.parametrize("name", list(SOURCES))
def test_each_built_in_class_is_what_its_record_says(name: str) -> None:
    source = SOURCES[name]
    cls = provider_class(name)
    assert cls.SOURCE is source
    assert (cls.NAME, cls.TITLE, cls.CURRENCIES) == (name, source.title, source.currencies)
    assert cls.CALENDAR is (source.calendar or DEFAULT)
    assert (cls.HISTORY, cls.HISTORY_START) == (source.history, source.history_start)
    assert cls.HISTORY_STEP_DAYS == source.history_step_days
    # The way the class reads history agrees with the record.
    assert issubclass(cls, DailyHistoryProvider) == (source.history is History.DAILY)
    if source.history is History.RANGE:
        assert source.history_step_days > 1


@pytest.mark.parametrize("name", list(SOURCES))
def test_the_config_defaults_and_the_calendars_are_the_records(name: str) -> None:
    source, spec = SOURCES[name], PROVIDERS[name]
    defaults = Settings().providers[name]
    assert defaults == spec.defaults
    # On by default, but for a third party's board of market quotes (opt-in).
    assert defaults.enabled == (not (source.third_party and source.kind is Kind.MARKET))
    assert (defaults.base_url, defaults.interval, defaults.timeout) == (
        source.base_url,
        source.interval,
        source.timeout,
    )
    assert defaults.indicators == source.indicators == DEFAULT_INDICATORS.get(name, ())
    assert (defaults.backfill_concurrency, defaults.backfill_delay, defaults.fallback_url) == (
        source.backfill_concurrency,
        source.backfill_delay,
        source.fallback_url,
    )
    assert spec.kind == source.kind.family
    assert (name in RATE_PROVIDERS) == (source.kind is Kind.FIXINGS) == (name in COVERS)
    assert calendar_for(name) is CALENDARS.get(name, DEFAULT)


def test_every_kind_has_a_family_for_the_configuration() -> None:
    assert {kind: kind.family for kind in Kind} == {
        Kind.FIXINGS: "rates",
        Kind.MARKET: "market",
        Kind.MONETARY: "indicators",
        Kind.ANNUAL: "indicators",
    }


class _Quiet(HTTPProvider):
    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        return Batch()


def test_a_third_party_provider_declares_its_own_record() -> None:
    tashkent = Calendar(UTC, MON_FRI, time(11, 0))
    record = Source(
        "kapital",
        title="Kapitalbank board",
        kind=Kind.MARKET,
        base_url="https://kapitalbank.example",
        interval=timedelta(minutes=10),
        currencies=frozenset({"UZS"}),
        calendar=tashkent,
    )

    class Kapital(_Quiet, source=record):
        pass

    assert (Kapital.NAME, Kapital.CURRENCIES, Kapital.CALENDAR) == (
        "kapital",
        frozenset({"UZS"}),
        tashkent,
    )
    assert Kapital.HISTORY is History.NONE and Kapital.SOURCE is record


def test_a_third_party_provider_may_still_set_its_attributes_by_hand() -> None:
    class ByHand(_Quiet):
        NAME = "byhand"
        TITLE = "By hand"
        CURRENCIES = frozenset({"KZT"})
        HISTORY_START = date(2020, 1, 1)

    assert ByHand.SOURCE is None and ByHand.CALENDAR is DEFAULT
    assert (ByHand.NAME, ByHand.HISTORY_START) == ("byhand", date(2020, 1, 1))


def test_a_paced_provider_is_a_new_instance() -> None:
    nbk = provider_class("nbk")("https://nationalbank.kz")
    paced = nbk.paced(0.5)
    assert paced is not nbk and type(paced) is type(nbk)
    assert (paced.request_delay, nbk.request_delay) == (0.5, 0.0)
    assert (paced.base_url, paced.timeout, paced.now) == (nbk.base_url, nbk.timeout, nbk.now)
