"""Every rate source's history answered from its recordings, for any date asked: the
backfill bench's server route.

A dated file (NBK's ``get_rates.cfm``, NBT's snapshot, CBU's ``json/all``, CBT's
``kurs``, currencyapi's ``usd.json``) is the recorded file re-dated to the day asked. A
range (NBT's dynamic export, CBR's ``XML_dynamic``, NBKR's history page, Frankfurter's
``from=&to=``) is written in its recording's shape, a row for each day the source's
calendar dates in the window, with the recorded values: what the source's real answer
would hold, in size and in rows.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from providers.catalogue import CALENDARS
from tests.helpers.e2e import cbt_route, route

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "providers"

Reply = tuple[int, bytes]


@cache
def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _days(first: date, last: date, source: str) -> list[date]:
    calendar = CALENDARS[source]
    out = []
    day = first
    while day <= last:
        if calendar.is_dated(day):
            out.append(day)
        day += timedelta(days=1)
    return out


#: NBKR's history page: each valuta_id's som per unit, from the recorded daily.xml (USD,
#: KZT) and weekly.xml (TJS, UZS, TMT) of 23 May 2026.
_NBKR_VALUES = {"15": "87,4500", "40": "0,1859", "45": "9,4148", "46": "0,0073", "108": "24,9857"}


def _nbkr(query: dict[str, str]) -> Reply:
    first = date(int(query["beg_year"]), int(query["beg_month"]), int(query["beg_day"]))
    last = date(int(query["end_year"]), int(query["end_month"]), int(query["end_day"]))
    value = _NBKR_VALUES.get(query["valuta_id"])
    if value is None:
        return 404, b"not recorded"
    rows = "".join(
        f"<tr><td><!--date-->{d:%d.%m.%Y}<!--date--></td><td><!--value-->{value}<!--value-->"
        "</td></tr>"
        for d in reversed(_days(first, last, "nbkr"))  # newest first, as recorded
    )
    return 200, f"<table>{rows}</table>".encode()


#: CBR's XML_dynamic ids and the recorded file of each.
_CBR_FILES = {
    "R01235": "XML_dynamic_R01235_USD_2026-03-01_05.xml",
    "R01335": "XML_dynamic_R01335_KZT_2026-03-01_05.xml",
    "R01370": "XML_dynamic_R01370_KGS_2026-03-01_05.xml",
    "R01670": "XML_dynamic_R01670_TJS_2026-03-01_05.xml",
    "R01710A": "XML_dynamic_R01710A_TMT_2026-03-01_05.xml",
    "R01717": "XML_dynamic_R01717_UZS_2026-03-01_05.xml",
}


def _cbr(query: dict[str, str]) -> Reply:
    ident = query["VAL_NM_RQ"]
    if ident not in _CBR_FILES:
        return 404, b"not recorded"
    recorded = _fixture(f"cbr/{_CBR_FILES[ident]}").decode("cp1251")
    head, _, rest = recorded.partition("<Record ")
    record = "<Record " + rest.split("</Record>")[0] + "</Record>"  # the first one
    stamp = record.split('Date="')[1].split('"')[0]
    first = datetime.strptime(query["date_req1"], "%d/%m/%Y").date()
    last = datetime.strptime(query["date_req2"], "%d/%m/%Y").date()
    records = "".join(
        record.replace(f'Date="{stamp}"', f'Date="{d:%d.%m.%Y}"') for d in _days(first, last, "cbr")
    )
    return 200, (head + records + "</ValCurs>").encode("cp1251")


def _frankfurter(query: dict[str, str]) -> Reply:
    recorded = json.loads(_fixture("frankfurter/rates_range_2026-03-02_03.json"))
    rates = {row["quote"]: row["rate"] for row in recorded if row["date"] == "2026-03-02"}
    first, last = date.fromisoformat(query["from"]), date.fromisoformat(query["to"])
    quotes = [q for q in query["quotes"].split(",") if q in rates]
    rows = [
        {"date": d.isoformat(), "base": "USD", "quote": q, "rate": rates[q]}
        for d in _days(first, last, "frankfurter")
        for q in quotes
    ]
    return 200, json.dumps(rows, separators=(",", ":")).encode()


def history_route(provider: str, path: str, query: dict[str, str]) -> Reply:
    """The server's route: every rate source's history (and the poll round's files; NBT's
    range export is :func:`tests.helpers.e2e.route`'s, from its re-dated snapshot)."""
    if provider == "nbkr" and path == "/index1.jsp":
        return _nbkr(query)
    if provider == "cbr" and path == "/scripts/XML_dynamic.asp":
        return _cbr(query)
    if provider == "frankfurter" and "from" in query:
        return _frankfurter(query)
    if provider == "cbu" and path.startswith("/en/arkhiv-kursov-valyut/json/all/"):
        day = date.fromisoformat(path.rstrip("/").rsplit("/", 1)[1])
        body = _fixture("cbu/json_all_2026-04-02.json")
        return 200, body.replace(b"02.04.2026", f"{day:%d.%m.%Y}".encode())
    if provider == "currencyapi" and path.startswith("/npm/@fawazahmed0/currency-api@"):
        tag = path.split("@")[2].split("/")[0]
        body = _fixture("currencyapi/usd_2024-03-02.json")
        return 200, body.replace(b"2024-03-02", tag.encode())
    return cbt_route(provider, path, query) if provider == "cbt" else route(provider, path, query)
