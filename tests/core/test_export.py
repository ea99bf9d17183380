"""CSV export on both backends: exact round trips, the best and wide forms, orientation,
and files that are complete or absent, never half-written."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import pytest

from tests.helpers.cli import ticker
from tests.helpers.factories import obs
from ticker.config import Settings, StorageSettings
from ticker.core.export import ExportOptions, export, write_csv
from ticker.errors import UsageError
from ticker.model.pairs import Orientation
from ticker.storage.db import Database, open_database
from ticker.storage.reader import StoreReader, opened_reads
from ticker.storage.reads import ReadQueries
from ticker.storage.repository import Repository

D1, D2, D3 = date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)
WHOLE_SECOND = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SETTINGS = Settings()


def stored_rows() -> list:  # type: ignore[type-arg]
    return [
        obs("KZT", "478.77", D1, "nbk"),
        obs("KZT", "479.10", D2, "nbk", fetched_at=WHOLE_SECOND),
        obs("KZT", "480.123456789012345678", D2, "cbr", derived=True),
        obs("KGS", "87.4500", D1, "nbkr"),
        obs("KGS", "87.46", D3, "nbkr"),
        obs("KGS", "87.3", D3, "erapi"),
        obs("UZS", "12182.442748091603053", D2, "nbk", derived=True),
        obs("UZS", "12194.21", D3, "cbu"),
    ]


@pytest.fixture(params=["reader", "repository"])
def db(request: pytest.FixtureRequest, database: Database) -> Iterator[ReadQueries]:
    """The stored rows, read by the read side's own connection (as ``ticker export``
    does) or by the write side's (the dashboard's fallback)."""
    repo = Repository(database)
    repo.store(stored_rows())
    if request.param == "repository":
        yield repo
        return
    url = database.engine.url.render_as_string(hide_password=False)
    with opened_reads(dataclasses.replace(SETTINGS, storage=StorageSettings(url=url))) as reads:
        assert isinstance(reads, StoreReader)
        yield reads


def run(db: ReadQueries, **options: object) -> tuple[str, int]:
    out = io.BytesIO()
    count = write_csv(db, SETTINGS, ExportOptions(**options), out)  # type: ignore[arg-type]
    return out.getvalue().decode(), count


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_long_form_round_trips_every_stored_field_exactly(db: ReadQueries) -> None:
    text, count = run(db)
    assert text.startswith("as_of,base,quote,rate,provider,derived,fetched_at\r\n")
    assert text.count("\r\n") == count + 1 and "\n" not in text.replace("\r\n", "")
    rows = parse(text)
    assert count == len(rows) == 8
    stored = db
    expected = [o for local in ("KGS", "KZT", "UZS") for o in stored.history(local)]
    assert len(expected) == len(rows)
    for row, o in zip(rows, expected, strict=True):
        assert row["as_of"] == o.as_of.isoformat()
        assert (row["base"], row["quote"], row["provider"]) == (o.base, o.quote, o.provider)
        assert row["rate"] == str(o.rate)  # the stored digits, not a float's
        assert row["derived"] == ("true" if o.derived else "false")
        assert datetime.fromisoformat(row["fetched_at"]) == o.fetched_at
        assert row["fetched_at"].endswith("Z")
    # Ordered by pair, then date, then provider.
    keys = [(r["quote"], r["as_of"], r["provider"]) for r in rows]
    assert keys == sorted(keys)
    assert {r["rate"] for r in rows} >= {"478.77", "87.4500", "12182.442748091603053"}


def test_filters(db: ReadQueries) -> None:
    text, count = run(db, locals_=["KGS"], providers=["nbkr"], since=D2)
    assert [r["rate"] for r in parse(text)] == ["87.46"] and count == 1
    text, count = run(db, until=D1 - timedelta(days=1))
    assert count == 0 and text == "as_of,base,quote,rate,provider,derived,fetched_at\r\n"


def test_the_other_orientation_turns_every_rate_around(db: ReadQueries) -> None:
    text, _ = run(db, orientation=Orientation.USD_PER)
    rows = parse(text)
    assert {(r["base"], r["quote"]) for r in rows} == {
        ("KGS", "USD"),
        ("KZT", "USD"),
        ("UZS", "USD"),
    }
    stored = {(o.quote, o.as_of.isoformat(), o.provider): o.rate for o in stored_rows()}
    for r in rows:
        rate = Decimal(r["rate"])
        original = stored[(r["base"], r["as_of"], r["provider"])]
        assert len(rate.as_tuple().digits) <= 10  # 10 significant digits, not 20
        assert abs(rate * original - 1) < Decimal("1e-9")
    # Worked out by hand: 1 / 87.45 = 0.011435105774..., 1 / 478.77 = 0.0020886855900...
    by_key = {(r["base"], r["as_of"], r["provider"]): r["rate"] for r in rows}
    assert by_key[("KGS", "2026-11-18", "nbkr")] == "0.01143510577"
    assert by_key[("KZT", "2026-11-18", "nbk")] == "0.00208868559"


def test_best_is_the_rate_in_force_per_pair_and_date(db: ReadQueries) -> None:
    text, count = run(db, best=True)
    assert text.startswith("as_of,base,quote,rate,provider,derived,fetched_at,carried_from\r\n")
    got = [
        (r["quote"], r["as_of"], r["provider"], r["rate"], r["carried_from"]) for r in parse(text)
    ]
    assert got == [
        ("KGS", "2026-11-18", "nbkr", "87.4500", ""),
        # NBKR has nothing dated the 19th: its fixing of the 18th is in force, carried.
        ("KGS", "2026-11-19", "nbkr", "87.4500", "2026-11-18"),
        ("KGS", "2026-11-20", "nbkr", "87.46", ""),  # nbkr before erapi in [routing]
        ("KZT", "2026-11-18", "nbk", "478.77", ""),
        ("KZT", "2026-11-19", "nbk", "479.10", ""),  # the direct quote, not CBR's cross
        # Every pair runs to the newest date exported, as the wide form's rows do.
        ("KZT", "2026-11-20", "nbk", "479.10", "2026-11-19"),
        # Nothing from CBU yet: NBK's own cross, at 10 significant digits, not 20.
        ("UZS", "2026-11-19", "nbk", "12182.44275", ""),
        ("UZS", "2026-11-20", "cbu", "12194.21", ""),
    ]
    assert count == 8
    text, _ = run(db, best=True, providers=["erapi", "cbr"])
    assert [(r["quote"], r["as_of"], r["provider"], r["rate"]) for r in parse(text)] == [
        ("KGS", "2026-11-20", "erapi", "87.3"),
        ("KZT", "2026-11-19", "cbr", "480.1234568"),
        ("KZT", "2026-11-20", "cbr", "480.1234568"),
    ]


def test_wide_form_has_one_row_per_date_with_each_pairs_rate_in_force(
    db: ReadQueries,
) -> None:
    text, count = run(db, wide=True)
    assert text.splitlines() == [
        "as_of,USD/KGS,USD/KZT,USD/TJS,USD/UZS,USD/TMT",
        "2026-11-18,87.4500,478.77,,,",
        "2026-11-19,87.4500,479.10,,12182.44275,",
        "2026-11-20,87.46,479.10,,12194.21,",
    ]
    assert count == 3
    text, _ = run(db, wide=True, sources=True, locals_=["KGS", "KZT", "UZS"])
    assert text.splitlines() == [
        "as_of,USD/KGS,USD/KGS source,USD/KGS carried_from,USD/KZT,USD/KZT source,"
        "USD/KZT carried_from,USD/UZS,USD/UZS source,USD/UZS carried_from",
        "2026-11-18,87.4500,nbkr,,478.77,nbk,,,,",
        "2026-11-19,87.4500,nbkr,2026-11-18,479.10,nbk,,12182.44275,nbk,",
        "2026-11-20,87.46,nbkr,,479.10,nbk,2026-11-19,12194.21,cbu,",
    ]
    text, _ = run(db, wide=True, locals_=["UZS", "KGS"], orientation=Orientation.USD_PER)
    assert text.splitlines() == [
        "as_of,UZS/USD,KGS/USD",
        "2026-11-18,,0.01143510577",  # UZS: nothing yet
        "2026-11-19,0.00008208534369,0.01143510577",
        "2026-11-20,0.00008200613242,0.01143379831",
    ]


# A weekend (Friday 4 to Tuesday 8 December 2026). NBK dates every day (its Saturday file
# carries the rate set on Friday; Sunday's and Monday's repeat it); CBU dates business
# days only; NBT publishes every day, and its crosses of the tenge and the sum are the
# long numbers a division makes. CBR's tenge is NBK's number through the rouble.
FRI, SAT, SUN, MON, TUE = (date(2026, 12, d) for d in (4, 5, 6, 7, 8))


def weekend_rows() -> list:  # type: ignore[type-arg]
    return [
        obs("KZT", "474.20", FRI, "nbk"),
        obs("KZT", "473.59", SAT, "nbk"),  # no Sunday or Monday file was collected
        obs("KZT", "474.75", TUE, "nbk"),
        *(obs("KZT", "501.84082295614510016", d, "nbt", derived=True) for d in (SAT, SUN, MON)),
        obs("KZT", "473.60", MON, "cbr", derived=True),
        obs("UZS", "12049.37", FRI, "cbu"),
        obs("UZS", "12050.00", MON, "cbu"),
        *(obs("UZS", "12071.428571428571429", d, "nbt", derived=True) for d in (SAT, SUN)),
    ]


@pytest.fixture
def weekend(database: Database) -> Iterator[ReadQueries]:
    Repository(database).store(weekend_rows())
    yield Repository(database)


def test_a_weekend_gives_the_official_rate_in_force_carried_never_a_cross(
    weekend: ReadQueries,
) -> None:
    text, _ = run(weekend, best=True)
    got = [
        (r["quote"], r["as_of"], r["provider"], r["rate"], r["carried_from"]) for r in parse(text)
    ]
    assert got == [
        ("KZT", "2026-12-04", "nbk", "474.20", ""),
        ("KZT", "2026-12-05", "nbk", "473.59", ""),
        ("KZT", "2026-12-06", "nbk", "473.59", "2026-12-05"),  # Saturday's, in force
        ("KZT", "2026-12-07", "nbk", "473.59", "2026-12-05"),  # CBR's copy is no fallback
        ("KZT", "2026-12-08", "nbk", "474.75", ""),
        ("UZS", "2026-12-04", "cbu", "12049.37", ""),
        ("UZS", "2026-12-05", "cbu", "12049.37", "2026-12-04"),  # CBU sets no weekend rate
        ("UZS", "2026-12-06", "cbu", "12049.37", "2026-12-04"),
        ("UZS", "2026-12-07", "cbu", "12050.00", ""),
        ("UZS", "2026-12-08", "cbu", "12050.00", "2026-12-07"),  # to the newest date
    ]
    text, _ = run(weekend, wide=True, sources=True, locals_=["KZT", "UZS"])
    assert text.splitlines()[1:] == [
        "2026-12-04,474.20,nbk,,12049.37,cbu,",
        "2026-12-05,473.59,nbk,,12049.37,cbu,2026-12-04",
        "2026-12-06,473.59,nbk,2026-12-05,12049.37,cbu,2026-12-04",
        "2026-12-07,473.59,nbk,2026-12-05,12050.00,cbu,",
        "2026-12-08,474.75,nbk,,12050.00,cbu,2026-12-07",
    ]


def test_the_rate_in_force_on_the_first_date_asked_may_be_older_than_it(
    weekend: ReadQueries,
) -> None:
    text, count = run(weekend, best=True, locals_=["UZS"], since=SUN)
    got = [(r["as_of"], r["provider"], r["rate"], r["carried_from"]) for r in parse(text)]
    assert got == [
        ("2026-12-06", "cbu", "12049.37", "2026-12-04"),
        ("2026-12-07", "cbu", "12050.00", ""),
    ]
    assert count == 2


def test_a_store_without_nbks_weekend_files_carries_fridays_rate_not_a_cross(
    database: Database,
) -> None:
    # Collected before NBK's weekend files were asked for: Friday, then Monday. The
    # official rate stays in force over the gap, carried; NBT's crosses never fill it.
    repo = Repository(database)
    repo.store(
        [
            obs("KZT", "474.20", FRI, "nbk"),
            obs("KZT", "474.00", MON, "nbk"),
            *(obs("KZT", "501.84082295614510016", d, "nbt", derived=True) for d in (SAT, SUN)),
        ]
    )
    text, _ = run(repo, wide=True, sources=True, locals_=["KZT"])
    assert text.splitlines()[1:] == [
        "2026-12-04,474.20,nbk,",
        "2026-12-05,474.20,nbk,2026-12-04",
        "2026-12-06,474.20,nbk,2026-12-04",
        "2026-12-07,474.00,nbk,",
    ]


def test_a_fallback_only_once_the_official_source_is_silent_for_more_than_a_week(
    database: Database,
) -> None:
    # NBK's Tuesday 8 Dec file is the last one stored; NBT goes on publishing. Within a
    # week NBK's rate stays in force, carried (a history's gaps are mostly ours); once
    # its next new rate (Wednesday's, due Tuesday 16:00) is more than a week late, NBT's
    # newer fixing stands in, said by its name, never CBR's copy of NBK's number.
    repo = Repository(database)
    days = [TUE + timedelta(days=n) for n in range(10)]  # 8 to 17 December
    repo.store(
        [
            obs("KZT", "474.75", TUE, "nbk"),
            *(obs("KZT", f"475.{n}", d, "nbt", derived=True) for n, d in enumerate(days[1:])),
            *(obs("KZT", "475.0", d, "cbr", derived=True) for d in days[1:]),
        ]
    )
    text, _ = run(repo, best=True)
    got = [(r["as_of"], r["provider"], r["carried_from"]) for r in parse(text)]
    assert got[:7] == [(d.isoformat(), "nbk", "" if d == TUE else "2026-12-08") for d in days[:7]]
    # Wednesday's was due Tuesday 8 Dec 16:00 Almaty: a week later is the 15th, 16:00,
    # before that day ends.
    assert got[7:] == [(f"2026-12-{d}", "nbt", "") for d in (15, 16, 17)]


def test_a_failure_midway_leaves_no_file_and_the_old_one_untouched(
    db: ReadQueries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "rates.csv"
    target.write_text("the previous export\n")

    def failing(_store: object, _selection: object, out: BinaryIO) -> int:
        out.write(b"2026-11-18,USD,KGS,87.4500,nbkr,false,2026-11-20T09:30:15.123456Z\r\n")
        raise KeyboardInterrupt  # Ctrl-C halfway

    monkeypatch.setattr("ticker.core.export.write_lines", failing)
    with pytest.raises(KeyboardInterrupt):
        export(db, SETTINGS, ExportOptions(), str(target), force=True)
    assert target.read_text() == "the previous export\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["rates.csv"]  # no .part left
    with pytest.raises(KeyboardInterrupt):
        export(db, SETTINGS, ExportOptions(), str(out_dir / "new.csv"), force=False)
    assert sorted(p.name for p in out_dir.iterdir()) == ["rates.csv"]


def test_a_finished_file_is_complete_with_a_normal_mode(db: ReadQueries, tmp_path: Path) -> None:
    target = tmp_path / "rates.csv"
    assert export(db, SETTINGS, ExportOptions(), str(target), force=False) == 8
    assert target.read_bytes().count(b"\r\n") == 9
    assert target.stat().st_mode & 0o777 != 0o600  # not mkstemp's private mode
    with pytest.raises(UsageError, match="already exists; use --force"):
        export(db, SETTINGS, ExportOptions(), str(target), force=False)


def test_bad_targets_are_one_line_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    Repository(database).store(stored_rows())
    database.dispose()
    env = {"TICKER_DB_URL": f"sqlite:///{db}"}
    existing = tmp_path / "old.csv"
    existing.write_text("keep me\n")
    cases = {
        str(tmp_path): "is a directory; give a file name",
        str(tmp_path / "missing" / "x.csv"): f"directory {tmp_path / 'missing'} does not exist",
        str(existing): "already exists; use --force to overwrite it",
        "/proc/ticker-export.csv": "/proc",  # a directory nobody may create files in
    }
    for target, message in cases.items():
        result = ticker("export", "-o", target, env=env)
        assert result.returncode == 2, (target, result.stderr)
        assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert existing.read_text() == "keep me\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--best", "--wide"],
            "--best and --wide: choose one (the wide form shows the best rate)",
        ),
        (
            ["--orientation", "sideways"],
            "--orientation: expected per-usd or usd-per, got 'sideways'",
        ),
        (
            ["--best", "--sources"],
            "--sources: goes with --wide (the other forms have a provider column)",
        ),
    ],
)
def test_bad_export_options_are_exit_2(args: list[str], message: str) -> None:
    result = ticker("export", *args)
    assert result.returncode == 2 and result.stderr == f"ticker: {message}\n"


def test_export_command_writes_the_wide_form(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    Repository(database).store(stored_rows())
    database.dispose()
    result = ticker(
        "export", "--wide", "--pair", "KZT", "--orientation", "usd-per",
        env={"TICKER_DB_URL": f"sqlite:///{db}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "as_of,KZT/USD"
    assert len(result.stdout.splitlines()) == 3
