"""Where an export goes: stdout, or a file written under a temporary name and renamed into
place, so an error or Ctrl-C never leaves a half-written file and an existing file is
only replaced when asked to."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from ticker.errors import UsageError


def check_target(path: Path, force: bool) -> None:
    """Refuse, before any work, a target that cannot or must not be written."""
    if path.is_dir():
        raise UsageError(f"{path}: is a directory; give a file name")
    if path.exists() and not force:
        raise UsageError(f"{path}: already exists; use --force to overwrite it")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"{path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{path}: directory {parent} is not writable")


def is_stdout(target: str | None) -> bool:
    return target in (None, "-")


@contextmanager
def opened_target(target: str | None, force: bool = False) -> Iterator[BinaryIO]:
    """A binary stream to ``target`` (stdout for ``None`` or ``-``).

    A file appears, complete and fsynced, only when the ``with`` block ends without an
    error; otherwise the temporary file is removed and any existing file is untouched.
    """
    if is_stdout(target):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    assert target is not None
    path = Path(target)
    check_target(path, force)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp_name, 0o666 & ~_umask())  # a normal file's mode, not mkstemp's 0600
        os.replace(tmp_name, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
