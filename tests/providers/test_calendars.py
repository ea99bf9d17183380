"""Every source's latest poll at the awkward hours, against a source that answers the way
the real one does at that moment (before its publication, on weekends and holidays).

The simulated sources below are this test's own model of each bank (from sources.md and
the recorded Last-Modified headers), written apart from the program's calendars: the
poll must find the newest fixing published at that moment, and hold it as current.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

import httpx
import pytest

from tests.helpers.scenarios import Recorder, fixture, make, run
from ticker.model.freshness import freshness


def zone(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


@dataclass(frozen=True)
class Bank:
    """When a source's fixing dated D really appears, and which dates exist."""

    tz: timezone
    dated: Callable[[date], bool]
    appears: Callable[[date], datetime]
    """The moment the fixing dated D is out."""

    def newest(self, now: datetime) -> date:
        day = now.astimezone(self.tz).date() + timedelta(days=2)
        while not (self.dated(day) and self.appears(day) <= now):
            day -= timedelta(days=1)
        return day

    def out(self, day: date, now: datetime) -> bool:
        return self.dated(day) and self.appears(day) <= now


def at(tz: timezone, hh: int, mm: int, lead: int = 0) -> Callable[[date], datetime]:
    return lambda d: datetime.combine(d - timedelta(days=lead), time(hh, mm), tzinfo=tz)


KZ_HOLIDAYS = {date(2026, 12, 16)}
UZ_HOLIDAYS = {date(2026, 12, 8)}
TM_HOLIDAYS = {date(2026, 12, 12)}

BANKS = {
    "nbkr": Bank(zone(6), lambda d: True, at(zone(6), 16, 0, lead=1)),
    "nbk": Bank(zone(5), lambda d: d.weekday() < 5 and d not in KZ_HOLIDAYS, at(zone(5), 15, 0)),
    "nbt": Bank(zone(5), lambda d: True, at(zone(5), 9, 0)),
    "cbu": Bank(zone(5), lambda d: d.weekday() < 5 and d not in UZ_HOLIDAYS, at(zone(5), 13, 0)),
    "cbt": Bank(
        zone(5), lambda d: d.weekday() != 6 and d not in TM_HOLIDAYS, at(zone(5), 15, 25, lead=1)
    ),
    "cbr": Bank(zone(3), lambda d: 1 <= d.weekday() <= 5, at(zone(3), 15, 30, lead=1)),
    "frankfurter": Bank(UTC, lambda d: d.weekday() < 5, at(UTC, 15, 0)),
    "erapi": Bank(UTC, lambda d: True, at(UTC, 0, 5)),
    "currencyapi": Bank(UTC, lambda d: True, at(UTC, 0, 10)),
}


def dmy(d: date) -> bytes:
    return d.strftime("%d.%m.%Y").encode()


def answer(name: str, bank: Bank, now: datetime) -> Callable[[httpx.Request], httpx.Response]:
    """The source at ``now``: what it answers to each of its real requests."""

    def reply(request: httpx.Request) -> httpx.Response:
        path, params = request.url.path, request.url.params
        newest = bank.newest(now)
        if name == "nbk":
            day = datetime.strptime(params["fdate"], "%d.%m.%Y").date()
            if not bank.out(day, now):  # nothing set for that date (yet): an empty list
                empty = b'<?xml version="1.0" encoding="utf-8"?><rates><generator>x</generator>'
                return httpx.Response(
                    200, content=empty + b"<date>" + dmy(day) + b"</date></rates>"
                )
            body = fixture("nbk/get_rates.cfm_fdate_01.04.2026.xml")
            return httpx.Response(200, content=body.replace(b"01.04.2026", dmy(day)))
        if name == "nbt":
            day = date.fromisoformat(params["date"])
            shown = day if bank.out(day, now) else newest  # its newest snapshot instead
            body = fixture("nbt/export_xml_2026-05-18.xml")
            return httpx.Response(
                200, content=body.replace(b"2026-05-18", shown.isoformat().encode())
            )
        if name == "cbt":
            day = datetime.strptime(path.rsplit("/", 1)[1], "%d%m%Y.xml").date()
            if not bank.out(day, now):
                return httpx.Response(404, content=b"Not Found")
            body = fixture("cbt/kurs_2026_20052026.xml")
            return httpx.Response(200, content=body.replace(b"20.05.2026", dmy(day)))
        if name == "cbu":
            body = fixture("cbu/json_all_2026-04-02.json")  # on the peg, unlike the 1st
            return httpx.Response(200, content=body.replace(b"02.04.2026", dmy(newest)))
        if name == "nbkr":
            if path.endswith("weekly.xml"):
                saturday = newest - timedelta(days=(newest.weekday() - 5) % 7)
                body = fixture("nbkr/weekly.xml_fetched-2026-05-23_Date-23.05.2026.xml")
                return httpx.Response(200, content=body.replace(b"23.05.2026", dmy(saturday)))
            body = fixture("nbkr/daily.xml_fetched-2026-05-22_Date-23.05.2026.xml")
            return httpx.Response(200, content=body.replace(b"23.05.2026", dmy(newest)))
        if name == "cbr":
            body = fixture("cbr/XML_daily_latest_2026-04-25.xml")
            return httpx.Response(200, content=body.replace(b"25.04.2026", dmy(newest)))
        if name == "frankfurter":
            body = fixture("frankfurter/rates_latest.json")
            return httpx.Response(
                200, content=body.replace(b"2026-05-22", newest.isoformat().encode())
            )
        if name == "erapi":
            stamp = int(bank.appears(newest).timestamp())
            body = re.sub(rb'"time_last_update_unix":\d+', b'"time_last_update_unix":%d' % stamp,
                          fixture("erapi/latest_USD.json"))  # fmt: skip
            return httpx.Response(200, content=body)
        body = fixture("currencyapi/usd_latest.json")
        return httpx.Response(200, content=body.replace(b"2026-05-23", newest.isoformat().encode()))

    return reply


WEDNESDAY, SATURDAY, SUNDAY, MONDAY = (date(2026, 12, d) for d in (2, 5, 6, 7))
HOLIDAY = {"nbk": date(2026, 12, 16), "cbu": date(2026, 12, 8), "cbt": date(2026, 12, 12)}
HOURS = ((0, 30), (8, 0), (12, 0), (18, 0))


def moments(name: str) -> list[tuple[str, datetime]]:
    tz = BANKS[name].tz
    days = [("weekday", WEDNESDAY), ("saturday", SATURDAY), ("sunday", SUNDAY)]
    days.append(("holiday", HOLIDAY.get(name, date(2026, 12, 31))))
    cases = [
        (f"{label} {hh:02d}:{mm:02d}", datetime.combine(day, time(hh, mm), tzinfo=tz))
        for label, day in days
        for hh, mm in HOURS
    ]
    cases += [
        (f"monday {hh:02d}:{mm:02d}", datetime.combine(MONDAY, time(hh, mm), tzinfo=tz))
        for hh, mm in HOURS[:2]
    ]
    return cases


CASES = [(name, label, now) for name in sorted(BANKS) for label, now in moments(name)]


@pytest.mark.parametrize(("name", "label", "now"), CASES, ids=[f"{n}-{x}" for n, x, _ in CASES])
def test_the_latest_poll_finds_the_newest_published_fixing(
    name: str, label: str, now: datetime
) -> None:
    bank = BANKS[name]
    provider = make(name, now.astimezone(UTC))
    recorder = Recorder(answer(name, bank, now))
    batch = run(provider, recorder, "latest")  # what the collector calls
    newest = bank.newest(now)
    assert {o.as_of for o in batch.observations} == {newest}, label
    # A healthy source's newest fixing is current at any hour: routing keeps showing it.
    assert not freshness(name, newest, now).stale, label
    # Walking back is bounded: the newest possible date, then the dated days before it.
    assert len(recorder.requests) <= 4, [str(r.url) for r in recorder.requests]
