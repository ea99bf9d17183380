"""The SQLite lease's lock file is this account's alone: another local account cannot
open it, so it cannot take the lock and keep every collector standing by for ever."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ticker.storage.lease import Identity
from ticker.storage.lease.sqlite import SqliteLease, lock_path

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

#: What another account runs: open the lock file read-only (flock needs no more) and
#: hold an exclusive lock on it while it reads from stdin.
_SQUATTER = """
import fcntl, os, sys
try:
    fd = os.open(sys.argv[1], os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except OSError as err:
    print("refused", err.errno, flush=True)
    sys.exit(0)
print("holding", flush=True)
sys.stdin.read()
"""


def lease(db: Path, pid: int) -> SqliteLease:
    return SqliteLease(Identity("desk", pid, NOW), str(db), database=db)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_lock_file_is_made_for_its_owner_alone(tmp_path: Path) -> None:
    db = tmp_path / "ticker.db"
    first = lease(db, 1)
    assert first.acquire(NOW)
    assert mode(lock_path(db)) == 0o600
    first.release(NOW)


def test_a_lock_file_an_earlier_version_left_open_to_all_is_narrowed(tmp_path: Path) -> None:
    db = tmp_path / "ticker.db"
    lock_path(db).write_text("")
    lock_path(db).chmod(0o644)
    first = lease(db, 1)
    assert first.acquire(NOW)
    assert mode(lock_path(db)) == 0o600
    first.release(NOW)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory every account can look into (pytest's own are its owner's alone)."""
    made = Path(tempfile.mkdtemp(prefix="ticker-lease-"))
    made.chmod(0o755)
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root")
def test_another_account_cannot_hold_the_lease(shared_dir: Path) -> None:
    db = shared_dir / "ticker.db"
    first = lease(db, 1)
    assert first.acquire(NOW)  # makes the lock file
    first.release(NOW)
    with subprocess.Popen(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
         sys.executable, "-I", "-c", _SQUATTER, str(lock_path(db))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as squatter:  # fmt: skip
        try:
            assert squatter.stdout is not None
            said = squatter.stdout.readline().split()
            assert said[:1] == ["refused"], said
            second = lease(db, 2)
            assert second.acquire(NOW)
            second.release(NOW)
        finally:
            squatter.kill()
