"""Every source's latest poll at the awkward hours, against a source that answers the way
the real one does at that moment (before its publication, on weekends and holidays).

The simulated sources below are this test's own model of each bank (from sources.md, the
recorded Last-Modified headers and docs/dates-and-provenance.md), written apart from the
program's calendars: the poll must find the newest fixing published at that moment, and
hold it as current. Where the evidence leaves two readings open (when NBK serves a
weekend's files, when CBU's current rate switches to Monday's), each is a bank of its own:
the program must be right under both.
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
        day = now.astimezone(self.tz).date() + timedelta(days=4)
        while not (self.dated(day) and self.appears(day) <= now):
            day -= timedelta(days=1)
        return day

    def out(self, day: date, now: datetime) -> bool:
        return self.dated(day) and self.appears(day) <= now


def at(tz: timezone, hh: int, mm: int, lead: int = 0) -> Callable[[date], datetime]:
    return lambda d: datetime.combine(d - timedelta(days=lead), time(hh, mm), tzinfo=tz)


def business_day_before(tz: timezone, hh: int, mm: int) -> Callable[[date], datetime]:
    """Set on the business day before the date it is in force (Monday's on Friday, the
    day after a holiday's on the business day before the holiday)."""

    def appears(d: date) -> datetime:
        day = d - timedelta(days=1)
        while day.weekday() >= 5 or day in UZ_HOLIDAYS:
            day -= timedelta(days=1)
        return datetime.combine(day, time(hh, mm), tzinfo=tz)

    return appears


def weekend_on_the_day(tz: timezone, hh: int, mm: int) -> Callable[[date], datetime]:
    """The next day's file from ``hh:mm``, but a Sunday's or Monday's only on the day."""

    def appears(d: date) -> datetime:
        if d.weekday() in (6, 0):
            return datetime.combine(d, time(0, 0), tzinfo=tz)
        return datetime.combine(d - timedelta(days=1), time(hh, mm), tzinfo=tz)

    return appears


UZ_HOLIDAYS = {date(2026, 12, 8)}
TM_HOLIDAYS = {date(2026, 12, 12)}


def uz_dated(d: date) -> bool:
    return d.weekday() < 5 and d not in UZ_HOLIDAYS


BANKS = {
    "nbkr": Bank(zone(6), lambda d: True, at(zone(6), 16, 0, lead=1)),
    # Every date has a file; the next day's is out after the afternoon's fixing.
    "nbk": Bank(zone(5), lambda d: True, at(zone(5), 16, 5, lead=1)),
    "nbk/weekend-on-the-day": Bank(zone(5), lambda d: True, weekend_on_the_day(zone(5), 16, 5)),
    "nbt": Bank(zone(5), lambda d: True, at(zone(5), 9, 0)),
    # Set at 17:30 Tashkent on the business day before; /json/ shows it from then...
    "cbu": Bank(zone(5), uz_dated, business_day_before(zone(5), 17, 35)),
    # ... or only from its own date on.
    "cbu/on-its-date": Bank(zone(5), uz_dated, at(zone(5), 0, 0)),
    "cbt": Bank(
        zone(5), lambda d: d.weekday() != 6 and d not in TM_HOLIDAYS, at(zone(5), 15, 25, lead=1)
    ),
    "cbr": Bank(zone(3), lambda d: 1 <= d.weekday() <= 5, at(zone(3), 15, 30, lead=1)),
    "frankfurter": Bank(UTC, lambda d: d.weekday() < 5, at(UTC, 15, 0)),
    "erapi": Bank(UTC, lambda d: True, at(UTC, 0, 5)),
    # Dated the UTC day its build starts (00:00 UTC), out around midnight US Eastern
    # (05:00 UTC in December).
    "currencyapi": Bank(UTC, lambda d: True, at(UTC, 5, 0)),
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
FRIDAY = date(2026, 12, 4)
HOLIDAY = {"nbk": date(2026, 12, 16), "cbu": date(2026, 12, 8), "cbt": date(2026, 12, 12)}
HOURS = ((0, 30), (8, 0), (12, 0), (18, 0))


def moments(name: str) -> list[tuple[str, datetime]]:
    tz = BANKS[name].tz
    days = [("weekday", WEDNESDAY), ("friday", FRIDAY), ("saturday", SATURDAY), ("sunday", SUNDAY)]
    days.append(("holiday", HOLIDAY.get(name.split("/")[0], date(2026, 12, 31))))
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
    source = name.split("/")[0]  # a bank under another reading is the same source
    provider = make(source, now.astimezone(UTC))
    recorder = Recorder(answer(source, bank, now))
    batch = run(provider, recorder, "latest")  # what the collector calls
    newest = bank.newest(now)
    assert {o.as_of for o in batch.observations} == {newest}, label
    # A healthy source's newest fixing is current at any hour: routing keeps showing it.
    assert not freshness(source, newest, now).stale, label
    # Walking back is bounded: the newest possible date, then the dated days before it.
    assert len(recorder.requests) <= 4, [str(r.url) for r in recorder.requests]
