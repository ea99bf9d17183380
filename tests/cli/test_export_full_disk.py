"""`ticker export` onto a full device, whether named by ``-o`` or given as stdout: one line
saying so, exit 2, never a traceback, however many batches the rows fill."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.factories import obs, series
from tests.helpers.paths import REPO
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

FULL = Path("/dev/full")  # every write fails with ENOSPC


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    days = [f"{87 + i / 100:.2f}" for i in range(3000)]  # more lines than a batch
    Repository(database).store(series("KGS", "nbkr", obs().as_of.replace(year=2015), days))
    database.dispose()
    return {"TICKER_DB_URL": f"sqlite:///{db}", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full here")
def test_a_full_device_is_one_line_and_exit_2(store: dict[str, str]) -> None:
    result = ticker("export", "-o", str(FULL), env=store)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"ticker: {os.strerror(errno.ENOSPC)}\n"


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full here")
def test_stdout_on_a_full_device_is_one_line_and_exit_2(store: dict[str, str]) -> None:
    with FULL.open("w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "ticker.cli", "export"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **store},
            cwd=REPO,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr == f"ticker: {os.strerror(errno.ENOSPC)}\n"
