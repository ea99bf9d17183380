"""``export`` of pairs beyond the dollar (issue 28), on both backends: the long form as
published, ``--best`` by the pair's route (crosses with their legs), ``--wide`` with a
column per pair, ``--pair`` mixing dollar and other pairs; the dollar pairs' export
unchanged byte for byte."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from providers.base import Observation
from tests.helpers.cli import ticker
from ticker.config import PairsSettings, Settings
from ticker.core.export import ExportOptions, write_csv
from ticker.model.pairs import Orientation, Pair
from ticker.storage.db import Database, open_database
from ticker.storage.reads import ReadQueries
from ticker.storage.repository import Repository

MON, TUE, WED = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)
FETCHED = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
SETTINGS = Settings()
Both = tuple[Repository, Repository]
RUB_TJS, KZT_KGS = Pair("RUB", "TJS"), Pair("KZT", "KGS")


def o(provider: str, pair: str, rate: str, as_of: date, derived: bool = False) -> Observation:
    base, quote = pair.split("/")
    return Observation(provider, base, quote, as_of, Decimal(rate), derived, FETCHED)


USD_ROWS = [
    o("nbk", "USD/KZT", "478.77", MON),
    o("nbk", "USD/KZT", "479.10", TUE),
    o("nbkr", "USD/KGS", "87.45", MON),
    o("nbkr", "USD/KGS", "87.4600", WED),
    o("nbt", "USD/TJS", "9.2886", MON),
    o("cbr", "USD/KZT", "480.123456789012345678", TUE, derived=True),
]
OTHER_ROWS = [
    o("nbt", "RUB/TJS", "0.1149", MON),
    o("nbt", "RUB/TJS", "0.1277", WED),
    o("cbr", "TJS/RUB", "8.6999", TUE),
    o("frankfurter", "USD/RUB", "80.12", TUE),
]


def run(db: ReadQueries, settings: Settings = SETTINGS, **options: Any) -> str:
    out = io.BytesIO()
    write_csv(db, settings, ExportOptions(**options), out)
    return out.getvalue().decode()


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def both(database: Database, tmp_path: Path) -> Iterator[Both]:
    """The same dollar rows in two stores: the second also holds other pairs' rows."""
    plain = open_database(f"sqlite:///{tmp_path / 'plain.db'}")
    only_usd = Repository(plain)
    only_usd.store(USD_ROWS)
    repo = Repository(database)
    repo.store(USD_ROWS + OTHER_ROWS)
    yield only_usd, repo
    plain.dispose()


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"orientation": Orientation.USD_PER},
        {"best": True},
        {"wide": True, "sources": True},
        {"wide": True, "orientation": Orientation.USD_PER},
        {"locals_": ["KZT"], "best": True},
    ],
)
def test_the_dollar_pairs_export_is_unchanged_byte_for_byte(
    both: Both, options: dict[str, Any]
) -> None:
    only_usd, repo = both
    assert run(repo, **options) == run(only_usd, **options)


def test_long_form_of_a_pair_is_every_stored_fixing_as_published(both: Both) -> None:
    _, repo = both
    rows = parse(run(repo, locals_=[], pairs=[RUB_TJS]))
    assert [(r["as_of"], r["base"], r["quote"], r["rate"], r["provider"]) for r in rows] == [
        ("2026-11-23", "RUB", "TJS", "0.1149", "nbt"),
        ("2026-11-25", "RUB", "TJS", "0.1277", "nbt"),
        ("2026-11-24", "TJS", "RUB", "8.6999", "cbr"),  # as the Bank of Russia publishes it
    ]
    # The other orientation turns the dollar pairs; another pair stays as published.
    mixed = parse(run(repo, locals_=["KGS"], pairs=[RUB_TJS], orientation=Orientation.USD_PER))
    assert [(r["base"], r["quote"], r["rate"]) for r in mixed][:2] == [
        ("KGS", "USD", "0.01143510577"),
        ("KGS", "USD", "0.01143379831"),
    ]
    assert [r["rate"] for r in mixed[2:]] == ["0.1149", "0.1277", "8.6999"]


def test_best_is_the_routed_rate_in_force_with_crosses_marked(both: Both) -> None:
    _, repo = both
    text = run(repo, locals_=["KGS"], pairs=[RUB_TJS, KZT_KGS], best=True)
    assert text.startswith("as_of,base,quote,rate,provider,derived,fetched_at,carried_from,via\r\n")
    rows = parse(text)
    kgs = [r for r in rows if r["quote"] == "KGS" and r["base"] == "USD"]
    assert [(r["as_of"], r["rate"], r["carried_from"], r["via"]) for r in kgs] == [
        ("2026-11-23", "87.45", "", ""),
        ("2026-11-24", "87.45", "2026-11-23", ""),
        ("2026-11-25", "87.4600", "", ""),
    ]
    rub = [r for r in rows if r["base"] == "RUB"]
    # NBT's own rouble rate, carried on Tuesday (never CBR's or a cross of the same age).
    assert [(r["as_of"], r["rate"], r["provider"], r["carried_from"]) for r in rub] == [
        ("2026-11-23", "0.1149", "nbt", ""),
        ("2026-11-24", "0.1149", "nbt", "2026-11-23"),
        ("2026-11-25", "0.1277", "nbt", ""),
    ]
    # KZT/KGS: no bank's direct quote stored, so a cross through each side's dollar rate.
    kzt = [r for r in rows if r["base"] == "KZT"]
    assert kzt[0] == {
        "as_of": "2026-11-23", "base": "KZT", "quote": "KGS", "rate": "0.1826555549",
        "provider": "via:usd", "derived": "true", "fetched_at": "2026-11-25T11:00:00.000000Z",
        "carried_from": "", "via": "nbk USD/KZT 2026-11-23 478.77; nbkr USD/KGS 2026-11-23 87.45",
    }  # fmt: skip
    assert Decimal(kzt[0]["rate"]) == round(Decimal("87.45") / Decimal("478.77"), 10)
    tue = kzt[1]
    assert (tue["as_of"], tue["carried_from"]) == ("2026-11-24", "2026-11-23")
    assert tue["via"] == "nbkr USD/KGS 2026-11-23 87.45; nbk USD/KZT 2026-11-24 479.10"
    assert tue["rate"] == str(round(Decimal("87.45") / Decimal("479.10"), 10))


def test_best_of_a_pair_written_the_other_way_is_turned_round(both: Both) -> None:
    _, repo = both
    rows = parse(run(repo, locals_=[], pairs=[Pair("TJS", "RUB")], best=True))
    assert [(r["as_of"], r["base"], r["quote"], r["rate"], r["provider"]) for r in rows] == [
        ("2026-11-23", "TJS", "RUB", "8.703220191", "nbt"),
        ("2026-11-24", "TJS", "RUB", "8.703220191", "nbt"),
        ("2026-11-25", "TJS", "RUB", "7.830853563", "nbt"),
    ]


def test_a_cross_through_an_aggregator_stands_in_only_for_an_overdue_bank(
    database: Database,
) -> None:
    repo = Repository(database)
    repo.store([
        o("nbt", "USD/TJS", "9.2886", date(2026, 11, 2)),
        o("nbt", "RUB/TJS", "0.1149", date(2026, 11, 2)),
        o("nbt", "USD/TJS", "9.3000", date(2026, 11, 20)),
        o("frankfurter", "USD/RUB", "80.00", date(2026, 11, 20)),
    ])  # fmt: skip
    rows = parse(run(repo, locals_=[], pairs=[RUB_TJS], best=True, since=date(2026, 11, 19)))
    assert [(r["as_of"], r["rate"], r["provider"], r["carried_from"]) for r in rows] == [
        ("2026-11-19", "0.1149", "nbt", "2026-11-02"),
        ("2026-11-20", "0.11625", "via:frankfurter", ""),
    ]
    assert rows[1]["via"] == ("frankfurter USD/RUB 2026-11-20 80.00; nbt USD/TJS 2026-11-20 9.3000")


def test_wide_has_a_column_per_pair_and_its_sources(both: Both) -> None:
    _, repo = both
    text = run(repo, locals_=["KZT"], pairs=[RUB_TJS, KZT_KGS], wide=True, sources=True)
    header, *lines = text.split("\r\n")[:-1]
    assert header == (
        "as_of,USD/KZT,USD/KZT source,USD/KZT carried_from,RUB/TJS,RUB/TJS source,"
        "RUB/TJS carried_from,KZT/KGS,KZT/KGS source,KZT/KGS carried_from"
    )
    assert lines[0] == (
        "2026-11-23,478.77,nbk,,0.1149,nbt,,0.1826555549,"
        "via:usd (nbk USD/KZT 2026-11-23 478.77; nbkr USD/KGS 2026-11-23 87.45),"
    )
    assert lines[2].startswith("2026-11-25,479.10,nbk,2026-11-24,0.1277,nbt,,")
    plain = run(repo, locals_=["KZT"], pairs=[RUB_TJS], wide=True)
    assert plain.split("\r\n")[:2] == ["as_of,USD/KZT,RUB/TJS", "2026-11-23,478.77,0.1149"]


def test_the_watched_pairs_are_exported_when_none_is_named(both: Both) -> None:
    _, repo = both
    watching = dataclasses.replace(
        SETTINGS, pairs=PairsSettings(watch=(Pair("KZT", "USD"), RUB_TJS))
    )
    rows = parse(run(repo, watching))
    assert {(r["base"], r["quote"]) for r in rows} == {
        ("USD", "KZT"), ("USD", "KGS"), ("USD", "TJS"), ("RUB", "TJS"), ("TJS", "RUB"),
    }  # fmt: skip


def test_cli_export_pair_mixing_dollar_and_other_pairs(database: Database) -> None:
    repo = Repository(database)
    repo.store(USD_ROWS + OTHER_ROWS)
    url = database.engine.url.render_as_string(hide_password=False)
    env = {"TICKER_DB_URL": url, "TICKER_NOW": "2026-11-25T12:00:00+00:00"}
    result = ticker("export", "--pair", "KZT", "--pair", "RUB/TJS", "--best", env=env)
    assert result.returncode == 0, result.stderr
    rows = parse(result.stdout)
    assert {(r["base"], r["quote"]) for r in rows} == {("USD", "KZT"), ("RUB", "TJS")}
    bad = ticker("export", "--pair", "RUB/XYZ", env=env)
    assert bad.returncode == 2 and bad.stderr.startswith("ticker: --pair: expected")
