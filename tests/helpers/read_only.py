"""A store file this process cannot write, for real: a read-only bind mount of the file
for root (who ignores permission bits), the permission bits (``chmod 444``) otherwise.
Its directory stays writable, as when a user takes the write bit off the file."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only_file(path: Path) -> Iterator[Path]:
    """``path`` not writable by this process for the block (skipped where neither a bind
    mount nor dropping the write bit is possible)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o444)
        try:
            yield path
        finally:
            path.chmod(mode)
        return
    done = subprocess.run(
        ["mount", "--bind", "-o", "ro", str(path), str(path)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot make {path} read-only here: {done.stderr.decode().strip()}")
    try:
        assert not os.access(path, os.W_OK)
        yield path
    finally:
        subprocess.run(["umount", "--lazy", str(path)], check=False)
