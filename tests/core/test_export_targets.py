"""Where `export -o` writes: a regular file atomically, a device or FIFO through, a
symlink's target (the link kept), and the leftovers of dead exports cleaned."""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ticker.core.export.target import STALE_PART_AGE, check_target, clean_stale_parts, opened_target
from ticker.errors import UsageError


def write(target: str, data: bytes, force: bool = True) -> None:
    with opened_target(target, force) as out:
        out.write(data)


def test_a_symlink_to_a_device_writes_through_and_both_stay_what_they_were(
    tmp_path: Path,
) -> None:
    link = tmp_path / "sink"
    link.symlink_to(os.devnull)
    write(str(link), b"as_of\r\n")
    assert link.is_symlink() and os.readlink(link) == os.devnull
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    write(os.devnull, b"as_of\r\n", force=False)  # a device is not "an existing file"
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_symlink_to_a_file_replaces_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "data" / "rates.csv"
    real.parent.mkdir()
    real.write_bytes(b"old\r\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    write(str(link), b"new\r\n")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() == b"new\r\n"
    assert sorted(p.name for p in real.parent.iterdir()) == ["rates.csv"]  # no leftovers


def test_an_existing_file_behind_a_link_still_needs_force(tmp_path: Path) -> None:
    real = tmp_path / "rates.csv"
    real.write_bytes(b"old\r\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    with pytest.raises(UsageError, match="already exists; use --force"):
        check_target(link, force=False)
    assert real.read_bytes() == b"old\r\n"


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write(str(fifo), b"as_of\r\n2026-11-27\r\n", force=False)
    reader.join(timeout=5)
    assert got == [b"as_of\r\n2026-11-27\r\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_socket_is_refused_in_one_line(tmp_path: Path) -> None:
    import socket

    where = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(where))
        with pytest.raises(UsageError, match="is a socket or another special file"):
            check_target(where, force=True)


def test_a_target_in_a_place_that_takes_no_files_names_the_target(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        write("/proc/version", b"x")
    message = str(caught.value)
    assert message.startswith("/proc/version: ")
    assert ".part" not in message


def test_leftovers_of_dead_exports_are_cleaned_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "rates.csv"
    dead = tmp_path / ".rates.csv.999999999.x1.part"  # no such process
    live = tmp_path / f".rates.csv.{os.getppid()}.x2.part"
    old = tmp_path / ".rates.csv.x3.part"  # an older version's name, no pid
    young = tmp_path / ".rates.csv.x4.part"
    other = tmp_path / ".other.csv.999999999.x5.part"
    for p in (dead, live, old, young, other):
        p.write_bytes(b"partial")
    past = time.time() - STALE_PART_AGE - 60
    os.utime(old, (past, past))
    assert clean_stale_parts(target) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, young.name, other.name])


def test_an_export_killed_midway_leaves_a_part_that_the_next_one_removes(tmp_path: Path) -> None:
    target = tmp_path / "rates.csv"
    with pytest.raises(KeyboardInterrupt), opened_target(str(target), force=False) as out:
        out.write(b"half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []  # an interrupted export cleans after itself
    (tmp_path / ".rates.csv.999999999.abc.part").write_bytes(b"half")  # what kill -9 leaves
    write(str(target), b"whole\r\n", force=False)
    assert [p.name for p in tmp_path.iterdir()] == ["rates.csv"]


_set_umask = os.umask  # the test's own, whatever the code under test is given


@pytest.fixture
def umask_027() -> Iterator[None]:
    before = _set_umask(0o027)
    try:
        yield
    finally:
        _set_umask(before)


def _never_umask(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(mask: int) -> int:
        raise AssertionError(f"the export set the process umask to {mask:o}")

    monkeypatch.setattr(os, "umask", refuse)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o444])
def test_a_replaced_file_keeps_its_mode_and_the_umask_is_never_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_027: None, mode: int
) -> None:
    target = tmp_path / "rates.csv"
    target.write_bytes(b"old\r\n")
    target.chmod(mode)
    _never_umask(monkeypatch)
    write(str(target), b"as_of\r\n")
    assert target.read_bytes() == b"as_of\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_new_file_gets_the_umasks_mode_and_the_umask_is_never_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_027: None
) -> None:
    target = tmp_path / "rates.csv"
    _never_umask(monkeypatch)
    write(str(target), b"as_of\r\n", force=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # 0666 under the umask 027


def test_the_temporary_file_of_a_private_target_is_never_wider(
    tmp_path: Path, umask_027: None
) -> None:
    target = tmp_path / "rates.csv"
    target.write_bytes(b"old\r\n")
    target.chmod(0o600)
    seen: list[int] = []
    with opened_target(str(target), force=True) as out:
        out.write(b"as_of\r\n")
        (part,) = tmp_path.glob(".rates.csv.*.part")
        seen.append(stat.S_IMODE(part.stat().st_mode))
    assert seen == [0o600]
