"""SQLite's form of the last-``n``-fixings read (every key asks the same ``n``: the keys as
a table of values, joined to their rows' ids) gives what the branch per key gives, in the
same order: the keys' order, each key's newest first; a key with fewer rows all it has,
one with none nothing."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.factories import obs
from ticker.storage import sql
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

DAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("recent") / "ticker.db"
    db = open_database(f"sqlite:///{path}")
    try:
        rows = [obs("KZT", str(470 + d), DAY - timedelta(days=d), "nbk") for d in range(5)]
        rows += [obs("KGS", "87.45", DAY, "nbkr")]  # one fixing only
        rows += [obs("KZT", str(480 + d), DAY - timedelta(days=2 * d), "cbr") for d in range(3)]
        Repository(db).store(rows)
    finally:
        db.dispose()
    return path


WANTED = [
    ("USD", "KGS", "nbkr", 3),  # fewer than asked: its one
    ("USD", "KZT", "nbk", 3),
    ("USD", "TJS", "nbt", 3),  # none
    ("USD", "KZT", "cbr", 3),
]


def _read(path: Path, statement: sql.Statement) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(*statement).fetchall()
    finally:
        connection.close()


def test_sqlites_form_gives_what_the_branches_give(store: Path) -> None:
    branches = sql.recent_pair_fixings(WANTED)
    by_ids = sql.recent_pair_fixings(WANTED, "sqlite")
    assert "UNION ALL" in branches[0] and "UNION ALL" not in by_ids[0]
    rows = _read(store, by_ids)
    assert rows == _read(store, branches)
    said = [(r[0], r[2], r[3]) for r in rows]  # provider, quote, as_of
    assert said == [
        ("nbkr", "KGS", "2026-11-20"),
        ("nbk", "KZT", "2026-11-20"),
        ("nbk", "KZT", "2026-11-19"),
        ("nbk", "KZT", "2026-11-18"),
        ("cbr", "KZT", "2026-11-20"),
        ("cbr", "KZT", "2026-11-18"),
        ("cbr", "KZT", "2026-11-16"),
    ]


def test_keys_asking_different_depths_keep_a_branch_each(store: Path) -> None:
    wanted = [("USD", "KZT", "nbk", 1), ("USD", "KZT", "cbr", 2)]
    statement = sql.recent_pair_fixings(wanted, "sqlite")
    assert "UNION ALL" in statement[0]
    assert [(r[0], r[3]) for r in _read(store, statement)] == [
        ("nbk", "2026-11-20"),
        ("cbr", "2026-11-20"),
        ("cbr", "2026-11-18"),
    ]
