"""Moments the program cannot count from (years 1 and 9999) are refused in one line,
exit 2, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.factories import obs
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    db = tmp_path / "ticker.db"
    database = open_database(f"sqlite:///{db}")
    try:
        Repository(database).add_observations([obs("KZT", "478.77")])
    finally:
        database.dispose()
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\nurl = "sqlite:///{db}"\n')
    return path


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:00+00:00"])
@pytest.mark.parametrize("command", [["providers"], ["strip"], ["alerts", "list"], ["health"]])
def test_ticker_now_at_the_ends_of_time_is_refused(
    cfg: Path, moment: str, command: list[str]
) -> None:
    result = ticker("--config", str(cfg), *command, env={"TICKER_NOW": moment})
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"ticker: $TICKER_NOW: expected a moment from 1900 to 8999, got {moment!r}\n"
    )


def test_snoozing_until_year_one_is_refused(cfg: Path) -> None:
    added = ticker("--config", str(cfg), "alerts", "add", "KZT", "above", "500")
    assert added.returncode == 0, added.stderr
    result = ticker("--config", str(cfg), "alerts", "snooze", "1", "--until", "0001-01-01T00:00")
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "--until: expected" in result.stderr and "internal error" not in result.stderr
