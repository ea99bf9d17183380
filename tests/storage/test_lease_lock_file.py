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


def test_an_account_that_may_not_open_the_lock_file_still_reads_the_collectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lock file is the collector's account's alone: a reader of another account
    # (`ticker health`, `ticker providers`) judges the collectors by their rows instead
    # of failing.
    import errno

    from ticker.config import Settings, StorageSettings
    from ticker.core.watch import store_collectors
    from ticker.storage.db import open_database
    from ticker.storage.reader import opened_reads

    db = tmp_path / "ticker.db"
    open_database(f"sqlite:///{db}").dispose()  # a store, with its collector table
    holder = lease(db, 4321)
    assert holder.acquire(NOW)
    real_open = os.open

    def denied(path: object, *args: object, **kwargs: object) -> int:
        if str(path) == str(lock_path(db)):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("ticker.storage.lease.sqlite.os.open", denied)
    settings = Settings(storage=StorageSettings(url=f"sqlite:///{db}"))
    with opened_reads(settings) as reads:
        found = store_collectors(reads, NOW)
    assert [(c.host, c.pid) for c in found] == [("desk", 4321)]
    monkeypatch.undo()
    holder.release(NOW)
