"""Streaming CSV export of stored observations.

Long form: ``as_of,base,quote,rate,provider,derived,fetched_at``, one row per stored
observation, ordered by pair then date; RFC 4180 (CRLF line ends), UTF-8, ISO 8601 dates,
the rate exactly as stored (published digits for direct quotes). Rows are streamed from
the database in batches, so memory does not grow with history. A file is written under a
temporary name and renamed into place: an error or Ctrl-C never leaves a half-written file.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from datetime import UTC
from pathlib import Path
from typing import TextIO

from ticker.errors import UsageError
from ticker.storage.repository import ExportRow

HEADER = ("as_of", "base", "quote", "rate", "provider", "derived", "fetched_at")


def write_long(rows: Iterable[ExportRow], out: TextIO) -> int:
    """Write the long form to ``out``; returns the number of data rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    count = 0
    for row in rows:
        writer.writerow(
            (
                row.as_of.isoformat(),
                row.base,
                row.quote,
                row.rate,
                row.provider,
                "true" if row.derived else "false",
                row.fetched_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            )
        )
        count += 1
    return count


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


def export_to(target: str | None, rows: Iterable[ExportRow], force: bool = False) -> int:
    """Write to stdout (``None`` or ``-``) or atomically to a file; returns the row count."""
    if target in (None, "-"):
        return write_long(rows, sys.stdout)
    path = Path(target)
    check_target(path, force)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            count = write_long(rows, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return count
