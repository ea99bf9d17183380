"""One line for every way a store can fail, whichever driver met it.

The write side meets SQLAlchemy's wrapped errors, the read side (:mod:`ticker.storage.
reader`) the drivers' own (``sqlite3``, psycopg); both are worded here, without importing
either library, so that a read that fails costs no more than one that works.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from ticker.errors import StorageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _

_DAMAGED = ("malformed", "file is not a database", "database corrupt")
_DISK_FULL = ("database or disk is full", "no space left on device")


def damaged(where: str, reason: str) -> str:
    """The one message for a damaged SQLite file, whichever command meets it."""
    reason = " ".join(reason.split())[:200]
    return _(
        "{where}: the database is damaged ({reason}); nothing was written to it. "
        "Restore it from a backup, or move it away and start a new one"
    ).format(where=where, reason=reason)


def locked(where: str, busy_timeout: timedelta) -> str:
    return _(
        "{where}: the database is locked by another writer; gave up after "
        "{seconds}s (nothing was written)"
    ).format(where=where, seconds=localised(f"{busy_timeout.total_seconds():g}"))


def describe_failure(where: str, err: BaseException, busy_timeout: timedelta) -> str:
    """One line for a store error: locked, damaged, disk full, or the driver's words."""
    reason = _reason(err)
    lowered = reason.lower()
    if _is_operational(err) and any(w in lowered for w in ("locked", "busy", "lock timeout")):
        return locked(where, busy_timeout)
    if any(word in lowered for word in _DAMAGED):
        return damaged(where, reason)
    if any(word in lowered for word in _DISK_FULL):
        return _("{where}: the disk is full; nothing more was written (free some space)").format(
            where=where
        )
    if "disk i/o error" in lowered:
        return _(
            "{where}: disk I/O error: the disk may be full, failing or gone "
            "(check free space and the device)"
        ).format(where=where)
    return f"{where}: {reason}"


@contextmanager
def driver_errors(where: str, busy_timeout: timedelta) -> Iterator[None]:
    """Map the drivers' own errors (``sqlite3``'s, psycopg's) to :class:`StorageError`."""
    try:
        yield
    except sqlite3.Error as err:
        raise StorageError(describe_failure(where, err, busy_timeout)) from err
    except Exception as err:
        if not _from_psycopg(err):
            raise
        raise StorageError(describe_failure(where, err, busy_timeout)) from err


def _is_operational(err: BaseException) -> bool:
    """An operational error (a lock, a busy file, a lost connection) of any layer:
    SQLAlchemy's, sqlite3's and psycopg's are all called so."""
    return any(cls.__name__ == "OperationalError" for cls in type(err).__mro__)


def _from_psycopg(err: BaseException) -> bool:
    return type(err).__module__.split(".")[0] == "psycopg"


def _reason(err: BaseException) -> str:
    orig = getattr(err, "orig", None)
    text = str(orig) if orig is not None else str(err)
    return " ".join(text.split())  # one line, whatever the driver printed
