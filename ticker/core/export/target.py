"""Where an export goes: stdout, a device or FIFO written through, or a file written
under a temporary name and renamed into place, so an error or Ctrl-C never leaves a
half-written file and an existing file is only replaced when asked to."""

from __future__ import annotations

import glob
import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from ticker.errors import UsageError
from ticker.i18n.words import _

#: Paths that name this process's own streams: written through, never replaced.
_OWN_STREAMS = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")


def check_target(path: Path, force: bool) -> Path | None:
    """Refuse, before any work, a target that cannot or must not be written. Returns the
    file to write atomically (a symlink's target), or None for a stream written through
    (see :func:`kind_of`)."""
    if kind_of(path) == "stream":
        return None
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # write where the link points; keep the link
    _check_file(path, force)
    return path


def _check_file(path: Path, force: bool) -> None:
    if path.is_dir():
        raise UsageError(_("{path}: is a directory; give a file name").format(path=path))
    if path.exists() and not force:
        raise UsageError(_("{path}: already exists; use --force to overwrite it").format(path=path))
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(
            _("{path}: directory {parent} does not exist").format(path=path, parent=parent)
        )
    if not os.access(parent, os.W_OK):
        raise UsageError(
            _("{path}: directory {parent} is not writable").format(path=path, parent=parent)
        )


def kind_of(path: Path) -> str:
    """``"stream"`` for something written through (a character device such as /dev/null
    or a terminal, a FIFO, this process's own stdout/stderr), ``"file"`` for a regular
    file or a new path; raises for what is neither (a block device, a socket)."""
    text = str(path)
    if text.startswith(_OWN_STREAMS):
        return "stream"
    try:
        mode = path.stat().st_mode  # through symlinks
    except FileNotFoundError:
        return "file"
    except OSError as err:
        said = _("{path}: cannot be examined: {error}").format(path=path, error=err.strerror)
        raise UsageError(said) from None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return "file"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "stream"
    if stat.S_ISBLK(mode):
        said = _("{path}: is a block device; give a regular file or a new path")
    else:
        said = _("{path}: is a socket or another special file; give a regular file or a new path")
    raise UsageError(said.format(path=path))


def is_stdout(target: str | None) -> bool:
    return target in (None, "-")


@contextmanager
def opened_target(target: str | None, force: bool = False) -> Iterator[BinaryIO]:
    """A binary stream to ``target`` (stdout for ``None`` or ``-``).

    A regular file (or a new path) appears, complete and fsynced, only when the ``with``
    block ends without an error; otherwise the temporary file is removed and any
    existing file is untouched. A symlink's target is written (the link stays a link).
    A device, a FIFO or ``/dev/stdout`` is written through, never replaced.
    """
    if is_stdout(target):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    assert target is not None
    given = Path(target)
    path = check_target(given, force)
    if path is None:
        with _through(given) as out:
            yield out
        return
    clean_stale_parts(path)
    kept = _mode_of(path)
    try:
        fd, tmp_name = _temporary(path, 0o600 if kept is not None else 0o666)
    except OSError as err:
        said = _("{path}: cannot write in {parent}: {error}")
        raise UsageError(said.format(path=path, parent=path.parent, error=err.strerror)) from None
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            if kept is not None:
                os.fchmod(out.fileno(), kept)  # the replaced file's mode, never wider
            os.fsync(out.fileno())
        try:
            os.replace(tmp_name, path)
        except OSError as err:
            said = _("{path}: cannot be replaced: {error}").format(path=path, error=err.strerror)
            raise UsageError(said) from None
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _mode_of(path: Path) -> int | None:
    """The permissions of the file ``path`` replaces (None: a new file, which gets the
    umask's mode as any new file does; the process umask is never touched)."""
    try:
        return stat.S_IMODE(path.stat().st_mode) & 0o777  # no set-id bits on a CSV file
    except FileNotFoundError:
        return None


def _temporary(path: Path, mode: int) -> tuple[int, str]:
    """A new file ``.NAME.<pid>.XXXXXXXX.part`` beside ``path``, made exclusively, as
    ``tempfile.mkstemp`` makes one, with ``mode`` under the umask: 0600 while it is to
    take an existing file's mode (never wider than it meanwhile), 0666 for a new file."""
    for _attempt in range(100):
        name = str(path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.part")
        try:
            return os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, mode), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


@contextmanager
def _through(path: Path) -> Iterator[BinaryIO]:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)  # no truncation, no replacement
    except OSError as err:
        said = _("{path}: cannot be written: {error}").format(path=path, error=err.strerror)
        raise UsageError(said) from None
    with os.fdopen(fd, "wb") as out:
        yield out
        out.flush()


#: A temporary file this old is an export's that died, whoever made it.
STALE_PART_AGE = 24 * 3600


def clean_stale_parts(path: Path, now: float | None = None) -> int:
    """Remove the temporary files of exports to ``path`` that died (``kill -9``, power
    loss): those of a process that no longer exists, and any older than a day. Returns
    how many were removed."""
    now = time.time() if now is None else now
    removed = 0
    try:
        candidates = list(path.parent.glob(f".{glob.escape(path.name)}.*.part"))
    except OSError:
        return 0
    for part in candidates:
        middle = part.name[len(path.name) + 2 : -len(".part")]
        pid_text = middle.split(".", 1)[0]
        try:
            age = now - part.lstat().st_mtime
        except OSError:
            continue
        dead = pid_text.isdigit() and pid_text.isascii() and not _alive(int(pid_text))
        if dead or age > STALE_PART_AGE:
            with suppress(OSError):
                part.unlink()
                removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
