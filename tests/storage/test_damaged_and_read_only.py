"""Stores that cannot be trusted or cannot be written: damaged pages, read-only places.

A damaged file is never written (the same one line from every command, exit 2, the file
byte for byte as it was); a store on a read-only mount can still be read.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.factories import obs
from ticker.config import load_settings
from ticker.storage import migrations
from ticker.storage.db import open_database
from ticker.storage.reader import StoreReader, opened_reads
from ticker.storage.repository import Repository

NOW = {"TICKER_NOW": "2026-11-27T12:00:00+00:00"}
DAMAGED = "the database is damaged"


def make_store(path: Path, rows: int) -> None:
    db = open_database(f"sqlite:///{path}")
    try:
        start = date(2026, 11, 27) - timedelta(days=rows - 1)
        observations = [
            obs("KZT", str(400 + i % 50), start + timedelta(days=i)) for i in range(rows)
        ]
        Repository(db).add_observations(observations)
    finally:
        db.dispose()


def config(tmp_path: Path, db: Path) -> Path:
    cfg = tmp_path / "config.toml"
    lines = [f'[storage]\nurl = "sqlite:///{db}"\n']
    for name in ("nbkr", "nbk", "nbt", "cbu", "cbt", "cbr", "frankfurter", "erapi", "currencyapi"):
        lines.append(f'[providers.{name}]\nbase_url = "http://127.0.0.1:9/{name}"\n')
    cfg.write_text("".join(lines))
    return cfg


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    db = tmp_path / "damaged.db"
    make_store(db, 8000)
    # A leaf page of the observations and one of each of their indexes overwritten with
    # noise, wherever the schema's tables put them (a migration that adds a table moves
    # every page after it).
    with closing(sqlite3.connect(db)) as conn:
        leaves: dict[str, list[int]] = {}
        for name, page in conn.execute(
            "SELECT d.name, d.pageno FROM dbstat AS d JOIN sqlite_master AS m ON m.name = d.name "
            "WHERE m.tbl_name = 'observation' AND d.pagetype = 'leaf' ORDER BY d.pageno"
        ):
            leaves.setdefault(str(name), []).append(int(page))
    assert len(leaves) == 3  # the table, its unique key, its (pair, as_of) index
    with db.open("r+b") as fh:
        for pages in leaves.values():
            fh.seek(4096 * (pages[len(pages) // 2] - 1))  # pages count from 1
            fh.write(bytes(range(256)) * 16)
    return db


@pytest.mark.parametrize(
    "command",
    [
        ["poll", "--provider", "erapi"],
        ["backfill", "--since", "2026-11-01", "--provider", "nbk"],
        ["alerts", "add", "KZT", "above", "500"],
        ["export"],
        ["config", "check"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_damaged_store_is_refused_in_one_line_and_left_as_it_was(
    tmp_path: Path, damaged: Path, command: list[str]
) -> None:
    cfg = config(tmp_path, damaged)
    before = digest(damaged)
    result = ticker("--config", str(cfg), *command, env=NOW)
    assert result.returncode == 2, result
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and DAMAGED in errors[0] and str(damaged) in errors[0], errors
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(damaged) == before


def test_a_collector_on_a_damaged_store_stops_before_polling(tmp_path: Path, damaged: Path) -> None:
    cfg = config(tmp_path, damaged)
    result = ticker("--config", str(cfg), "collect", env=NOW)
    assert result.returncode == 2 and DAMAGED in result.stderr


def _mount_read_only(directory: Path) -> bool:
    """Make ``directory`` read-only for this process: a read-only bind mount for root
    (who ignores permission bits), the permission bits otherwise."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        return True
    done = subprocess.run(
        ["mount", "--bind", "-o", "ro", str(directory), str(directory)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture(params=["current", "readable-older"])
def read_only_store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A store on a read-only mount: of this program's schema, or of the oldest one it
    reads without an upgrade (made by a previous version, never opened by this one)."""
    directory = tmp_path / "mnt"
    directory.mkdir()
    db = directory / "store.db"
    make_store(db, 30)
    if request.param == "readable-older":
        with closing(sqlite3.connect(db)) as conn, conn:
            conn.execute(
                f"UPDATE {migrations.SCHEMA_TABLE} SET version = ?", (migrations.READABLE_FROM,)
            )
    if not _mount_read_only(directory):
        pytest.skip("this machine can neither bind-mount nor drop write permission")
    try:
        assert not os.access(directory, os.W_OK)
        yield db
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "--lazy", str(directory)], check=False)
        else:
            directory.chmod(0o755)


def test_a_store_on_a_read_only_mount_can_be_read(tmp_path: Path, read_only_store: Path) -> None:
    cfg = config(tmp_path, read_only_store)
    rates = ticker("--config", str(cfg), "rates", "--json", env=NOW)
    assert rates.returncode == 0, rates.stderr
    assert '"as_of": "2026-11-27"' in rates.stdout
    strip = ticker("--config", str(cfg), "strip", env=NOW)
    assert strip.returncode == 0 and "NBK" in strip.stdout
    exported = ticker("--config", str(cfg), "export", env=NOW)
    assert exported.returncode == 0
    assert len(exported.stdout.splitlines()) == 31  # the header and the 30 rows


@pytest.fixture
def read_only_v4_store(tmp_path: Path) -> Iterator[Path]:
    """A store of schema 4 (before rules could be snoozed) with one rule, on a read-only
    mount: made by that program's migrations, never opened by this one."""
    from sqlalchemy import text

    from ticker.storage.db import make_engine, normalize_url

    directory = tmp_path / "mnt4"
    directory.mkdir()
    db = directory / "store.db"
    engine = make_engine(normalize_url(f"sqlite:///{db}"), timedelta(seconds=2))
    migrations.upgrade(engine, target=4)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA journal_mode=DELETE"))
        conn.execute(
            text(
                "INSERT INTO alert_rule (pair, kind, value, direction, cooldown_seconds, "
                "hysteresis, channels, command, label, origin, enabled, created_at, armed) "
                "VALUES ('USD/KZT', 'above', '480', 'either', 3600, '0.1', '[\"toast\"]', "
                "'[]', 'weak tenge', 'cli', 0, '2026-11-20 09:30:00', 1)"
            )
        )
    engine.dispose()
    if not _mount_read_only(directory):
        pytest.skip("this machine can neither bind-mount nor drop write permission")
    try:
        yield db
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "--lazy", str(directory)], check=False)
        else:
            directory.chmod(0o755)


def test_rules_of_a_read_only_store_of_schema_4_are_listed_not_snoozed(
    tmp_path: Path, read_only_v4_store: Path
) -> None:
    cfg = config(tmp_path, read_only_v4_store)
    listed = ticker("--config", str(cfg), "alerts", "list", "--json", env=NOW)
    assert listed.returncode == 0, listed.stderr
    (rule,) = json.loads(listed.stdout)
    assert (rule["id"], rule["label"], rule["enabled"], rule["snoozed_until"]) == (
        1, "weak tenge", False, None,
    )  # fmt: skip
    table = ticker("--config", str(cfg), "alerts", "list", env=NOW)
    assert table.stdout.splitlines()[1].split()[:5] == ["1", "USD/KZT", "above", "480", "disabled"]


def test_writing_to_a_read_only_store_says_so_in_one_line(
    tmp_path: Path, read_only_store: Path
) -> None:
    cfg = config(tmp_path, read_only_store)
    for command in (["poll", "--provider", "erapi"], ["alerts", "add", "KZT", "above", "500"]):
        result = ticker("--config", str(cfg), *command, env=NOW)
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            f"ticker: {read_only_store}: is read-only (the file or its directory cannot be "
            "written); reading works, writing needs a writable store"
        ]


def test_a_read_only_store_from_before_refusals_were_kept_is_read(tmp_path: Path) -> None:
    """Schema 4 (no ``indicator_refusal``) on a read-only mount: read as it is, with no
    refusals, by the screens' reads and by ``ticker providers``."""
    directory = tmp_path / "mnt"
    directory.mkdir()
    db = directory / "store.db"
    make_store(db, 30)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DROP TABLE indicator_refusal")
        conn.execute(f"UPDATE {migrations.SCHEMA_TABLE} SET version = 4")
    assert _mount_read_only(directory)
    try:
        cfg = config(tmp_path, db)
        with opened_reads(load_settings(str(cfg))) as reads:
            assert isinstance(reads, StoreReader) and reads.read_only
            assert reads.indicator_refusals() == []
        result = ticker("--config", str(cfg), "providers", "--json", env=NOW)
        assert result.returncode == 0, result.stderr
        assert all(r["refused"] == [] for r in json.loads(result.stdout)["providers"])
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "--lazy", str(directory)], check=False)
        else:
            directory.chmod(0o755)


@pytest.fixture
def damaged_rows(tmp_path: Path) -> Path:
    """A store whose observation rows (not its indexes) are damaged: counting them reads
    only an index and does not notice; every writing command's check does."""
    db = tmp_path / "rows.db"
    make_store(db, 8000)
    with closing(sqlite3.connect(db)) as conn:
        pages = [
            int(page)
            for (page,) in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'observation' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    with db.open("r+b") as fh:
        fh.seek(4096 * (pages[len(pages) // 2] - 1))
        fh.write(bytes(range(256)) * 16)
    return db


def test_config_check_refuses_a_damaged_store_as_the_writing_commands_do(
    tmp_path: Path, damaged_rows: Path
) -> None:
    cfg = config(tmp_path, damaged_rows)
    before = digest(damaged_rows)
    writing = ticker("--config", str(cfg), "alerts", "add", "KZT", "above", "500", env=NOW)
    assert writing.returncode == 2 and DAMAGED in writing.stderr  # the commands refuse it
    checked = ticker("--config", str(cfg), "config", "check", env=NOW)
    assert checked.returncode == 2, checked.stdout
    assert checked.stderr == writing.stderr
    assert digest(damaged_rows) == before


def test_config_check_reads_a_store_on_a_read_only_mount_and_says_so(
    tmp_path: Path, read_only_store: Path
) -> None:
    cfg = config(tmp_path, read_only_store)
    checked = ticker("--config", str(cfg), "config", "check", env=NOW)
    assert checked.returncode == 0, checked.stderr
    assert f"database {read_only_store} (schema v" in checked.stdout
    assert "30 observations" in checked.stdout and "read-only" in checked.stdout
