"""The long form's lines as the database makes them (:func:`write_lines`): byte for byte,
on a store with awkward values (tiny and huge rates, many significant digits, both
``derived`` values, every source, a time given in another zone), on both backends; the
same bytes as the fields (:func:`field_rows`) joined by commas; and a store written
before provider names were checked, whose names may hold a space."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from tests.helpers.factories import FETCHED
from ticker.model.pairs import USD
from ticker.storage.db import Database, open_database
from ticker.storage.export_stream import Selection, field_rows, write_lines
from ticker.storage.repository import Repository

SOURCES = (
    "nbkr",
    "nbk",
    "nbt",
    "cbu",
    "cbt",
    "cbr",
    "frankfurter",
    "erapi",
    "currencyapi",
    "nbt-banks",
    "fx-kg",
    "kurs-kz",
    "bank-uz",
)
DAY = date(2026, 11, 18)
#: 23:59:59 in Tashkent (UTC+5) is 18:59:59 UTC, on the whole second.
EVENING = datetime(2026, 11, 19, 23, 59, 59, tzinfo=timezone(timedelta(hours=5)))


def _o(provider: str, quote: str, rate: str, *, derived: bool = False, **kw: object) -> Observation:
    base = str(kw.get("base", USD))
    fetched = kw.get("fetched_at", FETCHED)
    assert isinstance(fetched, datetime)
    return Observation(provider, base, quote, DAY, Decimal(rate), derived, fetched)


def awkward() -> list[Observation]:
    rows = [
        _o("nbkr", "KGS", "87.4500"),  # trailing zeros kept
        _o("cbr", "KGS", "0.000000012345678901234", derived=True, fetched_at=EVENING),
        _o("cbu", "UZS", "123456789012345678.9"),  # more digits than a double holds
        _o("nbk", "KZT", "478.770000000000000001"),
        _o("frankfurter", "KZT", "1E+3", derived=True),  # exponent in, plain digits out
        _o("nbt", "TJS", "9.4779", base="RUB"),  # not the dollar's: as the bank publishes
    ]
    # every source on one pair and day: the order is the names', not the stored one
    rows += [_o(p, "TMT", f"3.{i:04d}", derived=i % 2 == 1) for i, p in enumerate(SOURCES)]
    return rows


def _lines(repo: Repository, selection: Selection) -> bytes:
    out = io.BytesIO()
    count = write_lines(repo, selection, out)
    assert count == out.getvalue().count(b"\r\n")
    return out.getvalue()


def test_every_awkward_value_is_written_as_stored(database: Database) -> None:
    repo = Repository(database)
    repo.store(awkward())
    text = _lines(repo, Selection())
    lines = text.split(b"\r\n")
    assert lines[-1] == b""  # every line ends with CRLF, the last one too
    assert lines[:2] == [
        b"2026-11-18,USD,KGS,0.000000012345678901234,cbr,true,2026-11-19T18:59:59.000000Z",
        b"2026-11-18,USD,KGS,87.4500,nbkr,false,2026-11-20T09:30:15.123456Z",
    ]
    assert lines[2:4] == [
        b"2026-11-18,USD,KZT,1000,frankfurter,true,2026-11-20T09:30:15.123456Z",
        b"2026-11-18,USD,KZT,478.770000000000000001,nbk,false,2026-11-20T09:30:15.123456Z",
    ]
    tmt = [line.split(b",") for line in lines[4:-2]]
    assert [f[4] for f in tmt] == [
        b"bank-uz",
        b"cbr",
        b"cbt",
        b"cbu",
        b"currencyapi",
        b"erapi",
        b"frankfurter",
        b"fx-kg",
        b"kurs-kz",
        b"nbk",
        b"nbkr",
        b"nbt",
        b"nbt-banks",
    ]
    assert tmt[0] == b"2026-11-18,USD,TMT,3.0012,bank-uz,false,2026-11-20T09:30:15.123456Z".split(
        b","
    )
    assert tmt[-1][3:6] == [b"3.0009", b"nbt-banks", b"true"]
    assert (
        lines[-2]
        == b"2026-11-18,USD,UZS,123456789012345678.9,cbu,false,2026-11-20T09:30:15.123456Z"
    )
    # the fields as the reshaping exports read them: the same text, field for field
    fields = b"".join((",".join(r) + "\r\n").encode() for r in field_rows(repo, Selection()))
    assert text == fields


def test_a_published_pair_keeps_its_own_base(database: Database) -> None:
    repo = Repository(database)
    repo.store(awkward())
    series = Selection(None, series=[("RUB", "TJS"), ("TJS", "RUB")])
    assert _lines(repo, series) == (
        b"2026-11-18,RUB,TJS,9.4779,nbt,false,2026-11-20T09:30:15.123456Z\r\n"
    )
    only = Selection(["KGS"], ["cbr"], since=DAY, until=DAY)
    assert _lines(repo, only) == (
        b"2026-11-18,USD,KGS,0.000000012345678901234,cbr,true,2026-11-19T18:59:59.000000Z\r\n"
    )
    assert _lines(repo, Selection(["KGS"], [])) == b""


def test_a_provider_name_from_before_names_were_checked_is_written_as_stored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    db = open_database(f"sqlite:///{path}")
    try:
        repo = Repository(db)
        repo.store([_o("nbkr", "KGS", "87.45")])
        # Written by a version that took any name: straight into the table.
        with sqlite3.connect(path) as raw:
            raw.execute(
                "INSERT INTO observation (provider, base, quote, as_of, rate, derived, "
                "fetched_at) VALUES ('old source', 'USD', 'KGS', '2026-11-18', '87.5', 1, "
                "'2026-11-20 09:30:15.123456')"
            )
        raw.close()
        assert _lines(repo, Selection()) == (
            b"2026-11-18,USD,KGS,87.45,nbkr,false,2026-11-20T09:30:15.123456Z\r\n"
            b"2026-11-18,USD,KGS,87.5,old source,true,2026-11-20T09:30:15.123456Z\r\n"
        )
    finally:
        db.dispose()


def test_many_batches_write_every_line_once(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository(database)
    days = [DAY - timedelta(days=i) for i in range(7)]
    repo.store(
        [
            Observation(p, USD, q, d, Decimal("1.5"), False, datetime(2026, 1, 2, 3, 4, 5, 6, UTC))
            for d in days
            for p in ("nbk", "cbr")
            for q in ("KZT", "KGS")
        ]
    )
    monkeypatch.setattr("ticker.storage.export_stream.BATCH", 3)  # batches end mid-day
    text = _lines(repo, Selection())
    lines = text.split(b"\r\n")[:-1]
    assert len(lines) == 28
    assert lines[0] == b"2026-11-12,USD,KGS,1.5,cbr,false,2026-01-02T03:04:05.000006Z"
    assert lines[1] == b"2026-11-12,USD,KGS,1.5,nbk,false,2026-01-02T03:04:05.000006Z"
    assert lines[-1] == b"2026-11-18,USD,KZT,1.5,nbk,false,2026-01-02T03:04:05.000006Z"
    assert text == b"".join((",".join(r) + "\r\n").encode() for r in field_rows(repo, Selection()))
