"""``export --indicators`` on both backends, read by the read side and by the write side:
the annual and the monetary series in one long form, their frequency and release date in
two appended columns, the digits as published, and with ``revisions`` every value a
source published for a period, in the order published. Expected rows written by hand."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from providers.base import IndicatorValue
from ticker.config import Settings, StorageSettings
from ticker.core.export import ExportOptions, write_csv
from ticker.storage.db import Database
from ticker.storage.reader import StoreReader, opened_reads
from ticker.storage.reads import ReadQueries
from ticker.storage.repository import Repository

SETTINGS = Settings()
FIRST = datetime(2026, 11, 10, 6, 0, tzinfo=UTC)
SECOND = datetime(2026, 11, 17, 6, 0, 0, 250000, tzinfo=UTC)
THIRD = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


def value(
    source: str,
    code: str,
    country: str,
    period: str,
    number: str | None,
    at: datetime = FIRST,
    released: date | None = None,
    forecast: bool = False,
) -> IndicatorValue:
    digits = None if number is None else Decimal(number)
    return IndicatorValue(source, code, country, period, digits, forecast, at, released)


@pytest.fixture(params=["reader", "repository"])
def db(request: pytest.FixtureRequest, database: Database) -> Iterator[ReadQueries]:
    repo = Repository(database)
    nbk = ("nbk-data", "policy-rate", "KAZ")
    repo.store_indicators(
        [
            value(*nbk, "2026-08-29", "16.50", FIRST, date(2026, 8, 29)),
            value(*nbk, "2026-10-10", "17.00", FIRST, date(2026, 10, 10)),
            value("nbk-data", "reserves", "KAZ", "2026-10", "45230.10", FIRST, date(2026, 11, 7)),
        ]
    )
    repo.store_indicators(
        [
            value("imf-sdmx", "cpi-yoy", "KGZ", "2026-09", "7.1"),
            value("imf-sdmx", "cpi-yoy", "TKM", "2026-09", None),
            value("imf-sdmx", "cpi-yoy", "KGZ", "2026-10", "7.0"),
        ]
    )
    # IMF revises Kyrgyzstan's October twice: 7.0, then 7.25, then 7.2.
    repo.store_indicators([value("imf-sdmx", "cpi-yoy", "KGZ", "2026-10", "7.25", SECOND)])
    repo.store_indicators([value("imf-sdmx", "cpi-yoy", "KGZ", "2026-10", "7.2", THIRD)])
    repo.store_indicators(
        [
            value("worldbank", "FP.CPI.TOTL.ZG", "KGZ", "2024", "5.0"),
            value("imf", "NGDP_RPCH", "KGZ", "2027", "1E-7", forecast=True),
            value("imf", "NGDP_RPCH", "KGZ", "2025", "9.0"),
        ]
    )
    if request.param == "repository":
        yield repo
        return
    url = database.engine.url.render_as_string(hide_password=False)
    with opened_reads(dataclasses.replace(SETTINGS, storage=StorageSettings(url=url))) as reads:
        assert isinstance(reads, StoreReader)
        yield reads


def run(db: ReadQueries, **options: object) -> tuple[list[str], int]:
    out = io.BytesIO()
    count = write_csv(db, SETTINGS, ExportOptions(indicators=True, **options), out)  # type: ignore[arg-type]
    text = out.getvalue().decode()
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.split("\r\n")[:-1], count


HEADER = (
    "source,indicator,country,period,value,is_forecast,fetched_at,previous_value,revised_at,"
    "frequency,released"
)
F, S, T = (
    "2026-11-10T06:00:00.000000Z",
    "2026-11-17T06:00:00.250000Z",
    "2026-11-24T06:00:00.000000Z",
)


def test_every_series_at_its_own_frequency_with_the_published_digits(db: ReadQueries) -> None:
    lines, count = run(db)
    assert lines == [
        HEADER,
        f"imf,NGDP_RPCH,KGZ,2025,9.0,false,{F},,,year,",
        f"imf,NGDP_RPCH,KGZ,2027,0.0000001,true,{F},,,year,",
        f"imf-sdmx,cpi-yoy,KGZ,2026-09,7.1,false,{F},,,month,",
        f"imf-sdmx,cpi-yoy,KGZ,2026-10,7.2,false,{T},7.25,{T},month,",
        f"imf-sdmx,cpi-yoy,TKM,2026-09,,false,{F},,,month,",
        f"nbk-data,policy-rate,KAZ,2026-08-29,16.50,false,{F},,,day,2026-08-29",
        f"nbk-data,policy-rate,KAZ,2026-10-10,17.00,false,{F},,,day,2026-10-10",
        f"nbk-data,reserves,KAZ,2026-10,45230.10,false,{F},,,month,2026-11-07",
        f"worldbank,FP.CPI.TOTL.ZG,KGZ,2024,5.0,false,{F},,,year,",
    ]
    assert count == 9


def test_revisions_are_every_value_published_in_the_order_published(db: ReadQueries) -> None:
    lines, count = run(db, providers=["imf-sdmx"], revisions=True)
    assert lines == [
        HEADER + ",replaced_at",
        f"imf-sdmx,cpi-yoy,KGZ,2026-09,7.1,false,{F},,,month,,",
        f"imf-sdmx,cpi-yoy,KGZ,2026-10,7.0,false,{F},,,month,,{S}",
        f"imf-sdmx,cpi-yoy,KGZ,2026-10,7.25,false,{S},,,month,,{T}",
        f"imf-sdmx,cpi-yoy,KGZ,2026-10,7.2,false,{T},7.25,{T},month,,",
        f"imf-sdmx,cpi-yoy,TKM,2026-09,,false,{F},,,month,,",
    ]
    assert count == 5


def test_since_and_until_keep_the_periods_that_overlap_them(db: ReadQueries) -> None:
    lines, _ = run(db, since=date(2026, 10, 1), until=date(2026, 10, 31))
    assert [line.split(",")[:4] for line in lines[1:]] == [
        ["imf-sdmx", "cpi-yoy", "KGZ", "2026-10"],
        ["nbk-data", "policy-rate", "KAZ", "2026-10-10"],
        ["nbk-data", "reserves", "KAZ", "2026-10"],
    ]
    lines, _ = run(db, since=date(2025, 6, 1), until=date(2026, 8, 31))
    assert [line.split(",")[3] for line in lines[1:]] == ["2025", "2026-08-29"]
    assert run(db, providers=[])[0] == [HEADER]
